import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { LoadProgress } from '../../demo/loaderContract';
import type { QueryResult } from '../../shared/queryResult';
import { postgresDialect } from '../../sql/dialect';
import { DemoDataDamagedError, isDemoDataDamage, isEngineAbort } from './demoDataErrors';
import { demoPaths } from './demoStorage';
import { releaseLock } from './demoLock';
import type { FromDemoWorker, SerializedError, ToDemoWorker } from './demoWorkerProtocol';
import { WarehouseError } from '../postgres/pgErrors';
import {
  QueryCancelledError,
  type QueryOptions,
  type RowBatch,
  type StreamOptions,
  type Warehouse,
} from '../warehouse';

export interface DemoWorkerOptions {
  /** The bundled worker script; dist/demoWorker.js next to the extension by default. */
  workerPath?: string;
  onProgress?: (p: LoadProgress) => void;
  log?: (line: string) => void;
  /**
   * syncLogs.queryTimeoutSeconds in ms. PGlite has no statement timeout of its own (its timers
   * cannot fire while its WebAssembly runs), so the host ends a statement that runs longer.
   */
  statementTimeoutMs?: number;
  /** Bounds of the watchdog; tests shorten them. */
  watchdog?: Partial<WatchdogBounds>;
}

export interface WatchdogBounds {
  /** A query handed to an open, idle worker must be reported started within this. */
  startMs: number;
  /** An opening worker must say something (progress, a heartbeat) at least this often. */
  openSilenceMs: number;
  /** How long an ended worker may take to exit before the next one opens the data dir anyway. */
  exitMs: number;
}

const DEFAULT_BOUNDS: WatchdogBounds = { startMs: 30_000, openSilenceMs: 120_000, exitMs: 10_000 };

/**
 * The embedded demo, run in a worker thread. A statement inside PGlite cannot be interrupted,
 * so cancelling the running statement (or an open stream) ends the worker and a fresh one reopens
 * the data dir (about half a second); statements still waiting are sent to the new worker.
 */
export async function openDemoInWorker(
  storageDir: string,
  options: DemoWorkerOptions = {},
): Promise<DemoWorkerWarehouse> {
  const client = new DemoWorkerWarehouse(storageDir, options);
  await client.start();
  return client;
}

export function fromSerialized(e: SerializedError): Error {
  if (isDemoDataDamage(e)) return new DemoDataDamagedError(e.message, e.code);
  if (e.name === 'QueryCancelledError') return new QueryCancelledError(e.message);
  if (e.code !== undefined || e.name === 'WarehouseError')
    return new WarehouseError(e.message, e.code, e.connectionLost ?? false);
  return new Error(e.message);
}

interface QueryRequest {
  readonly id: number;
  readonly message: Extract<ToDemoWorker, { type: 'query' }>;
  /** Each settles the caller's promise once; later calls do nothing. */
  resolve(result: QueryResult): void;
  reject(err: Error): void;
  readonly settled: () => boolean;
}

type StreamOutcome = { batch: RowBatch } | { end: true } | { error: Error };

/**
 * The host's end of a stream: what the worker answered to the last ask waits here until the
 * generator takes it (a failure can come while the consumer is busy with the batch before).
 * Settled by its end or its first error; later outcomes are dropped.
 */
class StreamRequest {
  private readonly outcomes: StreamOutcome[] = [];
  private wake: (() => void) | undefined;
  private over = false;

  constructor(
    readonly id: number,
    readonly message: Extract<ToDemoWorker, { type: 'stream' }>,
  ) {}

  batch(batch: RowBatch): void {
    this.put({ batch });
  }

  end(): void {
    this.put({ end: true });
  }

  reject(error: Error): void {
    this.put({ error });
  }

  settled(): boolean {
    return this.over;
  }

  /** The next batch; undefined once the stream has ended. */
  async take(): Promise<RowBatch | undefined> {
    while (this.outcomes.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    const next = this.outcomes.shift()!;
    if ('error' in next) throw next.error;
    return 'batch' in next ? next.batch : undefined;
  }

  private put(outcome: StreamOutcome): void {
    if (this.over) return;
    if (!('batch' in outcome)) this.over = true;
    this.outcomes.push(outcome);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

type Request = QueryRequest | StreamRequest;

/** One worker thread, from launch to exit. A retired session's messages and exit are ignored. */
class Session {
  worker: Worker | undefined;
  state: 'starting' | 'opening' | 'ready' | 'gone' = 'starting';
  /** The one query (or open stream) the worker holds; the host sends the next only once this is answered. */
  inFlight: { request: Request; started: boolean } | undefined;
  /** This session's one watchdog: open silence, start of the query in flight, or its statement timeout. */
  timer: NodeJS.Timeout | undefined;
  exited: Promise<void> = Promise.resolve();
  readonly opened: Promise<void>;
  resolveOpened!: () => void;
  rejectOpened!: (err: Error) => void;

  constructor() {
    this.opened = new Promise<void>((resolve, reject) => {
      this.resolveOpened = resolve;
      this.rejectOpened = reject;
    });
    // Callers of start() see the rejection; a session nobody waited on must not warn of one.
    this.opened.catch(() => undefined);
  }
}

export class DemoWorkerWarehouse implements Warehouse {
  readonly kind = 'demo' as const;
  readonly dialect = postgresDialect;
  private session: Session | undefined;
  /** Queries not yet sent, oldest first. None of them has reached any worker. */
  private readonly waiting: Request[] = [];
  /** Ends when every worker this client ended has exited and its lock is released. */
  private predecessorsGone: Promise<void> = Promise.resolve();
  private readonly bounds: WatchdogBounds;
  /** Written into the lock by this client's workers, so the host can release a lock a worker it ended left. */
  private readonly lockToken = randomUUID();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly storageDir: string,
    private readonly options: DemoWorkerOptions,
  ) {
    this.bounds = { ...DEFAULT_BOUNDS, ...options.watchdog };
  }

  /** Opens the demo if it is not open (or opening); rejects if that open fails. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The demo connection is closed.'));
    return (this.session ?? this.spawn()).opened;
  }

  query(sql: string, values: readonly unknown[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    const { signal } = options;
    if (this.closed) return Promise.reject(new Error('The demo connection is closed.'));
    if (signal?.aborted) return Promise.reject(new QueryCancelledError());
    return new Promise<QueryResult>((resolve, reject) => {
      let settled = false;
      const onAbort = () => this.cancel(request);
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const id = this.nextId++;
      const request: QueryRequest = {
        id,
        message: { type: 'query', id, sql, values: [...values], maxRows: options.maxRows, readOnly: options.readOnly },
        resolve: (r) => settle(() => resolve(r)),
        reject: (e) => settle(() => reject(e)),
        settled: () => settled,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(request);
      this.pump();
    });
  }

  /**
   * Every row, one batch per ask: the worker fetches the next batch from its cursor only when the
   * consumer wants it. While open, the stream is the worker's query in flight (others wait their
   * turn); a break closes the cursor, an abort ends the worker as it does a running query.
   */
  async *stream(
    sql: string,
    values: readonly unknown[] = [],
    options: StreamOptions = {},
  ): AsyncGenerator<RowBatch, void, undefined> {
    const { signal, batchRows, jsonAsText } = options;
    if (this.closed) throw new Error('The demo connection is closed.');
    if (signal?.aborted) throw new QueryCancelledError();
    const id = this.nextId++;
    const request = new StreamRequest(id, { type: 'stream', id, sql, values: [...values], batchRows, jsonAsText });
    const onAbort = () => this.cancel(request);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.waiting.push(request);
    this.pump();
    try {
      for (let batch = await request.take(); batch; batch = await request.take()) {
        yield batch;
        this.ask(request, { type: 'nextBatch', id });
      }
    } finally {
      if (!request.settled()) {
        // The consumer stopped early. Wait until the worker has closed the cursor (or ended some
        // other way), so the caller's next statement finds it free; an abort still cuts this short.
        this.ask(request, { type: 'stopStream', id });
        await request.take().catch(() => undefined);
      }
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Sends the stream in flight's next step, which the statement timeout bounds as it does a query. */
  private ask(request: StreamRequest, message: ToDemoWorker): void {
    const s = this.session;
    // It failed meanwhile (a cancel, a crash, a timeout): its error is what take() gives next.
    if (s?.inFlight?.request !== request) return;
    this.armStatementTimeout(s);
    s.worker!.postMessage(message);
  }

  /** Sends the oldest waiting query if the worker is open and holds none; opens a worker if there is none. */
  private pump(): void {
    if (this.closed) return;
    const s = this.session;
    if (!s) {
      if (this.waiting.length) this.spawn();
      return;
    }
    while (s.state === 'ready' && !s.inFlight && this.waiting.length) {
      const request = this.waiting.shift()!;
      s.inFlight = { request, started: false };
      this.arm(s, this.bounds.startMs, () =>
        this.lose(
          s,
          `The demo database did not start the query within ${seconds(this.bounds.startMs)} of receiving it`,
        ),
      );
      try {
        s.worker!.postMessage(request.message);
      } catch (err) {
        // A bound value the thread boundary cannot carry.
        s.inFlight = undefined;
        this.disarm(s);
        request.reject(
          new WarehouseError(`The query could not be sent to the demo worker: ${describe(err)}`, undefined),
        );
      }
    }
  }

  private cancel(request: Request): void {
    if (request.settled()) return;
    const waitingAt = this.waiting.indexOf(request);
    if (waitingAt >= 0) {
      this.waiting.splice(waitingAt, 1);
      request.reject(new QueryCancelledError());
      return;
    }
    const s = this.session;
    request.reject(new QueryCancelledError());
    if (s?.inFlight?.request === request) {
      // PGlite cannot interrupt a statement: only ending its thread stops it.
      s.inFlight = undefined;
      this.restart(s);
    }
  }

  private spawn(): Session {
    const s = new Session();
    this.session = s;
    // The data dir is opened by one thread at a time: the next worker starts once the last has exited.
    void this.predecessorsGone.then(() => this.launch(s));
    return s;
  }

  private launch(s: Session): void {
    if (s.state !== 'starting' || s !== this.session || this.closed) return;
    let worker: Worker;
    try {
      worker = new Worker(this.options.workerPath ?? join(__dirname, 'demoWorker.js'));
    } catch (err) {
      return this.openFailed(s, err as Error);
    }
    s.worker = worker;
    s.state = 'opening';
    s.exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (m: FromDemoWorker) => this.onMessage(s, m));
    worker.on('messageerror', (err) => this.onMessageError(s, err));
    worker.on('error', (err) => this.onStopped(s, `it failed: ${err.message}`));
    worker.on('exit', (code) => this.onStopped(s, `its thread exited with code ${code}`));
    this.armOpen(s);
    worker.postMessage({ type: 'open', storageDir: this.storageDir, lockToken: this.lockToken } satisfies ToDemoWorker);
  }

  private onMessage(s: Session, m: FromDemoWorker): void {
    if (s !== this.session || s.state === 'gone') return;
    if (s.state === 'opening') this.armOpen(s);
    switch (m.type) {
      case 'progress':
        return this.callback(() => this.options.onProgress?.(m.progress));
      case 'log':
        return this.callback(() => this.options.log?.(m.line));
      case 'alive':
      case 'closed':
        return;
      case 'opened':
        if (s.state !== 'opening') return;
        s.state = 'ready';
        this.disarm(s);
        s.resolveOpened();
        return this.pump();
      case 'openFailed':
        return this.openFailed(s, fromSerialized(m.error));
      case 'started': {
        const f = s.inFlight;
        if (f?.request.id !== m.id) return this.stray(m.type, m.id);
        f.started = true;
        return this.armStatementTimeout(s);
      }
      case 'result': {
        const f = s.inFlight;
        if (f?.request.id !== m.id || f.request instanceof StreamRequest) return this.stray(m.type, m.id);
        s.inFlight = undefined;
        this.disarm(s);
        f.request.resolve(m.result);
        return this.pump();
      }
      case 'batch': {
        const f = s.inFlight;
        if (f?.request.id !== m.id || !(f.request instanceof StreamRequest)) return this.stray(m.type, m.id);
        // The worker fetches nothing more until the consumer asks: no statement runs meanwhile.
        this.disarm(s);
        return f.request.batch(m.batch);
      }
      case 'streamEnd': {
        const f = s.inFlight;
        if (f?.request.id !== m.id || !(f.request instanceof StreamRequest)) return this.stray(m.type, m.id);
        s.inFlight = undefined;
        this.disarm(s);
        f.request.end();
        return this.pump();
      }
      case 'error': {
        const f = s.inFlight;
        if (f?.request.id !== m.id) return this.stray(m.type, m.id);
        s.inFlight = undefined;
        this.disarm(s);
        f.request.reject(fromSerialized(m.error));
        // A trapped WebAssembly instance fails everything after: the next query gets a fresh one.
        if (isEngineAbort(m.error) || m.error.severity === 'PANIC') return this.restart(s);
        return this.pump();
      }
    }
  }

  /** The worker posted something this thread could not read: with one query in flight, it was its answer. */
  private onMessageError(s: Session, err: unknown): void {
    if (s !== this.session || s.state === 'gone') return;
    const f = s.inFlight;
    if (!f?.started) {
      this.log(`A message from the demo worker could not be read: ${describe(err)}`);
      return;
    }
    f.request.reject(
      new WarehouseError(`The result could not be received from the demo worker: ${describe(err)}`, undefined),
    );
    // A stream's cursor is still open in the worker: it stays in flight until closed.
    if (f.request instanceof StreamRequest) return this.ask(f.request, { type: 'stopStream', id: f.request.id });
    s.inFlight = undefined;
    this.disarm(s);
    this.pump();
  }

  private onStopped(s: Session, how: string): void {
    if (s !== this.session || s.state === 'gone') return;
    const opening = s.state !== 'ready';
    const f = s.inFlight;
    s.inFlight = undefined;
    const err = new WarehouseError(`The demo database stopped while opening (${how}).`, undefined, true);
    this.retire(s, err);
    if (opening) {
      this.failWaiting(err);
      return;
    }
    this.log(`The demo worker stopped (${how}).`);
    f?.request.reject(
      new WarehouseError(
        `The demo database stopped ${f.started ? 'while running this query' : 'before it could start this query'} (${how}). Run the query again: it reopens.`,
        undefined,
        true,
      ),
    );
    // Waiting queries never reached that worker: they go to a new one.
    this.pump();
  }

  private openFailed(s: Session, err: Error): void {
    if (s !== this.session || s.state === 'gone') return;
    this.retire(s, err);
    // They waited for this open; the next query tries again.
    this.failWaiting(err);
  }

  /** The watchdog: a query the worker received but did not start. */
  private lose(s: Session, what: string): void {
    if (s !== this.session || s.state === 'gone') return;
    const f = s.inFlight;
    s.inFlight = undefined;
    const message = `${what}; its worker was restarted. Run the query again.`;
    this.log(message);
    f?.request.reject(new WarehouseError(message, undefined, true));
    this.restart(s);
  }

  private timedOut(s: Session, timeoutMs: number): void {
    if (s !== this.session || s.state === 'gone') return;
    const f = s.inFlight;
    s.inFlight = undefined;
    const err = new QueryCancelledError(
      `Query cancelled: it ran longer than the statement timeout (${seconds(timeoutMs)}). Narrow the query or raise the timeout (syncLogs.queryTimeoutSeconds).`,
    );
    f?.request.reject(Object.assign(err, { code: '57014' }));
    this.restart(s);
  }

  /** Ends this session's worker and opens another at once (waiting queries go to it). */
  private restart(s: Session): void {
    this.retire(s);
    if (!this.closed) this.spawn();
  }

  /** Ends the session; `why` is what a start() still waiting for its open is told. */
  private retire(s: Session, why: Error = new Error('The demo worker was stopped before it opened.')): void {
    if (s.state === 'gone') return;
    s.state = 'gone';
    this.disarm(s);
    if (this.session === s) this.session = undefined;
    s.rejectOpened(why);
    const worker = s.worker;
    if (!worker) return;
    void worker.terminate().catch(() => undefined);
    const { lockFile } = demoPaths(this.storageDir);
    const exitMs = this.bounds.exitMs;
    const gone = Promise.race([
      s.exited,
      new Promise<void>((resolve) =>
        setTimeout(
          () => (this.log(`The demo worker had not exited ${seconds(exitMs)} after it was ended.`), resolve()),
          exitMs,
        ).unref(),
      ),
    ])
      // An ended worker could not release its lock; this client's own nonce says the lock is its.
      .then(() => releaseLock(lockFile, this.lockToken))
      .catch(() => undefined);
    this.predecessorsGone = this.predecessorsGone.then(() => gone);
  }

  private armOpen(s: Session): void {
    this.arm(s, this.bounds.openSilenceMs, () =>
      this.openFailed(
        s,
        new WarehouseError(
          `The demo database did not finish opening: its worker gave no sign of progress for ${seconds(this.bounds.openSilenceMs)}. It was stopped; run the query again to retry.`,
          undefined,
          true,
        ),
      ),
    );
  }

  private armStatementTimeout(s: Session): void {
    const timeout = this.options.statementTimeoutMs;
    if (timeout && timeout > 0) this.arm(s, timeout, () => this.timedOut(s, timeout));
    else this.disarm(s);
  }

  private arm(s: Session, ms: number, fire: () => void): void {
    this.disarm(s);
    s.timer = setTimeout(fire, ms);
  }

  private disarm(s: Session): void {
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
  }

  private failWaiting(err: Error): void {
    for (const r of this.waiting.splice(0)) r.reject(err);
  }

  private stray(type: string, id: number): void {
    this.log(`The demo worker sent a ${type} for query ${id}, which it was not running; ignored.`);
  }

  private log(line: string): void {
    this.callback(() => this.options.log?.(line));
  }

  /** A listener's exception must not break the protocol state. */
  private callback(fn: () => void): void {
    try {
      fn();
    } catch {
      // The caller's problem; the demo goes on.
    }
  }

  /** For tests: ends the worker thread as a crash would, without telling this client. */
  crashWorkerForTest(): Promise<number> | undefined {
    return this.session?.worker?.terminate();
  }

  /** For tests: what this client still holds. */
  stateForTest(): { waiting: number; inFlightSql: string | undefined; session: Session['state'] | undefined } {
    return {
      waiting: this.waiting.length,
      inFlightSql: this.session?.inFlight?.request.message.sql,
      session: this.session?.state,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new Error('The demo connection is closed.');
    this.failWaiting(err);
    const s = this.session;
    if (s) {
      const f = s.inFlight;
      s.inFlight = undefined;
      f?.request.reject(err);
      // An idle worker closes PGlite cleanly (a checkpoint, the lock released); a busy one is ended.
      if (s.state === 'ready' && !f && s.worker) await closeGracefully(s.worker, this.bounds.exitMs);
      this.retire(s, err);
    }
    await this.predecessorsGone;
  }
}

function closeGracefully(worker: Worker, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = () => (clearTimeout(timer), resolve());
    worker.on('message', (m: FromDemoWorker) => m.type === 'closed' && done());
    worker.once('exit', done);
    try {
      worker.postMessage({ type: 'close' } satisfies ToDemoWorker);
    } catch {
      done();
    }
  });
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

function describe(err: unknown): string {
  const e = err as { name?: unknown; message?: unknown } | undefined;
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  return `${name}: ${typeof e?.message === 'string' ? e.message : String(err)}`;
}
