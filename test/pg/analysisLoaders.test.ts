import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PostgresServer } from '../support/postgresServer';
import { startDemoPostgres } from '../support/demoPostgres';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { resultObjects } from '../../src/shared/queryResult';
import { postgresDialect } from '../../src/sql/dialect';
import { documentedShape } from '../../src/sql/syncLogShape';
import { warehouseRunner, type QueryRunner } from '../../src/loaders/queryRunner';
import { loadBreakdown, loadBreakdownDetails, loadCategoryChart, loadDrill } from '../../src/loaders/breakdownLoader';
import { MAX_FLAPPING_ROWS, loadFlapping, loadFlappingActivity } from '../../src/loaders/flappingLoader';
import { loadModelOverTime } from '../../src/loaders/modelOverTimeLoader';
import { MAX_TIMELINE_EVENTS, loadTimeline } from '../../src/loaders/timelineLoader';
import { DEFAULT_CATEGORIES, categorize, compileCategories } from '../../src/analysis/errorCategories';
import { UNEXPECTED } from '../../src/shared/analysisData';
import type { BreakdownParams } from '../../src/shared/analysisProtocol';

// Every number the four panels show, computed by the loaders (the code the panels run) on a real
// PostgreSQL server holding the demo sync log, against plain SQL written independently here.

let server: PostgresServer;
let wh: Warehouse;
let run: QueryRunner;
const cats = compileCategories(DEFAULT_CATEGORIES);
const CL = 'hightouch_audit.sync_changelog';
const RUNS = 'hightouch_audit.sync_runs';
const SNAP = 'hightouch_audit.sync_snapshot';

const plain = async (sql: string, values: unknown[] = []) =>
  resultObjects(await wh.query(sql, values, { maxRows: 10_000_000 }));
const n = (v: unknown) => Number(v);

/** The sync with the most changelog rows. */
async function busiestSync(): Promise<string> {
  const [row] = await plain(`select sync_id from ${CL} group by sync_id order by count(*) desc limit 1`);
  return String(row.sync_id);
}

before(async () => {
  ({ server, wh } = await startDemoPostgres());
  run = warehouseRunner(wh, { dialect: postgresDialect, schema: 'hightouch_audit' });
});

after(async () => {
  await wh?.close();
  await server?.stop();
});

describe('error breakdown', () => {
  const all: BreakdownParams = { syncId: null, syncRunId: null, source: 'changelog', days: null };

  test('totals, categories and the unexpected bucket match a plain group by categorized here', async () => {
    const { data } = await loadBreakdown(run, all, cats);
    const texts = await plain(
      `select failure_reason, count(*) as c from ${CL} where status = 'failed' group by failure_reason`,
    );
    const expected = new Map<string, number>();
    for (const t of texts) {
      const category = t.failure_reason === null ? UNEXPECTED : categorize(String(t.failure_reason), cats.compiled);
      expected.set(category, (expected.get(category) ?? 0) + n(t.c));
    }
    const [{ total }] = await plain(`select count(*) as total from ${CL} where status = 'failed'`);
    assert.ok(n(total) > 100, 'the demo has failures to categorize');
    assert.equal(data.totalFailures, n(total));
    assert.equal(data.distinctTexts, texts.length);
    assert.deepEqual(new Map(data.categories.map((c) => [c.name, c.failures])), expected);
    assert.equal(
      data.templates.reduce((s, t) => s + t.failures, 0),
      n(total),
      'every failure is in exactly one template',
    );
    // Unexpected first whenever it has failures, then by rows (ties by failures).
    if (expected.has(UNEXPECTED)) assert.equal(data.categories[0].name, UNEXPECTED);
    const rest = data.categories.filter((c) => !c.unexpected).map((c) => [c.rows, c.failures]);
    assert.deepEqual(
      rest,
      [...rest].sort((a, b) => b[0] - a[0] || b[1] - a[1]),
    );
    // Rows (distinct sync and row id) are checked per template and category in breakdownRows.test.ts; here the total.
    const [{ rows }] = await plain(
      `select count(*) as rows from (select distinct sync_id, row_id from ${CL} where status = 'failed') x`,
    );
    assert.equal(data.totalRows, n(rows));
    assert.ok(data.totalRows < data.totalFailures, 'retries: fewer rows than failures');
  });

  test('first and last seen and sample rows arrive with the per-run counts, by run time', async () => {
    const loaded = await loadBreakdown(run, all, cats);
    assert.equal(loaded.data.templates[0].firstSeen, null, 'the table answers before the per-run query');
    const { result, chart } = await loadBreakdownDetails(run, loaded, 'changelog', cats);
    assert.deepEqual(
      result.data.categories.map((c) => [c.name, c.failures]),
      loaded.data.categories.map((c) => [c.name, c.failures]),
      'counts do not move',
    );
    assert.ok(chart.buckets.length > 0);
    for (const text of result.texts.slice(0, 5)) {
      const [seen] = await plain(
        `select min(r.started_at) as first_seen, max(r.started_at) as last_seen, min(c.row_id) as sample
         from ${CL} c join ${RUNS} r on r.sync_run_id = c.sync_run_id where c.status = 'failed' and c.failure_reason = $1`,
        [text.reason],
      );
      assert.equal(text.firstSeen, new Date(String(seen.first_seen)).toISOString(), String(text.reason));
      assert.equal(text.lastSeen, new Date(String(seen.last_seen)).toISOString(), String(text.reason));
      assert.equal(text.sampleRowId, seen.sample);
    }
  });

  test('one sync over a window: only failures of runs started in the window', async () => {
    const syncId = await busiestSync();
    const { data, scope } = await loadBreakdown(run, { syncId, syncRunId: null, source: 'changelog', days: 7 }, cats);
    assert.ok(scope.since, 'a 7-day window has a start');
    const [{ total }] = await plain(
      `select count(*) as total from ${CL} c where c.sync_id = $1 and c.status = 'failed'
         and c.sync_run_id in (select sync_run_id from ${RUNS} where sync_id = $1 and started_at >= (select max(started_at) from ${RUNS} where sync_id = $1) - interval '7 days')`,
      [syncId],
    );
    assert.equal(data.totalFailures, n(total));
  });

  test('the snapshot source counts the failing rows of the latest state', async () => {
    const { data } = await loadBreakdown(run, { ...all, source: 'snapshot' }, cats);
    const [{ total }] = await plain(`select count(*) as total from ${SNAP} where status = 'failed'`);
    assert.equal(data.totalFailures, n(total));
    assert.equal(data.templates[0].firstSeen, null, 'the snapshot has no time');
  });

  test('the chart: failures per run add up to the runs’ own failed counters', async () => {
    const syncId = await busiestSync();
    const result = await loadBreakdown(run, { syncId, syncRunId: null, source: 'changelog', days: null }, cats);
    const chart = await loadCategoryChart(run, result.scope, cats);
    const perBucket = chart.buckets.map((_, i) => chart.series.reduce((s, x) => s + x.counts[i], 0));
    const counters = await plain(
      `select sync_run_id, started_at, coalesce(num_failed_add, 0) + coalesce(num_failed_change, 0) + coalesce(num_failed_remove, 0) as failed
       from ${RUNS} where sync_id = $1 order by started_at`,
      [syncId],
    );
    assert.equal(
      perBucket.reduce((a, b) => a + b, 0),
      counters.reduce((s, r) => s + n(r.failed), 0),
    );
    if (chart.unit === 'run') {
      assert.deepEqual(
        perBucket,
        counters.map((r) => n(r.failed)),
      );
    }
    // Categories per series add up to the table's categories.
    const table = new Map(result.data.categories.map((c) => [c.name, c.failures]));
    for (const s of chart.series)
      assert.equal(
        s.counts.reduce((a, b) => a + b, 0),
        table.get(s.category),
        s.category,
      );
  });

  test('the chart says which read limit it hit, and then holds exactly what was read', async () => {
    const syncId = await busiestSync();
    const result = await loadBreakdown(run, { syncId, syncRunId: null, source: 'changelog', days: null }, cats);
    const full = await loadBreakdownDetails(run, result, 'changelog', cats);
    assert.deepEqual(full.chart.capped, { runs: null, pairs: null });
    const chartTotal = (chart: { series: { counts: number[] }[] }) =>
      chart.series.reduce((sum, x) => sum + x.counts.reduce((a, b) => a + b, 0), 0);

    // The newest 5 runs: their buckets and their failed operations, by plain SQL.
    const fewRuns = (await loadBreakdownDetails(run, result, 'changelog', cats, { runs: 5, pairs: 1_000_000 })).chart;
    assert.deepEqual(fewRuns.capped, { runs: 5, pairs: null });
    const newest = await plain(
      `select sync_run_id, coalesce(num_failed_add, 0) + coalesce(num_failed_change, 0) + coalesce(num_failed_remove, 0) as failed
       from ${RUNS} where sync_id = $1 order by started_at desc, sync_run_id desc limit 5`,
      [syncId],
    );
    assert.deepEqual(
      fewRuns.buckets.map((b) => b.syncRunId).reverse(),
      newest.map((r) => String(r.sync_run_id)),
    );
    const failedInNewest = newest.reduce((sum, r) => sum + n(r.failed), 0);
    assert.ok(failedInNewest > 0, 'the newest runs have failures');
    assert.equal(chartTotal(fewRuns), failedInNewest);

    // The 20 largest (run, text) pairs, in the query's order.
    const fewPairs = (await loadBreakdownDetails(run, result, 'changelog', cats, { runs: 1_000_000, pairs: 20 })).chart;
    assert.deepEqual(fewPairs.capped, { runs: null, pairs: 20 });
    const top = await plain(
      `select count(*) as c from ${CL} where status = 'failed' and sync_id = $1
       group by sync_run_id, failure_reason order by c desc, sync_run_id, failure_reason limit 20`,
      [syncId],
    );
    assert.equal(
      chartTotal(fewPairs),
      top.reduce((sum, r) => sum + n(r.c), 0),
    );
    assert.ok(chartTotal(fewPairs) < chartTotal(full.chart));
  });

  test('drill-down: the rows of a template carry texts of that template only', async () => {
    const result = await loadBreakdown(run, all, cats);
    const t = result.data.templates[0];
    const drill = await loadDrill(run, result, 'changelog', cats, { category: t.category, template: t.template });
    assert.ok(drill.rows.length > 0);
    const [{ c }] = await plain(`select count(*) as c from ${CL} where status = 'failed' and failure_reason = $1`, [
      drill.rows[0].failureReason,
    ]);
    assert.ok(n(c) >= 1);
    const { failureTemplate } = await import('../../src/analysis/failureTemplates');
    for (const r of drill.rows) assert.equal(failureTemplate(r.failureReason), t.template);
  });
});

describe('flapping rows', () => {
  // Retries, changes, entries and exits (retry-aware) are checked against a replay in retriesAndStuckRows.test.ts.
  test('operations and failures per row match plain counts', async () => {
    const syncId = await busiestSync();
    const ranking = await loadFlapping(run, { syncId, days: null, orderBy: 'operations' });
    assert.ok(
      ranking.data.rows.every((r) => r.activity.every((a) => a === 0) && r.failures === null),
      'the ranking comes before the sparklines and failures',
    );
    assert.equal(ranking.data.rowsWithOperations, null, 'past the top rows, counted with the follow-up');
    const data = await loadFlappingActivity(run, ranking);
    assert.ok(data.rows.length > 0);
    const [{ rows_with_ops, runs }] = await plain(
      `select (select count(distinct row_id) from ${CL} where sync_id = $1) as rows_with_ops, (select count(*) from ${RUNS} where sync_id = $1) as runs`,
      [syncId],
    );
    assert.equal(data.rowsWithOperations, n(rows_with_ops));
    assert.equal(data.runsInWindow, n(runs));
    for (const r of data.rows.slice(0, 5)) {
      const [c] = await plain(
        `select count(*) as ops, count(*) filter (where status = 'failed') as failures
         from ${CL} where sync_id = $1 and row_id = $2`,
        [syncId, r.rowId],
      );
      assert.deepEqual([r.operations, r.failures], [n(c.ops), n(c.failures)], r.rowId);
      assert.equal(r.cycles, Math.min(r.entries, r.exits));
      assert.equal(
        r.activity.reduce((a, b) => a + b, 0),
        r.operations,
        'the sparkline holds every operation',
      );
    }
    const [{ top }] = await plain(
      `select max(c) as top from (select count(*) as c from ${CL} where sync_id = $1 group by row_id) x`,
      [syncId],
    );
    assert.equal(data.rows[0].operations, n(top), 'the first row changes the most');
  });

  test('when the ranking holds every row with operations, it counts them itself: no count query', async () => {
    const [{ sync_id: syncId }] = await plain(
      `select sync_id from ${CL} group by sync_id order by count(distinct row_id), sync_id limit 1`,
    );
    const sent: string[] = [];
    const recording: QueryRunner = { loc: run.loc, rows: (q, max) => (sent.push(q.text), run.rows(q, max)) };
    // The newest run's quarter hour of the smallest sync: a handful of rows.
    const ranking = await loadFlapping(recording, { syncId: String(syncId), days: 0.01, orderBy: 'operations' });
    assert.ok(
      ranking.rows.length > 0 && ranking.rows.length < MAX_FLAPPING_ROWS,
      `a window with some rows, fewer than the ranking holds (${ranking.rows.length})`,
    );
    const [{ touched }] = await plain(
      `select count(distinct c.row_id) as touched from ${CL} c join ${RUNS} r on r.sync_run_id = c.sync_run_id
       where c.sync_id = $1 and r.started_at >= $2::timestamptz`,
      [syncId, ranking.scope.since],
    );
    assert.equal(ranking.data.rowsWithOperations, n(touched));
    assert.equal((await loadFlappingActivity(recording, ranking)).rowsWithOperations, n(touched));
    assert.ok(!sent.some((text) => /as row_count\b/.test(text)), `no count query:\n${sent.join('\n---\n')}`);
  });
});

// Both ways of reading per-run operations: sync_runs' counters (the default) and, for deployments
// whose sync_runs lacks them, an aggregate over the changelog. Each must give the same numbers.
for (const source of ['run counters', 'changelog'] as const)
  describe(`model over time (${source})`, () => {
    /** The runner these tests use, recording the statements it runs. */
    const sent: string[] = [];
    const modelRun = (): QueryRunner => {
      const shape = { ...documentedShape(), runCounters: source === 'run counters', fromCatalog: true };
      const inner = warehouseRunner(wh, { dialect: postgresDialect, schema: 'hightouch_audit', shape });
      return { loc: inner.loc, rows: (q, max) => (sent.push(q.text), inner.rows(q, max)) };
    };

    test('membership after every run equals a row-by-row replay of the changelog with retry semantics', async () => {
      const syncId = await busiestSync();
      const data = await loadModelOverTime(modelRun(), { syncId, days: null });
      // Replayed here, row by row. A row is in the model after its latest operation unless that
      // removed it; and because failed operations are retried by every run that plans anything, a
      // row whose add failed and that gets no operation in a later planning run has left the model
      // (nothing to undo in the destination), while one whose removal failed and gets none is back.
      const ops = await plain(
        `select c.row_id, c.op_type, c.status, c.sync_run_id from ${CL} c join ${RUNS} r on r.sync_run_id = c.sync_run_id
       where c.sync_id = $1 order by r.started_at, c.sync_run_id`,
        [syncId],
      );
      const runs = await plain(`select sync_run_id from ${RUNS} where sync_id = $1 order by started_at, sync_run_id`, [
        syncId,
      ]);
      const last = new Map<string, { op: string; ok: boolean; run: string }>();
      const membersAfter = new Map<string, number>();
      let i = 0;
      for (const r of runs) {
        const runId = String(r.sync_run_id);
        const start = i;
        for (; i < ops.length && String(ops[i].sync_run_id) === runId; i++) {
          last.set(String(ops[i].row_id), {
            op: String(ops[i].op_type),
            ok: ops[i].status === 'succeeded',
            run: runId,
          });
        }
        if (i > start) {
          for (const [row, s] of last) {
            if (s.run === runId || s.ok) continue;
            if (s.op === 'added') last.set(row, { op: 'removed', ok: true, run: runId });
            else if (s.op === 'removed') last.set(row, { op: 'changed', ok: true, run: runId });
          }
        }
        let members = 0;
        for (const s of last.values()) if (s.op !== 'removed') members++;
        membersAfter.set(runId, members);
      }
      assert.equal(i, ops.length, 'every operation belongs to a run');
      assert.equal(data.points.length, runs.length);
      const mismatch = data.points.find((p) => p.membership !== membersAfter.get(p.syncRunId));
      assert.equal(
        mismatch,
        undefined,
        `membership after run ${mismatch?.syncRunId}: panel ${mismatch?.membership}, replay ${membersAfter.get(mismatch?.syncRunId ?? '')}`,
      );
      const [{ now }] = await plain(`select count(*) as now from ${SNAP} where sync_id = $1`, [syncId]);
      assert.equal(data.currentMembership, n(now));
    });

    test(
      source === 'run counters' ? 'reads sync_runs and the snapshot, never the changelog' : 'aggregates the changelog',
      async () => {
        sent.length = 0;
        await loadModelOverTime(modelRun(), { syncId: await busiestSync(), days: null });
        assert.equal(
          sent.some((t) => t.includes('sync_changelog')),
          source === 'changelog',
          sent.join('\n---\n'),
        );
      },
    );

    test('adds, changes, removes, failures and aborted operations per run equal the changelog counts', async () => {
      const syncId = await busiestSync();
      const data = await loadModelOverTime(modelRun(), { syncId, days: 7 });
      const counts = await plain(
        `select r.sync_run_id,
         count(c.op_type) filter (where c.op_type = 'added') as added,
         count(c.op_type) filter (where c.op_type = 'changed') as changed,
         count(c.op_type) filter (where c.op_type = 'removed') as removed,
         count(c.op_type) filter (where c.status = 'failed') as failed,
         count(c.op_type) filter (where c.status = 'aborted') as aborted
       from ${RUNS} r left join ${CL} c on c.sync_run_id = r.sync_run_id
       where r.sync_id = $1 and r.started_at >= (select max(started_at) from ${RUNS} where sync_id = $1) - interval '7 days'
       group by r.sync_run_id, r.started_at order by r.started_at, r.sync_run_id`,
        [syncId],
      );
      assert.ok(counts.length > 1);
      assert.ok(
        counts.some((c) => n(c.aborted) > 0),
        'the window holds a run with aborted operations',
      );
      assert.deepEqual(
        data.points.map((p) => [p.syncRunId, p.added, p.changed, p.removed, p.failed, p.aborted]),
        counts.map((c) => [String(c.sync_run_id), n(c.added), n(c.changed), n(c.removed), n(c.failed), n(c.aborted)]),
      );
    });
  });

describe('row timeline', () => {
  test('every operation of a flapping row, in run order, with field diffs between them', async () => {
    const syncId = await busiestSync();
    const [{ row_id: rowId }] = await plain(
      `select row_id from ${CL} where sync_id = $1 and op_type = 'changed' group by row_id order by count(*) desc, row_id limit 1`,
      [syncId],
    );
    const data = await loadTimeline(run, { rowId: String(rowId), syncId });
    const everything = await plain(
      `select c.sync_run_id, c.op_type, c.status from ${CL} c join ${RUNS} r on r.sync_run_id = c.sync_run_id
       where c.sync_id = $1 and c.row_id = $2 order by r.started_at`,
      [syncId, rowId],
    );
    // A row that flaps for long has more operations than the panel shows: it shows the latest.
    assert.equal(data.truncated, everything.length > MAX_TIMELINE_EVENTS);
    const expected = everything.slice(-MAX_TIMELINE_EVENTS);
    assert.deepEqual(
      data.events.map((e) => [e.syncRunId, e.opType, e.status]),
      expected.map((e) => [String(e.sync_run_id), e.op_type, e.status]),
    );
    assert.equal(data.hasFields, true);
    const changed = data.events.find((e, i) => i > 0 && e.opType === 'changed' && e.changes && e.changes.length > 0);
    assert.ok(changed, 'a changed operation shows which fields changed');
    const [snap] = await plain(`select status from ${SNAP} where sync_id = $1 and row_id = $2`, [syncId, rowId]);
    assert.equal(data.snapshot.find((s) => s.syncId === syncId)?.status, snap ? snap.status : 'absent');
  });
});
