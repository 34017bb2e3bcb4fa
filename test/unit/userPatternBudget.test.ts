import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_CATEGORIES,
  categorize,
  compileCategories,
  forbidUserPatternsOnThisThread,
} from '../../src/analysis/errorCategories';
import { workerClassifier, type TextClassifier } from '../../src/loaders/textClassifier';
import {
  loadBreakdown,
  loadBreakdownDetails,
  loadBreakdownHistory,
  loadDrill,
  withHistory,
} from '../../src/loaders/breakdownLoader';
import type { QueryRunner } from '../../src/loaders/queryRunner';
import { postgresDialect } from '../../src/sql/dialect';
import { UNEXPECTED, type CategoryDef } from '../../src/shared/analysisData';

// User category patterns come from a committed workspace file: one that backtracks must not
// freeze the extension host. This whole file runs with the host's guard on, as the extension
// does: a user pattern that reached this thread would throw, so every test here also checks
// that none did (by construction, not by timing).
forbidUserPatternsOnThisThread();

const workerPath = join(__dirname, '../../dist/textClassifierWorker.js');
const opened: TextClassifier[] = [];
after(() => opened.forEach((c) => c.dispose()));
const classifier = (limits = {}) => {
  assert.ok(existsSync(workerPath), `build first: ${workerPath} is missing (run node esbuild.mjs)`);
  const c = workerClassifier(workerPath, undefined, limits);
  opened.push(c);
  return c;
};

const user = (name: string, pattern: string): CategoryDef => ({
  name,
  pattern,
  source: 'workspace',
  origin: '.vscode/sync-logs-categories.json',
});

/** 2^28 backtracking steps for (a+)+$: about 20 s on V8 (23 s in the editor). */
const NESTED_TEXT = `${'a'.repeat(28)}!`;
/** Fewer a's than the 20 iterations (.*a){20} needs, in 10,000 characters: about a minute. */
const DOT_TEXT = 'a'.repeat(19) + 'b'.repeat(10_000 - 19);

/** Watches this thread's event loop while `work` runs: the longest gap between 20 ms ticks. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ value: T; maxGapMs: number; ticks: number }> {
  let last = Date.now();
  let maxGapMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    ticks++;
  }, 20);
  try {
    const value = await work();
    return { value, maxGapMs: Math.max(maxGapMs, Date.now() - last), ticks };
  } finally {
    clearInterval(timer);
  }
}

test('the guard: a user pattern on this thread throws rather than runs; the defaults still run here', () => {
  const { compiled } = compileCategories([user('hostile', '(a+)+$'), ...DEFAULT_CATEGORIES]);
  assert.throws(() => categorize(NESTED_TEXT, compiled), /was about to be matched on the extension host's thread/);
  assert.equal(categorize('429 Too Many Requests', compileCategories(DEFAULT_CATEGORIES).compiled), 'rate_limit');
});

test('hostile patterns: stopped after the budget, skipped by name; the other categories classify as without them; this thread keeps ticking', async () => {
  const defs = [
    user('loyalty', 'loyalty tier'),
    user('nested', '(a+)+$'),
    user('dots', '(.*a){20}'),
    user('after', 'gold'),
    ...DEFAULT_CATEGORIES,
  ];
  const { compiled, warnings } = compileCategories(defs);
  // Checked on load too: both are warned about (they still run, under the budget).
  assert.deepEqual(
    warnings.map((w) => w.name),
    ['nested', 'dots'],
  );
  const texts = [
    'Contact 12345678 not found',
    // Matched by (a+)+$ before it is stopped: matched again without it.
    'aaa',
    NESTED_TEXT,
    '429 Too Many Requests',
    'loyalty tier unknown: gold',
    DOT_TEXT,
    'tier gold unknown',
    'nothing matches here',
  ];
  const c = classifier();
  const { value: got, maxGapMs, ticks } = await longestStall(() => c.classify(texts, compiled));
  assert.deepEqual(
    got.skipped.map((s) => s.name),
    ['nested', 'dots'],
  );
  for (const s of got.skipped) {
    assert.match(
      s.message,
      /^Category "(nested|dots)" \(\.vscode\/sync-logs-categories\.json\) skipped: its pattern took over 1 s on one text/,
      s.message,
    );
  }
  assert.match(got.skipped[0].message, /of 29 characters/);
  assert.match(got.skipped[1].message, /of 10000 characters/);
  assert.deepEqual(
    texts.map((t) => got.get(t)?.category),
    ['not_found', UNEXPECTED, UNEXPECTED, 'rate_limit', 'loyalty', UNEXPECTED, 'after', UNEXPECTED],
  );
  assert.equal(got.get('Contact 12345678 not found')?.template, 'Contact <n> not found');
  // The worker ran at least two budgets' worth (2 s) while this thread went on ticking every 20 ms;
  // a pattern run here would have held every tick back until it ended. A count, not a time bound.
  assert.ok(ticks >= 10, `this thread ticked ${ticks} times (longest gap ${maxGapMs} ms)`);
});

test('a pattern under the budget on each text but slow over all of them is stopped by the total budget', async () => {
  // 2^20 steps a text: well under the per-text budget here, over the total after a few texts.
  const texts = Array.from({ length: 200 }, (_, i) => `${'a'.repeat(20)}!${i}`);
  const c = classifier({ budgetMs: 60_000, totalBudgetMs: 300 });
  const { compiled } = compileCategories([user('nested', '(a+)+$'), user('bang', '!1'), ...DEFAULT_CATEGORIES]);
  const got = await c.classify(texts, compiled);
  assert.deepEqual(
    got.skipped.map((s) => s.name),
    ['nested'],
  );
  assert.match(got.skipped[0].message, /took over 0\.3 s in total/);
  assert.equal(
    [...got.values()].filter((k) => k.category === 'bang').length,
    texts.filter((t) => t.includes('!1')).length,
  );
});

test('cancel mid-classification: classify rejects as cancelled at once and the worker exits', async () => {
  const c = classifier({ budgetMs: 600_000, totalBudgetMs: 600_000 });
  const { compiled } = compileCategories([user('nested', '(a+)+$'), ...DEFAULT_CATEGORIES]);
  const alive = () => c.userPatternWorkers;
  const controller = new AbortController();
  const pending = c.classify([`${'a'.repeat(40)}!`], compiled, { signal: controller.signal });
  // Running (2^40 steps: it would not end by itself), in a worker of its own.
  for (let i = 0; i < 500 && alive() !== 1; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(alive(), 1);
  await new Promise((r) => setTimeout(r, 100));
  controller.abort();
  await assert.rejects(pending, (err: Error) => err.name === 'QueryCancelledError');
  for (let i = 0; i < 500 && alive() !== 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(alive(), 0, 'the worker exited');
  // An aborted signal stops before any work.
  await assert.rejects(
    c.classify(['x'], compiled, { signal: controller.signal }),
    (err: Error) => err.name === 'QueryCancelledError',
  );
});

test('no worker: user categories are skipped with the reason, never run here; the defaults still classify', async () => {
  const c = workerClassifier(join(__dirname, 'no-such-worker.js'));
  opened.push(c);
  const { compiled } = compileCategories([user('mine', 'requests'), ...DEFAULT_CATEGORIES]);
  const got = await c.classify(['429 Too Many Requests', 'Contact 1 not found'], compiled);
  assert.deepEqual(
    got.skipped.map((s) => s.name),
    ['mine'],
  );
  assert.match(
    got.skipped[0].message,
    /skipped: user categories are matched in a worker thread, so that a slow pattern cannot freeze the editor, and the worker (could not start|stopped before it started)/,
  );
  assert.equal(got.get('429 Too Many Requests')?.category, 'rate_limit');
  assert.equal(got.get('Contact 1 not found')?.category, 'not_found');
});

/** A warehouse answering the breakdown's queries from fixed rows (the SQL is the real one, only answered here). */
function fakeRunner(texts: [string | null, number][], perRun: [string, string | null, number][]): QueryRunner {
  return {
    loc: { dialect: postgresDialect, schema: 'hightouch_audit' },
    async rows(query) {
      const sql = query.text;
      if (/group by c\.sync_run_id/.test(sql))
        return perRun.map(([run, reason, n]) => ({
          sync_run_id: run,
          failure_reason: reason,
          row_count: n,
          sample_row_id: `row-${n}`,
        }));
      if (/from hightouch_audit\.sync_runs/.test(sql) && !/sync_changelog/.test(sql)) {
        return ['R2', 'R1'].map((id, i) => ({
          sync_id: '1',
          sync_run_id: id,
          started_at: `2025-01-0${2 - i}T00:00:00.000Z`,
          status: 'succeeded',
          error: null,
        }));
      }
      if (/as failed_rows/.test(sql)) {
        // Each failure its own row here: rows equal failures, and the total is their sum.
        const sum = texts.reduce((s, [, n]) => s + n, 0);
        return [
          ...texts.map(([reason, n]) => ({ kind: 'text', failure_reason: reason, failures: n, failed_rows: n })),
          { kind: 'total', failure_reason: null, failures: sum, failed_rows: sum },
        ];
      }
      if (/min\(r\.started_at\) as first_seen/.test(sql)) {
        return [...texts, [`${'a'.repeat(30)}!`, 1] as const].map(([reason], i) => ({
          failure_reason: reason,
          first_seen: `2025-01-0${1 + (i % 2)}T00:00:00.000Z`,
          last_seen: '2025-01-02T00:00:00.000Z',
        }));
      }
      if (/failure_reason in|= any/.test(sql))
        return [
          {
            row_id: 'r1',
            sync_id: '1',
            sync_run_id: 'R1',
            started_at: '2025-01-01T00:00:00.000Z',
            op_type: 'added',
            failure_reason: 'aaa',
          },
        ];
      throw new Error(`unexpected query: ${sql}`);
    },
  };
}

test('the breakdown, its chart (texts only the per-run query has) and a drill-down: the hostile category is named skipped, the numbers are those without it', async () => {
  const runner = fakeRunner(
    [
      ['aaa', 5],
      [NESTED_TEXT, 3],
      ['429 Too Many Requests', 2],
      [null, 1],
    ],
    [
      ['R1', 'aaa', 5],
      ['R1', NESTED_TEXT, 3],
      ['R2', '429 Too Many Requests', 2],
      ['R2', null, 1],
      ['R2', `${'a'.repeat(30)}?`, 4],
    ],
  );
  const { compiled, problems, warnings } = compileCategories([
    user('nested', '(a+)+$'),
    user('question', String.raw`\?$`),
    ...DEFAULT_CATEGORIES,
  ]);
  const cats = { compiled, problems, warnings, classifier: classifier() };
  const params = { syncId: '1', syncRunId: 'R1', source: 'changelog' as const, days: null };
  const loaded = await loadBreakdown(runner, params, cats);
  assert.deepEqual(
    loaded.data.problems.map((p) => p.name),
    ['nested'],
  );
  assert.deepEqual(
    loaded.data.warnings?.map((p) => p.name),
    ['nested'],
  );
  assert.deepEqual(
    loaded.data.categories.map((k) => [k.name, k.failures]),
    [
      [UNEXPECTED, 9],
      ['rate_limit', 2],
    ],
  );
  const { chart, result } = await loadBreakdownDetails(runner, loaded, 'changelog', cats);
  // The chart's extra text is classified without the category already skipped (it would take
  // hours on it), by the other user category, off this thread.
  assert.deepEqual(
    chart.series.map((s) => [s.category, s.counts]),
    [
      [UNEXPECTED, [8, 1]],
      ['question', [0, 4]],
      ['rate_limit', [0, 2]],
    ],
  );
  assert.deepEqual(
    result.data.problems.map((p) => p.name),
    ['nested'],
  );
  assert.deepEqual(
    result.data.categories.map((k) => [k.name, k.failures]),
    [
      [UNEXPECTED, 9],
      ['rate_limit', 2],
    ],
  );
  const drill = await loadDrill(runner, result, 'changelog', cats, { category: UNEXPECTED });
  assert.equal(drill.textsTotal, 2);
  // The history's texts are templated only (no category, so no user pattern runs on any of them).
  const history = await loadBreakdownHistory(runner, result, cats);
  assert.equal(history.templates?.get(`${'a'.repeat(30)}!`), `${'a'.repeat(30)}!`);
  const refined = withHistory(result, history, 'changelog', cats);
  assert.deepEqual(
    refined.data.problems.map((p) => p.name),
    ['nested'],
  );
  assert.deepEqual(
    refined.data.categories.map((k) => [k.name, k.rows, k.failures]),
    [
      [UNEXPECTED, 9, 9],
      ['rate_limit', 2, 2],
    ],
  );
  assert.ok(
    refined.data.templates.every((t) => t.firstSeen !== null && t.isNew === false),
    'one run: no window, nothing new',
  );
});
