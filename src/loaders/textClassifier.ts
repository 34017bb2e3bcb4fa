import { Worker } from 'node:worker_threads';
import { isUserCategory, type CompiledCategory } from '../analysis/errorCategories';
import { classifyAll, classifyText, isBlank, type TextClass, type TextClasses } from '../analysis/textClasses';
import { UNEXPECTED, type CategoryProblem } from '../shared/analysisData';
import { QueryCancelledError } from '../warehouse/warehouse';
import {
  NO_CATEGORY,
  NO_MATCH,
  pack,
  takeChunk,
  unpack,
  type ClassifyReply,
  type ClassifyRequest,
} from './textClassifierProtocol';
import { userPatternRunner, type PatternLimits } from './userPatternRunner';

/** Each text's class, and the user categories that were skipped while classifying (a pattern over its time budget). */
export type ClassifiedTexts = TextClasses & { readonly skipped: readonly CategoryProblem[] };

export interface ClassifyOptions {
  /** Stops the classification (its workers are terminated); classify then rejects with a QueryCancelledError. */
  signal?: AbortSignal;
}

/** Templates and categorizes a breakdown's distinct failure texts. */
export interface TextClassifier {
  classify(
    texts: readonly string[],
    compiled: readonly CompiledCategory[],
    options?: ClassifyOptions,
  ): Promise<ClassifiedTexts>;
  /**
   * Gets ready for a classify call soon with these categories: the breakdown calls it before its
   * query, so a worker starts while the warehouse works. Resolves when ready (or when there is
   * nothing to wait for).
   */
  prepare?(compiled?: readonly CompiledCategory[]): Promise<void>;
  dispose(): void;
  /** Texts the worker has classified so far with the defaults (tests and logs: the worker really shares the work). */
  readonly workerTexts?: number;
  /** Threads alive now that match user patterns (tests: a cancelled classification leaves none running). */
  readonly userPatternWorkers?: number;
}

const classified = (classes: Map<string, TextClass>, skipped: readonly CategoryProblem[] = []): ClassifiedTexts =>
  Object.assign(classes, { skipped });

const toMap = (texts: readonly string[], classes: readonly TextClass[]): Map<string, TextClass> => {
  const out = new Map<string, TextClass>();
  for (let i = 0; i < texts.length; i++) out.set(texts[i], classes[i]);
  return out;
};

/**
 * On the calling thread, user patterns included: for tests and tools that own their thread. The
 * extension host never uses it with user categories (categorize() refuses them there).
 */
export const inlineClassifier: TextClassifier = {
  async classify(texts, compiled) {
    return classified(toMap(texts, classifyAll(texts, compiled)));
  },
  dispose() {},
};

/** Below this many texts, a worker's round trip costs more than it saves. */
export const MIN_PARALLEL_TEXTS = 2000;
/** Texts per chunk: small enough that the threads finish within a fraction of a millisecond of each other. */
const CHUNK = 128;
const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;

interface WorkerShare {
  starts: Uint32Array;
  templates: string[];
  categories: Uint16Array;
}

/**
 * With only the default categories (vetted, linear patterns), classifies texts on a worker
 * thread and on this one at once: a breakdown over tens of thousands of distinct texts is a few
 * hundred milliseconds of regular expressions, which would otherwise all run on the extension
 * host's thread after the query. Both threads take chunks from one shared counter, so the work
 * splits by speed, not by count (a worker that is still starting takes little or nothing). If
 * the worker cannot start or fails, what it took is classified here: the result never depends on
 * the worker.
 *
 * With user categories, their patterns never run on this thread: a worker matches them under a
 * time budget (userPatternRunner.ts) while this thread templates the texts and matches the
 * defaults; the first match in list order wins, as on one thread.
 */
export function workerClassifier(
  workerPath: string,
  minParallel = MIN_PARALLEL_TEXTS,
  limits: Partial<PatternLimits> = {},
): TextClassifier {
  const users = userPatternRunner(workerPath, limits);
  let worker: Worker | undefined;
  let broken = false;
  let nextId = 1;
  let workerTexts = 0;
  let online: Promise<void> = Promise.resolve();
  const pending = new Map<number, { resolve(share: WorkerShare): void; reject(e: Error): void }>();

  const failAll = (err: Error) => {
    broken = true;
    worker = undefined;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const start = (): Worker => {
    const w = new Worker(workerPath);
    // An idle classifier must not keep a process (tests, the CLI) alive; a busy one must.
    w.unref();
    online = new Promise((resolve) => {
      w.once('online', () => resolve());
      w.once('exit', () => resolve());
    });
    w.on('message', (m: ClassifyReply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      if ('error' in m) return p.reject(new Error(m.error));
      p.resolve({ starts: m.starts, templates: unpack(m.templates), categories: m.categories });
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', () => failAll(new Error('The text classifier worker stopped.')));
    return w;
  };
  const inWorker = (
    texts: readonly string[],
    compiled: readonly CompiledCategory[],
    next: Int32Array,
  ): Promise<WorkerShare> =>
    new Promise((resolve, reject) => {
      worker ??= start();
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.ref();
      const request: ClassifyRequest = { id, texts: pack(texts), defs: compiled.map((c) => c.def), next, chunk: CHUNK };
      worker.postMessage(request, [request.texts.lengths.buffer as ArrayBuffer]);
    });

  /** User patterns in the worker, templates and defaults here, combined by list order. */
  async function withUserPatterns(
    texts: readonly string[],
    compiled: readonly CompiledCategory[],
    signal: AbortSignal | undefined,
  ): Promise<ClassifiedTexts> {
    if (signal?.aborted) throw new QueryCancelledError('Cancelled.');
    const subjects = texts.filter((t) => !isBlank(t));
    const remote = users.match(subjects, compiled, signal);
    const defaults = compiled.filter((c) => !isUserCategory(c));
    const here = subjects.map((t) => classifyText(t, defaults));
    const { first, skipped } = await remote;
    const rank = new Map(compiled.map((c, i) => [c.name, i] as const));
    const out = new Map<string, TextClass>();
    for (const t of texts) if (isBlank(t)) out.set(t, classifyText(t, defaults));
    for (let i = 0; i < subjects.length; i++) {
      const local = here[i];
      const user = first[i];
      const d = local.category === UNEXPECTED ? Infinity : (rank.get(local.category) ?? Infinity);
      out.set(
        subjects[i],
        user !== NO_MATCH && user < d ? { template: local.template, category: compiled[user].name } : local,
      );
    }
    return classified(out, skipped);
  }

  return {
    async classify(texts, compiled, options = {}) {
      if (compiled.some(isUserCategory)) return withUserPatterns(texts, compiled, options.signal);
      // The threads share their chunk counter through memory; a host without SharedArrayBuffer classifies here.
      if (broken || texts.length < minParallel || typeof SharedArrayBuffer !== 'function')
        return inlineClassifier.classify(texts, compiled);
      // Texts with a character beyond Latin-1 stay here: one of them would make the packed
      // string two-byte, and with it every text the worker slices from it, which doubles the
      // cost of its regular expressions.
      const local: string[] = [];
      const shared: string[] = [];
      for (const t of texts) (BEYOND_LATIN1.test(t) ? local : shared).push(t);
      const next = new Int32Array(new SharedArrayBuffer(4));
      // A worker that cannot start rejects (the promise executor catches a throwing constructor).
      const remote = inWorker(shared, compiled, next).catch(() => undefined);
      const out = new Map<string, TextClass>();
      for (const t of local) out.set(t, classifyText(t, compiled));
      let takenHere = 0;
      for (
        let first = takeChunk(next, CHUNK, shared.length);
        first >= 0;
        first = takeChunk(next, CHUNK, shared.length)
      ) {
        const end = Math.min(shared.length, first + CHUNK);
        for (let i = first; i < end; i++) out.set(shared[i], classifyText(shared[i], compiled));
        takenHere += end - first;
      }
      // Every chunk taken here: the worker's reply (if it ever comes) holds nothing.
      if (takenHere === shared.length) return classified(out);
      const share = await remote;
      if (share === undefined) {
        // The worker failed: what it took is done here.
        for (const t of shared) if (!out.has(t)) out.set(t, classifyText(t, compiled));
        return classified(out);
      }
      const names = compiled.map((c) => c.name);
      let k = 0;
      for (const first of share.starts) {
        const end = Math.min(shared.length, first + CHUNK);
        for (let i = first; i < end; i++, k++) {
          const category = share.categories[k] === NO_CATEGORY ? UNEXPECTED : names[share.categories[k]];
          out.set(shared[i], { template: share.templates[k], category });
        }
      }
      workerTexts += k;
      return classified(out);
    },
    prepare(compiled) {
      if (compiled?.some(isUserCategory)) return users.prepare();
      if (broken) return Promise.resolve();
      try {
        worker ??= start();
      } catch {
        broken = true;
      }
      return online;
    },
    get workerTexts() {
      return workerTexts;
    },
    get userPatternWorkers() {
      return users.workersAlive;
    },
    dispose() {
      users.dispose();
      broken = true;
      void worker?.terminate();
      worker = undefined;
    },
  };
}
