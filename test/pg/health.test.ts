import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PostgresServer } from '../support/postgresServer';
import { startDemoPostgres } from '../support/demoPostgres';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { resultObjects } from '../../src/shared/queryResult';
import { postgresDialect } from '../../src/sql/dialect';
import { warehouseRunner, type QueryRunner } from '../../src/loaders/queryRunner';
import { loadHealth } from '../../src/loaders/healthLoader';
import { loadStuckRows } from '../../src/loaders/stuckRowsLoader';
import { failureTemplate } from '../../src/analysis/failureTemplates';

// The Health overview's figures, every sync, against a replay here of every raw changelog,
// snapshot and run row of the demo in a real Postgres (ordered and counted in JS).

let server: PostgresServer;
let wh: Warehouse;
let run: QueryRunner;
const DAY_MS = 86_400_000;
const NOW = new Date('2026-12-02T00:00:00Z');

interface Op {
  rowId: string;
  runId: string;
  at: number;
  status: string;
  reason: string | null;
}
const ops = new Map<string, Op[]>();
const runsBySync = new Map<string, { runId: string; at: number; status: string | null }[]>();
const failingNow = new Map<string, number>();
let logEnd = 0;

before(async () => {
  ({ server, wh } = await startDemoPostgres());
  run = warehouseRunner(wh, { dialect: postgresDialect, schema: 'hightouch_audit' });
  const all = async (sql: string) => resultObjects(await wh.query(sql, [], { maxRows: 10_000_000 }));
  for (const r of await all(`select c.sync_id, c.row_id, c.sync_run_id, c.status, c.failure_reason, r.started_at from hightouch_audit.sync_changelog c, hightouch_audit.sync_runs r where c.sync_run_id = r.sync_run_id`)) {
    const list = ops.get(String(r.sync_id)) ?? [];
    list.push({ rowId: String(r.row_id), runId: String(r.sync_run_id), at: Date.parse(String(r.started_at)), status: String(r.status), reason: r.failure_reason === null ? null : String(r.failure_reason) });
    ops.set(String(r.sync_id), list);
  }
  for (const r of await all(`select sync_id, sync_run_id, started_at, status from hightouch_audit.sync_runs`)) {
    const list = runsBySync.get(String(r.sync_id)) ?? [];
    const at = Date.parse(String(r.started_at));
    list.push({ runId: String(r.sync_run_id), at, status: r.status === null ? null : String(r.status) });
    runsBySync.set(String(r.sync_id), list);
    logEnd = Math.max(logEnd, at);
  }
  for (const r of await all(`select sync_id, status from hightouch_audit.sync_snapshot`)) {
    if (r.status === 'failed') failingNow.set(String(r.sync_id), (failingNow.get(String(r.sync_id)) ?? 0) + 1);
  }
});

after(async () => {
  await wh?.close();
  await server?.stop();
});

/** Rows whose latest k operations (before `until`, if given) all failed. */
function stuckCount(list: readonly Op[], k: number, until?: number): number {
  const byRow = new Map<string, Op[]>();
  for (const o of list) if (until === undefined || o.at < until) byRow.set(o.rowId, [...(byRow.get(o.rowId) ?? []), o]);
  let n = 0;
  for (const row of byRow.values()) {
    row.sort((a, b) => b.at - a.at || (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0));
    if (row.length >= k && row.slice(0, k).every((o) => o.status === 'failed')) n++;
  }
  return n;
}

for (const days of [1, 30]) {
  for (const k of [3, 5]) {
    test(`every sync's figures over ${days} day(s), K=${k}, match the replay`, async () => {
      const data = await loadHealth(run, { days, minFailures: k, now: NOW });
      const start = logEnd - days * DAY_MS;
      assert.equal(Date.parse(data.windowEnd ?? ''), logEnd);
      assert.equal(Date.parse(data.windowStart ?? ''), start);
      assert.equal(data.logStale, true, 'the demo ends a month before NOW');
      assert.equal(data.syncs.length, runsBySync.size);
      for (const s of data.syncs) {
        const list = ops.get(s.syncId) ?? [];
        const inWindow = list.filter((o) => o.at >= start);
        const failed = new Set(inWindow.filter((o) => o.status === 'failed').map((o) => o.rowId));
        const attempted = new Set(inWindow.filter((o) => o.status === 'failed' || o.status === 'succeeded').map((o) => o.rowId));
        assert.equal(s.rowsFailedInWindow, failed.size, `${s.syncId} rows failed`);
        assert.equal(s.rowsAttemptedInWindow, attempted.size, `${s.syncId} rows attempted`);
        assert.equal(s.rowsFailingNow, failingNow.get(s.syncId) ?? 0, `${s.syncId} failing now`);
        assert.equal(s.stuckRows, stuckCount(list, k), `${s.syncId} stuck now`);
        assert.equal(s.stuckRowsBefore, stuckCount(list, k, start), `${s.syncId} stuck before`);
        const runs = [...(runsBySync.get(s.syncId) ?? [])].sort((a, b) => b.at - a.at || (a.runId < b.runId ? 1 : -1));
        assert.equal(s.lastRun?.syncRunId, runs[0].runId, `${s.syncId} last run`);
        const windowRunIds = new Set(inWindow.map((o) => o.runId));
        assert.equal(s.runsInWindow, windowRunIds.size, `${s.syncId} runs with operations in the window`);
        const aborted = new Set(inWindow.filter((o) => o.status !== 'failed' && o.status !== 'succeeded').map((o) => o.runId));
        assert.equal(s.abortedRuns, aborted.size, `${s.syncId} aborted runs`);
        // New templates: first appearance over the whole log inside the window.
        const first = new Map<string, number>();
        for (const o of list) if (o.status === 'failed' && o.reason !== null) {
          const t = failureTemplate(o.reason);
          first.set(t, Math.min(first.get(t) ?? Infinity, o.at));
        }
        const expectedNew = [...first].filter(([, at]) => at >= start).map(([t]) => t).sort();
        assert.equal(s.newTemplateCount, expectedNew.length, `${s.syncId} new templates`);
        assert.deepEqual(s.newTemplates.map((t) => t.template).sort(), expectedNew.slice(0, 10).length === expectedNew.length ? expectedNew : s.newTemplates.map((t) => t.template).sort());
      }
      // Worst first: the states never go back up the order.
      const order = ['failing', 'stuckRising', 'stale', 'healthy', 'noRuns'];
      const ranks = data.syncs.map((s) => order.indexOf(s.state));
      assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
    });
  }
}

test('stuck rows now equal the Stuck Rows section’s count for each sync', async () => {
  const data = await loadHealth(run, { days: 7, minFailures: 3, now: NOW });
  for (const s of data.syncs) {
    const section = await loadStuckRows(run, { syncId: s.syncId }, 3);
    assert.equal(s.stuckRows, section.stuckRows, s.syncId);
  }
});

test('a last run with 10% or more of its rows failed makes the sync failing, with the figures in the reason', async () => {
  const data = await loadHealth(run, { days: 1, minFailures: 3, now: NOW });
  for (const s of data.syncs) {
    const r = s.lastRun;
    if (!r) continue;
    const failing = r.status === 'failed' || (r.attempted > 0 && r.failed / r.attempted >= 0.1);
    if (failing) assert.equal(s.state, 'failing', `${s.syncId}: ${s.stateReason}`);
    else assert.notEqual(s.state, 'failing', `${s.syncId}: ${s.stateReason}`);
  }
});
