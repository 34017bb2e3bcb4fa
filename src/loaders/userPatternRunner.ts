import { Worker } from 'node:worker_threads';
import {
  PATTERN_BUDGET_MS,
  PATTERN_TOTAL_BUDGET_MS,
  isUserCategory,
  type CompiledCategory,
} from '../analysis/errorCategories';
import type { CategoryProblem } from '../shared/analysisData';
import { QueryCancelledError } from '../warehouse/warehouse';
import {
  NO_MATCH,
  PROGRESS_PATTERN,
  PROGRESS_POS,
  PROGRESS_SLOTS,
  PROGRESS_STATE,
  PROGRESS_STEP,
  STATE_RUNNING,
  STATE_STARTING,
  pack,
  type Packed,
  type UserMatchReply,
  type UserMatchRequest,
} from './textClassifierProtocol';

/**
 * User category patterns come from settings and from a file committed to the workspace: one of
 * them can backtrack for hours on one failure text. They run only here, in a worker thread, under
 * a watchdog on the calling thread: the worker publishes in shared memory which (text, pattern)
 * step it is on; a step that has not moved for the budget gets the worker terminated, its
 * category skipped (and named in the panel), and the rest of the work restarted in a fresh worker
 * without it. Nothing falls back to the calling thread: without a worker, user categories are
 * skipped with the reason.
 */

export interface PatternLimits {
  /** Longest one pattern may run on one text. */
  budgetMs: number;
  /** Longest one pattern may run over all the texts of one call (sampled by the watchdog). */
  totalBudgetMs: number;
  /** Longest a worker may take to start and read its request. */
  startMs: number;
}

export const DEFAULT_LIMITS: PatternLimits = {
  budgetMs: PATTERN_BUDGET_MS,
  totalBudgetMs: PATTERN_TOTAL_BUDGET_MS,
  startMs: 30_000,
};

export interface UserMatches {
  /** Per text: the index (in the compiled list) of the first user category that matched, or NO_MATCH. */
  first: Int32Array;
  /** User categories that were stopped or could not run, each with why; none of their matches is in `first`. */
  skipped: CategoryProblem[];
}

export interface UserPatternRunner {
  /** Matches the user categories of `compiled` (the others are ignored) against every text. Rejects only when `signal` aborts. */
  match(texts: readonly string[], compiled: readonly CompiledCategory[], signal?: AbortSignal): Promise<UserMatches>;
  /** Starts a worker for the next match, so that it is ready when the texts are. */
  prepare(): Promise<void>;
  /** Worker threads alive now, idle or busy (tests: a cancelled match leaves none running). */
  readonly workersAlive: number;
  dispose(): void;
}

type Outcome =
  | { kind: 'done' }
  /** The pattern at `index` was stopped (or failed) with texts before `pos` in the order matched. */
  | { kind: 'blame'; index: number; why: (textLength: number) => string; pos: number }
  /** No worker could run the request: every remaining user category is skipped. */
  | { kind: 'unavailable'; why: string };

const seconds = (ms: number): string => `${ms / 1000} s`;
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function skippedProblem(c: CompiledCategory, why: string): CategoryProblem {
  const origin = c.def.origin ?? c.def.source;
  return { name: c.name, pattern: c.def.pattern, origin, message: `Category "${c.name}" (${origin}) skipped: ${why}` };
}

export function userPatternRunner(workerPath: string, limits: Partial<PatternLimits> = {}): UserPatternRunner {
  const { budgetMs, totalBudgetMs, startMs } = { ...DEFAULT_LIMITS, ...limits };
  // A stuck step is stopped at most one tick past the budget (a tenth of the default one).
  const tickMs = Math.max(10, Math.min(100, budgetMs / 4));
  let spare: Worker | undefined;
  const busy = new Set<Worker>();
  let alive = 0;
  let disposed = false;
  let nextId = 1;

  const spawn = (): Worker => {
    const w = new Worker(workerPath);
    alive++;
    // An idle worker must not keep a process (tests, the CLI) alive.
    w.unref();
    // Errors are read per run; an idle one only ends the worker (its 'exit' follows).
    w.on('error', () => undefined);
    w.once('exit', () => {
      alive--;
      if (spare === w) spare = undefined;
    });
    return w;
  };
  const take = (): Worker => {
    const w = spare ?? spawn();
    spare = undefined;
    busy.add(w);
    return w;
  };
  const giveBack = (w: Worker): void => {
    busy.delete(w);
    if (disposed || spare) void w.terminate();
    else {
      w.unref();
      spare = w;
    }
  };

  /** One request on one worker, watched until it ends one way or another. */
  function run(
    w: Worker,
    texts: Packed,
    order: Uint32Array,
    patterns: { index: number; pattern: string }[],
    results: Int32Array,
    totals: Map<number, number>,
    signal: AbortSignal | undefined,
  ): Promise<Outcome> {
    const progress = new Int32Array(new SharedArrayBuffer(4 * PROGRESS_SLOTS));
    const id = nextId++;
    return new Promise<Outcome>((resolve, reject) => {
      let ended = false;
      let lastError: string | undefined;
      const began = Date.now();
      let lastTick = began;
      let lastStep = -1;
      let stepSince = began;

      const cleanup = () => {
        ended = true;
        busy.delete(w);
        clearInterval(timer);
        signal?.removeEventListener('abort', onAbort);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      const blame = (index: number, why: (textLength: number) => string) => {
        if (ended) return;
        cleanup();
        // Texts before the final position have their results; the one it was on is matched again.
        w.terminate().then(
          () => resolve({ kind: 'blame', index, why, pos: Atomics.load(progress, PROGRESS_POS) }),
          () => resolve({ kind: 'blame', index, why, pos: Atomics.load(progress, PROGRESS_POS) }),
        );
      };
      const unavailable = (why: string) => {
        if (ended) return;
        cleanup();
        void w.terminate();
        resolve({ kind: 'unavailable', why });
      };
      const onAbort = () => {
        if (ended) return;
        cleanup();
        void w.terminate();
        reject(new QueryCancelledError('Cancelled.'));
      };
      const onMessage = (m: UserMatchReply) => {
        if (ended || m.id !== id) return;
        if ('done' in m) {
          cleanup();
          giveBack(w);
          resolve({ kind: 'done' });
        } else if (m.failed.index === NO_MATCH) {
          unavailable(`the worker failed before matching: ${m.failed.message}`);
        } else {
          blame(m.failed.index, () => `its pattern failed on one text (${m.failed.message}).`);
        }
      };
      const onError = (err: Error) => {
        lastError = message(err);
      };
      const onExit = (code: number) => {
        if (ended) return;
        const detail = `exit code ${code}${lastError ? `: ${lastError}` : ''}`;
        if (Atomics.load(progress, PROGRESS_STATE) === STATE_RUNNING) {
          const index = Atomics.load(progress, PROGRESS_PATTERN);
          cleanup();
          resolve({
            kind: 'blame',
            index,
            why: () => `the worker stopped while matching its pattern (${detail}).`,
            pos: Atomics.load(progress, PROGRESS_POS),
          });
        } else {
          unavailable(`the worker stopped before it started (${detail})`);
        }
      };
      const tick = () => {
        const now = Date.now();
        const state = Atomics.load(progress, PROGRESS_STATE);
        if (state === STATE_STARTING) {
          if (now - began > startMs) unavailable(`the worker did not start within ${seconds(startMs)}`);
          lastTick = now;
          return;
        }
        if (state !== STATE_RUNNING) return;
        const index = Atomics.load(progress, PROGRESS_PATTERN);
        const step = Atomics.load(progress, PROGRESS_STEP);
        // Sampled: the time since the last tick goes to the pattern running now. Capped, so that a
        // tick delayed by a busy thread does not charge its whole delay to one pattern.
        const total = (totals.get(index) ?? 0) + Math.min(now - lastTick, 2 * tickMs);
        totals.set(index, total);
        lastTick = now;
        if (step !== lastStep) {
          lastStep = step;
          stepSince = now;
        } else if (now - stepSince >= budgetMs) {
          // The step was already running when first seen, so it has run at least this long.
          blame(
            index,
            (length) =>
              `its pattern took over ${seconds(budgetMs)} on one text (of ${length} characters), so it was stopped; the breakdown counts without it.`,
          );
          return;
        }
        if (total > totalBudgetMs) {
          blame(
            index,
            () =>
              `its pattern took over ${seconds(totalBudgetMs)} in total on this breakdown's texts, so it was stopped; the breakdown counts without it.`,
          );
        }
      };

      const timer = setInterval(tick, tickMs);
      signal?.addEventListener('abort', onAbort);
      w.on('message', onMessage);
      w.on('error', onError);
      w.once('exit', onExit);
      w.ref();
      const request: UserMatchRequest = { kind: 'user', id, texts, order, patterns, progress, results };
      try {
        w.postMessage(request, [order.buffer as ArrayBuffer]);
      } catch (err) {
        unavailable(`the request could not be sent to the worker (${message(err)})`);
      }
    });
  }

  return {
    async match(texts, compiled, signal) {
      const users = compiled.flatMap((c, i) => (isUserCategory(c) ? [i] : []));
      const first = new Int32Array(texts.length).fill(NO_MATCH);
      const skipped: CategoryProblem[] = [];
      let results: Int32Array | undefined;
      const skipAll = (indexes: readonly number[], why: string) => {
        // Every user category is skipped now (those stopped earlier too): no user match stands.
        results?.fill(NO_MATCH);
        for (const i of indexes) {
          skipped.push(
            skippedProblem(
              compiled[i],
              `user categories are matched in a worker thread, so that a slow pattern cannot freeze the editor, and ${why}.`,
            ),
          );
        }
      };
      if (signal?.aborted) throw new QueryCancelledError('Cancelled.');
      if (users.length === 0 || texts.length === 0) return { first, skipped };
      if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') {
        skipAll(users, "this host's JavaScript has no SharedArrayBuffer, which the worker's time budget needs");
        return { first, skipped };
      }
      results = new Int32Array(new SharedArrayBuffer(4 * texts.length)).fill(NO_MATCH);
      const packed = pack(texts);
      const totals = new Map<number, number>();
      let active = users;
      let order = Uint32Array.from(texts, (_, i) => i);
      while (order.length > 0 && active.length > 0) {
        let w: Worker;
        try {
          if (disposed) throw new Error('the classifier was closed');
          w = take();
        } catch (err) {
          skipAll(active, `the worker could not start (${message(err)})`);
          break;
        }
        const patterns = active.map((index) => ({ index, pattern: compiled[index].def.pattern }));
        // The order is transferred to the worker: keep a copy to restart from.
        const sent = order.slice();
        const outcome = await run(w, packed, sent, patterns, results, totals, signal);
        if (outcome.kind === 'done') break;
        if (outcome.kind === 'unavailable') {
          skipAll(active, outcome.why);
          break;
        }
        const { index, why, pos } = outcome;
        skipped.push(skippedProblem(compiled[index], why(texts[order[Math.min(pos, order.length - 1)]].length)));
        active = active.filter((i) => i !== index);
        // Matched again without the pattern: the texts it had matched, and those not reached yet.
        const redo: number[] = [];
        for (let k = 0; k < Math.min(pos, order.length); k++)
          if (Atomics.load(results, order[k]) === index) redo.push(order[k]);
        for (let k = pos; k < order.length; k++) redo.push(order[k]);
        for (const t of redo) Atomics.store(results, t, NO_MATCH);
        order = Uint32Array.from(redo);
      }
      first.set(results);
      return { first, skipped };
    },
    async prepare() {
      if (disposed || spare) return;
      try {
        const w = spawn();
        spare = w;
        await new Promise<void>((resolve) => {
          w.once('online', () => resolve());
          w.once('exit', () => resolve());
        });
      } catch {
        // match() reports a worker that cannot start.
      }
    },
    get workersAlive() {
      return alive;
    },
    dispose() {
      disposed = true;
      void spare?.terminate();
      spare = undefined;
      // A match in progress ends with its user categories skipped ("the classifier was closed").
      for (const w of busy) void w.terminate();
    },
  };
}
