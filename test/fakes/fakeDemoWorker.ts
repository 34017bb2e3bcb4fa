// A demo worker with the real worker-side protocol (serveDemoWorker) over a fake database, so a
// test can run thousands of interleaved requests, cancels and crashes in seconds. Bundled by
// test/unit/demoWorkerRandomized.test.ts with esbuild; the client starts it like dist/demoWorker.js.
//
// A query is `fake <json>`: { tag, ms?, mode? }. It blocks the thread for `ms` (as PGlite's
// WebAssembly does) and returns one row [tag]. Modes: `exit` (the thread exits mid-statement),
// `unclonable` (a result postMessage cannot copy), `deep` (a result this side can copy and the
// host cannot read), `lost` (its started message and answer are dropped), `throws`.
// Open behaviour comes from <storageDir>/fake.json: { openMs?, failOpen? }.
//
// A stream is `fake <json>` too: { tag, rows, ms?, mode?, at? } yields rows [tag, 0], [tag, 1], …
// in batches of batchRows, blocking `ms` per fetch. Modes (from fetch number `at`, 0 first):
// `throws`, `exit`, `unclonable`, `deep`, `slow` (the fetch blocks 10 s). The query `fake {"tag":0,"mode":"stats"}` returns the streams'
// counters in its extra cell: { fetches, closed } (batches fetched, cursors closed, all streams).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { FromDemoWorker } from '../../src/warehouse/demo/demoWorkerProtocol';
import { serveDemoWorker, type DemoWorkerPort } from '../../src/warehouse/demo/demoWorkerServer';
import type { RowBatch, StreamOptions, Warehouse } from '../../src/warehouse/warehouse';

const port = parentPort!;
const dropped = new Set<number>();
const droppingPort: DemoWorkerPort = {
  postMessage(m: FromDemoWorker) {
    if ('id' in m && dropped.has(m.id)) return;
    port.postMessage(m);
  },
  // The 'lost' mode drops by id: learn the id from the query before the server handles it.
  on: (event, listener) =>
    port.on(event, (m) => {
      if (m?.type === 'query' && typeof m.sql === 'string' && m.sql.includes('"mode":"lost"')) dropped.add(m.id);
      listener(m);
    }),
};

const blocker = new Int32Array(new SharedArrayBuffer(4));
const block = (ms: number) => ms > 0 && Atomics.wait(blocker, 0, 0, ms);

function deeplyNested(): unknown[] {
  let v: unknown[] = [];
  for (let i = 0; i < 6000; i++) v = [v];
  return v;
}

const streamStats = { fetches: 0, closed: 0 };

async function* fakeStream(sql: string, options: StreamOptions = {}): AsyncGenerator<RowBatch, void, undefined> {
  const spec = JSON.parse(sql.replace(/^fake /, '')) as {
    tag: number;
    rows: number;
    ms?: number;
    mode?: string;
    at?: number;
  };
  const batchRows = options.batchRows ?? 5000;
  const columns = [
    { name: 'tag', type: 'int4' },
    { name: 'n', type: 'int4' },
  ];
  try {
    for (let fetch = 0, n = 0; ; fetch++, n += batchRows) {
      const failing = fetch >= (spec.at ?? 0) ? spec.mode : undefined;
      block(failing === 'slow' ? 10_000 : (spec.ms ?? 0));
      if (failing === 'throws') throw Object.assign(new Error(`fake failure ${spec.tag}`), { code: 'XX000' });
      if (failing === 'exit') process.exit(3);
      streamStats.fetches++;
      const rows: unknown[][] = [];
      for (let i = n; i < Math.min(n + batchRows, spec.rows); i++)
        rows.push([spec.tag, failing === 'unclonable' ? () => i : failing === 'deep' ? deeplyNested() : i]);
      // Like a cursor: the first fetch says the columns even when empty, a short one is the last.
      if (rows.length === 0 && fetch > 0) return;
      yield { columns, rows };
      if (rows.length < batchRows) return;
    }
  } finally {
    streamStats.closed++;
  }
}

function fakeWarehouse(): Warehouse {
  return {
    kind: 'demo',
    dialect: undefined as never,
    async query(sql: string) {
      const spec = JSON.parse(sql.replace(/^fake /, '')) as { tag: number; ms?: number; mode?: string; id?: number };
      block(spec.ms ?? 0);
      const row = (cell: unknown) => ({
        columns: [
          { name: 'tag', type: 'int4' },
          { name: 'extra', type: 'json' },
        ],
        rows: [[spec.tag, cell]],
        rowCount: 1,
        truncated: false,
        elapsedMs: spec.ms ?? 0,
      });
      switch (spec.mode) {
        case 'exit':
          process.exit(3);
        // eslint-disable-next-line no-fallthrough
        case 'unclonable':
          return row(() => spec.tag) as never;
        case 'deep':
          return row(deeplyNested()) as never;
        case 'lost':
          return new Promise(() => undefined);
        case 'throws':
          throw Object.assign(new Error(`fake failure ${spec.tag}`), { code: 'XX000' });
        case 'stats':
          return row({ ...streamStats }) as never;
        default:
          return row(null) as never;
      }
    },
    stream: (sql, _values, options) => fakeStream(sql, options),
    async close() {},
  };
}

serveDemoWorker(droppingPort, async (storageDir) => {
  let options: { openMs?: number; failOpen?: boolean } = {};
  try {
    options = JSON.parse(readFileSync(join(storageDir, 'fake.json'), 'utf8'));
  } catch {
    // Defaults.
  }
  block(options.openMs ?? 0);
  if (options.failOpen) throw new Error('fake open failure');
  return fakeWarehouse();
});
