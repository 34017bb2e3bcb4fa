import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PostgresServer } from '../support/postgresServer';
import { startDemoPostgres } from '../support/demoPostgres';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { discoverSyncLog } from '../../src/warehouse/discovery';
import { listRunsQuery, listSyncsQuery, runFailuresQuery } from '../../src/sql/treeQueries';
import { runChangelogSql } from '../../src/sql/runQueryText';
import { postgresDialect } from '../../src/sql/dialect';
import { redshiftDialect } from '../../src/sql/dialects/redshift';
import { resultObjects } from '../../src/shared/queryResult';
import { toRunSummary, toSyncSummary } from '../../src/views/treeModel';
import type { Dialect } from '../../src/sql/dialect';

// The builders' SQL on a real PostgreSQL server holding the demo sync log, for the Postgres
// dialect and for the Redshift dialect wherever its SQL is also valid Postgres (it is for these:
// Redshift-only syntax such as QUALIFY is covered by the golden tests). Answers are checked
// against plain SQL written independently here.

let server: PostgresServer;
let wh: Warehouse;

const plain = async (sql: string, values: unknown[] = []) => resultObjects(await wh.query(sql, values));

before(async () => {
  // A deployment that uses the vendor page's column name, and a schema with only one table.
  ({ server, wh } = await startDemoPostgres(`create schema legacy_audit;
      create table legacy_audit.sync_runs as select * from hightouch_audit.sync_runs;
      create table legacy_audit.sync_changelog as select sync_id, sync_run_id, op_type, row_id, status, failure_reason as failed_reason from hightouch_audit.sync_changelog;
      create table legacy_audit.sync_snapshot as select sync_id, op_type, row_id, status, failure_reason as failed_reason from hightouch_audit.sync_snapshot;
      create schema partial_audit;
      create table partial_audit.sync_runs as select * from hightouch_audit.sync_runs limit 1;`));
});

after(async () => {
  await wh?.close();
  await server?.stop();
});

for (const dialect of [postgresDialect, redshiftDialect] as Dialect[]) {
  describe(`${dialect.name} dialect on the real server`, () => {
    const loc = { dialect, schema: 'hightouch_audit' };
    const run = async (q: { text: string; values: unknown[] }) =>
      resultObjects(await wh.query(q.text, q.values, { readOnly: true }));

    test('listSyncs: each sync with its run counts and latest run', async () => {
      const syncs = (await run(listSyncsQuery(loc))).map(toSyncSummary);
      const expected = await plain(`select sync_id::text as sync_id, count(*)::int as runs,
          sum(case when status = 'failed' then 1 else 0 end)::int as failed_runs, max(started_at) as last_started
        from hightouch_audit.sync_runs group by sync_id`);
      assert.equal(syncs.length, expected.length);
      assert.ok(syncs.length >= 5);
      for (const e of expected) {
        const s = syncs.find((x) => x.syncId === e.sync_id);
        assert.ok(s, `sync ${String(e.sync_id)}`);
        assert.equal(s.runCount, e.runs);
        assert.equal(s.failedRunCount, e.failed_runs);
        assert.equal(Date.parse(String(s.lastStartedAt)), Date.parse(String(e.last_started)));
      }
    });

    test('listRuns pages newest first; failures group to the changelog counts', async () => {
      const [{ sync_id }] = await plain(
        'select sync_id::text as sync_id from hightouch_audit.sync_runs group by sync_id order by count(*) desc limit 1',
      );
      const a = (await run(listRunsQuery(loc, String(sync_id), 0, 5))).map(toRunSummary);
      const b = (await run(listRunsQuery(loc, String(sync_id), 5, 5))).map(toRunSummary);
      assert.equal(a.length, 6);
      assert.deepEqual(a[5], b[0]);
      const [failedRun] =
        await plain(`select sync_id::text as sync_id, sync_run_id::text as sync_run_id, count(*)::int as failed
        from hightouch_audit.sync_changelog where status = 'failed' group by 1, 2 order by 3 desc limit 1`);
      const groups = await run(runFailuresQuery(loc, String(failedRun.sync_id), String(failedRun.sync_run_id), 1000));
      assert.equal(
        groups.reduce((sum, g) => sum + Number(g.row_count), 0),
        failedRun.failed,
      );
    });

    test("the Open Run Query text runs and returns the run's changelog rows", async () => {
      const [r] = await plain(`select sync_id::text as sync_id, sync_run_id::text as sync_run_id, count(*)::int as n
        from hightouch_audit.sync_changelog group by 1, 2 order by 3 limit 1`);
      const sql = runChangelogSql({
        ...loc,
        syncId: String(r.sync_id),
        syncRunId: String(r.sync_run_id),
        modelName: 'm',
        destination: 'd',
        startedAt: null,
      });
      const result = await wh.query(sql);
      assert.equal(result.rowCount, r.n);
      assert.equal(
        result.columns.some((c) => c.name === 'fields'),
        dialect.hasFieldsColumn,
      );
    });
  });
}

describe('catalog discovery on the real server', () => {
  test('finds the three tables and the failure_reason column', async () => {
    const info = await discoverSyncLog(wh, { connectionName: 'pg', schema: 'hightouch_audit' });
    assert.equal(info.problem, undefined);
    assert.deepEqual(info.location.shape?.missingTables, []);
    assert.equal(info.location.shape?.failureReason, 'failure_reason');
    assert.deepEqual(info.catalog?.tables.map((t) => t.name).sort(), ['sync_changelog', 'sync_runs', 'sync_snapshot']);
  });

  test('adapts to failed_reason: the failures query then runs and counts the same', async () => {
    const info = await discoverSyncLog(wh, { connectionName: 'pg', schema: 'legacy_audit' });
    assert.equal(info.location.shape?.failureReason, 'failed_reason');
    assert.equal(info.location.shape?.hasFields, false);
    const [r] = await plain(`select sync_id::text as sync_id, sync_run_id::text as sync_run_id, count(*)::int as failed
      from hightouch_audit.sync_changelog where status = 'failed' group by 1, 2 order by 3 desc limit 1`);
    const q = runFailuresQuery(info.location, String(r.sync_id), String(r.sync_run_id), 1000);
    const groups = resultObjects(await wh.query(q.text, q.values, { readOnly: true }));
    assert.equal(
      groups.reduce((sum, g) => sum + Number(g.row_count), 0),
      r.failed,
    );
    assert.ok(groups.every((g) => typeof g.failure_reason === 'string'));
  });

  test('a schema without sync logs, or with some, gets a message that says what to do', async () => {
    const none = await discoverSyncLog(wh, { connectionName: 'pg', schema: 'public' });
    assert.match(none.problem ?? '', /No Hightouch sync logs in public on "pg".*Sync Logs" tab/);
    const partial = await discoverSyncLog(wh, { connectionName: 'pg', schema: 'partial_audit' });
    assert.match(partial.problem ?? '', /has no sync_changelog and sync_snapshot table/);
  });
});
