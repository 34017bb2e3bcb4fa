import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CATEGORIES, compileCategories } from '../../src/analysis/errorCategories';
import { classifyText } from '../../src/analysis/textClasses';
import { inlineClassifier, workerClassifier, type TextClassifier } from '../../src/loaders/textClassifier';
import { UNEXPECTED } from '../../src/shared/analysisData';

// The worker is the bundled one (node esbuild.mjs runs before the tests), as the extension loads it.
const workerPath = join(__dirname, '../../dist/textClassifierWorker.js');
const opened: TextClassifier[] = [];
after(() => opened.forEach((c) => c.dispose()));

/** Real-looking destination errors, each with its own ids: thousands of distinct texts. */
function texts(n: number): string[] {
  const shapes = [
    (i: number) => `(#2) Service temporarily unavailable (fbtrace_id: A0${i}xKq9ZtR2mLpQw7)`,
    (i: number) => `REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] on record 0035e0000${String(i).padStart(6, '0')}AbC`,
    (i: number) => `429 Too Many Requests: retry after ${i % 60} seconds (request ${i.toString(16).padStart(8, '0')}-1a2b-4c3d-8e9f-0a1b2c3d4e5f)`,
    (i: number) => `Invalid email address "user${i}@example,com" for contact ${i * 7919}`,
    (i: number) => `Existing ID ${100000 + i} conflicts with lead L-${i}-${i + 1}`,
    (i: number) => `Something nobody expected happened at step ${i} <img src=x onerror=alert(${i})>`,
  ];
  return Array.from({ length: n }, (_, i) => shapes[i % shapes.length](i));
}

const asObject = (m: ReadonlyMap<string, unknown>) => Object.fromEntries(m);

test('the worker shares the work and gives exactly the classes computed on this thread', async () => {
  assert.ok(existsSync(workerPath), `build first: ${workerPath} is missing (run node esbuild.mjs)`);
  const classifier = workerClassifier(workerPath, 100);
  opened.push(classifier);
  const { compiled } = compileCategories(DEFAULT_CATEGORIES);
  const all = texts(6000);
  const got = await classifier.classify(all, compiled);
  assert.equal(classifier.workerTexts, 3000, 'half of the texts went to the worker');
  assert.equal(got.size, all.length);
  assert.deepEqual(asObject(got), asObject(await inlineClassifier.classify(all, compiled)));
  // Spot checks against the pure functions, from the worker's half too.
  for (const t of [all[1], all[5999], all[4001]]) assert.deepEqual(got.get(t), classifyText(t, compiled), t);
  assert.equal(got.get(all[5])?.category, UNEXPECTED);
});

test("the worker uses the user's categories, in their order", async () => {
  const classifier = workerClassifier(workerPath, 10);
  opened.push(classifier);
  const { compiled } = compileCategories([
    { name: 'Facebook outage', pattern: 'fbtrace_id', source: 'settings', origin: 'settings' },
    ...DEFAULT_CATEGORIES,
  ]);
  const all = texts(60);
  const got = await classifier.classify(all, compiled);
  assert.ok((classifier.workerTexts ?? 0) > 0);
  assert.equal(got.get(all[54])?.category, 'Facebook outage', 'a text from the worker half');
  assert.deepEqual(asObject(got), asObject(await inlineClassifier.classify(all, compiled)));
});

test('a worker that cannot start costs nothing but time: every text is still classified here', async () => {
  const classifier = workerClassifier(join(__dirname, 'no-such-worker.js'), 10);
  opened.push(classifier);
  const { compiled } = compileCategories(DEFAULT_CATEGORIES);
  const all = texts(300);
  const got = await classifier.classify(all, compiled);
  assert.equal(classifier.workerTexts, 0);
  assert.deepEqual(asObject(got), asObject(await inlineClassifier.classify(all, compiled)));
  // And it stays usable afterwards.
  assert.equal((await classifier.classify(all.slice(0, 50), compiled)).size, 50);
});

test('few texts stay on this thread (a round trip would cost more than it saves)', async () => {
  const classifier = workerClassifier(workerPath);
  opened.push(classifier);
  const { compiled } = compileCategories(DEFAULT_CATEGORIES);
  await classifier.classify(texts(500), compiled);
  assert.equal(classifier.workerTexts, 0);
});
