import type { SqlSink } from '../demo/loaderContract';

/**
 * Lets a bulk loader generate its next batch while the server still inserts the previous one.
 * `query` resolves as soon as the statement is handed to the driver, with one statement in
 * flight at most (so memory holds at most two batches); its result is dropped, and its error
 * surfaces on the next call. `exec` and `flush` wait for everything before them.
 * Only for writers that never read what `query` returns (the demo loader's inserts).
 */
export function writeBehind(sink: SqlSink): SqlSink & { flush(): Promise<void> } {
  let inFlight: Promise<unknown> | undefined;
  const flush = async () => {
    const pending = inFlight;
    inFlight = undefined;
    await pending;
  };
  return {
    async query(sql, values) {
      await flush();
      const running = sink.query(sql, values);
      running.catch(() => undefined); // reported by the next flush, not as an unhandled rejection
      inFlight = running;
      return undefined;
    },
    async exec(sql) {
      await flush();
      return sink.exec(sql);
    },
    flush,
  };
}
