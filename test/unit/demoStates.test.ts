import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSyncLog } from '../../src/demo/generator';
import { buildHealth, type HealthSyncInput } from '../../src/analysis/syncHealth';

// The demo must show every state a person triages: a stale sync, a failure text new in the last
// day, stuck rows rising, and streaks that recovered. Each is checked here by replaying the
// generated operations (the schema's definitions, written out again), not by the analysis code;
// the overview's states too, by its real rules over the replayed figures.

const SCALE = 0.05;
const DAY = 86_400_000;
const K = 3;

interface Op {
  runId: string;
  rowId: string;
  op: string;
  status: string;
  reason: string | null;
  at: number;
}
interface Run {
  syncId: string;
  syncRunId: string;
  modelName: string;
  at: number;
  status: string;
  attempted: number;
  failed: number;
}

/** The generated log at a scale: its operations, runs, and each run's start by sync_run_id (the changelog has no time of its own). */
function replayLog(scale: number) {
  const runs: Run[] = [];
  const runStart = new Map<string, number>();
  const raw: Array<Omit<Op, 'at'> & { syncId: string }> = [];
  for (const c of generateSyncLog({ scale })) {
    if (c.kind === 'changelog') {
      for (let i = 0; i < c.count; i++) {
        raw.push({
          syncId: c.rows.syncId[i],
          runId: c.rows.syncRunId[i],
          rowId: c.rows.rowId[i],
          op: c.rows.opType[i],
          status: c.rows.status[i],
          reason: c.rows.failureReason[i],
        });
      }
    } else if (c.kind === 'run') {
      const r = c.run;
      runStart.set(r.syncRunId, Date.parse(r.startedAt));
      runs.push({
        syncId: r.syncId,
        syncRunId: r.syncRunId,
        modelName: r.modelName,
        at: Date.parse(r.startedAt),
        status: r.status,
        attempted: r.attemptedAdd + r.attemptedChange + r.attemptedRemove,
        failed: r.failedAdd + r.failedChange + r.failedRemove,
      });
    }
  }
  return { raw, runs, runStart };
}

const { raw, runs, runStart } = replayLog(SCALE);
/** The window's end: the newest run start of the whole log. */
const end = Math.max(...runs.map((r) => r.at));

/** Operations of each row of a sync, in run order. */
function rowsOf(syncId: string): Op[][] {
  const rows = new Map<string, Op[]>();
  for (const o of raw) {
    if (o.syncId !== syncId) continue;
    const list = rows.get(o.rowId) ?? [];
    list.push({
      runId: o.runId,
      rowId: o.rowId,
      op: o.op,
      status: o.status,
      reason: o.reason,
      at: runStart.get(o.runId)!,
    });
    rows.set(o.rowId, list);
  }
  for (const list of rows.values()) list.sort((a, b) => a.at - b.at);
  return [...rows.values()];
}

/** Stuck as of `until`: the row's latest K operations in runs started before then all failed. */
const stuckAt = (list: Op[], until: number): boolean => {
  const seen = list.filter((o) => o.at < until);
  return seen.length >= K && seen.slice(-K).every((o) => o.status === 'failed');
};

const runsOf = (syncId: string): Run[] => runs.filter((r) => r.syncId === syncId).sort((a, b) => a.at - b.at);

test('a stale sync: the lookalike seed has had no run for days before the log ends, after weeks of history', () => {
  const history = runsOf('49655');
  const last = history[history.length - 1];
  assert.ok(end - last.at >= 3 * DAY, `last run ${((end - last.at) / 3_600_000).toFixed(1)} h before the newest run`);
  assert.ok(history.length >= 20, `${history.length} runs before it stopped`);
  assert.ok(last.at - history[0].at >= 20 * DAY, 'weeks of daily runs before the pause');
  // Its last run went well, so it reads as stale rather than failing.
  assert.equal(last.status, 'succeeded');
  assert.ok(last.failed < 0.1 * last.attempted, `last run: ${last.failed} of ${last.attempted} rows failed`);
  // Every other sync ran within the last day: the staleness is this sync's, not the log's.
  for (const syncId of new Set(runs.map((r) => r.syncId))) {
    if (syncId === '49655') continue;
    const others = runsOf(syncId);
    const daily = others.length > 1 && others[1].at - others[0].at >= DAY;
    assert.ok(end - others[others.length - 1].at < (daily ? 2 : 1) * DAY, `sync ${syncId} ran lately`);
  }
});

test('a new failure text in the last day: HubSpot refuses a calculated Persona property, never seen before', () => {
  const isNew = (reason: string | null): boolean =>
    reason !== null && /^READ_ONLY_VALUE: .*hs_persona is a calculated property/.test(reason);
  const hits = raw.filter((o) => isNew(o.reason));
  assert.ok(hits.length > 0, 'the text appears');
  const first = Math.min(...hits.map((o) => runStart.get(o.runId)!));
  assert.ok(
    first >= end - DAY,
    `first seen ${new Date(first).toISOString()}, the log ends ${new Date(end).toISOString()}`,
  );
  assert.ok(first < end, 'and before the newest run');
  // Nothing like it before: no failure of any sync before the last day has its code or its words.
  const before = raw.filter((o) => o.reason !== null && runStart.get(o.runId)! < end - DAY);
  assert.ok(before.length > 1000);
  assert.equal(before.filter((o) => /READ_ONLY_VALUE|calculated property/.test(o.reason!)).length, 0);
  assert.deepEqual([...new Set(hits.map((o) => o.syncId))], ['48377'], 'one sync has it');
  const rows = new Set(hits.map((o) => o.rowId));
  assert.ok(rows.size >= 2, `${rows.size} rows`);
  // Some rows, not the whole model: most of the sync's attempts in the last day still succeed.
  const lastDay = raw.filter(
    (o) => o.syncId === '48377' && runStart.get(o.runId)! >= end - DAY && o.status !== 'aborted',
  );
  assert.ok(rows.size < new Set(lastDay.map((o) => o.rowId)).size / 2);
});

test('stuck rows rising: more Onboarding rows are stuck at the end than a day before, and than a week before', () => {
  const rows = rowsOf('50231');
  const now = rows.filter((l) => stuckAt(l, Infinity)).length;
  const dayBefore = rows.filter((l) => stuckAt(l, end - DAY)).length;
  const weekBefore = rows.filter((l) => stuckAt(l, end - 7 * DAY)).length;
  assert.ok(now > dayBefore && dayBefore > 0, `stuck rows: ${now} now, ${dayBefore} a day before`);
  assert.ok(now > weekBefore, `stuck rows: ${now} now, ${weekBefore} a week before`);
  // The rise is one cause: rows whose phone number the new SMS channel refuses, retried every run.
  const phone = (l: Op[]) => /E\.164/.test(l[l.length - 1].reason ?? '');
  const stuckPhone = rows.filter((l) => stuckAt(l, Infinity) && phone(l));
  assert.ok(
    stuckPhone.length >= now - dayBefore,
    `${stuckPhone.length} of the ${now} stuck rows fail on the phone format`,
  );
  for (const l of stuckPhone) {
    const failures = l.filter((o) => /E\.164/.test(o.reason ?? ''));
    const firstAt = failures[0].at;
    // Once refused, every later write of the row is refused too (only leaving the model succeeds).
    assert.ok(
      l.filter((o) => o.at >= firstAt && o.op !== 'removed').every((o) => o.status === 'failed'),
      `row ${l[0].rowId} recovered`,
    );
  }
});

test('recovered streaks: High LTV rows that failed 3+ times in a row, then succeeded once the model was fixed', () => {
  const nanText = (reason: string | null): boolean => /predicted_ltv_90d/.test(reason ?? '');
  const recovered: Array<{ rowId: string; op: string; streak: number; ms: number; at: number }> = [];
  for (const l of rowsOf('49102')) {
    let streak = 0;
    let since = 0;
    let cause = false;
    for (const o of l) {
      if (o.status === 'failed') {
        if (streak === 0) since = o.at;
        streak++;
        cause ||= nanText(o.reason);
      } else if (o.status === 'succeeded') {
        if (streak >= K && cause && o.at >= end - 7 * DAY)
          recovered.push({ rowId: o.rowId, op: o.op, streak, ms: o.at - since, at: o.at });
        streak = 0;
        cause = false;
      }
    }
  }
  assert.ok(recovered.length >= 5, `${recovered.length} recovered rows`);
  assert.ok(
    recovered.every((r) => r.ms >= 2 * 3_600_000),
    'each took hours to recover',
  );
  assert.ok(
    recovered.some((r) => r.streak >= 10),
    'some failed many runs in a row',
  );
  // The fix is one moment: the rows' values were delivered only after the text's last failure
  // (a row may instead have left the model meanwhile: its removal succeeds, the fix aside).
  const delivered = recovered.filter((r) => r.op !== 'removed');
  assert.ok(delivered.length >= 5, `${delivered.length} rows delivered after the fix`);
  const firstRecovery = Math.min(...delivered.map((r) => r.at));
  const lastFailure = Math.max(
    ...raw.filter((o) => o.syncId === '49102' && nanText(o.reason)).map((o) => runStart.get(o.runId)!),
  );
  assert.ok(lastFailure < firstRecovery, 'the text stops when the rows recover');
  assert.ok(
    firstRecovery >= end - 7 * DAY && firstRecovery < end - DAY,
    `fixed ${new Date(firstRecovery).toISOString()}, inside the last week`,
  );
});

/** The scale of the demo the extension and `--demo` open (warehouse/demo/demoWarehouse.ts). */
const EMBEDDED_SCALE = 1;

/**
 * The overview's state of every sync, by the real rules (buildHealth) over figures replayed from
 * the generated operations: stuck rows now and a day before the log's end, and the last run's
 * attempted and failed rows apart from the rows already stuck before it.
 */
function demoStates(scale: number): Map<string, { state: string; reason: string }> {
  const log = scale === SCALE ? { raw, runs, runStart } : replayLog(scale);
  const end = Math.max(...log.runs.map((r) => r.at));
  const since = end - DAY;
  const lists = new Map<string, Op[][]>();
  const bySync = new Map<string, Map<string, Op[]>>();
  for (const o of log.raw) {
    const rows = bySync.get(o.syncId) ?? new Map<string, Op[]>();
    bySync.set(o.syncId, rows);
    rows.set(o.rowId, [
      ...(rows.get(o.rowId) ?? []),
      { runId: o.runId, rowId: o.rowId, op: o.op, status: o.status, reason: o.reason, at: log.runStart.get(o.runId)! },
    ]);
  }
  for (const [syncId, rows] of bySync)
    lists.set(
      syncId,
      [...rows.values()].map((l) => l.sort((a, b) => a.at - b.at)),
    );
  const syncs: HealthSyncInput[] = [...new Set(log.runs.map((r) => r.syncId))].map((syncId) => {
    const history = log.runs.filter((r) => r.syncId === syncId).sort((a, b) => b.at - a.at);
    const last = history[0];
    const rows = lists.get(syncId) ?? [];
    const lastRunRows = { attempted: 0, failed: 0, stuckRetries: 0 };
    for (const l of rows) {
      const op = l.find((o) => o.runId === last.syncRunId);
      if (!op || op.status === 'aborted') continue;
      if (stuckAt(l, last.at)) lastRunRows.stuckRetries++;
      else {
        lastRunRows.attempted++;
        if (op.status === 'failed') lastRunRows.failed++;
      }
    }
    return {
      syncId,
      modelName: last.modelName,
      destination: '',
      primaryKey: null,
      rowsFailingNow: 0,
      rowsFailedInWindow: 0,
      rowsAttemptedInWindow: 0,
      stuckRows: rows.filter((l) => stuckAt(l, Infinity)).length,
      stuckRowsBefore: rows.filter((l) => stuckAt(l, since)).length,
      lastRunRows,
      runs: history.map((r) => ({
        syncRunId: r.syncRunId,
        startedAt: new Date(r.at).toISOString(),
        status: r.status,
        planned: r.attempted,
        attempted: r.attempted,
        failed: r.failed,
        aborted: 0,
        finishedAt: null,
        error: null,
        inWindow: r.at >= since,
      })),
    };
  });
  const data = buildHealth({
    days: 1,
    windowEnd: new Date(end).toISOString(),
    windowStart: new Date(since).toISOString(),
    now: new Date(end),
    minFailures: K,
    syncs,
    texts: [],
  });
  return new Map(data.syncs.map((s) => [s.syncId, { state: s.state, reason: `${s.modelName}: ${s.stateReason}` }]));
}

for (const scale of [EMBEDDED_SCALE, SCALE]) {
  test(`every state shows (demo scale ${scale}): failing, stuck rows rising on Onboarding, stale on the lookalike seed, healthy`, () => {
    const states = demoStates(scale);
    const shown = [...states.values()];
    for (const state of ['failing', 'stuckRising', 'stale', 'healthy'])
      assert.ok(
        shown.some((s) => s.state === state),
        `${state} in ${JSON.stringify(shown)}`,
      );
    // Onboarding's stuck rows rise while its new failures stay under the failing share: the
    // retries of its stuck rows alone no longer make it read as failing.
    assert.equal(states.get('50231')?.state, 'stuckRising', states.get('50231')?.reason);
    assert.equal(states.get('49655')?.state, 'stale', states.get('49655')?.reason);
  });
}
