import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { loadSyncLog } from '../../src/demo/loader';
import { listRunsQuery, listSyncsQuery, runFailuresQuery } from '../../src/sql/treeQueries';
import { runChangelogSql } from '../../src/sql/runQueryText';
import { postgresDialect } from '../../src/sql/dialect';
import { toRunSummary, toSyncSummary } from '../../src/views/treeModel';

// The tree's queries and every snippet run against a real (embedded) Postgres holding a
// generated sync log, and their answers are checked against independent plain SQL.

let db: PGlite;
const loc = { dialect: postgresDialect, schema: 'hightouch_audit' };

async function rows(sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  return (await db.query<Record<string, unknown>>(sql, values)).rows;
}

before(async () => {
  db = new PGlite();
  await loadSyncLog(db, { schema: 'hightouch_audit', scale: 0.1 });
});
after(async () => db?.close());

test('listSyncs: one row per sync, with its latest run and totals', async () => {
  const q = listSyncsQuery(loc);
  const syncs = (await rows(q.text, q.values)).map(toSyncSummary);
  const expected =
    await rows(`select sync_id, count(*)::int as runs, sum(case when status = 'failed' then 1 else 0 end)::int as failed_runs,
      max(started_at) as last_started from hightouch_audit.sync_runs group by sync_id`);
  assert.equal(syncs.length, expected.length);
  for (const e of expected) {
    const s = syncs.find((x) => x.syncId === String(e.sync_id));
    assert.ok(s);
    assert.equal(s.runCount, e.runs);
    assert.equal(s.failedRunCount, e.failed_runs);
    assert.equal(s.lastStartedAt, (e.last_started as Date).toISOString());
  }
});

test('listRuns pages newest first and failures group by reason', async () => {
  const [{ sync_id }] = await rows(
    'select sync_id from hightouch_audit.sync_runs group by sync_id order by count(*) desc limit 1',
  );
  const page1 = listRunsQuery(loc, String(sync_id), 0, 10);
  const page2 = listRunsQuery(loc, String(sync_id), 10, 10);
  const a = (await rows(page1.text, page1.values)).map(toRunSummary);
  const b = (await rows(page2.text, page2.values)).map(toRunSummary);
  assert.equal(a.length, 11, 'one extra row signals another page');
  assert.deepEqual(a[10], b[0], 'the extra row is the first of the next page');
  for (let i = 1; i < a.length; i++) assert.ok(a[i - 1].startedAt! >= a[i].startedAt!, 'newest first');
  const [{ n: total }] = await rows('select count(*)::int as n from hightouch_audit.sync_runs where sync_id = $1', [
    sync_id,
  ]);
  const allRuns = listRunsQuery(loc, String(sync_id), 0, 100000);
  assert.equal((await rows(allRuns.text, allRuns.values)).length, total);

  const [run] = await rows(`select sync_id, sync_run_id, count(*)::int as failed from hightouch_audit.sync_changelog
    where status = 'failed' group by sync_id, sync_run_id order by count(*) desc limit 1`);
  const fq = runFailuresQuery(loc, String(run.sync_id), String(run.sync_run_id), 1000);
  const groups = await rows(fq.text, fq.values);
  assert.equal(
    groups.reduce((sum, g) => sum + Number(g.row_count), 0),
    run.failed,
  );
});

test("the Open Run Query text runs and returns exactly the run's changelog rows", async () => {
  const [run] = await rows(`select r.sync_id, r.sync_run_id, count(*)::int as n from hightouch_audit.sync_runs r
    join hightouch_audit.sync_changelog c on c.sync_run_id = r.sync_run_id group by r.sync_id, r.sync_run_id order by n limit 1`);
  const sql = runChangelogSql({
    ...loc,
    syncId: String(run.sync_id),
    syncRunId: String(run.sync_run_id),
    modelName: 'm',
    destination: 'd',
    startedAt: null,
  });
  const result = await db.query(sql);
  assert.equal(result.rows.length, Math.min(1000, run.n as number));
});

type Snippet = { prefix: string; body: string[] };
const snippets = JSON.parse(readFileSync(join(__dirname, '../../snippets/sql.json'), 'utf8')) as Record<
  string,
  Snippet
>;

/** Fills a snippet's placeholders with their defaults, replacing the id placeholders by real ids. */
function expand(body: string[], ids: Record<string, string>): string {
  return body.join('\n').replace(/\$\{\d+:([^}]*)\}/g, (_, dflt: string) => ids[dflt] ?? dflt);
}

test('every snippet runs on the demo data', async () => {
  await db.exec(
    'create schema if not exists analytics; create table if not exists analytics.users as select distinct row_id as user_id from hightouch_audit.sync_snapshot',
  );
  const [ids] = await rows(`select c.sync_id, c.sync_run_id, c.row_id from hightouch_audit.sync_changelog c
    where c.status = 'failed' limit 1`);
  const fill = { SYNC_ID: String(ids.sync_id), SYNC_RUN_ID: String(ids.sync_run_id), ROW_ID: String(ids.row_id) };
  for (const [name, s] of Object.entries(snippets)) {
    const sql = expand(s.body, fill);
    await assert.doesNotReject(db.query(sql), `snippet "${name}" runs`);
  }
});

test('snippet answers match independent computations', async () => {
  const [ids] = await rows(
    `select sync_id from hightouch_audit.sync_snapshot where status = 'failed' group by sync_id order by count(*) desc limit 1`,
  );
  const syncId = String(ids.sync_id);
  const run = async (prefix: string, extra: Record<string, string> = {}) => {
    const s = Object.values(snippets).find((x) => x.prefix === prefix)!;
    return (await db.query<Record<string, unknown>>(expand(s.body, { SYNC_ID: syncId, ...extra }))).rows;
  };

  // Excluding previously failed rows removes exactly the failed snapshot rows of that sync.
  await db.exec(
    'drop table if exists analytics.users; create table analytics.users as select distinct row_id as user_id from hightouch_audit.sync_snapshot',
  );
  const kept = await run('ht-exclude-failed');
  const [{ all }] = await rows('select count(*)::int as all from analytics.users');
  const [{ failed }] = await rows(
    `select count(distinct row_id)::int as failed from hightouch_audit.sync_snapshot where sync_id = $1 and status = 'failed'`,
    [syncId],
  );
  assert.ok((failed as number) > 0);
  assert.equal(kept.length, (all as number) - (failed as number));

  // The running member count after the last run equals the rows whose latest successful
  // add-or-remove was an add (what the destination holds), computed row by row.
  const members = await run('ht-membership');
  const last = members[members.length - 1];
  const [{ held }] = await rows(
    `select count(*)::int as held from (
      select distinct on (c.row_id) c.row_id, c.op_type
      from hightouch_audit.sync_changelog c join hightouch_audit.sync_runs r on r.sync_run_id = c.sync_run_id
      where c.sync_id = $1 and c.status = 'succeeded' and c.op_type in ('added', 'removed')
      order by c.row_id, r.started_at desc) latest
    where op_type = 'added'`,
    [syncId],
  );
  assert.ok((held as number) > 0);
  assert.equal(Number(last.members), held);

  // Error counts per run equal the run's own failed counters.
  const perRun = await run('ht-errors-per-run');
  const counters = await rows(
    `select sync_run_id, (num_failed_add + num_failed_change + num_failed_remove)::int as failed from hightouch_audit.sync_runs where sync_id = $1`,
    [syncId],
  );
  const failedByRun = new Map(counters.map((c) => [String(c.sync_run_id), c.failed]));
  for (const r of perRun) assert.equal(Number(r.failed_rows), failedByRun.get(String(r.sync_run_id)));

  // Flapping: the top row's operations equal its own succeeded changelog count since the date.
  const flapping = await run('ht-flapping', { '2026-10-01': '1970-01-01' });
  const top = flapping[0];
  const [{ n }] = await rows(
    `select count(*)::int as n from hightouch_audit.sync_changelog where sync_id = $1 and row_id = $2 and status = 'succeeded'`,
    [syncId, top.row_id],
  );
  assert.equal(Number(top.operations), n);
});
