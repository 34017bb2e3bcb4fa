import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PostgresServer } from '../support/postgresServer';
import { startDemoPostgres } from '../support/demoPostgres';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { resultObjects } from '../../src/shared/queryResult';
import { postgresDialect } from '../../src/sql/dialect';
import { documentedShape } from '../../src/sql/syncLogShape';
import { warehouseRunner, type QueryRunner } from '../../src/loaders/queryRunner';
import { loadHealth } from '../../src/loaders/healthLoader';
import { loadStuckRows } from '../../src/loaders/stuckRowsLoader';
import { failureTemplate } from '../../src/analysis/failureTemplates';

// Every figure of the overview against a replay in JS of the raw changelog, runs and snapshot
// (ordered here, not by the warehouse), for two windows and two K.

let server: PostgresServer;
let wh: Warehouse;
let run: QueryRunner;
let noCounters: QueryRunner;
const DAY_MS = 86_400_000;
interface Op {
  rowId: string;
  runId: string;
  at: number;
  status: string;
  reason: string | null;
}
const ops = new Map<string, Map<string, Op[]>>();
let runsRaw: Record<string, unknown>[] = [];
let snapshotRaw: Record<string, unknown>[] = [];

before(async () => {
  ({ server, wh } = await startDemoPostgres());
  run = warehouseRunner(wh, { dialect: postgresDialect, schema: 'hightouch_audit' });
  noCounters = warehouseRunner(wh, {
    dialect: postgresDialect,
    schema: 'hightouch_audit',
    shape: { ...documentedShape(), runCounters: false },
  });
  const raw = resultObjects(
    await wh.query(
      `select c.sync_id, c.row_id, c.sync_run_id, c.status, c.failure_reason, r.started_at from hightouch_audit.sync_changelog c, hightouch_audit.sync_runs r where c.sync_run_id = r.sync_run_id`,
      [],
      { maxRows: 10_000_000 },
    ),
  );
  for (const r of raw) {
    const rows = ops.get(String(r.sync_id)) ?? new Map<string, Op[]>();
    ops.set(String(r.sync_id), rows);
    const op = {
      rowId: String(r.row_id),
      runId: String(r.sync_run_id),
      at: Date.parse(String(r.started_at)),
      status: String(r.status),
      reason: r.failure_reason === null ? null : String(r.failure_reason),
    };
    rows.set(op.rowId, [...(rows.get(op.rowId) ?? []), op]);
  }
  for (const rows of ops.values())
    for (const list of rows.values()) list.sort((a, b) => a.at - b.at || (a.runId < b.runId ? -1 : 1));
  runsRaw = resultObjects(await wh.query(`select * from hightouch_audit.sync_runs`, [], { maxRows: 1_000_000 }));
  snapshotRaw = resultObjects(
    await wh.query(`select sync_id, row_id, status from hightouch_audit.sync_snapshot`, [], { maxRows: 10_000_000 }),
  );
});

after(async () => {
  await wh?.close();
  await server?.stop();
});

/** Latest K operations (before `until`) all failed. */
const stuck = (list: Op[], k: number, until = Infinity) => {
  const seen = list.filter((o) => o.at < until);
  return seen.length >= k && seen.slice(-k).every((o) => o.status === 'failed');
};

/** The last run's attempted and failed rows not stuck before it, and its attempted rows that were (the failing rule's figures). */
const lastRunRows = (lists: Op[][], last: Record<string, unknown>, k: number) => {
  const out = { attempted: 0, failed: 0, stuckRetries: 0 };
  for (const l of lists) {
    const op = l.find((o) => o.runId === String(last.sync_run_id));
    if (!op || op.status === 'aborted') continue;
    if (stuck(l, k, Date.parse(String(last.started_at)))) out.stuckRetries++;
    else {
      out.attempted++;
      if (op.status === 'failed') out.failed++;
    }
  }
  return out;
};

for (const days of [1, 30]) {
  for (const k of [3, 5]) {
    test(`health: every sync's figures against a replay (days ${days}, K ${k})`, async () => {
      const data = await loadHealth(run, { days, minFailures: k, now: new Date('2030-01-01T00:00:00Z') });
      const end = Math.max(...runsRaw.map((r) => Date.parse(String(r.started_at))));
      const since = end - days * DAY_MS;
      assert.equal(Date.parse(data.windowEnd!), end);
      assert.equal(data.logStale, true);
      assert.equal(data.syncs.length, new Set(runsRaw.map((r) => String(r.sync_id))).size);
      let sawStuck = 0;
      let sawNew = 0;
      for (const s of data.syncs) {
        const rows = ops.get(s.syncId) ?? new Map<string, Op[]>();
        const inW = (o: Op) => o.at >= since;
        const lists = [...rows.values()];
        assert.equal(
          s.rowsFailedInWindow,
          lists.filter((l) => l.some((o) => inW(o) && o.status === 'failed')).length,
          `${s.syncId} failed`,
        );
        assert.equal(
          s.rowsAttemptedInWindow,
          lists.filter((l) => l.some((o) => inW(o) && o.status !== 'aborted')).length,
          `${s.syncId} attempted`,
        );
        assert.equal(s.stuckRows, lists.filter((l) => stuck(l, k)).length, `${s.syncId} stuck`);
        assert.equal(s.stuckRowsBefore, lists.filter((l) => stuck(l, k, since)).length, `${s.syncId} stuck before`);
        assert.equal(
          s.stuckRows,
          (await loadStuckRows(run, { syncId: s.syncId }, k)).stuckRows,
          `${s.syncId} = loadStuckRows`,
        );
        sawStuck += s.stuckRows;
        // Rows failing now: the snapshot's, and (the demo keeps the invariant) the rows whose latest operation failed.
        const snapFailed = snapshotRaw.filter((r) => String(r.sync_id) === s.syncId && r.status === 'failed');
        assert.equal(
          s.rowsFailingNow,
          new Set(snapFailed.map((r) => String(r.row_id))).size,
          `${s.syncId} failing now vs snapshot (${snapFailed.length} snapshot entries)`,
        );
        // The demo's snapshot leaves out rows whose failed add never entered, or whose removal failed: the replay counts the rest.
        const inSnapshot = new Set(
          snapshotRaw.filter((r) => String(r.sync_id) === s.syncId).map((r) => String(r.row_id)),
        );
        assert.equal(
          s.rowsFailingNow,
          lists.filter((l) => l.at(-1)!.status === 'failed' && inSnapshot.has(l[0].rowId)).length,
          `${s.syncId} failing now vs replay`,
        );
        const runs = runsRaw
          .filter((r) => String(r.sync_id) === s.syncId)
          .sort(
            (a, b) =>
              Date.parse(String(b.started_at)) - Date.parse(String(a.started_at)) ||
              (String(a.sync_run_id) < String(b.sync_run_id) ? 1 : -1),
          );
        assert.equal(s.lastRun?.syncRunId, String(runs[0].sync_run_id));
        assert.equal(s.lastRun?.status, runs[0].status);
        const windowRuns = runs.filter((r) => Date.parse(String(r.started_at)) >= since);
        assert.equal(s.runsInWindow, windowRuns.length);
        const runOps = (id: string) => lists.flat().filter((o) => o.runId === id);
        assert.equal(
          s.abortedRuns,
          windowRuns.filter((r) => runOps(String(r.sync_run_id)).some((o) => o.status === 'aborted')).length,
          `${s.syncId} aborted runs`,
        );
        assert.equal(s.lastRun?.failed, runOps(s.lastRun!.syncRunId).filter((o) => o.status === 'failed').length);
        assert.deepEqual(s.lastRunRows, lastRunRows(lists, runs[0], k), `${s.syncId} last run rows`);
        // New templates: first seen over the whole log.
        const first = new Map<string, number>();
        for (const o of lists.flat())
          if (o.status === 'failed' && o.reason !== null) {
            const t = failureTemplate(o.reason);
            first.set(t, Math.min(first.get(t) ?? Infinity, o.at));
          }
        const expected = [...first]
          .filter(([, f]) => f >= since)
          .map(([t]) => t)
          .sort();
        assert.deepEqual(
          [...s.newTemplates.map((t) => t.template)].sort(),
          expected.slice(0, 20).length === expected.length
            ? expected
            : [...s.newTemplates.map((t) => t.template)].sort(),
        );
        assert.equal(s.newTemplateCount, expected.length, `${s.syncId} new templates`);
        // Each new template's rows (per text, added up), failures and first failure in the window.
        for (const t of s.newTemplates) {
          const failures = lists
            .flat()
            .filter(
              (o) => inW(o) && o.status === 'failed' && o.reason !== null && failureTemplate(o.reason) === t.template,
            );
          const rowsOfText = new Map<string, Set<string>>();
          for (const o of failures) rowsOfText.set(o.reason!, (rowsOfText.get(o.reason!) ?? new Set()).add(o.rowId));
          assert.equal(t.failures, failures.length, `${s.syncId} ${t.template} failures`);
          assert.equal(
            t.rows,
            [...rowsOfText.values()].reduce((n, r) => n + r.size, 0),
            `${s.syncId} ${t.template} rows`,
          );
          assert.equal(
            Date.parse(t.firstSeen!),
            Math.min(...failures.map((o) => o.at)),
            `${s.syncId} ${t.template} first`,
          );
        }
        sawNew += expected.length;
      }
      assert.ok(sawStuck > 0, 'the demo has stuck rows');
      if (days === 30) assert.ok(sawNew > 0, 'the demo has new templates in 30 days');
    });
  }
}

// Every run (no window): each row's ops are all in the "window", none precede it; the stuck-row
// candidates are then every row with K failures, read from the whole log.
for (const k of [1, 3]) {
  test(`health over every run: row figures against a replay (K ${k})`, async () => {
    const data = await loadHealth(run, { days: null, minFailures: k, now: new Date('2030-01-01T00:00:00Z') });
    assert.equal(data.syncs.length, new Set(runsRaw.map((r) => String(r.sync_id))).size);
    let sawStuck = 0;
    for (const s of data.syncs) {
      const lists = [...(ops.get(s.syncId) ?? new Map<string, Op[]>()).values()];
      assert.equal(
        s.rowsFailedInWindow,
        lists.filter((l) => l.some((o) => o.status === 'failed')).length,
        `${s.syncId} failed`,
      );
      assert.equal(
        s.rowsAttemptedInWindow,
        lists.filter((l) => l.some((o) => o.status !== 'aborted')).length,
        `${s.syncId} attempted`,
      );
      assert.equal(s.stuckRows, lists.filter((l) => stuck(l, k)).length, `${s.syncId} stuck`);
      assert.equal(s.stuckRowsBefore, 0, `${s.syncId} nothing precedes every run`);
      const runs = runsRaw
        .filter((r) => String(r.sync_id) === s.syncId)
        .sort(
          (a, b) =>
            Date.parse(String(b.started_at)) - Date.parse(String(a.started_at)) ||
            (String(a.sync_run_id) < String(b.sync_run_id) ? 1 : -1),
        );
      assert.deepEqual(s.lastRunRows, lastRunRows(lists, runs[0], k), `${s.syncId} last run rows`);
      sawStuck += s.stuckRows;
    }
    assert.ok(sawStuck > 0, 'the demo has stuck rows');
  });
}

test('health without run counters: the same overview', async () => {
  const a = await loadHealth(run, { days: 1, minFailures: 3, now: new Date() });
  const b = await loadHealth(noCounters, { days: 1, minFailures: 3, now: new Date() });
  assert.deepEqual(b, a);
});

// The demo's last runs hold no aborted operation: one added here (a newer run of one sync, with an
// aborted, a failed and a succeeded operation on rows it already has), then taken away again.
test('health: an aborted operation in the last run is neither attempted nor failed', async () => {
  const syncId = String(runsRaw[0].sync_id);
  const last = runsRaw
    .filter((r) => String(r.sync_id) === syncId)
    .sort((a, b) => Date.parse(String(b.started_at)) - Date.parse(String(a.started_at)))[0];
  // The newest run of the whole log, so the window ends at it.
  const at = Math.max(...runsRaw.map((r) => Date.parse(String(r.started_at)))) + 3_600_000;
  const runId = 'health-test-aborted-run';
  const lists = [...ops.get(syncId)!.values()];
  // Rows that are not stuck before the run, so each lands in attempted / failed, not in stuck retries.
  const picked = lists.filter((l) => !stuck(l, 3)).slice(0, 3);
  assert.equal(picked.length, 3);
  const added: Op[] = ['aborted', 'failed', 'succeeded'].map((status, i) => ({
    rowId: picked[i][0].rowId,
    runId,
    at,
    status,
    reason: status === 'failed' ? 'health test: rejected' : null,
  }));
  await wh.query(
    `insert into hightouch_audit.sync_runs (sync_id, sync_run_id, primary_key, destination, model_name, status, started_at, finished_at)
     values ($1, $2, $3, $4, $5, 'failed', $6, $6)`,
    [syncId, runId, last.primary_key, last.destination, last.model_name, new Date(at).toISOString()],
  );
  try {
    for (const o of added)
      await wh.query(
        `insert into hightouch_audit.sync_changelog (sync_id, sync_run_id, op_type, row_id, status, failure_reason) values ($1, $2, 'changed', $3, $4, $5)`,
        [syncId, runId, o.rowId, o.status, o.reason],
      );
    const data = await loadHealth(run, { days: 1, minFailures: 3, now: new Date('2030-01-01T00:00:00Z') });
    const s = data.syncs.find((x) => x.syncId === syncId)!;
    const withAdded = lists.map((l) => [...l, ...added.filter((o) => o.rowId === l[0].rowId)]);
    assert.equal(s.lastRun?.syncRunId, runId);
    assert.deepEqual(s.lastRunRows, lastRunRows(withAdded, { sync_run_id: runId, started_at: new Date(at) }, 3));
    assert.deepEqual(s.lastRunRows, { attempted: 2, failed: 1, stuckRetries: 0 });
    const since = at - DAY_MS;
    assert.equal(
      s.rowsAttemptedInWindow,
      withAdded.filter((l) => l.some((o) => o.at >= since && o.status !== 'aborted')).length,
    );
  } finally {
    await wh.query(`delete from hightouch_audit.sync_changelog where sync_run_id = $1`, [runId]);
    await wh.query(`delete from hightouch_audit.sync_runs where sync_run_id = $1`, [runId]);
  }
});
