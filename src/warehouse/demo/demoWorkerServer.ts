import type { LoadProgress } from '../../demo/loaderContract';
import { serializeError, type FromDemoWorker, type ToDemoWorker } from './demoWorkerProtocol';
import type { RowBatch, Warehouse } from '../warehouse';

/** The side of a worker thread's port this module uses (a MessagePort, or a test's stand-in). */
export interface DemoWorkerPort {
  postMessage(message: FromDemoWorker): void;
  on(event: 'message', listener: (message: ToDemoWorker) => void): unknown;
}

export type OpenDemo = (
  storageDir: string,
  lockToken: string,
  onProgress: (p: LoadProgress) => void,
  log: (line: string) => void,
) => Promise<Warehouse>;

/** How often an opening worker says it is alive, when its thread is free to (the host waits minutes). */
const ALIVE_EVERY_MS = 5000;

/**
 * The worker side of the demo protocol, apart from PGlite so that tests can serve it with a fake
 * database. Every query it receives is answered exactly once: with its result, or with an error
 * that says why the result could not be sent.
 */
export function serveDemoWorker(port: DemoWorkerPort, open: OpenDemo): void {
  const post = (m: FromDemoWorker) => port.postMessage(m);
  let warehouse: Warehouse | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  /** The stream the host is reading, suspended between the batches it asks for. */
  let reading: { id: number; batches: AsyncGenerator<RowBatch, void, undefined> } | undefined;

  const answerError = (id: number, err: unknown) => {
    try {
      post({ type: 'error', id, error: serializeError(err) });
    } catch {
      post({
        type: 'error',
        id,
        error: { name: 'Error', message: 'The demo worker could not send its error message.' },
      });
    }
  };

  const answer = (id: number, result: unknown) => {
    try {
      post({ type: 'result', id, result: result as Extract<FromDemoWorker, { type: 'result' }>['result'] });
    } catch (err) {
      // A value the thread boundary cannot carry (a DataCloneError, a RangeError on deep nesting).
      answerError(id, new Error(`The result could not be sent from the demo worker: ${describe(err)}`));
    }
  };

  /** Fetches one batch of the open stream (only now: the host asked for it) and sends it. */
  async function sendBatch(id: number): Promise<void> {
    const stream = reading;
    if (stream?.id !== id) return answerError(id, new Error('The demo worker has no such stream open.'));
    let step: IteratorResult<RowBatch, void>;
    try {
      step = await stream.batches.next();
    } catch (err) {
      reading = undefined;
      return answerError(id, err);
    }
    if (step.done) {
      reading = undefined;
      return post({ type: 'streamEnd', id });
    }
    try {
      post({ type: 'batch', id, batch: step.value });
    } catch (err) {
      await stopStream();
      answerError(id, new Error(`The result could not be sent from the demo worker: ${describe(err)}`));
    }
  }

  /** Closes the open stream's cursor (its generator's cleanup), which frees the engine for the next statement. */
  async function stopStream(): Promise<void> {
    const stream = reading;
    reading = undefined;
    await stream?.batches.return().catch(() => undefined);
  }

  async function handle(m: ToDemoWorker): Promise<void> {
    // The host sends nothing else while a stream is open; if it did, the open cursor would hold
    // the engine and this statement would wait behind it for ever.
    if (m.type === 'query' || m.type === 'stream' || m.type === 'close') await stopStream();
    switch (m.type) {
      case 'open': {
        const alive = setInterval(() => post({ type: 'alive' }), ALIVE_EVERY_MS);
        try {
          warehouse = await open(
            m.storageDir,
            m.lockToken,
            (progress) => post({ type: 'progress', progress }),
            (line) => post({ type: 'log', line }),
          );
          post({ type: 'opened' });
        } catch (err) {
          post({ type: 'openFailed', error: serializeError(err) });
        } finally {
          clearInterval(alive);
        }
        return;
      }
      case 'query': {
        post({ type: 'started', id: m.id });
        if (!warehouse) return answerError(m.id, new Error('The demo is not open.'));
        let result: unknown;
        try {
          result = await warehouse.query(m.sql, m.values, { maxRows: m.maxRows, readOnly: m.readOnly });
        } catch (err) {
          return answerError(m.id, err);
        }
        return answer(m.id, result);
      }
      case 'stream': {
        post({ type: 'started', id: m.id });
        if (!warehouse) return answerError(m.id, new Error('The demo is not open.'));
        if (!warehouse.stream) return answerError(m.id, new Error('This demo cannot stream a result.'));
        reading = {
          id: m.id,
          batches: warehouse.stream(m.sql, m.values, { batchRows: m.batchRows, jsonAsText: m.jsonAsText }),
        };
        return sendBatch(m.id);
      }
      case 'nextBatch':
        return sendBatch(m.id);
      case 'stopStream':
        if (reading?.id === m.id) await stopStream();
        post({ type: 'streamEnd', id: m.id });
        return;
      case 'close':
        await warehouse?.close().catch(() => undefined);
        warehouse = undefined;
        post({ type: 'closed' });
        return;
    }
  }

  port.on('message', (m: ToDemoWorker) => {
    // One message at a time, in the order posted. The chain must never stay rejected: every
    // message after it would be skipped.
    queue = queue
      .then(() => handle(m))
      .catch((err) => {
        if (m.type !== 'open' && m.type !== 'close') answerError(m.id, err);
      })
      .catch(() => undefined);
  });
}

function describe(err: unknown): string {
  const e = err as { name?: unknown; message?: unknown } | undefined;
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return `${name}: ${message}`;
}
