import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import type { LoadProgress } from '../demo/loaderContract';
import type { QueryResult } from '../shared/queryResult';
import { postgresDialect } from '../sql/dialect';
import { demoPaths } from './demoStorage';
import { readLockInfo } from './demoLock';
import type { FromDemoWorker, SerializedError, ToDemoWorker } from './demoWorkerProtocol';
import { WarehouseError } from './pgErrors';
import { QueryCancelledError, type QueryOptions, type Warehouse } from './warehouse';

export interface DemoWorkerOptions {
  /** The bundled worker script; dist/demoWorker.js next to the extension by default. */
  workerPath?: string;
  onProgress?: (p: LoadProgress) => void;
  log?: (line: string) => void;
}

interface Pending {
  message: Extract<ToDemoWorker, { type: 'query' }>;
  resolve(result: QueryResult): void;
  reject(err: Error): void;
}

/**
 * The embedded demo, run in a worker thread. A statement inside PGlite cannot be interrupted,
 * so cancelling the running statement ends the worker and a fresh one reopens the data dir
 * (about half a second); statements still waiting are sent to the new worker.
 */
export async function openDemoInWorker(storageDir: string, options: DemoWorkerOptions = {}): Promise<Warehouse> {
  const client = new DemoWorkerWarehouse(storageDir, options);
  await client.start();
  return client;
}

export function fromSerialized(e: SerializedError): Error {
  if (e.name === 'QueryCancelledError') return new QueryCancelledError(e.message);
  if (e.code !== undefined || e.name === 'WarehouseError') return new WarehouseError(e.message, e.code, e.connectionLost ?? false);
  return new Error(e.message);
}

class DemoWorkerWarehouse implements Warehouse {
  readonly kind = 'demo' as const;
  readonly dialect = postgresDialect;
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly storageDir: string, private readonly options: DemoWorkerOptions) {}

  start(): Promise<void> {
    this.ready ??= this.spawn();
    return this.ready;
  }

  async query(sql: string, values: readonly unknown[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    if (this.closed) throw new Error('The demo connection is closed.');
    const { signal } = options;
    if (signal?.aborted) throw new QueryCancelledError();
    await this.start();
    // Opening may take a while (a restart after a cancel): the caller may have given up meanwhile.
    if (signal?.aborted) throw new QueryCancelledError();
    const id = this.nextId++;
    const message: Pending['message'] = { type: 'query', id, sql, values: [...values], maxRows: options.maxRows, readOnly: options.readOnly };
    return new Promise<QueryResult>((resolve, reject) => {
      const onAbort = () => this.cancel(id);
      const settle = <T>(fn: (v: T) => void) => (v: T) => {
        signal?.removeEventListener('abort', onAbort);
        fn(v);
      };
      this.pending.set(id, { message, resolve: settle(resolve), reject: settle(reject) });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.worker!.postMessage(message);
    });
  }

  private cancel(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    // The worker runs statements in the order they were posted, so the oldest unanswered one is
    // running or about to: only ending the thread stops it. Any later one is simply skipped.
    const head = this.pending.keys().next().value;
    this.pending.delete(id);
    p.reject(new QueryCancelledError());
    if (id !== head) {
      this.worker?.postMessage({ type: 'cancel', id } satisfies ToDemoWorker);
      return;
    }
    const old = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    void old?.terminate();
    void this.restart();
  }

  private async restart(): Promise<void> {
    try {
      await this.start();
      for (const p of this.pending.values()) this.worker!.postMessage(p.message);
    } catch (err) {
      for (const p of this.pending.values()) p.reject(err as Error);
      this.pending.clear();
    }
  }

  private async spawn(): Promise<void> {
    // A terminated worker of this process could not release its lock: reclaim it, or the new
    // worker would take it for another window's and open a private copy.
    await reclaimOwnLock(demoPaths(this.storageDir).lockFile);
    const worker = new Worker(this.options.workerPath ?? join(__dirname, 'demoWorker.js'));
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromDemoWorker) => {
        if (worker !== this.worker) return;
        switch (m.type) {
          case 'progress':
            return this.options.onProgress?.(m.progress);
          case 'log':
            return this.options.log?.(m.line);
          case 'opened':
            return resolve();
          case 'openFailed':
            return reject(fromSerialized(m.error));
          case 'result':
          case 'error': {
            const p = this.pending.get(m.id);
            this.pending.delete(m.id);
            if (m.type === 'result') p?.resolve(m.result);
            else p?.reject(fromSerialized(m.error));
            return;
          }
        }
      });
      worker.on('error', (err) => {
        if (worker !== this.worker) return;
        reject(err);
        this.failAll(new Error(`The demo database stopped: ${err.message}. Run the query again to reopen it.`));
      });
      worker.on('exit', (code) => {
        if (worker !== this.worker) return;
        this.worker = undefined;
        this.ready = undefined;
        reject(new Error(`The demo database exited (code ${code}) while opening.`));
        if (!this.closed) this.failAll(new Error('The demo database stopped. Run the query again to reopen it.'));
      });
      worker.postMessage({ type: 'open', storageDir: this.storageDir } satisfies ToDemoWorker);
    });
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      worker.on('message', (m: FromDemoWorker) => m.type === 'closed' && (clearTimeout(timer), resolve()));
      worker.on('exit', () => (clearTimeout(timer), resolve()));
      worker.postMessage({ type: 'close' } satisfies ToDemoWorker);
    });
    this.worker = undefined;
    await worker.terminate();
    this.failAll(new Error('The demo connection is closed.'));
  }
}

async function reclaimOwnLock(lockFile: string): Promise<void> {
  if ((await readLockInfo(lockFile))?.pid === process.pid) await rm(lockFile, { force: true });
}
