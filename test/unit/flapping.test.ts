import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFlapping, type FlappingRowCount, type RowRunActivity } from '../../src/analysis/flapping';
import type { RunPoint } from '../../src/shared/analysisData';

const runAt = (syncRunId: string, startedAt: string): RunPoint => ({
  syncId: '3',
  syncRunId,
  startedAt,
  status: 'succeeded',
  error: null,
});
const RUNS = [
  runAt('R3', '2025-05-01T02:00:00Z'),
  runAt('R1', '2025-05-01T00:00:00Z'),
  runAt('R4', '2025-05-01T03:00:00Z'),
  runAt('R2', '2025-05-01T01:00:00Z'),
];
const row = (
  rowId: string,
  operations: number,
  changes: number,
  entries: number,
  exits: number,
  retries = 0,
): FlappingRowCount => ({
  rowId,
  operations,
  retries,
  changes,
  entries,
  exits,
});
const ROWS = [row('b', 8, 8, 0, 0), row('a', 6, 2, 2, 2), row('c', 5, 0, 3, 2)];
const act = (rowId: string, syncRunId: string, operations: number, failures = 0): RowRunActivity => ({
  rowId,
  syncRunId,
  operations,
  failures,
});
const ACTIVITY = [
  act('a', 'R1', 2),
  act('a', 'R2', 1, 1),
  act('a', 'R4', 3),
  act('b', 'R1', 2),
  act('b', 'R2', 2),
  act('b', 'R3', 2),
  act('b', 'R4', 2),
  act('c', 'R2', 1),
  act('c', 'R3', 2),
  act('c', 'R4', 2),
  // A run outside the window: no bucket and no time.
  act('c', 'R0', 9),
];

test('flapping: cycles, flapping, rate per run, sparkline and first/last run (hand-computed)', () => {
  const data = buildFlapping(ROWS, ACTIVITY, RUNS, 'cycles', 37);
  assert.equal(data.runsInWindow, 4);
  assert.equal(data.rowsWithOperations, 37);
  assert.equal(data.unit, 'run');
  assert.deepEqual(
    data.buckets.map((b) => b.syncRunId),
    ['R1', 'R2', 'R3', 'R4'],
  );
  // a and c both have 2 cycles (min(2,2), min(3,2)); a has more operations. Rate: flapping (changes + cycles) per run.
  assert.deepEqual(
    data.rows.map((r) => [r.rowId, r.cycles, r.flapping, r.ratePerRun]),
    [
      ['a', 2, 4, 1],
      ['c', 2, 2, 0.5],
      ['b', 0, 8, 2],
    ],
  );
  const [a, c, b] = data.rows;
  assert.deepEqual(a.activity, [2, 1, 0, 3]);
  assert.deepEqual(b.activity, [2, 2, 2, 2]);
  assert.deepEqual(c.activity, [0, 1, 2, 2]);
  assert.equal(a.firstRunAt, '2025-05-01T00:00:00Z');
  assert.equal(a.lastRunAt, '2025-05-01T03:00:00Z');
  assert.equal(c.firstRunAt, '2025-05-01T01:00:00Z');
  assert.equal(a.failures, 1);
  assert.deepEqual([a.entries, a.exits, a.changes, a.operations, a.retries], [2, 2, 2, 6, 0]);
  assert.equal(data.stuck, null, 'the Stuck Rows section comes with its own follow-up');
});

test('flapping: ordering by operations and by changes', () => {
  assert.deepEqual(
    buildFlapping(ROWS, ACTIVITY, RUNS, 'operations', 3).rows.map((r) => r.rowId),
    ['b', 'a', 'c'],
  );
  const byChanges = buildFlapping(ROWS, ACTIVITY, RUNS, 'changes', 3);
  assert.equal(byChanges.orderBy, 'changes');
  assert.deepEqual(
    byChanges.rows.map((r) => r.rowId),
    ['b', 'a', 'c'],
  );
  const rows = [row('x', 10, 1, 0, 0), row('y', 3, 3, 0, 0)];
  assert.deepEqual(
    buildFlapping(rows, [], RUNS, 'operations', 3).rows.map((r) => r.rowId),
    ['x', 'y'],
  );
  assert.deepEqual(
    buildFlapping(rows, [], RUNS, 'changes', 3).rows.map((r) => r.rowId),
    ['y', 'x'],
  );
  const tie = buildFlapping([row('z', 4, 4, 0, 0), row('y', 4, 4, 0, 0)], [], RUNS, 'changes', 3);
  assert.deepEqual(
    tie.rows.map((r) => r.rowId),
    ['y', 'z'],
  );
});

test('flapping: before the follow-up answers, failures and first/last run are unknown, not zero', () => {
  const data = buildFlapping(ROWS, null, RUNS, 'operations', 3);
  assert.ok(data.rows.every((r) => r.failures === null && r.firstRunAt === null && r.lastRunAt === null));
  assert.deepEqual(
    data.rows.map((r) => r.operations),
    [8, 6, 5],
    'the ranking itself is complete',
  );
  const loaded = buildFlapping(ROWS, ACTIVITY, RUNS, 'operations', 3);
  assert.deepEqual(
    loaded.rows.map((r) => [r.rowId, r.failures]),
    [
      ['b', 0],
      ['a', 1],
      ['c', 0],
    ],
  );
});

test('flapping: no runs in the window gives rate 0 and empty sparklines', () => {
  const data = buildFlapping([row('a', 3, 3, 0, 0)], [act('a', 'R1', 3)], [], 'operations', 3);
  assert.equal(data.runsInWindow, 0);
  assert.equal(data.rows[0].ratePerRun, 0);
  assert.deepEqual(data.rows[0].activity, []);
  assert.equal(data.rows[0].firstRunAt, null);
  assert.deepEqual(buildFlapping([], [], [], 'operations', 0).rowsWithOperations, 0);
});

test('flapping: many runs fold into at most 40 hourly buckets for the sparkline', () => {
  // 50 runs every 30 minutes span 25 hours: more than 40 runs, fits in 40 hours.
  const base = Date.parse('2025-05-01T00:00:00Z');
  const runs = Array.from({ length: 50 }, (_, i) => runAt(`h${i}`, new Date(base + i * 1_800_000).toISOString()));
  const data = buildFlapping([row('a', 2, 2, 0, 0)], [act('a', 'h0', 1), act('a', 'h1', 1)], runs, 'operations', 3);
  assert.equal(data.unit, 'hour');
  assert.equal(data.buckets.length, 25);
  assert.equal(data.rows[0].activity[0], 2);
  assert.equal(data.rows[0].ratePerRun, 2 / 50);
});

test('flapping (the default order): a row that only retries ranks below every real flapper, however many operations it has', () => {
  // The symptom of issue 12: a failed add retried every run, 177 operations, nothing flaps.
  const rows = [
    row('retried', 177, 0, 0, 0, 176),
    row('flaps', 12, 5, 2, 1, 1),
    row('cycles', 9, 0, 3, 3, 0),
    row('quiet', 3, 0, 1, 0, 0),
  ];
  const data = buildFlapping(rows, null, RUNS, 'flapping', 4);
  assert.deepEqual(
    data.rows.map((r) => [r.rowId, r.flapping, r.retries]),
    [
      ['flaps', 6, 1],
      ['cycles', 3, 0],
      // Ties on flapping 0: more operations first.
      ['retried', 0, 176],
      ['quiet', 0, 0],
    ],
  );
  assert.deepEqual(
    buildFlapping(rows, null, RUNS, 'retries', 4).rows.map((r) => r.rowId),
    ['retried', 'flaps', 'cycles', 'quiet'],
  );
  assert.deepEqual(buildFlapping(rows, null, RUNS, 'operations', 4).rows[0].rowId, 'retried');
});
