import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PostgresServer } from '../support/postgresServer';
import { startDemoPostgres } from '../support/demoPostgres';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { postgresDialect, type Dialect, type SqlQuery } from '../../src/sql/dialect';
import { redshiftDialect } from '../../src/sql/dialects/redshift';
import { documentedShape } from '../../src/sql/syncLogShape';
import type { SyncLogLocation } from '../../src/sql/syncLogTables';
import { resultObjects } from '../../src/shared/queryResult';
import { newestRunQuery, scopeRunsQuery } from '../../src/sql/scopeRunsQuery';
import {
  failedRowsQuery,
  failureTextHistoryQuery,
  failureTextsQuery,
  failuresPerRunQuery,
  snapshotFailureTextsQuery,
} from '../../src/sql/errorBreakdownQueries';
import { flappingRowsQuery, rowActivityQuery, rowsWithOperationsQuery } from '../../src/sql/flappingQueries';
import { modelOpsPerRunQuery, snapshotCountQuery } from '../../src/sql/modelOverTimeQueries';
import { rowSnapshotQuery, rowTimelineQuery } from '../../src/sql/rowTimelineQuery';
import { excludeFailedRowsSql } from '../../src/sql/excludeFailedRows';

// The analysis builders on a real PostgreSQL server holding the demo sync log (Postgres dialect,
// and the Redshift dialect where its SQL is also valid Postgres, which it is for these). Every
// number is checked against plain SQL written differently here: per-row counts with
// where sync_id = .. and row_id = .., per-run counts against the sync_runs counters, failure
// texts with a plain group by, windows against explicit run-id lists.

let server: PostgresServer;
let wh: Warehouse;
/** The sync with the most failed changelog operations, and one with failures in its snapshot. */
let syncId: string;
let snapshotSyncId: string;

const plain = async (sql: string, values: unknown[] = []) => resultObjects(await wh.query(sql, values));
const run = async (q: SqlQuery) => resultObjects(await wh.query(q.text, q.values, { readOnly: true }));
const num = (v: unknown) => Number(v);
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
/** The per-text lines of the breakdown's query (it also returns a total and overlap pairs). */
const textLines = (rows: Record<string, unknown>[]) => rows.filter((r) => r.kind === 'text');

before(async () => {
  // A deployment that uses the vendor page's column name and has no fields.
  ({ server, wh } = await startDemoPostgres(`create schema legacy_audit;
      create table legacy_audit.sync_runs as select * from hightouch_audit.sync_runs;
      create table legacy_audit.sync_changelog as select sync_id, sync_run_id, op_type, row_id, status, failure_reason as failed_reason from hightouch_audit.sync_changelog;
      create table legacy_audit.sync_snapshot as select sync_id, op_type, row_id, status, failure_reason as failed_reason from hightouch_audit.sync_snapshot;`));
  [{ sync_id: syncId }] = (await plain(`select sync_id::text as sync_id from hightouch_audit.sync_changelog
    where status = 'failed' group by sync_id order by count(*) desc, sync_id limit 1`)) as { sync_id: string }[];
  [{ sync_id: snapshotSyncId }] = (await plain(`select sync_id::text as sync_id from hightouch_audit.sync_snapshot
    where status = 'failed' group by sync_id order by count(*) desc, sync_id limit 1`)) as { sync_id: string }[];
});

after(async () => {
  await wh?.close();
  await server?.stop();
});

/** The start of the sync's k-th newest run, and the ids of the runs at or after it. */
async function windowOf(k: number): Promise<{ since: string; runIds: string[] }> {
  const runs = await plain(
    `select sync_run_id::text as id, started_at from hightouch_audit.sync_runs where sync_id = $1 order by started_at desc, sync_run_id desc`,
    [syncId],
  );
  assert.ok(runs.length > k + 2, 'the sync has enough runs for a window');
  const since = iso(runs[k].started_at)!;
  return { since, runIds: runs.filter((r) => iso(r.started_at)! >= since).map((r) => String(r.id)) };
}

for (const dialect of [postgresDialect, redshiftDialect] as Dialect[]) {
  describe(`${dialect.name} dialect: analysis builders on the real server`, () => {
    const loc: SyncLogLocation = { dialect, schema: 'hightouch_audit' };

    test('scope runs and the newest run', async () => {
      const runs = await run(scopeRunsQuery(loc, { syncId }, 100000));
      const [expected] = await plain(
        'select count(*)::int as n, max(started_at) as newest from hightouch_audit.sync_runs where sync_id = $1',
        [syncId],
      );
      assert.equal(runs.length, expected.n);
      assert.equal(iso(runs[0].started_at), iso(expected.newest), 'newest first');
      assert.deepEqual(Object.keys(runs[0]), ['sync_id', 'sync_run_id', 'started_at', 'status', 'error']);
      const [{ newest }] = await run(newestRunQuery(loc, syncId));
      assert.equal(iso(newest), iso(expected.newest));
      const [{ newest: newestAll }] = await run(newestRunQuery(loc));
      const [{ m }] = await plain('select max(started_at) as m from hightouch_audit.sync_runs');
      assert.equal(iso(newestAll), iso(m));
      assert.equal((await run(scopeRunsQuery(loc, { syncId }, 3))).length, 3);
      const { since, runIds } = await windowOf(4);
      assert.deepEqual(
        (await run(scopeRunsQuery(loc, { syncId, since }, 1000))).map((r) => String(r.sync_run_id)).sort(),
        [...runIds].sort(),
      );
    });

    test('failure texts: failures and distinct rows match a plain group by; the total and the multi-text rows too', async () => {
      const all = await run(failureTextsQuery(loc, { syncId }, 100000));
      const groups = textLines(all);
      const expected = await plain(
        `select failure_reason, count(*)::int as n, count(distinct row_id)::int as r
        from hightouch_audit.sync_changelog where sync_id = $1 and status = 'failed' group by failure_reason`,
        [syncId],
      );
      assert.ok(expected.length > 1);
      assert.equal(groups.length, expected.length);
      for (const e of expected) {
        const g = groups.find((x) => x.failure_reason === e.failure_reason);
        assert.ok(g, String(e.failure_reason));
        assert.deepEqual([num(g.failures), num(g.failed_rows)], [e.n, e.r], String(e.failure_reason));
      }
      assert.ok(
        expected.some((e) => num(e.n) > num(e.r)),
        'retries: some text has more failures than rows',
      );
      for (let i = 1; i < groups.length; i++) {
        const [a, b] = [groups[i - 1], groups[i]];
        assert.ok(
          num(a.failed_rows) > num(b.failed_rows) ||
            (num(a.failed_rows) === num(b.failed_rows) && num(a.failures) >= num(b.failures)),
          'most rows first, then failures',
        );
      }
      const totals = all.filter((r) => r.kind === 'total');
      const [{ n, r }] = await plain(
        `select count(*)::int as n, count(distinct row_id)::int as r from hightouch_audit.sync_changelog where sync_id = $1 and status = 'failed'`,
        [syncId],
      );
      assert.deepEqual(
        totals.map((t) => [num(t.failures), num(t.failed_rows)]),
        [[n, r]],
      );
      // Pairs: exactly the (row, text) of rows that failed with more than one text.
      const pairs = all
        .filter((x) => x.kind === 'pair')
        .map((x) => `${String(x.row_id)}|${String(x.failure_reason)}`)
        .sort();
      const multi = await plain(
        `select distinct row_id::text as row_id, failure_reason from hightouch_audit.sync_changelog c
        where sync_id = $1 and status = 'failed' and row_id in (
          select row_id from hightouch_audit.sync_changelog where sync_id = $1 and status = 'failed' group by row_id having count(distinct coalesce(failure_reason, '<null>')) > 1)`,
        [syncId],
      );
      assert.ok(multi.length > 0, 'the demo has rows whose failure text changed');
      assert.deepEqual(pairs, multi.map((x) => `${String(x.row_id)}|${String(x.failure_reason)}`).sort());
      // Per run: a sample row of each (run, text), the smallest id.
      const perRun = await run(failuresPerRunQuery(loc, { syncId }, 1000000));
      const p0 = perRun[0];
      const [sample] = await plain(
        `select min(row_id) as s from hightouch_audit.sync_changelog where sync_id = $1 and sync_run_id = $2 and status = 'failed' and failure_reason = $3`,
        [syncId, p0.sync_run_id, p0.failure_reason],
      );
      assert.equal(p0.sample_row_id, sample.s);
      // limit + 1: the caller sees that more texts (and more pairs) exist.
      const limited = await run(failureTextsQuery(loc, { syncId }, 2, 1));
      assert.equal(textLines(limited).length, 3);
      assert.equal(limited.filter((x) => x.kind === 'pair').length, 2);
      assert.deepEqual(
        limited.filter((x) => x.kind === 'total').map((t) => num(t.failed_rows)),
        [r],
        'the total does not depend on the limits',
      );
      // One run only.
      const [oneRunExpected] = await plain(
        `select sync_run_id::text as id, count(*)::int as n from hightouch_audit.sync_changelog
        where sync_id = $1 and status = 'failed' group by 1 order by 2 desc limit 1`,
        [syncId],
      );
      const oneRun = textLines(
        await run(failureTextsQuery(loc, { syncId, syncRunId: String(oneRunExpected.id) }, 100000)),
      );
      assert.equal(
        oneRun.reduce((s, g) => s + num(g.failures), 0),
        oneRunExpected.n,
      );
    });

    test('snapshot failure texts match a plain group by on the snapshot', async () => {
      const groups = await run(snapshotFailureTextsQuery(loc, { syncId: snapshotSyncId }, 100000));
      const expected = await plain(
        `select failure_reason, count(*)::int as n from hightouch_audit.sync_snapshot
        where status = 'failed' and sync_id = $1 group by 1`,
        [snapshotSyncId],
      );
      assert.equal(groups.length, expected.length);
      // One snapshot row per row: rows and failures are both its rows.
      for (const e of expected) {
        const g = groups.find((x) => x.failure_reason === e.failure_reason);
        assert.deepEqual([num(g?.failures), num(g?.failed_rows)], [e.n, e.n]);
      }
      assert.ok(groups.every((g) => g.first_seen === null && g.last_seen === null && g.kind === 'text'));
      const all = await run(snapshotFailureTextsQuery(loc, {}, 100000));
      const [{ n }] = await plain(
        `select count(*)::int as n from hightouch_audit.sync_snapshot where status = 'failed'`,
      );
      assert.equal(
        all.reduce((s, g) => s + num(g.failed_rows), 0),
        n,
      );
    });

    test('failures per run equal the sync_runs failed counters', async () => {
      const rows = await run(failuresPerRunQuery(loc, { syncId }, 100000));
      const perRun = new Map<string, number>();
      for (const r of rows)
        perRun.set(String(r.sync_run_id), (perRun.get(String(r.sync_run_id)) ?? 0) + num(r.row_count));
      const counters = await plain(
        `select sync_run_id::text as id, (num_failed_add + num_failed_change + num_failed_remove)::int as failed
        from hightouch_audit.sync_runs where sync_id = $1`,
        [syncId],
      );
      for (const c of counters) assert.equal(perRun.get(String(c.id)) ?? 0, c.failed, `run ${String(c.id)}`);
      assert.ok([...perRun.values()].some((v) => v > 0));
    });

    test('failed rows drill-down returns exactly the rows of the chosen texts', async () => {
      const groups = textLines(await run(failureTextsQuery(loc, { syncId }, 100000)));
      const texts = groups.slice(0, 2).map((g) => String(g.failure_reason));
      const expectedCount = groups.slice(0, 2).reduce((s, g) => s + num(g.failures), 0);
      const rows = await run(failedRowsQuery(loc, { scope: { syncId }, source: 'changelog', texts, limit: 100000 }));
      assert.equal(rows.length, expectedCount);
      assert.deepEqual(Object.keys(rows[0]), [
        'row_id',
        'sync_id',
        'sync_run_id',
        'started_at',
        'op_type',
        'failure_reason',
      ]);
      assert.ok(
        rows.every(
          (r) => texts.includes(String(r.failure_reason)) && String(r.sync_id) === syncId && r.started_at !== null,
        ),
      );
      for (let i = 1; i < rows.length; i++)
        assert.ok(iso(rows[i - 1].started_at)! >= iso(rows[i].started_at)!, 'newest first');

      const snap = await run(snapshotFailureTextsQuery(loc, { syncId: snapshotSyncId }, 100000));
      const snapRows = await run(
        failedRowsQuery(loc, {
          scope: { syncId: snapshotSyncId },
          source: 'snapshot',
          texts: [String(snap[0].failure_reason)],
          limit: 100000,
        }),
      );
      assert.equal(snapRows.length, num(snap[0].failures));
      assert.ok(snapRows.every((r) => r.sync_run_id === null && r.started_at === null));
    });

    test('flapping rows: per-row counts match counts by sync_id and row_id', async () => {
      // The retry-aware columns (changes, entries, exits, retries) are checked against a replay in retriesAndStuckRows.test.ts.
      for (const orderBy of ['operations'] as const) {
        const rows = await run(flappingRowsQuery(loc, { syncId, orderBy, limit: 5 }));
        assert.equal(rows.length, 5);
        const [{ n }] = await plain(
          'select count(distinct row_id)::int as n from hightouch_audit.sync_changelog where sync_id = $1',
          [syncId],
        );
        const [touched] = await run(rowsWithOperationsQuery(loc, { syncId }));
        assert.equal(num(touched.row_count), n, 'rows with operations counts every row, not the page');
        for (const r of rows) {
          const [e] = await plain(
            `select count(*)::int as operations,
              count(*) filter (where op_type = 'changed')::int as changes,
              count(*) filter (where op_type = 'added')::int as adds,
              count(*) filter (where op_type = 'removed')::int as removes,
              count(*) filter (where status = 'failed')::int as failures
            from hightouch_audit.sync_changelog where sync_id = $1 and row_id = $2`,
            [syncId, r.row_id],
          );
          assert.equal(num(r.operations), e.operations, `${orderBy} ${String(r.row_id)} operations`);
          const activity = await run(rowActivityQuery(loc, { syncId, rowIds: [String(r.row_id)] }));
          assert.equal(
            activity.reduce((sum, a) => sum + num(a.failures), 0),
            e.failures,
            `${orderBy} ${String(r.row_id)} failures (from the activity query)`,
          );
        }
        // The first row really is the top by the chosen order.
        const [top] = await plain(
          `select max(k)::int as k from (select count(*) as k from hightouch_audit.sync_changelog where sync_id = $1 group by row_id) x`,
          [syncId],
        );
        assert.equal(num(rows[0].operations), top.k, orderBy);
      }
    });

    test('row activity and timeline: per-run operations and every operation of the row', async () => {
      const top = await run(flappingRowsQuery(loc, { syncId, orderBy: 'operations', limit: 3 }));
      const rowIds = top.map((r) => String(r.row_id));
      const activity = await run(rowActivityQuery(loc, { syncId, rowIds }));
      for (const r of top) {
        const sum = activity.filter((a) => a.row_id === r.row_id).reduce((s, a) => s + num(a.operations), 0);
        assert.equal(sum, num(r.operations));
      }
      const rowId = rowIds[0];
      const events = await run(rowTimelineQuery(loc, { rowId, syncId, limit: 100000 }));
      assert.equal(events.length, num(top[0].operations));
      for (let i = 1; i < events.length; i++)
        assert.ok(iso(events[i - 1].started_at)! >= iso(events[i].started_at)!, 'newest first');
      assert.equal('fields' in events[0], dialect.hasFieldsColumn);
      assert.equal((await run(rowTimelineQuery(loc, { rowId, syncId, limit: 2 }))).length, 3, 'limit + 1');
      const [{ n }] = await plain('select count(*)::int as n from hightouch_audit.sync_changelog where row_id = $1', [
        rowId,
      ]);
      assert.equal((await run(rowTimelineQuery(loc, { rowId, limit: 100000 }))).length, n, 'every sync');
      const snap = await run(rowSnapshotQuery(loc, { rowId }));
      const expected = await plain(
        'select sync_id::text as sync_id, status from hightouch_audit.sync_snapshot where row_id = $1 order by sync_id',
        [rowId],
      );
      assert.deepEqual(
        snap.map((s) => [String(s.sync_id), s.status]),
        expected.map((e) => [e.sync_id, e.status]),
      );
    });

    test('model over time: per-run counts equal the sync_runs counters; snapshot count', async () => {
      const ops = await run(modelOpsPerRunQuery(loc, { syncId }));
      const counters = await plain(
        `select sync_run_id::text as id, num_planned_add::int as pa, num_planned_change::int as pc, num_planned_remove::int as pr,
          num_succeeded_add::int as sa, num_succeeded_remove::int as sr,
          (num_failed_add + num_failed_change + num_failed_remove)::int as failed,
          (num_planned_add + num_planned_change + num_planned_remove - num_attempted_add - num_attempted_change - num_attempted_remove)::int as aborted
        from hightouch_audit.sync_runs where sync_id = $1`,
        [syncId],
      );
      let compared = 0;
      for (const c of counters) {
        const o = ops.find((x) => String(x.sync_run_id) === c.id);
        if (!o) {
          assert.equal(num(c.pa) + num(c.pc) + num(c.pr), 0, `run ${String(c.id)} without operations`);
          continue;
        }
        compared++;
        assert.deepEqual(
          [o.added, o.changed, o.removed, o.failed, o.aborted, o.ok_added, o.ok_removed].map(num),
          [c.pa, c.pc, c.pr, c.failed, c.aborted, c.sa, c.sr],
          `run ${String(c.id)}`,
        );
      }
      assert.ok(compared > 3);
      const [{ row_count }] = await run(snapshotCountQuery(loc, syncId));
      const [{ n }] = await plain('select count(*)::int as n from hightouch_audit.sync_snapshot where sync_id = $1', [
        syncId,
      ]);
      assert.equal(num(row_count), n);
    });

    test('a `since` window gives the same answers as filtering by the list of run ids', async () => {
      const { since, runIds } = await windowOf(5);
      const texts = textLines(await run(failureTextsQuery(loc, { syncId, since }, 100000)));
      const expectedTexts = await plain(
        `select failure_reason, count(*)::int as n, count(distinct row_id)::int as r from hightouch_audit.sync_changelog
        where sync_id = $1 and status = 'failed' and sync_run_id::text = any($2) group by 1`,
        [syncId, runIds],
      );
      assert.equal(texts.length, expectedTexts.length);
      for (const e of expectedTexts) {
        const t = texts.find((x) => x.failure_reason === e.failure_reason);
        assert.deepEqual([num(t?.failures), num(t?.failed_rows)], [e.n, e.r]);
      }

      const perRun = await run(failuresPerRunQuery(loc, { syncId, since }, 100000));
      assert.ok(perRun.every((r) => runIds.includes(String(r.sync_run_id))));
      assert.equal(
        perRun.reduce((s, r) => s + num(r.row_count), 0),
        expectedTexts.reduce((s, e) => s + num(e.n), 0),
      );

      const flapping = await run(flappingRowsQuery(loc, { syncId, since, orderBy: 'operations', limit: 10 }));
      const [{ rows_n }] = await plain(
        'select count(distinct row_id)::int as rows_n from hightouch_audit.sync_changelog where sync_id = $1 and sync_run_id::text = any($2)',
        [syncId, runIds],
      );
      const [touched] = await run(rowsWithOperationsQuery(loc, { syncId, since }));
      assert.equal(num(touched.row_count), rows_n);
      for (const r of flapping.slice(0, 3)) {
        const [{ n }] = await plain(
          'select count(*)::int as n from hightouch_audit.sync_changelog where sync_id = $1 and row_id = $2 and sync_run_id::text = any($3)',
          [syncId, r.row_id, runIds],
        );
        assert.equal(num(r.operations), n);
      }
      const activity = await run(rowActivityQuery(loc, { syncId, since, rowIds: [String(flapping[0].row_id)] }));
      assert.equal(
        activity.reduce((s, a) => s + num(a.operations), 0),
        num(flapping[0].operations),
      );

      const ops = await run(modelOpsPerRunQuery(loc, { syncId, since }));
      const [{ k }] = await plain(
        'select count(distinct sync_run_id)::int as k from hightouch_audit.sync_changelog where sync_id = $1 and sync_run_id::text = any($2)',
        [syncId, runIds],
      );
      assert.equal(ops.length, k);
      assert.ok(ops.every((o) => runIds.includes(String(o.sync_run_id))));

      const drill = await run(
        failedRowsQuery(loc, {
          scope: { syncId, since },
          source: 'changelog',
          texts: [String(texts[0].failure_reason)],
          limit: 100000,
        }),
      );
      assert.equal(drill.length, num(texts[0].failures));
    });
  });
}

describe('deployment variants and the exclude-failed-rows SQL on the real server', () => {
  test('failed_reason without fields: the builders run and count the same', async () => {
    const legacy: SyncLogLocation = {
      dialect: postgresDialect,
      schema: 'legacy_audit',
      shape: { ...documentedShape(false), failureReason: 'failed_reason', fromCatalog: true },
    };
    const modern: SyncLogLocation = { dialect: postgresDialect, schema: 'hightouch_audit' };
    const a = await run(failureTextsQuery(legacy, { syncId }, 100000));
    const b = await run(failureTextsQuery(modern, { syncId }, 100000));
    assert.deepEqual(a, b);
    assert.deepEqual(
      await run(snapshotFailureTextsQuery(legacy, {}, 100000)),
      await run(snapshotFailureTextsQuery(modern, {}, 100000)),
    );
    const pairs = await run(failuresPerRunQuery(legacy, { syncId }, 100000));
    assert.deepEqual(pairs, await run(failuresPerRunQuery(modern, { syncId }, 100000)));
    const events = await run(rowTimelineQuery(legacy, { rowId: String(pairs[0].sample_row_id), limit: 100 }));
    assert.ok(events.length > 0 && !('fields' in events[0]) && 'failure_reason' in events[0]);
    assert.deepEqual(
      await run(failureTextHistoryQuery(legacy, { syncId }, 100000)),
      await run(failureTextHistoryQuery(modern, { syncId }, 100000)),
    );
    const drill = await run(
      failedRowsQuery(legacy, {
        scope: { syncId },
        source: 'snapshot',
        texts: ['no such text', String(a[0].failure_reason)],
        limit: 10,
      }),
    );
    assert.ok(drill.every((r) => r.failure_reason === a[0].failure_reason));
  });

  test('a snapshot with sync_run_id: the drill-down shows its run', async () => {
    // The run of each snapshot row: that of the row's latest changelog operation (by run start).
    await plain('create schema runid_audit');
    await plain('create table runid_audit.sync_runs as select * from hightouch_audit.sync_runs');
    await plain(`create table runid_audit.sync_snapshot as
        select s.*, (select c.sync_run_id from hightouch_audit.sync_changelog c join hightouch_audit.sync_runs r using (sync_run_id)
                     where c.sync_id = s.sync_id and c.row_id = s.row_id order by r.started_at desc limit 1) as sync_run_id
        from hightouch_audit.sync_snapshot s`);
    const loc: SyncLogLocation = {
      dialect: postgresDialect,
      schema: 'runid_audit',
      shape: { ...documentedShape(), snapshotHasRunId: true, fromCatalog: true },
    };
    const [t] = await plain(
      `select failure_reason, count(*)::int as n from runid_audit.sync_snapshot where sync_id = $1 and status = 'failed' group by 1 order by 2 desc limit 1`,
      [snapshotSyncId],
    );
    const rows = await run(
      failedRowsQuery(loc, {
        scope: { syncId: snapshotSyncId },
        source: 'snapshot',
        texts: [String(t.failure_reason)],
        limit: 100000,
      }),
    );
    assert.equal(rows.length, t.n);
    assert.ok(rows.every((r) => r.sync_run_id !== null && r.started_at !== null));
  });

  test('excludeFailedRowsSql returns the model rows minus the failed snapshot rows of that sync', async () => {
    const [{ failed }] = await plain(
      `select count(*)::int as failed from hightouch_audit.sync_snapshot where sync_id = $1 and status = 'failed'`,
      [snapshotSyncId],
    );
    assert.ok(num(failed) > 0, 'the chosen sync has failed rows');
    // The model: every snapshot row id of any sync plus rows never synced, with a key needing quotes.
    await plain('create schema if not exists models');
    await plain('drop table if exists models.some_model_table');
    await plain(`create table models.some_model_table as
        select row_id as "UserKey", 'x' as name from hightouch_audit.sync_snapshot group by row_id
        union all select 'never-synced-' || g, 'y' from generate_series(1, 5) g`);
    const expected = await plain(
      `select m."UserKey" from models.some_model_table m
      except select row_id from hightouch_audit.sync_snapshot where sync_id = $1 and status = 'failed'
      order by 1`,
      [snapshotSyncId],
    );
    const [{ total }] = await plain('select count(*)::int as total from models.some_model_table');
    for (const modelSql of [
      'select * from models.some_model_table;',
      'with base as (select * from models.some_model_table)\nselect * from base -- the model\n;\n',
    ]) {
      const sql = excludeFailedRowsSql(
        { dialect: postgresDialect, schema: 'hightouch_audit' },
        { modelSql, syncId: snapshotSyncId, primaryKey: 'UserKey', variant: 'snapshotFailed' },
      );
      const got = resultObjects(await wh.query(sql));
      assert.deepEqual(got.map((r) => r.UserKey).sort(), expected.map((r) => r.UserKey).sort());
      assert.ok(got.length < num(total), 'differs from the model when failures exist');
      assert.deepEqual(Object.keys(got[0]), ['UserKey', 'name'], "the model's columns only");
    }
    // A sync without failures keeps every model row.
    const [clean] = await plain(`select sync_id::text as id from hightouch_audit.sync_runs group by sync_id
      having sync_id::text not in (select sync_id::text from hightouch_audit.sync_snapshot where status = 'failed') limit 1`);
    if (clean) {
      const sql = excludeFailedRowsSql(
        { dialect: postgresDialect, schema: 'hightouch_audit' },
        {
          modelSql: 'select * from models.some_model_table',
          syncId: String(clean.id),
          primaryKey: 'UserKey',
          variant: 'snapshotFailed',
        },
      );
      assert.equal(resultObjects(await wh.query(sql)).length, total);
    }
  });
});
