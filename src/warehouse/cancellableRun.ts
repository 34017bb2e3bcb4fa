import { QueryCancelledError } from './warehouse';

/** How long a warehouse has to acknowledge a cancel before the run stops waiting on it. */
export const CANCEL_GRACE_MS = 2000;

export interface CancellableRunOptions {
  /** Aborting stops the run with QueryCancelledError. */
  signal?: AbortSignal;
  /** A client-side limit: the run stops with `timeoutError()` after this long (0 or undefined: none). */
  timeoutMs?: number;
  timeoutError?: () => QueryCancelledError;
  /**
   * Asks the warehouse to stop the statement. A promise returned is its acknowledgement: the run
   * rejects once it settles. Without one, the run rejects when the work settles (the statement
   * ending with the warehouse's own "cancelled" error). Either way within `graceMs` at most.
   */
  cancel(reason: QueryCancelledError): Promise<unknown> | void;
  graceMs?: number;
}

/**
 * The skeleton every adapter's statement shares: settle once, stop on an abort or a timeout by
 * asking the warehouse to cancel, and give up waiting for the warehouse after a grace period, so a
 * cancel never hangs on a server that does not answer. `race` each step of the work; once stopped,
 * whatever the work does next (rows, or the warehouse's own error) is replaced by the stop's reason.
 */
export class CancellableRun {
  /** Set once the run was stopped: the error it rejects with. */
  reason: QueryCancelledError | undefined;
  /** Set once the run gave up waiting on the warehouse: every step still raced rejects with it. */
  private ended: QueryCancelledError | undefined;
  /**
   * The rejecters of the steps being raced, each removed when its step settles. (A listener on a
   * promise cannot be removed: one per step would keep every step's result, each batch of rows of
   * a stream, alive for as long as the run.)
   */
  private readonly waiting = new Set<(reason: QueryCancelledError) => void>();
  private timeout: NodeJS.Timeout | undefined;
  private grace: NodeJS.Timeout | undefined;

  constructor(private readonly options: CancellableRunOptions) {
    const { signal, timeoutMs } = options;
    if (signal?.aborted) this.stop();
    else signal?.addEventListener('abort', this.onAbort, { once: true });
    if (timeoutMs && timeoutMs > 0) {
      this.timeout = setTimeout(() => this.stop(options.timeoutError?.() ?? new QueryCancelledError()), timeoutMs);
    }
  }

  private readonly onAbort = () => this.stop();

  /** Stops the run (also for a consumer that gives up): the warehouse is asked to cancel. */
  stop(reason: QueryCancelledError = new QueryCancelledError()): void {
    if (this.reason) return;
    this.reason = reason;
    clearTimeout(this.timeout);
    this.grace = setTimeout(() => this.rejectStopped(reason), this.options.graceMs ?? CANCEL_GRACE_MS);
    let acknowledged: Promise<unknown> | void = undefined;
    try {
      acknowledged = this.options.cancel(reason);
    } catch {
      // Nothing to cancel yet, or the driver refused: the grace period still ends the run.
    }
    if (acknowledged) {
      void acknowledged.then(
        () => this.rejectStopped(reason),
        () => this.rejectStopped(reason),
      );
    }
  }

  /** Waits for one step of the work, unless the run is stopped first. */
  race<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.ended) {
        reject(this.ended);
        work.catch(() => undefined);
        return;
      }
      const onEnd = (reason: QueryCancelledError) => reject(reason);
      this.waiting.add(onEnd);
      work.then(
        (value) => {
          this.waiting.delete(onEnd);
          if (this.reason) reject(this.reason);
          else resolve(value);
        },
        (err: unknown) => {
          this.waiting.delete(onEnd);
          reject(this.reason ?? err);
        },
      );
    });
  }

  /** Stops waiting on the warehouse: the steps being raced reject now, and any raced later. */
  private rejectStopped(reason: QueryCancelledError): void {
    if (this.ended) return;
    this.ended = reason;
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const reject of waiting) reject(reason);
  }

  dispose(): void {
    clearTimeout(this.timeout);
    clearTimeout(this.grace);
    this.options.signal?.removeEventListener('abort', this.onAbort);
  }
}

/** Runs `work` under a CancellableRun and disposes of it when the result is in. */
export async function runCancellable<T>(
  options: CancellableRunOptions,
  work: (run: CancellableRun) => Promise<T>,
): Promise<T> {
  const run = new CancellableRun(options);
  try {
    return await run.race(work(run));
  } finally {
    run.dispose();
  }
}
