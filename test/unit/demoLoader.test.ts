import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { GENERATOR_VERSION, demoMarker, loadSyncLog } from '../../src/demo/loader';
import type { LoadProgress, LoadStats } from '../../src/demo/loaderContract';

// Loads a small demo into an in-process Postgres (PGlite) and checks the invariants in SQL,
// as a user exploring the sync log would rely on them.

const SCHEMA = 'hightouch_audit';
let db: PGlite;
let stats: LoadStats;
const progress: LoadProgress[] = [];

async function rows<T = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(sql, values)).rows;
}
async function one<T = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T> {
  const [row] = await rows<T>(sql, values);
  return row;
}

before(async () => {
  db = new PGlite();
  stats = await loadSyncLog(db, { schema: SCHEMA, scale: 0.1, onProgress: (p) => progress.push(p) });
});
after(async () => db?.close());

test('row counts equal the LoadStats', async () => {
  const counts = await one<{ changelog: number; snapshot: number; runs: number; syncs: number }>(`select
    (select count(*)::int from ${SCHEMA}.sync_changelog) as changelog,
    (select count(*)::int from ${SCHEMA}.sync_snapshot) as snapshot,
    (select count(*)::int from ${SCHEMA}.sync_runs) as runs,
    (select count(distinct sync_id)::int from ${SCHEMA}.sync_runs) as syncs`);
  assert.deepEqual(counts, {
    changelog: stats.changelogRows,
    snapshot: stats.snapshotRows,
    runs: stats.runs,
    syncs: stats.syncs,
  });
  assert.ok(stats.changelogRows > 10_000 && stats.snapshotRows > 1000 && stats.elapsedMs > 0);
});

test('column types are the documented ones', async () => {
  const cols = await rows<{ table_name: string; column_name: string; data_type: string }>(
    `select table_name, column_name, data_type from information_schema.columns where table_schema = $1`,
    [SCHEMA],
  );
  const type = (t: string, c: string): string | undefined =>
    cols.find((x) => x.table_name === t && x.column_name === c)?.data_type;
  assert.equal(type('sync_changelog', 'fields'), 'jsonb');
  assert.equal(type('sync_changelog', 'sync_run_id'), 'text');
  assert.equal(type('sync_snapshot', 'sync_run_id'), undefined, 'the snapshot has no run id');
  assert.equal(type('sync_runs', 'started_at'), 'timestamp with time zone');
  assert.equal(type('sync_runs', 'num_failed_remove'), 'bigint');
  assert.equal(cols.filter((c) => c.table_name === 'sync_runs').length, 9 + 12);
  const [{ objects }] = await rows<{ objects: number }>(
    `select count(*)::int as objects from ${SCHEMA}.sync_changelog where jsonb_typeof(fields) = 'object'`,
  );
  assert.equal(objects, stats.changelogRows, 'every fields value is a JSON object');
});

test('run counters equal the changelog counts of each run (zero mismatches)', async () => {
  const { mismatches, runs_with_rows } = await one<{ mismatches: number; runs_with_rows: number }>(`
    with c as (
      select sync_run_id,
        count(*) filter (where op_type = 'added') as pa,
        count(*) filter (where op_type = 'changed') as pc,
        count(*) filter (where op_type = 'removed') as pr,
        count(*) filter (where op_type = 'added' and status <> 'aborted') as aa,
        count(*) filter (where op_type = 'changed' and status <> 'aborted') as ac,
        count(*) filter (where op_type = 'removed' and status <> 'aborted') as ar,
        count(*) filter (where op_type = 'added' and status = 'succeeded') as sa,
        count(*) filter (where op_type = 'changed' and status = 'succeeded') as sc,
        count(*) filter (where op_type = 'removed' and status = 'succeeded') as sr,
        count(*) filter (where op_type = 'added' and status = 'failed') as fa,
        count(*) filter (where op_type = 'changed' and status = 'failed') as fc,
        count(*) filter (where op_type = 'removed' and status = 'failed') as fr
      from ${SCHEMA}.sync_changelog group by sync_run_id
    )
    select
      count(*) filter (where
        (r.num_planned_add, r.num_planned_change, r.num_planned_remove,
         r.num_attempted_add, r.num_attempted_change, r.num_attempted_remove,
         r.num_succeeded_add, r.num_succeeded_change, r.num_succeeded_remove,
         r.num_failed_add, r.num_failed_change, r.num_failed_remove)
        is distinct from
        (coalesce(c.pa, 0), coalesce(c.pc, 0), coalesce(c.pr, 0), coalesce(c.aa, 0), coalesce(c.ac, 0), coalesce(c.ar, 0),
         coalesce(c.sa, 0), coalesce(c.sc, 0), coalesce(c.sr, 0), coalesce(c.fa, 0), coalesce(c.fc, 0), coalesce(c.fr, 0))
        or r.num_planned_add < r.num_attempted_add
        or r.num_attempted_add <> r.num_succeeded_add + r.num_failed_add
        or r.num_attempted_change <> r.num_succeeded_change + r.num_failed_change
        or r.num_attempted_remove <> r.num_succeeded_remove + r.num_failed_remove
      )::int as mismatches,
      count(c.sync_run_id)::int as runs_with_rows
    from ${SCHEMA}.sync_runs r full join c on c.sync_run_id = r.sync_run_id`);
  assert.equal(mismatches, 0);
  assert.ok(runs_with_rows > 100);
});

test('statuses: failure_reason iff failed, error iff failed run, aborted only in failed runs', async () => {
  const r = await one<Record<string, number>>(`select
    (select count(*)::int from ${SCHEMA}.sync_changelog where status not in ('succeeded', 'failed', 'aborted')
       or (status = 'failed') <> (failure_reason is not null)) as bad_rows,
    (select count(*)::int from ${SCHEMA}.sync_runs where status not in ('succeeded', 'failed')
       or (status = 'failed') <> (error is not null) or finished_at <= started_at) as bad_runs,
    (select count(*)::int from ${SCHEMA}.sync_changelog c join ${SCHEMA}.sync_runs r using (sync_run_id)
       where c.status = 'aborted' and r.status <> 'failed') as stray_aborts,
    (select count(*)::int from ${SCHEMA}.sync_changelog where status = 'aborted') as aborted`);
  assert.deepEqual({ ...r, aborted: r.aborted > 0 }, { bad_rows: 0, bad_runs: 0, stray_aborts: 0, aborted: true });
});

test('snapshot rows carry the latest operation of their row; removed rows are absent', async () => {
  const r = await one<Record<string, number>>(`
    with latest as (
      select distinct on (c.sync_id, c.row_id) c.sync_id, c.row_id, c.op_type, c.status, c.failure_reason, c.fields, c.sync_run_id
      from ${SCHEMA}.sync_changelog c join ${SCHEMA}.sync_runs r on r.sync_run_id = c.sync_run_id
      order by c.sync_id, c.row_id, r.started_at desc
    ), last_run as (
      select distinct on (sync_id) sync_id, sync_run_id from ${SCHEMA}.sync_runs order by sync_id, started_at desc
    )
    select
      count(*) filter (where l.row_id is null)::int as without_history,
      count(*) filter (where l.op_type = 'removed')::int as removed_in_snapshot,
      count(*) filter (where s.status is distinct from l.status or s.failure_reason is distinct from l.failure_reason
        or s.fields is distinct from l.fields)::int as differing,
      count(*) filter (where s.op_type <> case when l.sync_run_id = lr.sync_run_id then l.op_type else 'unchanged' end)::int as wrong_op,
      count(*)::int as total,
      (select count(*)::int from (select sync_id, row_id from ${SCHEMA}.sync_snapshot group by 1, 2 having count(*) > 1) d) as duplicates
    from ${SCHEMA}.sync_snapshot s
    left join latest l on l.sync_id = s.sync_id and l.row_id = s.row_id
    left join last_run lr on lr.sync_id = s.sync_id`);
  assert.deepEqual(r, {
    without_history: 0,
    removed_in_snapshot: 0,
    differing: 0,
    wrong_op: 0,
    total: stats.snapshotRows,
    duplicates: 0,
  });
});

test('indexes, statistics and the marker exist after the load', async () => {
  const indexes = await rows<{ indexdef: string }>(`select indexdef from pg_indexes where schemaname = $1`, [SCHEMA]);
  for (const cols of [
    'sync_changelog USING btree (sync_run_id)',
    'sync_changelog USING btree (sync_id, row_id)',
    'sync_runs USING btree (sync_id, started_at)',
    'sync_snapshot USING btree (sync_id, status)',
  ]) {
    assert.ok(
      indexes.some((i) => i.indexdef.includes(cols)),
      `index on ${cols}`,
    );
  }
  const analyzed = await one<{ n: number }>(
    `select count(*)::int as n from pg_stat_user_tables where schemaname = $1 and last_analyze is not null`,
    [SCHEMA],
  );
  assert.equal(analyzed.n, 3);
  const { comment } = await one<{ comment: string }>(`select obj_description($1::regclass, 'pg_class') as comment`, [
    `${SCHEMA}.sync_runs`,
  ]);
  assert.equal(comment, demoMarker({ scale: 0.1 }));
  assert.ok(comment.includes(GENERATOR_VERSION));
});

test("the built CLI and demo worker version the demo data with the generator's current sources", async () => {
  // @ts-expect-error: a build script in JavaScript, no types
  const { sourceHash } = (await import('../../scripts/lib/sourceHash.mjs')) as { sourceHash(dir: string): string };
  const root = join(__dirname, '../..');
  const hash = sourceHash(join(root, 'src/demo'));
  assert.match(hash, /^[0-9a-f]{16}$/);
  for (const bundle of ['dist/cli.js', 'dist/demoWorker.js']) {
    const text = readFileSync(join(root, bundle), 'utf8');
    assert.ok(text.includes(`"${hash}"`), `${bundle} was built from these sources (run node esbuild.mjs)`);
  }
  // Any change to a source file changes the hash: a copy of src/demo with one comment added.
  const copy = mkdtempSync(join(tmpdir(), 'demo-src-'));
  try {
    cpSync(join(root, 'src/demo'), copy, { recursive: true });
    appendFileSync(join(copy, 'catalog.ts'), '\n// changed\n');
    assert.notEqual(sourceHash(copy), hash);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('progress: phases in order, changelog progress counts up to the total', () => {
  const phases = progress.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]);
  assert.equal(phases[0], 'schema');
  assert.deepEqual(phases.slice(-3), ['runs', 'indexes', 'done']);
  assert.ok(phases.includes('changelog') && phases.includes('snapshot'));
  const changelog = progress.filter((p) => p.phase === 'changelog');
  for (let i = 1; i < changelog.length; i++) assert.ok(changelog[i].rowsWritten > changelog[i - 1].rowsWritten);
  assert.equal(changelog[changelog.length - 1].rowsWritten, stats.changelogRows);
  assert.ok(changelog.every((p) => p.rowsExpected! >= p.rowsWritten && p.message.length > 0));
  assert.equal(progress[progress.length - 1].rowsWritten, stats.changelogRows);
});

test('existing tables are kept unless replace is asked for; schema names are validated', async () => {
  const other = new PGlite();
  try {
    const first = await loadSyncLog(other, { schema: 'demo_small', scale: 0.01, seed: 3 });
    await assert.rejects(loadSyncLog(other, { schema: 'demo_small', scale: 0.01, seed: 3 }), /replace/);
    const again = await loadSyncLog(other, { schema: 'demo_small', scale: 0.01, seed: 3, replace: true });
    assert.equal(again.changelogRows, first.changelogRows);
    const [{ n }] = (await other.query<{ n: number }>('select count(*)::int as n from demo_small.sync_changelog')).rows;
    assert.equal(n, first.changelogRows, 'replaced, not appended');
    await assert.rejects(loadSyncLog(other, { schema: 'x"; drop table y; --', scale: 0.01 }), /Invalid schema name/);
  } finally {
    await other.close();
  }
});
