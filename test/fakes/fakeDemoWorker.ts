// A demo worker with the real worker-side protocol (serveDemoWorker) over a fake database, so a
// test can run thousands of interleaved requests, cancels and crashes in seconds. Bundled by
// test/unit/demoWorkerRandomized.test.ts with esbuild; the client starts it like dist/demoWorker.js.
//
// A query is `fake <json>`: { tag, ms?, mode? }. It blocks the thread for `ms` (as PGlite's
// WebAssembly does) and returns one row [tag]. Modes: `exit` (the thread exits mid-statement),
// `unclonable` (a result postMessage cannot copy), `deep` (a result this side can copy and the
// host cannot read), `lost` (its started message and answer are dropped), `throws`.
// Open behaviour comes from <storageDir>/fake.json: { openMs?, failOpen? }.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { FromDemoWorker } from '../../src/warehouse/demo/demoWorkerProtocol';
import { serveDemoWorker, type DemoWorkerPort } from '../../src/warehouse/demo/demoWorkerServer';
import type { Warehouse } from '../../src/warehouse/warehouse';

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
        case 'deep': {
          let v: unknown[] = [];
          for (let i = 0; i < 6000; i++) v = [v];
          return row(v) as never;
        }
        case 'lost':
          return new Promise(() => undefined);
        case 'throws':
          throw Object.assign(new Error(`fake failure ${spec.tag}`), { code: 'XX000' });
        default:
          return row(null) as never;
      }
    },
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
