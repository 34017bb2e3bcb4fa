import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PostgresServer } from '../support/postgresServer';
import { startDemoPostgres } from '../support/demoPostgres';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { discoverSyncLog } from '../../src/warehouse/discovery';
import { resultObjects } from '../../src/shared/queryResult';
import { postgresDialect, type Dialect, type SqlQuery } from '../../src/sql/dialect';
import { redshiftDialect } from '../../src/sql/dialects/redshift';
import { RUN_COUNTERS } from '../../src/sql/syncLogShape';
import type { SyncLogLocation } from '../../src/sql/syncLogTables';
import { listRunsQuery, listSyncsQuery, runFailuresQuery } from '../../src/sql/treeQueries';
import { toRunSummary, toSyncSummary } from '../../src/views/treeModel';
import { warehouseRunner, type QueryRunner } from '../../src/loaders/queryRunner';
import { loadBreakdown, loadBreakdownDetails } from '../../src/loaders/breakdownLoader';
import { loadFlapping, loadFlappingActivity } from '../../src/loaders/flappingLoader';
import { loadModelOverTime } from '../../src/loaders/modelOverTimeLoader';
import { loadTimeline } from '../../src/loaders/timelineLoader';
import { DEFAULT_CATEGORIES, compileCategories } from '../../src/analysis/errorCategories';

// Deployments whose sync_runs lacks the num_* counters (all of them, or some). Discovery sees it;
// every tree query and every panel loader must then follow that shape. The expected figures come
// from the demo's own sync_runs counters in hightouch_audit, which the variants below do not have:
// an independent source (the demo generator writes them; cliDemoLoad checks they equal the changelog).

const RUN_COLUMNS =
  'sync_id, sync_run_id, primary_key, destination, model_name, status, error, started_at, finished_at';
const VARIANTS = [
  { schema: 'no_counters', keeps: [] as string[] },
  {
    schema: 'some_counters',
    keeps: RUN_COUNTERS.filter((c) => c.startsWith('num_planned') || c.startsWith('num_failed')),
  },
  { schema: 'one_counter_missing', keeps: RUN_COUNTERS.filter((c) => c !== 'num_failed_remove') },
];
const variantSql = VARIANTS.map(
  ({ schema, keeps }) => `create schema ${schema};
  create table ${schema}.sync_runs as select ${[RUN_COLUMNS, ...keeps].join(', ')} from hightouch_audit.sync_runs;
  create view ${schema}.sync_changelog as select * from hightouch_audit.sync_changelog;
  create view ${schema}.sync_snapshot as select * from hightouch_audit.sync_snapshot;`,
).join('\n');

const RUNS = 'hightouch_audit.sync_runs';
const CL = 'hightouch_audit.sync_changelog';
const sum = (family: string, alias = '') =>
  ['add', 'change', 'remove'].map((op) => `coalesce(${alias}num_${family}_${op}, 0)`).join(' + ');

let server: PostgresServer;
let wh: Warehouse;
/** The demo schema, with its counters: the loaders' answers there are the reference. */
let reference: QueryRunner;
const cats = compileCategories(DEFAULT_CATEGORIES);

const plain = async (sql: string, values: unknown[] = []) =>
  resultObjects(await wh.query(sql, values, { maxRows: 10_000_000 }));
const rows = async (q: SqlQuery) =>
  resultObjects(await wh.query(q.text, q.values, { readOnly: true, maxRows: 10_000_000 }));
const n = (v: unknown) => Number(v);

before(async () => {
  ({ server, wh } = await startDemoPostgres(variantSql));
  const demo = await discoverSyncLog(wh, { connectionName: 'pg', schema: 'hightouch_audit' });
  assert.equal(demo.location.shape?.runCounters, true);
  reference = warehouseRunner(wh, demo.location);
});

after(async () => {
  await wh?.close();
  await server?.stop();
});

/** Each sync's latest run with its counters, and its run totals, from the demo's sync_runs. */
async function expectedSyncs() {
  return plain(`select l.sync_id, l.model_name, l.status, l.planned, l.attempted, l.succeeded, l.failed, t.runs, t.failed_runs
    from (select distinct on (sync_id) sync_id, model_name, status,
            ${sum('planned')} as planned, ${sum('attempted')} as attempted, ${sum('succeeded')} as succeeded, ${sum('failed')} as failed
          from ${RUNS} order by sync_id, started_at desc, sync_run_id desc) l
    join (select sync_id, count(*) as runs, count(*) filter (where status = 'failed') as failed_runs from ${RUNS} group by sync_id) t on t.sync_id = l.sync_id
    order by l.sync_id`);
}

/** Every run of a sync, newest first, with its counters, from the demo's sync_runs. */
async function expectedRuns(syncId: string) {
  return plain(
    `select sync_run_id, status, ${sum('planned')} as planned, ${sum('attempted')} as attempted, ${sum('succeeded')} as succeeded, ${sum('failed')} as failed,
       coalesce(num_planned_add, 0) as pa, coalesce(num_planned_change, 0) as pc, coalesce(num_planned_remove, 0) as pr
     from ${RUNS} where sync_id = $1 order by started_at desc, sync_run_id desc`,
    [syncId],
  );
}

async function busiestSync(): Promise<string> {
  const [row] = await plain(`select sync_id from ${CL} group by sync_id order by count(*) desc limit 1`);
  return String(row.sync_id);
}

for (const variant of VARIANTS) {
  describe(`sync_runs without ${variant.keeps.length === 0 ? 'any counter' : `${12 - variant.keeps.length} of its counters`} (${variant.schema})`, () => {
    let discovered: SyncLogLocation;
    before(async () => {
      const lines: string[] = [];
      const info = await discoverSyncLog(wh, {
        connectionName: 'pg',
        schema: variant.schema,
        log: (_, line) => lines.push(line),
      });
      assert.equal(info.problem, undefined);
      assert.equal(info.location.shape?.runCounters, false, 'discovery sees the counters are missing');
      const missing = RUN_COUNTERS.filter((c) => !variant.keeps.includes(c));
      assert.ok(
        lines.some((l) =>
          l.includes(`sync_runs lacks ${missing.join(', ')}: per-run figures are counted in the changelog`),
        ),
        lines.join('\n'),
      );
      discovered = info.location;
    });

    for (const dialect of [postgresDialect, redshiftDialect] as Dialect[]) {
      describe(`tree queries, ${dialect.name} dialect`, () => {
        const loc = () => ({ ...discovered, dialect });

        test("Syncs view (and the panels' sync pickers): every sync, its latest run's figures and run totals", async () => {
          const syncs = (await rows(listSyncsQuery(loc()))).map(toSyncSummary);
          const expected = await expectedSyncs();
          assert.ok(expected.length >= 5);
          assert.deepEqual(
            syncs
              .map((s) => [
                s.syncId,
                s.modelName,
                s.lastStatus,
                s.lastPlanned,
                s.lastAttempted,
                s.lastSucceeded,
                s.lastFailed,
                s.runCount,
                s.failedRunCount,
              ])
              .sort(),
            expected
              .map((e) => [
                String(e.sync_id),
                e.model_name,
                e.status,
                n(e.planned),
                n(e.attempted),
                n(e.succeeded),
                n(e.failed),
                n(e.runs),
                n(e.failed_runs),
              ])
              .sort(),
          );
          assert.ok(
            syncs.some((s) => s.lastPlanned > 0 && s.lastSucceeded > 0),
            'real figures, not zeros',
          );
        });

        test('the Syncs list is bounded: the figures are counted for the syncs shown only', async () => {
          const two = (await rows(listSyncsQuery(loc(), 2))).map(toSyncSummary);
          const all = (await rows(listSyncsQuery(loc()))).map(toSyncSummary);
          assert.deepEqual(two, all.slice(0, 2));
        });

        test("runs pages: every run's planned, attempted, succeeded, failed and planned by op, page by page", async () => {
          const syncId = await busiestSync();
          const expected = await expectedRuns(syncId);
          assert.ok(expected.length > 20);
          const pageSize = 7;
          const seen: ReturnType<typeof toRunSummary>[] = [];
          for (let offset = 0; offset < expected.length; offset += pageSize) {
            const page = (await rows(listRunsQuery(loc(), syncId, offset, pageSize))).map(toRunSummary);
            // One extra row tells whether another page exists.
            assert.equal(page.length, Math.min(pageSize + 1, expected.length - offset));
            seen.push(...page.slice(0, pageSize));
          }
          assert.deepEqual(
            seen.map((r) => [
              r.syncRunId,
              r.status,
              r.planned,
              r.attempted,
              r.succeeded,
              r.failed,
              r.plannedAdd,
              r.plannedChange,
              r.plannedRemove,
            ]),
            expected.map((e) => [
              String(e.sync_run_id),
              e.status,
              n(e.planned),
              n(e.attempted),
              n(e.succeeded),
              n(e.failed),
              n(e.pa),
              n(e.pc),
              n(e.pr),
            ]),
          );
          assert.ok(
            seen.some((r) => r.planned > r.attempted),
            'a run with aborted operations is among them',
          );
          assert.ok(
            seen.some((r) => r.failed > 0),
            'and one with failures',
          );
        });

        test("a run's failures add up to its failed counter", async () => {
          const [r] = await plain(
            `select sync_id, sync_run_id, ${sum('failed')} as failed from ${RUNS} order by 3 desc limit 1`,
          );
          assert.ok(n(r.failed) > 0);
          const groups = await rows(runFailuresQuery(loc(), String(r.sync_id), String(r.sync_run_id), 1000));
          assert.equal(
            groups.reduce((s, g) => s + n(g.row_count), 0),
            n(r.failed),
          );
        });
      });
    }

    describe('panel loaders', () => {
      const run = () => warehouseRunner(wh, discovered);

      test('error breakdown (table and chart) equals the one on the schema with counters; totals equal the failed counters', async () => {
        const p = { syncId: null, syncRunId: null, source: 'changelog' as const, days: 30 };
        const mine = await loadBreakdown(run(), p, cats);
        const ref = await loadBreakdown(reference, p, cats);
        assert.deepEqual(mine.data, ref.data);
        const [{ failed }] = await plain(
          `select sum(${sum('failed')}) as failed from ${RUNS} where started_at >= (select max(started_at) from ${RUNS}) - interval '30 days'`,
        );
        assert.ok(n(failed) > 0);
        assert.equal(mine.data.totalFailures, n(failed));
        const details = await loadBreakdownDetails(run(), mine, 'changelog', cats);
        assert.deepEqual(details.chart, (await loadBreakdownDetails(reference, ref, 'changelog', cats)).chart);
        assert.ok(details.chart.buckets.length > 0);
      });

      test('flapping rows equal the ones on the schema with counters', async () => {
        const p = { syncId: await busiestSync(), days: null, orderBy: 'operations' as const };
        const mine = await loadFlappingActivity(run(), await loadFlapping(run(), p));
        assert.deepEqual(mine, await loadFlappingActivity(reference, await loadFlapping(reference, p)));
        const [{ runs }] = await plain(`select count(*) as runs from ${RUNS} where sync_id = $1`, [p.syncId]);
        assert.equal(mine.runsInWindow, n(runs));
        assert.ok(mine.rows.length > 0);
      });

      test('row timeline equals the one on the schema with counters', async () => {
        const syncId = await busiestSync();
        const [{ row_id: rowId }] = await plain(
          `select row_id from ${CL} where sync_id = $1 group by row_id order by count(*) desc, row_id limit 1`,
          [syncId],
        );
        const mine = await loadTimeline(run(), { rowId: String(rowId), syncId });
        assert.deepEqual(mine, await loadTimeline(reference, { rowId: String(rowId), syncId }));
        assert.ok(mine.events.length > 1);
      });

      test("model over time: each run's adds, changes, removes and failures equal its counters", async () => {
        const syncId = await busiestSync();
        const mine = await loadModelOverTime(run(), { syncId, days: 14 });
        assert.deepEqual(mine, await loadModelOverTime(reference, { syncId, days: 14 }));
        const counters = await plain(
          `select sync_run_id, coalesce(num_planned_add, 0) as a, coalesce(num_planned_change, 0) as c, coalesce(num_planned_remove, 0) as r, ${sum('failed')} as f
           from ${RUNS} where sync_id = $1 and started_at >= (select max(started_at) from ${RUNS} where sync_id = $1) - interval '14 days'
           order by started_at, sync_run_id`,
          [syncId],
        );
        assert.ok(counters.length > 1);
        assert.deepEqual(
          mine.points.map((p) => [p.syncRunId, p.added, p.changed, p.removed, p.failed]),
          counters.map((c) => [String(c.sync_run_id), n(c.a), n(c.c), n(c.r), n(c.f)]),
        );
      });
    });
  });
}
