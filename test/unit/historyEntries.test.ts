import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_HISTORY_ERROR,
  MAX_HISTORY_SQL,
  ageText,
  outcomeText,
  parseHistory,
  searchHistory,
  serializeHistory,
  sqlSummary,
  withEntry,
  type HistoryEntry,
} from '../../src/history/historyEntries';

const entry = (over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: over.id ?? `e${Math.random().toString(36).slice(2)}`,
  startedAt: 1_780_000_000_000,
  connection: 'Demo',
  sql: 'select 1',
  durationMs: 12,
  status: 'ok',
  rows: 1,
  ...over,
});

test('a new entry goes first and the oldest beyond the bound are dropped', () => {
  let list: HistoryEntry[] = [];
  for (let i = 0; i < 7; i++) list = withEntry(list, entry({ id: `q${i}`, startedAt: i }), 5);
  assert.deepEqual(
    list.map((e) => e.id),
    ['q6', 'q5', 'q4', 'q3', 'q2'],
  );
  // The same id again replaces, never duplicates.
  list = withEntry(list, entry({ id: 'q4', startedAt: 9, sql: 'select 4' }), 5);
  assert.deepEqual(
    list.map((e) => e.id),
    ['q4', 'q6', 'q5', 'q3', 'q2'],
  );
  assert.equal(list[0].sql, 'select 4');
});

test('SQL and errors are bounded, and a password in a URL inside an error is masked', () => {
  const long = `select '${'x'.repeat(MAX_HISTORY_SQL)}'`;
  const [kept] = withEntry(
    [],
    entry({
      sql: long,
      status: 'error',
      rows: null,
      error: `could not connect to postgres://me:hunter22@db/x ${'e'.repeat(MAX_HISTORY_ERROR)}`,
    }),
    10,
  );
  assert.equal(kept.sql.length, MAX_HISTORY_SQL);
  assert.equal(kept.sqlCut, true);
  assert.ok(!kept.error!.includes('hunter22'), kept.error!.slice(0, 80));
  assert.ok(kept.error!.includes('postgres://me:***@db'));
  assert.ok(kept.error!.length <= MAX_HISTORY_ERROR + 1);
});

test('the file round-trips, newest first, and a damaged line is skipped, not fatal', () => {
  const a = entry({ id: 'a', startedAt: 2, sql: "select 'line\nbreak', '\"quote\"'" });
  const b = entry({ id: 'b', startedAt: 1, status: 'cancelled', rows: null });
  const text = serializeHistory([a, b]);
  assert.deepEqual(parseHistory(text), { entries: [a, b], skipped: 0 });
  const damaged = `${text}{"id":"c","startedAt":3,"conn\n[1,2]\n${JSON.stringify({ ...a, status: 'weird' })}\n${JSON.stringify(a)}\n`;
  const parsed = parseHistory(damaged);
  assert.deepEqual(
    parsed.entries.map((e) => e.id),
    ['a', 'b'],
  );
  assert.equal(parsed.skipped, 4);
  assert.deepEqual(parseHistory(''), { entries: [], skipped: 0 });
});

test('search matches every word across SQL, connection and error; status: words match the status', () => {
  const list = [
    entry({ id: 'runs', sql: 'select * from hightouch_audit.sync_runs', connection: 'Warehouse prod' }),
    entry({
      id: 'bad',
      sql: 'select failed_reason from hightouch_audit.sync_changelog',
      status: 'error',
      rows: null,
      error: 'column "failed_reason" does not exist',
      code: '42703',
    }),
    entry({ id: 'stop', sql: 'select pg_sleep(10)', status: 'cancelled', rows: null }),
  ];
  const ids = (q: string) => searchHistory(list, q).map((e) => e.id);
  assert.deepEqual(ids(''), ['runs', 'bad', 'stop']);
  assert.deepEqual(ids('SYNC_RUNS prod'), ['runs']);
  assert.deepEqual(ids('does not exist'), ['bad']);
  assert.deepEqual(ids('42703'), ['bad']);
  assert.deepEqual(ids('status:cancelled'), ['stop']);
  assert.deepEqual(ids('status:ok hightouch_audit'), ['runs']);
  assert.deepEqual(ids('runs nothing-like-this'), []);
});

test('labels: the SQL on one line without comments, outcomes with rows or the error code, ages', () => {
  assert.equal(sqlSummary('-- the latest runs\nselect *\n  from   runs\n'), 'select * from runs');
  assert.equal(sqlSummary('-- only a comment'), '-- only a comment');
  assert.equal(sqlSummary(`select ${'a, '.repeat(50)}b`, 20).length, 20);
  assert.equal(outcomeText(entry({ rows: 1204, durationMs: 812 })), '1,204 rows · 812 ms');
  assert.equal(outcomeText(entry({ rows: 1, durationMs: 1500 })), '1 row · 1.5 s');
  assert.equal(
    outcomeText(entry({ status: 'error', code: '42P01', rows: null, durationMs: 40 })),
    'failed · 42P01 · 40 ms',
  );
  assert.equal(outcomeText(entry({ status: 'cancelled', rows: null, durationMs: 3100 })), 'cancelled after 3.1 s');
  const now = Date.UTC(2026, 11, 3, 12);
  assert.equal(ageText(now - 10_000, now), 'just now');
  assert.equal(ageText(now - 5 * 60_000, now), '5 min ago');
  assert.equal(ageText(now - 3 * 3_600_000, now), '3 h ago');
  assert.equal(ageText(Date.UTC(2026, 10, 1, 8, 30), now), '2026-11-01 08:30');
});
