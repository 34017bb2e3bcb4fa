import type { LoadProgress } from '../../demo/loaderContract';
import type { QueryResult } from '../../shared/queryResult';
import type { RowBatch } from '../warehouse';

/**
 * Messages between the extension host and the worker thread that runs the embedded demo.
 * The host sends one query at a time and waits for its answer before the next: it always knows
 * which statement the worker runs, so a cancel of that one ends the thread, and nothing a
 * restart loses was ever sent (statements still waiting stay in the host's queue).
 *
 * A stream is one such query, answered batch by batch: the worker fetches a batch only when
 * asked (`stream` asks for the first, each `nextBatch` for one more), so a slow consumer holds
 * the fetch back and neither side holds more than a batch. It stays the query in flight until
 * the worker says `streamEnd` or `error`.
 */
export type ToDemoWorker =
  /** `lockToken`: the nonce to write into the demo lock, so the host can release it if it ends the worker. */
  | { type: 'open'; storageDir: string; lockToken: string }
  | { type: 'query'; id: number; sql: string; values: unknown[]; maxRows?: number; readOnly?: boolean }
  /** Opens a cursor on the statement and sends its first batch. */
  | { type: 'stream'; id: number; sql: string; values: unknown[]; batchRows?: number; jsonAsText?: boolean }
  /** The consumer took the last batch and wants another. */
  | { type: 'nextBatch'; id: number }
  /** The consumer stopped early: close the cursor, free the engine, answer `streamEnd`. */
  | { type: 'stopStream'; id: number }
  | { type: 'close' };

export type FromDemoWorker =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'log'; line: string }
  /** Sent every few seconds while opening, when the thread is free: the host's watchdog hears it is alive. */
  | { type: 'alive' }
  | { type: 'opened' }
  | { type: 'openFailed'; error: SerializedError }
  /** The query was received and is starting: from here only the statement timeout bounds it. */
  | { type: 'started'; id: number }
  | { type: 'result'; id: number; result: QueryResult }
  | { type: 'error'; id: number; error: SerializedError }
  /** A stream's batch, the answer to `stream` or `nextBatch`. */
  | { type: 'batch'; id: number; batch: RowBatch }
  /** The stream has no more batches (or was stopped) and its cursor is closed: the worker is free. */
  | { type: 'streamEnd'; id: number }
  | { type: 'closed' };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  connectionLost?: boolean;
  /** Postgres severity (ERROR, FATAL, PANIC) when the error came from the database. */
  severity?: string;
  /** Name of the error an adapter wrapped (a WebAssembly RuntimeError under a WarehouseError). */
  causeName?: string;
}

/** Plain data for any thrown value; never throws itself (an error may be a Proxy, or have throwing getters). */
export function serializeError(err: unknown): SerializedError {
  try {
    const e = err as {
      name?: unknown;
      message?: unknown;
      code?: unknown;
      connectionLost?: unknown;
      severity?: unknown;
      cause?: { severity?: unknown; name?: unknown };
    };
    const severity = e?.severity ?? e?.cause?.severity;
    const causeName = e?.cause?.name;
    return {
      name: typeof e?.name === 'string' ? e.name : 'Error',
      message: typeof e?.message === 'string' ? e.message : String(err),
      code: typeof e?.code === 'string' ? e.code : undefined,
      connectionLost: e?.connectionLost === true ? true : undefined,
      severity: typeof severity === 'string' ? severity : undefined,
      causeName: typeof causeName === 'string' ? causeName : undefined,
    };
  } catch {
    return { name: 'Error', message: 'An error that could not be described.' };
  }
}
