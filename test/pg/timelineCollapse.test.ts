import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PostgresServer } from '../support/postgresServer';
import { startDemoPostgres } from '../support/demoPostgres';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { resultObjects } from '../../src/shared/queryResult';
import { postgresDialect } from '../../src/sql/dialect';
import { warehouseRunner, type QueryRunner } from '../../src/loaders/queryRunner';
import { MAX_TIMELINE_EVENTS, loadTimeline } from '../../src/loaders/timelineLoader';
import { failureTemplate } from '../../src/analysis/failureTemplates';

// The folded row timeline (entries and summary) of the demo's most retried row, on a real
// PostgreSQL server, against runs of operations found by plain window functions here.

let server: PostgresServer;
let wh: Warehouse;
let run: QueryRunner;
const CL = 'hightouch_audit.sync_changelog';
const RUNS = 'hightouch_audit.sync_runs';
const SNAP = 'hightouch_audit.sync_snapshot';

const plain = async (sql: string, values: unknown[] = []) =>
  resultObjects(await wh.query(sql, values, { maxRows: 10_000_000 }));
const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));

before(async () => {
  ({ server, wh } = await startDemoPostgres());
  run = warehouseRunner(wh, { dialect: postgresDialect, schema: 'hightouch_audit' });
});

after(async () => {
  await wh?.close();
  await server?.stop();
});

/** The busiest sync, and its row with the most failed operations (in the demo, a row that also changes every run). */
async function mostFailedRow(): Promise<{ syncId: string; rowId: string }> {
  const [{ sync_id: syncId }] = await plain(
    `select sync_id from ${CL} group by sync_id order by count(*) desc limit 1`,
  );
  const [{ row_id: rowId, failed }] = await plain(
    `select row_id, count(*) as failed from ${CL} where sync_id = $1 and status = 'failed' group by row_id order by count(*) desc, row_id limit 1`,
    [syncId],
  );
  assert.ok(Number(failed) >= 10, `the demo has a row that failed many times (got ${failed})`);
  return { syncId: String(syncId), rowId: String(rowId) };
}

/** The row whose latest operations failed the most times in a row, in any sync: a stuck row retried every run. */
async function longestStreakRow(): Promise<{ syncId: string; rowId: string }> {
  const [row] = await plain(
    `with o as (
       select c.sync_id, c.row_id, c.status, row_number() over (partition by c.sync_id, c.row_id order by r.started_at desc, c.sync_run_id desc) as rn
       from ${CL} c join ${RUNS} r on r.sync_run_id = c.sync_run_id
     )
     select sync_id, row_id, coalesce(min(rn) filter (where status <> 'failed'), count(*) + 1) - 1 as streak
     from o group by sync_id, row_id order by streak desc, sync_id, row_id limit 1`,
  );
  assert.ok(Number(row.streak) >= 3, `the demo has a stuck row (longest streak ${row.streak})`);
  return { syncId: String(row.sync_id), rowId: String(row.row_id) };
}

/** The operations the timeline loads (the latest MAX_TIMELINE_EVENTS), as a CTE over $1 sync and $2 row. */
const LOADED = `loaded as (
  select c.sync_run_id, r.started_at, c.op_type, c.status, c.failure_reason, c.fields
  from ${CL} c join ${RUNS} r on r.sync_run_id = c.sync_run_id
  where c.sync_id = $1 and c.row_id = $2
  order by r.started_at desc, c.sync_run_id desc
  limit ${MAX_TIMELINE_EVENTS}
)`;

async function checkEntries(syncId: string, rowId: string): Promise<number> {
  const data = await loadTimeline(run, { rowId, syncId });
  // Gaps and islands: a new island where op, status or text changes, and around a succeeded
  // operation whose fields differ from the previous one.
  const islands = await plain(
    `with ${LOADED}, flagged as (
       select *, coalesce(status = 'succeeded' and jsonb_typeof(fields) = 'object'
                          and jsonb_typeof(lag(fields) over w) = 'object' and fields <> lag(fields) over w, false) as alone
       from loaded window w as (order by started_at, sync_run_id)
     ), breaks as (
       select *, case when lag(op_type) over w is distinct from op_type or lag(status) over w is distinct from status
                        or lag(failure_reason) over w is distinct from failure_reason or alone or coalesce(lag(alone) over w, true)
                      then 1 else 0 end as brk
       from flagged window w as (order by started_at, sync_run_id)
     ), numbered as (
       select *, sum(brk) over (order by started_at, sync_run_id rows unbounded preceding) as g from breaks
     )
     select g, min(op_type) as op_type, min(status) as status, min(failure_reason) as reason, bool_or(alone) as alone, count(*) as n,
            extract(epoch from min(started_at)) * 1000 as first_ms, extract(epoch from max(started_at)) * 1000 as last_ms
     from numbered group by g order by g`,
    [syncId, rowId],
  );
  // Neighbouring islands whose texts differ only in their variable parts are one entry.
  const expected: {
    op: string;
    status: string;
    template: string | null;
    alone: boolean;
    n: number;
    first: number;
    last: number;
  }[] = [];
  for (const i of islands) {
    const template = i.reason === null ? null : failureTemplate(String(i.reason));
    const prev = expected.at(-1);
    if (
      prev &&
      !prev.alone &&
      !i.alone &&
      prev.op === i.op_type &&
      prev.status === i.status &&
      prev.template === template
    ) {
      prev.n += Number(i.n);
      prev.last = Number(i.last_ms);
    } else {
      expected.push({
        op: String(i.op_type),
        status: String(i.status),
        template,
        alone: Boolean(i.alone),
        n: Number(i.n),
        first: Number(i.first_ms),
        last: Number(i.last_ms),
      });
    }
  }
  const oldestFirst = [...data.entries].reverse();
  assert.deepEqual(
    oldestFirst.map((e) => [e.opType, e.status, e.template, e.count, ms(e.firstStartedAt), ms(e.lastStartedAt)]),
    expected.map((e) => [e.op, e.status, e.template, e.n, e.first, e.last]),
  );
  assert.equal(
    data.entries.reduce((s, e) => s + e.count, 0),
    data.events.length,
    'every operation is in exactly one entry',
  );
  assert.ok(
    data.entries.every((e) => e.status !== 'failed' || e.label.includes('failed')),
    'a failed operation never reads as a success',
  );
  return Math.max(...data.entries.map((e) => e.count));
}

async function checkSummary(syncId: string, rowId: string): Promise<void> {
  const data = await loadTimeline(run, { rowId, syncId });
  assert.equal(data.summaries.length, 1);
  const [s] = data.summaries;
  const [snap] = await plain(`select op_type, status from ${SNAP} where sync_id = $1 and row_id = $2`, [syncId, rowId]);
  assert.equal(s.inModel, snap !== undefined);
  assert.equal(s.snapshotStatus, snap ? snap.status : 'absent');
  const [{ total }] = await plain(`select count(*) as total from ${CL} where sync_id = $1 and row_id = $2`, [
    syncId,
    rowId,
  ]);
  const truncated = Number(total) > MAX_TIMELINE_EVENTS;
  assert.equal(data.truncated, truncated);

  const [settled] = await plain(
    `with ${LOADED} select op_type, extract(epoch from started_at) * 1000 as at from loaded
     where status = 'succeeded' and op_type in ('added', 'removed') order by started_at desc, sync_run_id desc limit 1`,
    [syncId, rowId],
  );
  const [{ added }] = await plain(
    `with ${LOADED} select count(*) filter (where status = 'succeeded' and op_type = 'added') as added from loaded`,
    [syncId, rowId],
  );
  const [{ streak, loaded }] = await plain(
    `with ${LOADED}, o as (select status, row_number() over (order by started_at desc, sync_run_id desc) as rn from loaded)
     select coalesce(min(rn) filter (where status <> 'failed'), count(*) + 1) - 1 as streak, count(*) as loaded from o`,
    [syncId, rowId],
  );
  const attempts = Number(streak);
  assert.equal(ms(s.since), settled ? Number(settled.at) : null);
  if (settled) assert.equal(s.inDestination, settled.op_type === 'added');
  assert.equal(s.neverAdded, s.inDestination === false && Number(added) === 0);
  // Cut: the oldest operations are missing and the answer (the add or remove, or the streak) reaches past what is loaded.
  assert.equal(s.cut, truncated && (!settled || attempts === Number(loaded)));
  // The snapshot's status is its latest operation's: failing now exactly when the streak is on.
  if (snap) assert.equal(attempts > 0, snap.status === 'failed');
  if (attempts === 0) {
    assert.equal(s.failing, null);
  } else {
    const [first] = await plain(
      `with ${LOADED} select extract(epoch from started_at) * 1000 as at from loaded order by started_at desc, sync_run_id desc offset $3 limit 1`,
      [syncId, rowId, attempts - 1],
    );
    assert.equal(s.failing?.attempts, attempts);
    assert.equal(ms(s.failing?.since ?? null), Number(first.at));
  }
}

test("the busiest sync's most failed row: entries are plain SQL's runs of equal op, status and text (merged by template), with count and first and last start", async () => {
  const { syncId, rowId } = await mostFailedRow();
  await checkEntries(syncId, rowId);
});

test("the busiest sync's most failed row: the summary against the snapshot and the loaded history (cut at the cap)", async () => {
  const { syncId, rowId } = await mostFailedRow();
  await checkSummary(syncId, rowId);
});

test('the stuck row: its retries fold into one entry as long as its failing streak, and the summary says failing since its first failure', async () => {
  const { syncId, rowId } = await longestStreakRow();
  const biggest = await checkEntries(syncId, rowId);
  await checkSummary(syncId, rowId);
  const data = await loadTimeline(run, { rowId, syncId });
  const [s] = data.summaries;
  assert.ok(s.failing && s.failing.attempts >= 3);
  const latest = data.entries[0];
  assert.equal(latest.status, 'failed', 'newest first: the entry on top is the failing streak');
  if (s.failing.templates === 1)
    assert.equal(latest.count, s.failing.attempts, 'one template: the streak is one entry');
  assert.ok(biggest >= 3, `a retried failure folds (largest entry ${biggest})`);
});
