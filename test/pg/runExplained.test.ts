import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PostgresServer } from '../support/postgresServer';
import { startDemoPostgres } from '../support/demoPostgres';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { resultObjects } from '../../src/shared/queryResult';
import { postgresDialect } from '../../src/sql/dialect';
import { warehouseRunner, type QueryRunner } from '../../src/loaders/queryRunner';
import { loadRunExplained, loadRunRows } from '../../src/loaders/runExplainedLoader';
import { failureTemplate } from '../../src/analysis/failureTemplates';
import type { RunExplainedData, RunOpType, RunRowsSelector } from '../../src/shared/runExplainedData';

// Run Explained on the demo, against a replay here of every raw changelog row and run (ordered
// in JS, not by the warehouse), and against the runs' own counters.

let server: PostgresServer;
let wh: Warehouse;
let run: QueryRunner;

interface Op {
  rowId: string;
  opType: string;
  status: string;
  reason: string | null;
}
interface Run {
  syncId: string;
  syncRunId: string;
  startedAt: string;
  status: string | null;
  error: string | null;
  counters: Record<string, number>;
  ops: Op[];
}

/** Per sync: its runs in run order (start, then id). */
const runsBySync = new Map<string, Run[]>();
const runById = new Map<string, Run>();
const OPS: RunOpType[] = ['added', 'changed', 'removed'];
const COUNTER_OP: Record<RunOpType, string> = { added: 'add', changed: 'change', removed: 'remove' };

before(async () => {
  ({ server, wh } = await startDemoPostgres());
  run = warehouseRunner(wh, { dialect: postgresDialect, schema: 'hightouch_audit' });
  const runs = resultObjects(await wh.query(`select * from hightouch_audit.sync_runs`, [], { maxRows: 1_000_000 }));
  for (const r of runs) {
    const counters: Record<string, number> = {};
    for (const [k, v] of Object.entries(r)) if (k.startsWith('num_')) counters[k] = Number(v);
    const x: Run = {
      syncId: String(r.sync_id),
      syncRunId: String(r.sync_run_id),
      startedAt: new Date(r.started_at as string).toISOString(),
      status: r.status === null ? null : String(r.status),
      error: r.error === null ? null : String(r.error),
      counters,
      ops: [],
    };
    runById.set(x.syncRunId, x);
    const list = runsBySync.get(x.syncId) ?? [];
    list.push(x);
    runsBySync.set(x.syncId, list);
  }
  for (const list of runsBySync.values())
    list.sort(
      (a, b) =>
        Date.parse(a.startedAt) - Date.parse(b.startedAt) ||
        (a.syncRunId < b.syncRunId ? -1 : a.syncRunId > b.syncRunId ? 1 : 0),
    );
  const raw = resultObjects(
    await wh.query(
      `select sync_run_id, row_id, op_type, status, failure_reason from hightouch_audit.sync_changelog`,
      [],
      { maxRows: 10_000_000 },
    ),
  );
  for (const c of raw) {
    runById.get(String(c.sync_run_id))?.ops.push({
      rowId: String(c.row_id),
      opType: String(c.op_type),
      status: String(c.status),
      reason: c.failure_reason === null ? null : String(c.failure_reason),
    });
  }
});

after(async () => {
  await wh?.close();
  await server?.stop();
});

const previousOf = (r: Run): Run | undefined => {
  const list = runsBySync.get(r.syncId)!;
  const i = list.indexOf(r);
  return i > 0 ? list[i - 1] : undefined;
};
const failedIn = (r: Run) => new Set(r.ops.filter((o) => o.status === 'failed').map((o) => o.rowId));
const sorted = (ids: Iterable<string>) => [...new Set(ids)].sort();

/** The rows of each selector, replayed. */
function replayRows(r: Run, s: RunRowsSelector): string[] {
  if (s.kind === 'op') {
    return sorted(
      r.ops
        .filter(
          (o) =>
            o.opType === s.opType &&
            (s.status === 'planned' ||
              (s.status === 'aborted' ? o.status !== 'succeeded' && o.status !== 'failed' : o.status === s.status)),
        )
        .map((o) => o.rowId),
    );
  }
  const before = failedIn(previousOf(r)!);
  const want =
    s.which === 'newlyFailing'
      ? (o: Op) => o.status === 'failed' && !before.has(o.rowId)
      : s.which === 'recovered'
        ? (o: Op) => o.status === 'succeeded' && before.has(o.rowId)
        : (o: Op) => o.status === 'failed' && before.has(o.rowId);
  return sorted(r.ops.filter(want).map((o) => o.rowId));
}

function replayNewTemplates(r: Run): { template: string; rows: number }[] {
  const list = runsBySync.get(r.syncId)!;
  const old = new Set<string>();
  for (const e of list.slice(0, list.indexOf(r)))
    for (const o of e.ops)
      if (o.status === 'failed' && o.reason !== null && o.reason.trim() !== '') old.add(failureTemplate(o.reason));
  const rows = new Map<string, Set<string>>();
  for (const o of r.ops) {
    if (o.status !== 'failed' || o.reason === null || o.reason.trim() === '') continue;
    const t = failureTemplate(o.reason);
    if (old.has(t)) continue;
    rows.set(t, (rows.get(t) ?? new Set()).add(o.rowId));
  }
  return [...rows]
    .map(([template, s]) => ({ template, rows: s.size }))
    .sort((a, b) => b.rows - a.rows || (a.template < b.template ? -1 : 1));
}

async function check(r: Run, what: string): Promise<RunExplainedData> {
  const got = await loadRunExplained(run, r.syncRunId);
  assert.ok(got, `${what}: found`);
  assert.deepEqual(
    got.run,
    {
      syncId: r.syncId,
      syncRunId: r.syncRunId,
      startedAt: got.run.startedAt,
      finishedAt: got.run.finishedAt,
      status: r.status,
      error: r.error,
    },
    what,
  );
  assert.equal(new Date(got.run.startedAt!).toISOString(), r.startedAt, what);
  for (const f of got.ops) {
    const ops = r.ops.filter((o) => o.opType === f.opType);
    const rows = (pred: (o: Op) => boolean) => new Set(ops.filter(pred).map((o) => o.rowId)).size;
    const want = {
      opType: f.opType,
      planned: rows(() => true),
      attempted: rows((o) => o.status === 'succeeded' || o.status === 'failed'),
      succeeded: rows((o) => o.status === 'succeeded'),
      failed: rows((o) => o.status === 'failed'),
      aborted: rows((o) => o.status === 'aborted'),
      operations: ops.length,
    };
    assert.deepEqual(f, want, `${what} ${f.opType}`);
    // The run's own counters: a second, independent source (the invariant in ARCHITECTURE.md, "The sync-log tables").
    const op = COUNTER_OP[f.opType];
    for (const k of ['planned', 'attempted', 'succeeded', 'failed'] as const)
      assert.equal(f[k], r.counters[`num_${k}_${op}`], `${what} ${f.opType} ${k} = num_${k}_${op}`);
  }
  const prev = previousOf(r);
  if (!prev) {
    assert.equal(got.comparison, null, `${what}: first run`);
    return got;
  }
  const c = got.comparison;
  assert.ok(c, `${what}: compared`);
  assert.equal(c.previous.syncRunId, prev.syncRunId, `${what}: previous run`);
  assert.equal(
    c.newlyFailing,
    replayRows(r, { kind: 'compare', which: 'newlyFailing' }).length,
    `${what} newly failing`,
  );
  assert.equal(c.recovered, replayRows(r, { kind: 'compare', which: 'recovered' }).length, `${what} recovered`);
  assert.equal(
    c.stillFailing,
    replayRows(r, { kind: 'compare', which: 'stillFailing' }).length,
    `${what} still failing`,
  );
  assert.equal(c.textsTruncated, false, what);
  assert.deepEqual(
    c.newTemplates.map(({ template, rows }) => ({ template, rows })),
    replayNewTemplates(r),
    `${what} new templates`,
  );
  for (const t of c.newTemplates)
    assert.equal(failureTemplate(t.example), t.template, `${what}: the example is of its template`);
  return got;
}

/** Every selector's rows equal the replay, in full with a large limit and cut with a small one. */
async function checkRows(r: Run, what: string): Promise<void> {
  const selectors: RunRowsSelector[] = [];
  for (const opType of OPS)
    for (const status of ['planned', 'succeeded', 'failed', 'aborted'] as const)
      selectors.push({ kind: 'op', opType, status });
  if (previousOf(r))
    for (const which of ['newlyFailing', 'recovered', 'stillFailing'] as const)
      selectors.push({ kind: 'compare', which });
  const prevReasons = new Map(
    previousOf(r)
      ?.ops.filter((o) => o.status === 'failed')
      .map((o) => [o.rowId, o.reason]),
  );
  for (const s of selectors) {
    const want = replayRows(r, s);
    const all = await loadRunRows(run, { syncId: r.syncId, syncRunId: r.syncRunId }, s, 100_000);
    assert.deepEqual(
      all.rows.map((x) => x.rowId),
      want,
      `${what} ${JSON.stringify(s)}`,
    );
    assert.equal(all.truncated, false);
    for (const x of all.rows) {
      const op = r.ops.find((o) => o.rowId === x.rowId && (s.kind !== 'op' || o.opType === s.opType))!;
      assert.deepEqual([x.opType, x.status, x.failureReason], [op.opType, op.status, op.reason], `${what} ${x.rowId}`);
      assert.equal(
        x.previousFailureReason,
        s.kind === 'compare' ? (prevReasons.get(x.rowId) ?? null) : null,
        `${what} ${x.rowId} previous`,
      );
    }
    if (want.length > 2) {
      const cut = await loadRunRows(run, { syncId: r.syncId, syncRunId: r.syncRunId }, s, 2);
      assert.deepEqual(
        cut.rows.map((x) => x.rowId),
        want.slice(0, 2),
        `${what} cut`,
      );
      assert.equal(cut.truncated, true, `${what} cut`);
    }
  }
}

const allRuns = () => [...runsBySync.values()].flat();
const most = (score: (r: Run) => number): Run => allRuns().reduce((a, b) => (score(b) > score(a) ? b : a));

test('the first run of each sync: its waterfall, and no comparison', async () => {
  for (const list of runsBySync.values()) await check(list[0], `first run of ${list[0].syncId}`);
  const first = [...runsBySync.values()][0][0];
  await checkRows(first, 'first run');
  assert.deepEqual(
    (
      await loadRunRows(
        run,
        { syncId: first.syncId, syncRunId: first.syncRunId },
        { kind: 'compare', which: 'recovered' },
      )
    ).rows,
    [],
  );
});

test("the run with the most failed rows: figures, comparison, new templates and every selector's rows", async () => {
  const r = most((x) => failedIn(x).size);
  assert.ok(failedIn(r).size > 0, 'the demo has failures');
  const got = await check(r, 'most failures');
  assert.ok(got.comparison!.newlyFailing + got.comparison!.stillFailing > 0);
  await checkRows(r, 'most failures');
});

test('the run after an outage (a run with a sync-level error): rows recover', async () => {
  const after = allRuns().filter((r) => {
    const p = previousOf(r);
    return p !== undefined && p.error !== null && r.error === null && failedIn(p).size > 0;
  });
  assert.ok(after.length > 0, 'the demo has an outage followed by a clean run');
  const r = after.reduce((a, b) =>
    replayRows(b, { kind: 'compare', which: 'recovered' }).length >
    replayRows(a, { kind: 'compare', which: 'recovered' }).length
      ? b
      : a,
  );
  const got = await check(r, 'after outage');
  assert.ok(got.comparison!.recovered > 0, 'rows recovered after the outage');
  await checkRows(r, 'after outage');
});

test('the run with the most aborted operations', async () => {
  const aborted = (x: Run) => x.ops.filter((o) => o.status === 'aborted').length;
  const r = most(aborted);
  assert.ok(aborted(r) > 0, 'the demo has aborted operations');
  const got = await check(r, 'most aborted');
  assert.ok(got.ops.some((o) => o.aborted > 0 && o.planned > o.attempted));
  await checkRows(r, 'most aborted');
});

test("the run with the most new templates, and a sample of every sync's runs", async () => {
  const r = most((x) => (previousOf(x) ? replayNewTemplates(x).length : 0));
  assert.ok(replayNewTemplates(r).length > 0, 'the demo has a run with a new template after its first');
  await check(r, 'most new templates');
  for (const list of runsBySync.values()) {
    const step = Math.max(1, Math.floor(list.length / 6));
    for (let i = step; i < list.length; i += step) await check(list[i], `${list[i].syncId} run ${i}`);
  }
});

test('an unknown run is undefined; a hostile id is bound', async () => {
  assert.equal(await loadRunExplained(run, 'no-such-run'), undefined);
  assert.equal(await loadRunExplained(run, "x' or '1'='1"), undefined);
});
