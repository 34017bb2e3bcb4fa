import { parentPort } from 'node:worker_threads';
import { openDemoWarehouse } from './demoWarehouse';
import { serveDemoWorker } from './demoWorkerServer';

// The embedded demo runs here, off the extension host's thread: PGlite is synchronous WebAssembly,
// and a long statement (or the first build) would otherwise freeze every extension.

const port = parentPort;
if (!port) throw new Error('demoWorker must run in a worker thread.');
serveDemoWorker(port, (storageDir, lockToken, onProgress, log) =>
  openDemoWarehouse(storageDir, onProgress, log, { lockToken }),
);
