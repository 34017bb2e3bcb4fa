import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NO_REASON,
  buildBreakdown,
  buildCategoryChart,
  textsFor,
  type FailureTextCount,
} from '../../src/analysis/errorBreakdown';
import { DEFAULT_CATEGORIES, compileCategories } from '../../src/analysis/errorCategories';
import { classifyText } from '../../src/analysis/textClasses';
import { isNewTemplate } from '../../src/analysis/templateHistory';
import { UNEXPECTED, type CategoryProblem, type RunPoint } from '../../src/shared/analysisData';

const { compiled } = compileCategories(DEFAULT_CATEGORIES);
const HOSTILE = '<img src=x onerror=alert(1)>';
const LOYALTY = 'Loyalty tier PLATINUM_PLUS is not supported by this account';

/** A text with its failures and, unless given, as many rows (each row failed once). */
const text = (
  reason: string | null,
  count: number,
  sampleRowId: string | null,
  firstSeen: string | null = null,
  lastSeen: string | null = null,
  rows = count,
): FailureTextCount => ({
  reason,
  count,
  rows,
  sampleRowId,
  firstSeen,
  lastSeen,
});

// Deliberately not in count order: the builder must not rely on the query's order. Rows differ
// from failures (retries), so the order by rows is not the order by failures.
const TEXTS: FailureTextCount[] = [
  text('Contact 12345678 not found', 3, 'r1', '2025-01-02T00:00:00Z', '2025-01-05T00:00:00Z', 1),
  text(HOSTILE, 1, 'r5'),
  text('429 Too Many Requests', 10, 'r3', '2025-01-04T00:00:00Z', '2025-01-04T06:00:00Z', 4),
  text('Contact 87654321 not found', 5, 'r2', '2025-01-01T00:00:00Z', '2025-01-03T00:00:00Z', 2),
  text(LOYALTY, 3, 'r4'),
  // Only the raw text carries the vendor code 80003; its template "(#<n>) ..." would be unexpected.
  text('(#80003) Application request limit reached', 4, 'r7', '2025-01-03T00:00:00Z', '2025-01-03T00:00:00Z'),
  text(null, 2, 'r6'),
  text('502 Bad Gateway', 0, 'r8'),
];

test('breakdown: templates, categories, totals and order (hand-computed)', () => {
  const problems: CategoryProblem[] = [{ name: 'broken', pattern: '(unclosed', origin: 'settings', message: 'bad' }];
  const data = buildBreakdown(TEXTS, compiled, problems, 'changelog', true);
  assert.equal(data.source, 'changelog');
  assert.equal(data.truncated, true);
  assert.deepEqual(data.problems, problems);
  // 3 + 1 + 10 + 5 + 3 + 4 + 2 (the zero-count text counts for nothing).
  assert.equal(data.totalFailures, 28);
  // 1 + 1 + 4 + 2 + 3 + 4 + 2: no row failed with two texts here.
  assert.equal(data.totalRows, 17);
  assert.equal(data.rowsUpperBound, false);
  assert.equal(data.distinctTexts, 7);

  // Most rows first, then failures.
  assert.deepEqual(
    data.templates.map((t) => [t.template, t.category, t.rows, t.failures, t.distinctTexts]),
    [
      ['429 Too Many Requests', 'rate_limit', 4, 10, 1],
      ['(#<n>) Application request limit reached', 'ad_account_throttle', 4, 4, 1],
      ['Contact <n> not found', 'not_found', 3, 8, 2],
      [LOYALTY, UNEXPECTED, 3, 3, 1],
      [NO_REASON, UNEXPECTED, 2, 2, 1],
      [HOSTILE, UNEXPECTED, 1, 1, 1],
    ],
  );
  const contact = data.templates[2];
  assert.equal(contact.example, 'Contact 87654321 not found');
  assert.deepEqual(contact.sampleRowIds, ['r2', 'r1']);
  // First and last seen are the whole log's: unknown until the history is read, never the window's.
  assert.deepEqual([contact.firstSeen, contact.lastSeen, contact.isNew], [null, null, null]);
  assert.equal(data.history, null);
  assert.equal(data.templates[5].example, HOSTILE);

  // UNEXPECTED first although rate_limit has more failures; then by rows (ties by failures); transient_5xx (0 failures) is not listed.
  assert.deepEqual(
    data.categories.map((c) => [c.name, c.rows, c.failures, c.templates, c.distinctTexts, c.unexpected]),
    [
      [UNEXPECTED, 6, 6, 3, 3, true],
      ['rate_limit', 4, 10, 1, 1, false],
      ['ad_account_throttle', 4, 4, 1, 1, false],
      ['not_found', 3, 8, 1, 2, false],
    ],
  );
  const [unexpected, rate] = data.categories;
  assert.equal(unexpected.pattern, '');
  assert.equal(unexpected.source, null);
  assert.equal(unexpected.firstSeen, null);
  assert.equal(rate.pattern, DEFAULT_CATEGORIES.find((c) => c.name === 'rate_limit')!.pattern);
  assert.equal(rate.source, 'default');
});

test('breakdown: rows of a row that failed with several texts count once per template and category', () => {
  const multiTextRows = [
    // One row, both Contact texts: one template, one category: counted once in each.
    ['Contact 12345678 not found', 'Contact 87654321 not found'],
    // One row, two unexpected templates: each template keeps it, the category counts it once.
    [LOYALTY, HOSTILE],
    // A text the table did not read changes nothing.
    ['429 Too Many Requests', 'a text that was not read'],
  ];
  const data = buildBreakdown(TEXTS, compiled, [], 'changelog', false, undefined, {
    rows: { multiTextRows, totalRows: 15, pairsTruncated: true },
  });
  const rows = (template: string) => data.templates.find((t) => t.template === template)?.rows;
  assert.equal(rows('Contact <n> not found'), 2);
  assert.equal(rows(LOYALTY), 3);
  assert.equal(rows(HOSTILE), 1);
  assert.equal(rows('429 Too Many Requests'), 4);
  assert.deepEqual(
    data.categories.map((c) => [c.name, c.rows]),
    [
      [UNEXPECTED, 5],
      ['rate_limit', 4],
      ['ad_account_throttle', 4],
      ['not_found', 2],
    ],
  );
  // The warehouse's total is taken as given (it counts every row, read or not); truncation is passed on.
  assert.equal(data.totalRows, 15);
  assert.equal(data.rowsUpperBound, true);
  // Without a total, the same arithmetic over every text read: 17 - 1 - 1.
  assert.equal(
    buildBreakdown(TEXTS, compiled, [], 'changelog', false, undefined, { rows: { multiTextRows } }).totalRows,
    15,
  );
});

test('breakdown: first and last seen over the whole log; new when first seen falls in the window', () => {
  const history = {
    truncated: false,
    texts: [
      // An old text of the Contact template, outside the window: the template is not new.
      { reason: 'Contact 11111111 not found', firstSeen: '2024-12-01T00:00:00Z', lastSeen: '2024-12-02T00:00:00Z' },
      { reason: 'Contact 87654321 not found', firstSeen: '2025-01-01T00:00:00Z', lastSeen: '2025-01-03T00:00:00Z' },
      { reason: '429 Too Many Requests', firstSeen: '2025-01-04T00:00:00Z', lastSeen: '2025-01-04T06:00:00Z' },
      // Given with an offset: 2025-01-02T23:30Z, before the window.
      {
        reason: '(#80003) Application request limit reached',
        firstSeen: '2025-01-03T01:30:00+02:00',
        lastSeen: '2025-01-03T00:00:00Z',
      },
    ],
  };
  const windowStart = '2025-01-03T00:00:00Z';
  const data = buildBreakdown(TEXTS, compiled, [], 'changelog', false, undefined, { windowStart, history });
  const t = (template: string) => data.templates.find((x) => x.template === template)!;
  // The window's own first and last seen (from the per-run pass) count too: 2025-01-05 is the Contact template's latest.
  assert.deepEqual(
    [t('Contact <n> not found').firstSeen, t('Contact <n> not found').lastSeen, t('Contact <n> not found').isNew],
    ['2024-12-01T00:00:00Z', '2025-01-05T00:00:00Z', false],
  );
  assert.deepEqual(
    [t('429 Too Many Requests').firstSeen, t('429 Too Many Requests').isNew],
    ['2025-01-04T00:00:00Z', true],
  );
  assert.equal(t('(#<n>) Application request limit reached').isNew, false);
  // No time anywhere for this one: unknown, not "not new".
  assert.deepEqual([t(LOYALTY).firstSeen, t(LOYALTY).isNew], [null, null]);
  assert.deepEqual(data.history, { truncated: false });
  assert.equal(data.windowStart, windowStart);
  const rate = data.categories.find((c) => c.name === 'rate_limit')!;
  assert.deepEqual([rate.firstSeen, rate.lastSeen], ['2025-01-04T00:00:00Z', '2025-01-04T06:00:00Z']);
  assert.equal(data.categories.find((c) => c.name === 'not_found')!.firstSeen, '2024-12-01T00:00:00Z');
  // Without a window nothing is new, whatever the dates.
  const all = buildBreakdown(TEXTS, compiled, [], 'changelog', false, undefined, { windowStart: null, history });
  assert.ok(all.templates.every((x) => x.isNew === false));
});

test('breakdown: no unexpected failures means no unexpected row; categories by failures', () => {
  const data = buildBreakdown(
    [
      text('503 Service Unavailable', 2, 'a'),
      text('REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]', 7, 'b'),
    ],
    compiled,
    [],
    'snapshot',
    false,
  );
  assert.deepEqual(
    data.categories.map((c) => c.name),
    ['required_missing', 'transient_5xx'],
  );
  assert.equal(data.source, 'snapshot');
  assert.deepEqual(buildBreakdown([], compiled, [], 'snapshot', false).categories, []);
});

test('breakdown: sample row ids come from the most frequent texts, at most 5; instants compare by time', () => {
  const many = [4, 9, 1, 7, 3, 8, 2].map((n, i) =>
    text(`Contact ${10_000_000 + i} not found`, n, `row-${n}`, `2025-02-0${i + 1}T00:00:00Z`),
  );
  // 2025-02-01T01:00Z written with an offset: first as text, but later than 2025-02-01T00:00Z in time.
  many.push(text('Contact 99999999 not found', 1, 'row-offset', '2025-01-31T23:00:00-02:00'));
  const history = {
    truncated: false,
    texts: many.map((t) => ({ reason: t.reason, firstSeen: t.firstSeen, lastSeen: t.lastSeen })),
  };
  const [row] = buildBreakdown(many, compiled, [], 'changelog', false, undefined, { history }).templates;
  assert.deepEqual(row.sampleRowIds, ['row-9', 'row-8', 'row-7', 'row-4', 'row-3']);
  assert.equal(row.failures, 4 + 9 + 1 + 7 + 3 + 8 + 2 + 1);
  assert.equal(row.firstSeen, '2025-02-01T00:00:00Z');
  assert.equal(row.lastSeen, null);
});

test('textsFor: raw texts of a category or template, most failures first, at most max', () => {
  assert.deepEqual(textsFor(TEXTS, compiled, { category: 'not_found' }, 10), [
    'Contact 87654321 not found',
    'Contact 12345678 not found',
  ]);
  assert.deepEqual(textsFor(TEXTS, compiled, { category: 'not_found' }, 1), ['Contact 87654321 not found']);
  // The NULL reason cannot be matched by text, so it is not in the list.
  assert.deepEqual(textsFor(TEXTS, compiled, { category: UNEXPECTED }, 10), [LOYALTY, HOSTILE]);
  assert.deepEqual(textsFor(TEXTS, compiled, { category: UNEXPECTED, template: HOSTILE }, 10), [HOSTILE]);
  assert.deepEqual(
    textsFor(TEXTS, compiled, { category: 'not_found', template: 'Contact <n> not found' }, 10).length,
    2,
  );
  assert.deepEqual(textsFor(TEXTS, compiled, { category: 'rate_limit', template: 'Contact <n> not found' }, 10), []);
});

const T0 = Date.parse('2025-03-01T00:10:00Z');
const at = (hours: number): string => new Date(T0 + hours * 3_600_000).toISOString();
const RUNS: RunPoint[] = [
  { syncId: '7', syncRunId: 'R3', startedAt: at(2), status: 'succeeded', error: null },
  { syncId: '7', syncRunId: 'R1', startedAt: at(0), status: 'succeeded', error: null },
  { syncId: '7', syncRunId: 'R2', startedAt: at(1), status: 'failed', error: 'Sync stopped: 401 Unauthorized' },
];
const PER_RUN = [
  { syncRunId: 'R1', reason: '429 Too Many Requests', count: 4 },
  { syncRunId: 'R1', reason: 'Contact 12345678 not found', count: 1 },
  { syncRunId: 'R2', reason: '429 Too Many Requests', count: 6 },
  { syncRunId: 'R2', reason: LOYALTY, count: 2 },
  { syncRunId: 'R3', reason: HOSTILE, count: 1 },
  { syncRunId: 'R3', reason: 'Contact 87654321 not found', count: 3 },
  // A run outside the window: ignored, so transient_5xx gets no series.
  { syncRunId: 'R9', reason: '502 Bad Gateway', count: 7 },
];

test('category chart: one bucket per run, series aligned, UNEXPECTED first', () => {
  const chart = buildCategoryChart(PER_RUN, RUNS, compiled);
  assert.equal(chart.unit, 'run');
  assert.deepEqual(
    chart.buckets.map((b) => [b.syncRunId, b.runs, b.failedRuns]),
    [
      ['R1', 1, 0],
      ['R2', 1, 1],
      ['R3', 1, 0],
    ],
  );
  assert.deepEqual(chart.series, [
    { category: UNEXPECTED, counts: [0, 2, 1] },
    { category: 'rate_limit', counts: [4, 6, 0] },
    { category: 'not_found', counts: [1, 0, 3] },
  ]);
});

test('category chart: more runs than buckets fold into hours or days', () => {
  // 3 runs within 3 hours, 2 buckets allowed: 3 hours do not fit, so one UTC day.
  const chart = buildCategoryChart(PER_RUN, RUNS, compiled, 2);
  assert.equal(chart.unit, 'day');
  assert.deepEqual(chart.buckets, [{ start: '2025-03-01T00:00:00.000Z', runs: 3, failedRuns: 1 }]);
  assert.deepEqual(chart.series, [
    { category: UNEXPECTED, counts: [3] },
    { category: 'rate_limit', counts: [10] },
    { category: 'not_found', counts: [4] },
  ]);
  const empty = buildCategoryChart([], [], compiled);
  assert.deepEqual(empty, { unit: 'run', buckets: [], series: [] });
});

test('classes computed once (as the loader does) give the same breakdown, chart and drill texts as computing them here', () => {
  const reasons = TEXTS.flatMap((t) => (t.reason === null ? [] : [t.reason]));
  const known = new Map(reasons.map((r) => [r, classifyText(r, compiled)] as const));
  assert.deepEqual(
    buildBreakdown(TEXTS, compiled, [], 'changelog', false, known),
    buildBreakdown(TEXTS, compiled, [], 'changelog', false),
  );
  // A lookup is trusted as given: a class the loader computed is not recomputed (so a stale one would show).
  const marked = new Map(known);
  marked.set(LOYALTY, { template: 'T', category: 'Marked' });
  const data = buildBreakdown(TEXTS, compiled, [], 'changelog', false, marked);
  assert.deepEqual(data.templates.find((t) => t.category === 'Marked')?.template, 'T');
  assert.deepEqual(textsFor(TEXTS, compiled, { category: 'Marked' }, 10, marked), [LOYALTY]);
  const perRun = [{ syncRunId: 'R1', reason: LOYALTY, count: 3 }];
  const runs: RunPoint[] = [
    { syncId: '1', syncRunId: 'R1', startedAt: '2025-01-01T00:00:00Z', status: 'succeeded', error: null },
  ];
  assert.deepEqual(
    buildCategoryChart(perRun, runs, compiled, 60, marked).series.map((s) => s.category),
    ['Marked'],
  );
});

test('new: at or after the window start (by time, whatever the offset); unknown first seen is null; no window is never new', () => {
  const start = '2025-01-03T00:00:00Z';
  assert.equal(isNewTemplate('2025-01-03T00:00:00.000Z', start), true);
  assert.equal(isNewTemplate('2025-01-03T01:00:00+02:00', start), false, '23:00 the day before');
  assert.equal(isNewTemplate(null, start), null);
  assert.equal(isNewTemplate('2025-01-05T00:00:00Z', null), false);
});
