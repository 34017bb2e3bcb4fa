import type { SqlQuery } from './dialect';
import { binder, type Binder } from './binds';
import { failureReasonExpr } from './analysisScope';
import { sqlCount } from './ident';
import { tableName, type SyncLogLocation } from './syncLogTables';

/**
 * The Health overview's reads, for every sync at once. Bounded results: one row per sync, per
 * recent run, or per failure text. `since` is the window's start (ISO-8601), undefined for all runs.
 */

const since = (loc: SyncLogLocation, b: Binder, at: string) => loc.dialect.timestampParam(b.bind(checkedSince(at)));

/** The newest run start of the whole log: the window's end. */
export function logEndQuery(loc: SyncLogLocation): SqlQuery {
  return binder(loc.dialect).query(`select max(started_at) as newest from ${tableName(loc, 'sync_runs')}`);
}

/**
 * Each sync's latest `perSync` runs, newest first: the last run, the usual interval between runs
 * (for staleness) and the names. sync_runs only; no counters needed.
 */
export function recentRunsQuery(loc: SyncLogLocation, perSync: number): SqlQuery {
  const b = binder(loc.dialect);
  return b.query(`select sync_id, sync_run_id, model_name, destination, primary_key, status, error, started_at, finished_at
from (
  select r.sync_id, r.sync_run_id, r.model_name, r.destination, r.primary_key, r.status, r.error, r.started_at, r.finished_at,
    row_number() over (partition by r.sync_id order by r.started_at desc, r.sync_run_id desc) as rn
  from ${tableName(loc, 'sync_runs')} r
) ranked
where rn <= ${sqlCount(perSync)}
order by sync_id, started_at desc, sync_run_id desc`);
}

/**
 * Per run of the window (or of the whole log): operations planned, attempted, failed, aborted,
 * counted on the changelog (exact on every deployment, with or without sync_runs counters); per
 * sync, the distinct rows failed and attempted in the window. A run has at most one operation
 * per row, so a run's failed operations are its failed rows.
 * Columns: kind ('run' | 'sync'), sync_id, sync_run_id, started_at, status, planned, attempted, failed, aborted, rows_failed, rows_attempted.
 */
export function windowFiguresQuery(loc: SyncLogLocation, windowStart: string | undefined): SqlQuery {
  const b = binder(loc.dialect);
  const where = windowStart === undefined ? '' : `where r.started_at >= ${since(loc, b, windowStart)}`;
  return b.query(`with ops as (
  select c.sync_id, c.sync_run_id, c.row_id, c.status, r.started_at, r.status as run_status
  from ${tableName(loc, 'sync_changelog')} c
  join ${tableName(loc, 'sync_runs')} r on r.sync_run_id = c.sync_run_id
  ${where}
)
select 'run' as kind, sync_id, sync_run_id, max(started_at) as started_at, max(run_status) as status,
  count(*) as planned,
  sum(case when status in ('succeeded', 'failed') then 1 else 0 end) as attempted,
  sum(case when status = 'failed' then 1 else 0 end) as failed,
  sum(case when status not in ('succeeded', 'failed') then 1 else 0 end) as aborted,
  0 as rows_failed, 0 as rows_attempted
from ops
group by sync_id, sync_run_id
union all
select 'sync' as kind, sync_id, null as sync_run_id, max(started_at) as started_at, null as status, 0, 0, 0, 0,
  count(distinct case when status = 'failed' then row_id end) as rows_failed,
  count(distinct case when status in ('succeeded', 'failed') then row_id end) as rows_attempted
from ops
group by sync_id`);
}

/** Rows failing now per sync: the snapshot's rows whose latest operation failed. */
export function failingNowQuery(loc: SyncLogLocation): SqlQuery {
  return binder(loc.dialect).query(`select s.sync_id, count(*) as rows_failing
from ${tableName(loc, 'sync_snapshot')} s
where s.status = 'failed'
group by s.sync_id`);
}

/**
 * Stuck rows per sync now and as of the window's start: rows whose latest K operations (by run
 * start, then sync_run_id) all failed. A row stuck now has failed its latest operation, so only
 * rows with a failure are numbered. Columns: sync_id, stuck_now, stuck_before.
 */
export function stuckCountsQuery(loc: SyncLogLocation, minFailures: number, windowStart: string | undefined): SqlQuery {
  const b = binder(loc.dialect);
  const k = sqlCount(minFailures, 'minimum failures');
  if (minFailures < 1) throw new Error(`Invalid minimum failures ${minFailures}: at least 1.`);
  const changelog = tableName(loc, 'sync_changelog');
  const runs = tableName(loc, 'sync_runs');
  const before = windowStart === undefined ? undefined : since(loc, b, windowStart);
  const failedRows = `select distinct f.sync_id, f.row_id from ${changelog} f where f.status = 'failed'`;
  // Only rows with a failure can be stuck: joined (a tuple IN is not portable).
  const scoped = (extra: string) => `select c.sync_id, c.row_id, c.status,
    row_number() over (partition by c.sync_id, c.row_id order by r.started_at desc, c.sync_run_id desc) as rn
  from ${changelog} c
  join ${runs} r on r.sync_run_id = c.sync_run_id
  join (${failedRows}) fr on fr.sync_id = c.sync_id and fr.row_id = c.row_id${extra}`;
  const streaks = (source: string) => `select sync_id, row_id from (${source}) o
    group by sync_id, row_id
    having sum(case when rn <= ${k} and status = 'failed' then 1 else 0 end) = ${k}`;
  const now = streaks(scoped(''));
  const then = before === undefined ? undefined : streaks(scoped(`\n  where r.started_at < ${before}`));
  return b.query(`select sync_id, sum(stuck_now) as stuck_now, sum(stuck_before) as stuck_before
from (
  select sync_id, 1 as stuck_now, 0 as stuck_before from (${now}) n
  ${then ? `union all\n  select sync_id, 0 as stuck_now, 1 as stuck_before from (${then}) p` : ''}
) x
group by sync_id`);
}

/**
 * Every failure text per sync over the whole log, with its first appearance and rows: templated in
 * JS, the templates first seen inside the window are the new ones. Newest first appearances first,
 * bounded by `limit`. Columns: sync_id, failure_reason, first_seen, failures, row_count.
 */
export function failureTextsFirstSeenQuery(loc: SyncLogLocation, limit: number): SqlQuery {
  const b = binder(loc.dialect);
  const reason = failureReasonExpr(loc, 'c');
  return b.query(`select c.sync_id, ${reason} as failure_reason, min(r.started_at) as first_seen, count(*) as failures, count(distinct c.row_id) as row_count
from ${tableName(loc, 'sync_changelog')} c
join ${tableName(loc, 'sync_runs')} r on r.sync_run_id = c.sync_run_id
where c.status = 'failed'
group by c.sync_id, ${reason}
order by min(r.started_at) desc
limit ${sqlCount(limit)}`);
}

function checkedSince(at: string): string {
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) throw new Error(`Invalid window start ${JSON.stringify(at)}: expected an ISO-8601 timestamp.`);
  return at;
}
