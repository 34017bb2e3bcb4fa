// A classifier worker that takes the first chunk it can, then dies without replying: the host
// must classify what it took (tests/unit/textClassifier.test.ts).
const { parentPort } = require('node:worker_threads');

parentPort.on('message', (m) => {
  Atomics.add(m.next, 0, m.chunk);
  process.exit(3);
});
