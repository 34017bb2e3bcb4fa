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
    (i: number) =>
      `REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] on record 0035e0000${String(i).padStart(6, '0')}AbC`,
    (i: number) =>
      `429 Too Many Requests: retry after ${i % 60} seconds (request ${i.toString(16).padStart(8, '0')}-1a2b-4c3d-8e9f-0a1b2c3d4e5f)`,
    (i: number) => `Invalid email address "user${i}@example,com" for contact ${i * 7919}`,
    (i: number) => `Existing ID ${100000 + i} conflicts with lead L-${i}-${i + 1}`,
    (i: number) => `Something nobody expected happened at step ${i} <img src=x onerror=alert(${i})>`,
  ];
  return Array.from({ length: n }, (_, i) => shapes[i % shapes.length](i));
}

const asObject = (m: ReadonlyMap<string, unknown>) => Object.fromEntries(m);

/**
 * Classifies `all` until the worker has taken a share, checking every result against this
 * thread's. A fresh worker may take nothing at first (its code is not optimized yet, while this
 * thread's is), so sharing is asserted over a few calls, never on a given one.
 */
async function classifyUntilShared(
  classifier: TextClassifier,
  all: string[],
  compiled: ReturnType<typeof compileCategories>['compiled'],
) {
  const expected = asObject(await inlineClassifier.classify(all, compiled));
  await classifier.prepare?.();
  const before = classifier.workerTexts ?? 0;
  for (let call = 1; call <= 30; call++) {
    const got = await classifier.classify(all, compiled);
    assert.equal(got.size, all.length);
    assert.deepEqual(asObject(got), expected, `call ${call}`);
    const inWorker = (classifier.workerTexts ?? 0) - before;
    if (inWorker > 0) {
      assert.ok(inWorker < all.length * call, 'this thread classified some too');
      return got;
    }
  }
  assert.fail('the worker took no chunk in 30 calls');
}

test('the worker shares the work and gives exactly the classes computed on this thread', async () => {
  assert.ok(existsSync(workerPath), `build first: ${workerPath} is missing (run node esbuild.mjs)`);
  const classifier = workerClassifier(workerPath, 100);
  opened.push(classifier);
  const { compiled } = compileCategories(DEFAULT_CATEGORIES);
  const all = texts(20000);
  const got = await classifyUntilShared(classifier, all, compiled);
  // Spot checks against the pure functions.
  for (const t of [all[1], all[19999], all[4001]]) assert.deepEqual(got.get(t), classifyText(t, compiled), t);
  assert.equal(got.get(all[5])?.category, UNEXPECTED);
});

test('user categories: the worker matches them, in their order before the defaults, and the classes are those of one thread', async () => {
  const classifier = workerClassifier(workerPath, 100);
  opened.push(classifier);
  const { compiled } = compileCategories([
    { name: 'Facebook outage', pattern: 'fbtrace_id', source: 'settings', origin: 'settings' },
    // Overrides nothing but comes first: it takes the 429 texts from the default rate_limit.
    { name: 'mine', pattern: 'retry after', source: 'workspace', origin: 'workspace' },
    ...DEFAULT_CATEGORIES,
  ]);
  const all = texts(20000);
  const got = await classifier.classify(all, compiled);
  assert.deepEqual(asObject(got), asObject(await inlineClassifier.classify(all, compiled)));
  assert.deepEqual(got.skipped, []);
  assert.equal(
    [...got.values()].filter((c) => c.category === 'Facebook outage').length,
    Math.ceil(20000 / 6),
    'every fbtrace text, and only those',
  );
  assert.equal([...got.values()].filter((c) => c.category === 'mine').length, Math.ceil((20000 - 2) / 6));
  // The defaults' shared chunks are not used with user categories: this thread runs no user pattern.
  assert.equal(classifier.workerTexts, 0);
});

test('texts beyond Latin-1 are classified too (they stay on this thread)', async () => {
  const classifier = workerClassifier(workerPath, 100);
  opened.push(classifier);
  await classifier.prepare?.();
  const { compiled } = compileCategories(DEFAULT_CATEGORIES);
  const all = texts(3000).map((t, i) => (i % 7 === 0 ? `${t} — the “Contact” flow failed` : t));
  const got = await classifier.classify(all, compiled);
  assert.deepEqual(asObject(got), asObject(await inlineClassifier.classify(all, compiled)));
});

test('a worker that dies after taking a chunk loses nothing: that chunk is classified here', async () => {
  const classifier = workerClassifier(join(__dirname, '../fakes/classifierWorkerThatDies.js'), 10);
  opened.push(classifier);
  const { compiled } = compileCategories(DEFAULT_CATEGORIES);
  const all = texts(3000);
  // Once it runs, the worker takes its chunk before this thread has taken them all.
  await classifier.prepare?.();
  const got = await classifier.classify(all, compiled);
  assert.equal(got.size, all.length);
  assert.equal(classifier.workerTexts, 0);
  assert.deepEqual(asObject(got), asObject(await inlineClassifier.classify(all, compiled)));
  // Broken now: later calls stay on this thread.
  assert.equal((await classifier.classify(all.slice(0, 50), compiled)).size, 50);
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
