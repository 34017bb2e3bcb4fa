import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModelOverTime, opsFromCounters, type ModelOpsPerRun } from '../../src/analysis/modelOverTime';
import type { RunPoint } from '../../src/shared/analysisData';

const runAt = (syncRunId: string, hour: number): RunPoint => ({
  syncId: '5',
  syncRunId,
  startedAt: `2025-06-01T${String(hour).padStart(2, '0')}:00:00Z`,
  status: 'succeeded',
  error: null,
});
const ops = (syncRunId: string, o: Partial<Omit<ModelOpsPerRun, 'syncRunId'>>): ModelOpsPerRun => ({
  syncRunId,
  added: 0,
  changed: 0,
  removed: 0,
  failed: 0,
  aborted: 0,
  okAdded: 0,
  okRemoved: 0,
  pendingAdded: 0,
  pendingRemoved: 0,
  ...o,
});

/*
 * A story told row by row, with 10 rows in the model before R1:
 * R1: 5 adds (4 ok, X fails), 1 remove ok, 2 changes (1 fails).   In the model: 10 + 5 - 1 = 14 (X is in the model, its add pending).
 * R2: X's add retried ok, 2 new adds ok, Y's remove fails.         14 + 2 - 1 = 15 (Y left the model; its remove pending).
 * R3: Y's remove retried ok, Z's add aborted (run cancelled).      15 + 1 = 16.
 * R4: Z's add retried ok.                                          16.
 * R5: no changelog rows.                                           16 = the snapshot.
 */
const PER_RUN = [
  ops('R1', { added: 5, changed: 2, removed: 1, failed: 2, okAdded: 4, okRemoved: 1, pendingAdded: 1 }),
  ops('R2', { added: 3, removed: 1, failed: 1, okAdded: 3, pendingRemoved: 1 }),
  ops('R3', { added: 1, removed: 1, aborted: 1, okRemoved: 1, pendingAdded: 1 }),
  ops('R4', { added: 1, okAdded: 1 }),
  // A run outside the window: ignored.
  ops('R0', { added: 100, okAdded: 100 }),
];
const RUNS = [runAt('R4', 4), runAt('R2', 2), runAt('R5', 5), runAt('R1', 1), runAt('R3', 3)];

test('membership after each run, anchored on the snapshot (hand-computed story)', () => {
  const data = buildModelOverTime(PER_RUN, RUNS, 16);
  assert.equal(data.currentMembership, 16);
  assert.deepEqual(
    data.points.map((p) => [p.syncRunId, p.membership]),
    [
      ['R1', 14],
      ['R2', 15],
      ['R3', 16],
      ['R4', 16],
      ['R5', 16],
    ],
  );
  const [r1, , r3, , r5] = data.points;
  assert.deepEqual([r1.added, r1.changed, r1.removed, r1.failed, r1.aborted], [5, 2, 1, 2, 0]);
  assert.equal(r3.aborted, 1);
  assert.deepEqual([r5.added, r5.changed, r5.removed, r5.failed, r5.aborted], [0, 0, 0, 0, 0]);
  assert.equal(r1.syncId, '5');
  assert.equal(r1.startedAt, '2025-06-01T01:00:00Z');
});

test('a window that starts mid-history gives the same memberships for its runs', () => {
  const data = buildModelOverTime(
    PER_RUN,
    RUNS.filter((r) => r.syncRunId >= 'R2'),
    16,
  );
  assert.deepEqual(
    data.points.map((p) => p.membership),
    [15, 16, 16, 16],
  );
});

test('the last point always equals the snapshot count, even with work pending at the end', () => {
  // Window R1..R2 only, snapshot taken right after R2 (Y's remove still pending): 15.
  const data = buildModelOverTime(
    PER_RUN,
    RUNS.filter((r) => r.syncRunId <= 'R2'),
    15,
  );
  assert.deepEqual(
    data.points.map((p) => p.membership),
    [14, 15],
  );
  // Walking back from 15: R1 = 15 - (3 - 0) - (0 - 1) + (1 - 0) = 14.
});

test('no runs: no points, the snapshot count stands', () => {
  assert.deepEqual(buildModelOverTime([], [], 42), { points: [], currentMembership: 42 });
});

test('a run that planned nothing (failed before planning) leaves the pending rows pending', () => {
  const runs = ['r1', 'r2', 'r3'].map((id, i) => ({
    syncId: 's',
    syncRunId: id,
    startedAt: `2026-01-0${i + 1}T00:00:00Z`,
    status: id === 'r2' ? 'failed' : 'succeeded',
    error: null,
  }));
  const ops = (id: string, okAdded: number, pendingAdded: number) => ({
    syncRunId: id,
    added: okAdded + pendingAdded,
    changed: 0,
    removed: 0,
    failed: pendingAdded,
    aborted: 0,
    okAdded,
    okRemoved: 0,
    pendingAdded,
    pendingRemoved: 0,
  });
  // r1: 10 rows enter, 3 of them fail; r2 fails before planning (no operation); r3 retries the 3, 1 succeeds.
  const data = buildModelOverTime([ops('r1', 7, 3), ops('r3', 1, 2)], runs, 10);
  assert.deepEqual(
    data.points.map((p) => p.membership),
    [10, 10, 10],
  );
});

test("the story's runs told by sync_runs counters give the same operations", () => {
  // R1 of the story: 5 adds planned and attempted (4 ok, 1 failed), 2 changes (1 ok, 1 failed), 1 remove ok.
  const r1 = opsFromCounters('R1', {
    planned: { add: 5, change: 2, remove: 1 },
    attempted: { add: 5, change: 2, remove: 1 },
    succeeded: { add: 4, change: 1, remove: 1 },
    failed: { add: 1, change: 1, remove: 0 },
  });
  assert.deepEqual(r1, PER_RUN[0]);
  // R3: Y's remove retried ok; Z's add planned but never attempted (the run was cancelled).
  const r3 = opsFromCounters('R3', {
    planned: { add: 1, change: 0, remove: 1 },
    attempted: { add: 0, change: 0, remove: 1 },
    succeeded: { add: 0, change: 0, remove: 1 },
    failed: { add: 0, change: 0, remove: 0 },
  });
  assert.deepEqual(r3, PER_RUN[2]);
});
