import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  failureItem,
  pageOf,
  runErrorItem,
  runHealth,
  runItem,
  syncItem,
  toRunSummary,
  toSyncSummary,
} from '../../src/views/treeModel';
import { formatDuration, formatRelative, formatTimestamp, oneLine } from '../../src/views/format';
import { atBaseLevel } from '../support/bidi';

const opts = { now: new Date('2026-11-01T12:00:00Z'), timeZone: 'UTC' };

const runRow = (over: Record<string, unknown> = {}) => ({
  sync_run_id: 9001,
  status: 'succeeded',
  error: null,
  started_at: new Date('2026-11-01T10:00:00Z'),
  finished_at: '2026-11-01T10:02:05.000Z',
  planned: '120',
  attempted: 120,
  succeeded: 117,
  failed: 3,
  num_planned_add: 100,
  num_planned_change: 15,
  num_planned_remove: 5,
  ...over,
});

test('run rows map to a labelled, described run item', () => {
  const run = toRunSummary(runRow());
  assert.equal(run.syncRunId, '9001');
  assert.equal(run.planned, 120);
  const item = runItem(run, opts);
  assert.equal(item.label, '2026-11-01 10:00');
  assert.equal(item.description, 'succeeded · 2m 05s · 120 planned · 117 ok · 3 failed');
  assert.equal(item.contextValue, 'run');
  assert.equal(item.collapsible, 'collapsed', 'a run with failed rows expands to its failure reasons');
  assert.equal(item.icon.id, 'warning');
});

test('aborted operations and failed runs stand out', () => {
  const aborted = toRunSummary(runRow({ attempted: 80, succeeded: 80, failed: 0 }));
  assert.equal(runHealth(aborted), 'aborted');
  const item = runItem(aborted, opts);
  assert.match(item.description ?? '', /40 aborted$/);
  assert.equal(item.collapsible, 'none');

  const failed = toRunSummary(
    runRow({
      status: 'failed',
      error: 'INVALID_SESSION_ID: Session expired or invalid',
      planned: 0,
      attempted: 0,
      succeeded: 0,
      failed: 0,
    }),
  );
  const failedItem = runItem(failed, opts);
  assert.equal(failedItem.icon.id, 'error');
  assert.equal(failedItem.collapsible, 'collapsed', 'the sync-level error is shown as a child');
  assert.equal(failedItem.tooltip?.body, 'INVALID_SESSION_ID: Session expired or invalid');
});

test('healthy run', () => {
  assert.equal(runHealth(toRunSummary(runRow({ failed: 0, succeeded: 120 }))), 'ok');
});

test('sync rows map to model name, destination and last status', () => {
  const sync = toSyncSummary({
    sync_id: 48213,
    model_name: 'High LTV customers',
    destination: 'salesforce',
    primary_key: 'user_id',
    status: 'failed',
    error: 'invalid_grant',
    started_at: '2026-11-01T09:00:00Z',
    finished_at: '2026-11-01T09:00:30Z',
    planned: 0,
    attempted: 0,
    succeeded: 0,
    failed: 0,
    run_count: '721',
    failed_run_count: 12,
    first_started_at: '2026-10-02T00:00:00Z',
  });
  const item = syncItem(sync, opts);
  assert.equal(item.label, 'High LTV customers');
  assert.equal(item.description, 'salesforce · failed 3 hours ago');
  assert.equal(item.icon.id, 'error');
  assert.equal(item.contextValue, 'sync');
  const rows = new Map(item.tooltip?.rows);
  assert.equal(rows.get('Sync ID'), '48213');
  assert.equal(rows.get('Runs'), '721 (12 failed) since 2026-10-02 00:00');
});

test('failure groups keep hostile text as plain text and flatten it to one line', () => {
  const text = "Invalid value for field 'name':\n<img src=x onerror=alert(1)>";
  const item = failureItem({ template: text, example: text, rowCount: 1, distinctTexts: 1, sampleRowId: 'u_1' });
  assert.equal(item.label, "Invalid value for field 'name': <img src=x onerror=alert(1)>");
  assert.equal(item.description, '1 row');
  assert.equal(item.tooltip?.body, text);
  assert.equal(
    failureItem({ template: null, example: null, rowCount: 2, distinctTexts: 1, sampleRowId: null }).label,
    '(no failure reason recorded)',
  );
});

test('a template folding several texts says how many, and shows one real example', () => {
  const item = failureItem({
    template: 'Contact <n> not found',
    example: 'Contact 12345 not found',
    rowCount: 1200,
    distinctTexts: 37,
    sampleRowId: 'u_9',
  });
  assert.equal(item.label, 'Contact <n> not found');
  assert.equal(item.description, '1,200 rows · 37 texts');
  assert.equal(item.tooltip?.body, 'Contact 12345 not found');
  assert.deepEqual(item.tooltip?.rows[0], ['Template', 'Contact <n> not found']);
});

test('pages fetched with one extra row report whether more exist', () => {
  assert.deepEqual(pageOf([1, 2, 3], 2), { items: [1, 2], hasMore: true });
  assert.deepEqual(pageOf([1, 2], 2), { items: [1, 2], hasMore: false });
});

test('formatting', () => {
  assert.equal(formatDuration(59_400), '59s');
  assert.equal(formatDuration(3_725_000), '1h 02m');
  assert.equal(formatDuration(undefined), '—');
  assert.equal(formatTimestamp('2026-01-02T03:04:59Z', 'UTC'), '2026-01-02 03:04');
  assert.equal(formatTimestamp('2026-01-02T03:04:59Z', 'Asia/Tokyo'), '2026-01-02 12:04');
  assert.equal(formatRelative('2026-11-01T11:59:30Z', opts.now), 'just now');
  assert.equal(formatRelative('2026-10-30T12:00:00Z', opts.now), '2 days ago');
  assert.equal(formatRelative(null, opts.now), 'never');
  assert.equal(oneLine('a\n\n b', 10), 'a b');
  assert.equal(oneLine('x'.repeat(20), 10).length, 10);
});

/** The characters of `line` left at the paragraph's base level (isolate marks left out): our own words, if values are isolated. */
const baseText = (line: string) =>
  [...line].filter((ch, i) => atBaseLevel(line)[i] && ch !== '\u2068' && ch !== '\u2069').join('');

test('warehouse text in labels and descriptions is bidi-isolated: an override cannot reorder our words beside it', () => {
  const rlo = (s: string) => `${s}\u202efdp.exe`;
  const sync = syncItem(
    toSyncSummary({
      sync_id: 7,
      model_name: rlo('invoice'),
      destination: rlo('salesforce'),
      status: rlo('failed'),
      started_at: '2026-11-01T09:00:00Z',
      run_count: 1,
    }),
    opts,
  );
  // VS Code draws the label and the description on one line.
  assert.equal(baseText(`${sync.label} ${sync.description}`), '  ·  3 hours ago');
  assert.ok(sync.label.includes(rlo('invoice')), 'the value itself is kept');
  const run = runItem(toRunSummary(runRow({ status: rlo('succeeded') })), opts);
  assert.equal(
    baseText(`${run.label} ${run.description}`),
    '2026-11-01 10:00  · 2m 05s · 120 planned · 117 ok · 3 failed',
  );
  assert.equal(baseText(runErrorItem(`${rlo('x')}\nsecond line`).label), 'Run error: ');
  assert.equal(
    baseText(
      failureItem({ template: rlo('t'), example: null, rowCount: 1, distinctTexts: 1, sampleRowId: null }).label +
        ' 1 row',
    ),
    ' 1 row',
  );
  const plain = syncItem(
    toSyncSummary({
      sync_id: 1,
      model_name: 'High LTV customers',
      destination: 'salesforce',
      status: 'failed',
      started_at: '2026-11-01T09:00:00Z',
      run_count: 1,
    }),
    opts,
  );
  assert.equal(plain.label, 'High LTV customers', 'plain ASCII is unchanged');
});
