// Worker thread entry (dist/textClassifierWorker.js): classifies a share of a breakdown's texts.
import { parentPort } from 'node:worker_threads';
import { compileCategories } from '../analysis/errorCategories';
import { classifyAll } from '../analysis/textClasses';
import { NO_CATEGORY, pack, unpack, type ClassifyReply, type ClassifyRequest } from './textClassifierProtocol';

parentPort?.on('message', (m: ClassifyRequest) => {
  let reply: ClassifyReply;
  try {
    const { compiled } = compileCategories(m.defs);
    const index = new Map(compiled.map((c, i) => [c.name, i] as const));
    const classes = classifyAll(unpack(m.texts), compiled);
    const categories = new Uint16Array(classes.length);
    for (let i = 0; i < classes.length; i++) categories[i] = index.get(classes[i].category) ?? NO_CATEGORY;
    reply = { id: m.id, templates: pack(classes.map((c) => c.template)), categories };
  } catch (err) {
    reply = { id: m.id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply, 'categories' in reply ? [reply.categories.buffer as ArrayBuffer, reply.templates.lengths.buffer as ArrayBuffer] : []);
});
