import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildHealth,
  compareHealth,
  FAILING_RUN_SHARE,
  medianInterval,
  newTemplates,
  syncState,
  type HealthSyncInput,
} from '../../src/analysis/syncHealth';
import type { SyncHealth } from '../../src/shared/healthData';

const H = 3_600_000;
const END = '2026-10-31T12:00:00.000Z';
const at = (hoursBeforeEnd: number) => new Date(Date.parse(END) - hoursBeforeEnd * H).toISOString();

function sync(over: Partial<HealthSyncInput> & { runs?: HealthSyncInput['runs'] } = {}): HealthSyncInput {
  return {
    syncId: '1',
    modelName: 'm',
    destination: 'd',
    primaryKey: 'id',
    runs: [run(0)],
    rowsFailingNow: 0,
    rowsFailedInWindow: 0,
    rowsAttemptedInWindow: 0,
    stuckRows: 0,
    stuckRowsBefore: 0,
    lastRunRows: rows(100, 0),
    ...over,
  };
}
/** The last run's rows: attempted and failed among rows not stuck before it, and retries of stuck rows. */
function rows(attempted: number, failed: number, stuckRetries = 0): HealthSyncInput['lastRunRows'] {
  return { attempted, failed, stuckRetries };
}
function run(
  hoursBeforeEnd: number,
  over: Partial<HealthSyncInput['runs'][number]> = {},
): HealthSyncInput['runs'][number] {
  return {
    syncRunId: `r${hoursBeforeEnd}`,
    startedAt: at(hoursBeforeEnd),
    status: 'succeeded',
    planned: 100,
    attempted: 100,
    failed: 0,
    aborted: 0,
    finishedAt: null,
    error: null,
    inWindow: hoursBeforeEnd <= 24,
    ...over,
  };
}

test('failing: the last run failed, or its failed rows reach the threshold (boundary included)', () => {
  assert.equal(syncState(sync({ runs: [run(0, { status: 'failed' })] }), END).state, 'failing');
  assert.equal(syncState(sync({ lastRunRows: rows(100, FAILING_RUN_SHARE * 100) }), END).state, 'failing');
  assert.equal(syncState(sync({ lastRunRows: rows(100, FAILING_RUN_SHARE * 100 - 1) }), END).state, 'healthy');
  assert.equal(syncState(sync({ lastRunRows: rows(0, 0) }), END).state, 'healthy');
  // Only the last run counts.
  assert.equal(syncState(sync({ runs: [run(0), run(1, { status: 'failed' })] }), END).state, 'healthy');
});

test('failing ignores retries of rows stuck before the last run: those show as stuck rows', () => {
  // 154 of 159 operations failed, but 150 were retries of stuck rows: 4 of the 9 others failed.
  const s = sync({
    runs: [run(0, { attempted: 159, failed: 154 })],
    stuckRows: 160,
    stuckRowsBefore: 150,
    lastRunRows: rows(9, 4, 150),
  });
  assert.deepEqual(syncState(s, END), {
    state: 'failing',
    reason: 'last run: 4 of 9 attempted rows failed, not counting 150 retries of stuck rows',
  });
  // With none of the others failing, the rise of stuck rows is what shows.
  const rising = sync({
    runs: [run(0, { attempted: 159, failed: 150 })],
    stuckRows: 160,
    stuckRowsBefore: 150,
    lastRunRows: rows(9, 0, 150),
  });
  assert.equal(syncState(rising, END).state, 'stuckRising');
  // The operation counters of the run do not decide it.
  assert.equal(
    syncState(sync({ runs: [run(0, { attempted: 10, failed: 10 })], lastRunRows: rows(0, 0, 10) }), END).state,
    'healthy',
  );
});

test('stuckRising: stuck now > 0 and more than before', () => {
  assert.equal(syncState(sync({ stuckRows: 2, stuckRowsBefore: 1 }), END).state, 'stuckRising');
  assert.equal(syncState(sync({ stuckRows: 2, stuckRowsBefore: 2 }), END).state, 'healthy');
  assert.equal(syncState(sync({ stuckRows: 0, stuckRowsBefore: 0 }), END).state, 'healthy');
});

test('stale: more than max(3 x median interval, 1 day) before the window end', () => {
  // Hourly runs: the day is the limit.
  const hourly = (last: number) => [last, last + 1, last + 2, last + 3].map((h) => run(h));
  assert.equal(syncState(sync({ runs: hourly(24) }), END).state, 'healthy');
  assert.equal(syncState(sync({ runs: hourly(24.01) }), END).state, 'stale');
  // Daily runs: 3 days is the limit.
  const daily = (last: number) => [last, last + 24, last + 48, last + 72].map((h) => run(h));
  assert.equal(syncState(sync({ runs: daily(72) }), END).state, 'healthy');
  assert.equal(syncState(sync({ runs: daily(73) }), END).state, 'stale');
  assert.equal(medianInterval([at(0), at(1), at(5)]), 2.5 * H);
  assert.equal(medianInterval([at(0)]), null);
});

test('noRuns, and rule order: failing beats stuckRising beats stale', () => {
  assert.equal(syncState(sync({ runs: [] }), END).state, 'noRuns');
  assert.equal(syncState(sync({ runs: [run(100, { status: 'failed' })], stuckRows: 5 }), END).state, 'failing');
  assert.equal(syncState(sync({ runs: [run(100)], stuckRows: 5 }), END).state, 'stuckRising');
});

test('order: state, rows failing now desc, failure rate desc, model name', () => {
  const h = (state: SyncHealth['state'], rowsFailingNow: number, failureRate: number | null, modelName: string) =>
    ({ syncId: modelName, state, rowsFailingNow, failureRate, modelName }) as SyncHealth;
  const list = [
    h('healthy', 9, 0.9, 'a'),
    h('failing', 1, 0.1, 'z'),
    h('failing', 1, 0.5, 'y'),
    h('failing', 2, 0, 'x'),
    h('failing', 1, 0.5, 'b'),
    h('noRuns', 0, null, 'a'),
  ];
  assert.deepEqual(
    list.sort(compareHealth).map((s) => s.modelName),
    ['x', 'b', 'y', 'z', 'a', 'a'],
  );
});

test('new templates: first seen of the template (any of its texts) at or after the window start', () => {
  const since = at(24);
  const m = newTemplates(
    [
      {
        syncId: '1',
        reason: 'Invalid email a@b.com',
        firstSeen: at(2),
        seenBefore: false,
        rowsInWindow: 1,
        failuresInWindow: 1,
      },
      {
        syncId: '1',
        reason: 'Invalid email c@d.com',
        firstSeen: null,
        seenBefore: true,
        rowsInWindow: 0,
        failuresInWindow: 0,
      },
      {
        syncId: '1',
        reason: 'Rate limited',
        firstSeen: at(24),
        seenBefore: false,
        rowsInWindow: 3,
        failuresInWindow: 4,
      },
      // Seen before the window and in it: not new, whatever its window figures.
      {
        syncId: '1',
        reason: 'Timeout after 30 s',
        firstSeen: null,
        seenBefore: true,
        rowsInWindow: 2,
        failuresInWindow: 2,
      },
    ],
    since,
  );
  assert.deepEqual(m.get('1'), [{ template: 'Rate limited', rows: 3, failures: 4, firstSeen: at(24) }]);
});

test('buildHealth: window runs oldest first, aborted runs, rate, logStale', () => {
  const s = sync({
    runs: [run(0, { aborted: 2, planned: 102 }), run(2), run(48)],
    rowsFailedInWindow: 1,
    rowsAttemptedInWindow: 4,
  });
  const d = buildHealth({
    days: 1,
    windowEnd: END,
    windowStart: at(24),
    now: new Date(Date.parse(END) + 25 * H),
    minFailures: 3,
    syncs: [s],
    texts: [],
  });
  assert.deepEqual(
    d.syncs[0].runs.map((r) => r.syncRunId),
    ['r2', 'r0'],
  );
  assert.equal(d.syncs[0].abortedRuns, 1);
  assert.equal(d.syncs[0].failureRate, 0.25);
  assert.equal(d.logStale, true);
  assert.equal(
    buildHealth({
      days: 1,
      windowEnd: END,
      windowStart: at(24),
      now: new Date(Date.parse(END) + 23 * H),
      minFailures: 3,
      syncs: [s],
      texts: [],
    }).logStale,
    false,
  );
  assert.equal(Object.keys(d.rules).length, 5);
});
