import { parentPort } from 'node:worker_threads';
import { openDemoWarehouse } from './demoWarehouse';
import { serializeError, type FromDemoWorker, type ToDemoWorker } from './demoWorkerProtocol';
import type { Warehouse } from './warehouse';

// The embedded demo runs here, off the extension host's thread: PGlite is synchronous WebAssembly,
// and a long statement (or the first build) would otherwise freeze every extension.

const port = parentPort;
if (!port) throw new Error('demoWorker must run in a worker thread.');
const post = (m: FromDemoWorker) => port.postMessage(m);
let warehouse: Warehouse | undefined;
let queue: Promise<unknown> = Promise.resolve();
const cancelled = new Set<number>();

port.on('message', (m: ToDemoWorker) => {
  if (m.type === 'cancel') {
    cancelled.add(m.id);
    return;
  }
  // One statement at a time, in the order posted: the host relies on it to know which one runs.
  queue = queue.then(() => handle(m)).catch(() => undefined);
});

async function handle(m: ToDemoWorker): Promise<void> {
  switch (m.type) {
    case 'open':
      try {
        warehouse = await openDemoWarehouse(m.storageDir, (progress) => post({ type: 'progress', progress }), (line) => post({ type: 'log', line }));
        post({ type: 'opened' });
      } catch (err) {
        post({ type: 'openFailed', error: serializeError(err) });
      }
      return;
    case 'query': {
      if (cancelled.delete(m.id)) return;
      if (!warehouse) return post({ type: 'error', id: m.id, error: { name: 'Error', message: 'The demo is not open.' } });
      try {
        const result = await warehouse.query(m.sql, m.values, { maxRows: m.maxRows, readOnly: m.readOnly });
        post({ type: 'result', id: m.id, result });
      } catch (err) {
        post({ type: 'error', id: m.id, error: serializeError(err) });
      }
      return;
    }
    case 'cancel':
      return;
    case 'close':
      await warehouse?.close().catch(() => undefined);
      warehouse = undefined;
      post({ type: 'closed' });
      return;
  }
}
