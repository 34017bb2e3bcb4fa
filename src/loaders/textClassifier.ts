import { Worker } from 'node:worker_threads';
import type { CompiledCategory } from '../analysis/errorCategories';
import { classifyAll, type TextClass, type TextClasses } from '../analysis/textClasses';
import { UNEXPECTED } from '../shared/analysisData';
import { NO_CATEGORY, pack, unpack, type ClassifyReply, type ClassifyRequest } from './textClassifierProtocol';

/** Templates and categorizes a breakdown's distinct failure texts. */
export interface TextClassifier {
  classify(texts: readonly string[], compiled: readonly CompiledCategory[]): Promise<TextClasses>;
  dispose(): void;
  /** Texts the worker has classified so far (tests and logs: the worker really shares the work). */
  readonly workerTexts?: number;
}

const toMap = (texts: readonly string[], classes: readonly TextClass[]): Map<string, TextClass> => {
  const out = new Map<string, TextClass>();
  for (let i = 0; i < texts.length; i++) out.set(texts[i], classes[i]);
  return out;
};

/** On the calling thread. */
export const inlineClassifier: TextClassifier = {
  async classify(texts, compiled) {
    return toMap(texts, classifyAll(texts, compiled));
  },
  dispose() {},
};

/** Below this many texts, a worker's round trip costs more than it saves. */
export const MIN_PARALLEL_TEXTS = 2000;

/**
 * Classifies every other text in a worker thread while this thread does the rest: a
 * breakdown over tens of thousands of distinct texts is a few hundred milliseconds of regular
 * expressions, which would otherwise all run on the extension host's thread after the query.
 * If the worker cannot start or fails, its half is classified here: the result never depends
 * on the worker.
 */
export function workerClassifier(workerPath: string, minParallel = MIN_PARALLEL_TEXTS): TextClassifier {
  let worker: Worker | undefined;
  let broken = false;
  let nextId = 1;
  let workerTexts = 0;
  const pending = new Map<number, { names: string[]; resolve(c: TextClass[]): void; reject(e: Error): void }>();

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
    w.on('message', (m: ClassifyReply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      if ('error' in m) return p.reject(new Error(m.error));
      const templates = unpack(m.templates);
      p.resolve(templates.map((template, i) => ({ template, category: m.categories[i] === NO_CATEGORY ? UNEXPECTED : p.names[m.categories[i]] })));
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', () => failAll(new Error('The text classifier worker stopped.')));
    return w;
  };
  const inWorker = (texts: string[], compiled: readonly CompiledCategory[]): Promise<TextClass[]> =>
    new Promise((resolve, reject) => {
      worker ??= start();
      const id = nextId++;
      pending.set(id, { names: compiled.map((c) => c.name), resolve, reject });
      worker.ref();
      const request: ClassifyRequest = { id, texts: pack(texts), defs: compiled.map((c) => c.def) };
      worker.postMessage(request, [request.texts.lengths.buffer as ArrayBuffer]);
    });

  return {
    async classify(texts, compiled) {
      if (broken || texts.length < minParallel) return inlineClassifier.classify(texts, compiled);
      // Alternate texts rather than halves: texts arrive grouped (by count, by text), and similar
      // texts cost alike, so halves can differ twofold in work.
      const mine: string[] = [];
      const theirs: string[] = [];
      texts.forEach((t, i) => (i % 2 === 0 ? mine : theirs).push(t));
      // A worker that cannot start rejects (the promise executor catches a throwing constructor).
      const remote = inWorker(theirs, compiled);
      // The worker's share is on its way before this thread gets busy.
      const here = classifyAll(mine, compiled);
      const there = await remote.then(
        (classes) => ((workerTexts += classes.length), classes),
        () => classifyAll(theirs, compiled),
      );
      const out = new Map<string, TextClass>();
      for (let i = 0; i < mine.length; i++) out.set(mine[i], here[i]);
      for (let i = 0; i < theirs.length; i++) out.set(theirs[i], there[i]);
      return out;
    },
    get workerTexts() {
      return workerTexts;
    },
    dispose() {
      broken = true;
      void worker?.terminate();
      worker = undefined;
    },
  };
}
