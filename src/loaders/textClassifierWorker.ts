// Worker thread entry (dist/textClassifierWorker.js): classifies chunks of a breakdown's texts
// while the extension host's thread classifies others.
import { parentPort } from 'node:worker_threads';
import { compileCategories } from '../analysis/errorCategories';
import { classifyText } from '../analysis/textClasses';
import { NO_CATEGORY, pack, partOf, takeChunk, type ClassifyReply, type ClassifyRequest } from './textClassifierProtocol';

parentPort?.on('message', (m: ClassifyRequest) => {
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
    reply = { id: m.id, starts: Uint32Array.from(starts), templates: pack(templates), categories: Uint16Array.from(categories) };
  } catch (err) {
    reply = { id: m.id, error: err instanceof Error ? err.message : String(err) };
  }
  const transfer = 'categories' in reply ? [reply.starts.buffer as ArrayBuffer, reply.categories.buffer as ArrayBuffer, reply.templates.lengths.buffer as ArrayBuffer] : [];
  parentPort?.postMessage(reply, transfer);
});
