// Worker thread entry (dist/textClassifierWorker.js): classifies chunks of a breakdown's texts
// while the extension host's thread classifies others, and matches user patterns, which never
// run on the host's thread, under the host's watchdog.
import { parentPort } from 'node:worker_threads';
import { compileCategories, compilePattern, matchSubject } from '../analysis/errorCategories';
import { classifyText } from '../analysis/textClasses';
import {
  NO_CATEGORY,
  NO_MATCH,
  PROGRESS_PATTERN,
  PROGRESS_POS,
  PROGRESS_STATE,
  PROGRESS_STEP,
  STATE_DONE,
  STATE_RUNNING,
  pack,
  partOf,
  takeChunk,
  type ClassifyReply,
  type ClassifyRequest,
  type UserMatchReply,
  type UserMatchRequest,
} from './textClassifierProtocol';

function share(m: ClassifyRequest): void {
  let reply: ClassifyReply;
  try {
    const { compiled } = compileCategories(m.defs);
    const index = new Map(compiled.map((c, i) => [c.name, i] as const));
    const text = partOf(m.texts);
    const total = m.texts.lengths.length;
    const starts: number[] = [];
    const templates: string[] = [];
    const categories: number[] = [];
    for (let start = takeChunk(m.next, m.chunk, total); start >= 0; start = takeChunk(m.next, m.chunk, total)) {
      starts.push(start);
      for (let i = start; i < Math.min(total, start + m.chunk); i++) {
        const c = classifyText(text(i), compiled);
        templates.push(c.template);
        categories.push(index.get(c.category) ?? NO_CATEGORY);
      }
    }
    reply = {
      id: m.id,
      starts: Uint32Array.from(starts),
      templates: pack(templates),
      categories: Uint16Array.from(categories),
    };
  } catch (err) {
    reply = { id: m.id, error: err instanceof Error ? err.message : String(err) };
  }
  const transfer =
    'categories' in reply
      ? [
          reply.starts.buffer as ArrayBuffer,
          reply.categories.buffer as ArrayBuffer,
          reply.templates.lengths.buffer as ArrayBuffer,
        ]
      : [];
  parentPort?.postMessage(reply, transfer);
}

function matchUser(m: UserMatchRequest): void {
  const { progress, results, order } = m;
  const text = partOf(m.texts);
  Atomics.store(progress, PROGRESS_STATE, STATE_RUNNING);
  let current = NO_MATCH;
  try {
    const patterns = m.patterns.map((p) => {
      current = p.index;
      return { index: p.index, regex: compilePattern(p.pattern) };
    });
    for (let k = 0; k < order.length; k++) {
      Atomics.store(progress, PROGRESS_POS, k);
      const subject = matchSubject(text(order[k]));
      let hit = NO_MATCH;
      for (const p of patterns) {
        current = p.index;
        Atomics.store(progress, PROGRESS_PATTERN, p.index);
        Atomics.add(progress, PROGRESS_STEP, 1);
        if (p.regex.test(subject)) {
          hit = p.index;
          break;
        }
      }
      Atomics.store(results, order[k], hit);
    }
  } catch (err) {
    const reply: UserMatchReply = {
      id: m.id,
      failed: { index: current, message: err instanceof Error ? err.message : String(err) },
    };
    parentPort?.postMessage(reply);
    return;
  }
  Atomics.store(progress, PROGRESS_POS, order.length);
  Atomics.store(progress, PROGRESS_STATE, STATE_DONE);
  const reply: UserMatchReply = { id: m.id, done: true };
  parentPort?.postMessage(reply);
}

parentPort?.on('message', (m: ClassifyRequest | UserMatchRequest) => {
  if ('kind' in m && m.kind === 'user') matchUser(m);
  else share(m as ClassifyRequest);
});
