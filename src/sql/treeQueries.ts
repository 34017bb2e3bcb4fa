import type { SqlQuery } from './dialect';
import { binder, type Binder } from './binds';
import { counterSum, failureReasonColumn, hasRunCounters, tableName, type SyncLogLocation } from './syncLogTables';

/** sum(case when <cond> then 1 else 0 end): portable to all five, and never count(... else 0). */
const countWhere = (condition: string) => `sum(case when ${condition} then 1 else 0 end)`;
const OPS = [
  ['add', 'added'],
  ['change', 'changed'],
  ['remove', 'removed'],
] as const;

/**
 * The tree's figures where sync_runs lacks its counters (all twelve, or some: a partial set is not
 * mixed with changelog counts, which are exact and keep the figures consistent). Equal to the
 * counters where both exist: planned is every operation, attempted the succeeded and failed ones.
 * One aggregate over the changelog rows of the runs `runIds` (a subquery of sync_run_id) lists, and
 * nothing else: the tree shows at most a page of runs (or one latest run per sync), so the scan is
 * bounded by what is shown. Columns: sync_id, sync_run_id, planned, attempted, succeeded, failed and
 * the three planned counters by op, named as sync_runs names them.
 */
function changelogFigures(loc: SyncLogLocation, b: Binder, runIds: string, syncId?: string): string {
  const bySync = syncId === undefined ? '' : `c.sync_id = ${b.bind(syncId)} and `;
  return `select c.sync_id, c.sync_run_id,
    count(*) as planned,
    ${countWhere(`c.status in ('succeeded', 'failed')`)} as attempted,
    ${countWhere(`c.status = 'succeeded'`)} as succeeded,
    ${countWhere(`c.status = 'failed'`)} as failed,
    ${OPS.map(([op, opType]) => `${countWhere(`c.op_type = '${opType}'`)} as num_planned_${op}`).join(',\n    ')}
  from ${tableName(loc, 'sync_changelog')} c
  where ${bySync}c.sync_run_id in (${runIds})
  group by c.sync_id, c.sync_run_id`;
}

/** `coalesce(f.x, 0) as x` for the figures: a run without changelog rows did nothing. */
const figures = (alias: string, names: readonly string[]) =>
  names.map((n) => `coalesce(${alias}.${n}, 0) as ${n}`).join(', ');

/**
 * One row per sync: its latest run and totals over all its runs. Aggregated in the
 * warehouse with a window function (portable to all five dialects, unlike DISTINCT ON).
 * The row_number() subquery rather than QUALIFY keeps one text for all five (Postgres has no QUALIFY).
 */
export function listSyncsQuery(loc: SyncLogLocation, limit = 500): SqlQuery {
  const runs = tableName(loc, 'sync_runs');
  const b = binder(loc.dialect);
  const ranked = `select r.sync_id, r.sync_run_id, r.model_name, r.destination, r.primary_key, r.status, r.error, r.started_at, r.finished_at,
    count(*) over (partition by r.sync_id) as run_count,
    sum(case when r.status = 'failed' then 1 else 0 end) over (partition by r.sync_id) as failed_run_count,
    min(r.started_at) over (partition by r.sync_id) as first_started_at,
    row_number() over (partition by r.sync_id order by r.started_at desc, r.sync_run_id desc) as rn`;
  if (!hasRunCounters(loc)) {
    // The latest run of each shown sync first, then the changelog of those runs only.
    return b.query(`with latest as (
  select sync_id, sync_run_id, model_name, destination, primary_key, status, error, started_at, finished_at, run_count, failed_run_count, first_started_at
  from (
  ${ranked}
  from ${runs} r
  ) ranked
  where rn = 1
  order by model_name, sync_id
  limit ${b.count(limit)}
),
figures as (
  ${changelogFigures(loc, b, 'select latest.sync_run_id from latest')}
)
select l.sync_id, l.model_name, l.destination, l.primary_key, l.status, l.error, l.started_at, l.finished_at,
  ${figures('f', ['planned', 'attempted', 'succeeded', 'failed'])}, l.run_count, l.failed_run_count, l.first_started_at
from latest l
left join figures f on f.sync_id = l.sync_id and f.sync_run_id = l.sync_run_id
order by l.model_name, l.sync_id`);
  }
  return b.query(`select sync_id, model_name, destination, primary_key, status, error, started_at, finished_at,
  planned, attempted, succeeded, failed, run_count, failed_run_count, first_started_at
from (
  ${ranked},
    ${counterSum('planned', 'r')} as planned,
    ${counterSum('attempted', 'r')} as attempted,
    ${counterSum('succeeded', 'r')} as succeeded,
    ${counterSum('failed', 'r')} as failed
  from ${runs} r
) latest
where rn = 1
order by model_name, sync_id
limit ${b.count(limit)}`);
}

/** A page of a sync's runs, newest first; asks for one extra row to know whether more exist. */
export function listRunsQuery(loc: SyncLogLocation, syncId: string, offset: number, pageSize: number): SqlQuery {
  const runs = tableName(loc, 'sync_runs');
  const b = binder(loc.dialect);
  if (!hasRunCounters(loc)) {
    return b.query(`with page as (
  select sync_id, sync_run_id, status, error, started_at, finished_at
  from ${runs}
  where sync_id = ${b.bind(syncId)}
  order by started_at desc, sync_run_id desc
  limit ${b.count(pageSize + 1)} offset ${b.count(offset, 'offset')}
),
figures as (
  ${changelogFigures(loc, b, 'select page.sync_run_id from page', syncId)}
)
select p.sync_run_id, p.status, p.error, p.started_at, p.finished_at,
  ${figures('f', ['planned', 'attempted', 'succeeded', 'failed', 'num_planned_add', 'num_planned_change', 'num_planned_remove'])}
from page p
left join figures f on f.sync_run_id = p.sync_run_id
order by p.started_at desc, p.sync_run_id desc`);
  }
  return b.query(`select sync_run_id, status, error, started_at, finished_at,
  ${counterSum('planned')} as planned,
  ${counterSum('attempted')} as attempted,
  ${counterSum('succeeded')} as succeeded,
  ${counterSum('failed')} as failed,
  num_planned_add, num_planned_change, num_planned_remove
from ${runs}
where sync_id = ${b.bind(syncId)}
order by started_at desc, sync_run_id desc
limit ${b.count(pageSize + 1)} offset ${b.count(offset, 'offset')}`);
}

/** A run's failed rows grouped by failure reason, most frequent first, bounded. */
export function runFailuresQuery(loc: SyncLogLocation, syncId: string, syncRunId: string, limit: number): SqlQuery {
  const changelog = tableName(loc, 'sync_changelog');
  const reason = failureReasonColumn(loc);
  const b = binder(loc.dialect);
  const selectReason = reason === 'failure_reason' ? reason : `${reason} as failure_reason`;
  return b.query(`select ${selectReason}, count(*) as row_count, min(row_id) as sample_row_id
from ${changelog}
where sync_id = ${b.bind(syncId)} and sync_run_id = ${b.bind(syncRunId)} and status = 'failed'
group by ${reason}
order by row_count desc, ${reason}
limit ${b.count(limit + 1)}`);
}
