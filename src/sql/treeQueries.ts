import type { SqlQuery } from './dialect';
import { binder } from './binds';
import { counterSum, failureReasonColumn, tableName, type SyncLogLocation } from './syncLogTables';

/**
 * One row per sync: its latest run and totals over all its runs. Aggregated in the
 * warehouse with a window function (portable to all five dialects, unlike DISTINCT ON).
 * The row_number() subquery rather than QUALIFY keeps one text for all five (Postgres has no QUALIFY).
 */
export function listSyncsQuery(loc: SyncLogLocation, limit = 500): SqlQuery {
  const runs = tableName(loc, 'sync_runs');
  const b = binder(loc.dialect);
  return b.query(`select sync_id, model_name, destination, primary_key, status, error, started_at, finished_at,
  planned, attempted, succeeded, failed, run_count, failed_run_count, first_started_at
from (
  select r.sync_id, r.model_name, r.destination, r.primary_key, r.status, r.error, r.started_at, r.finished_at,
    ${counterSum('planned', 'r')} as planned,
    ${counterSum('attempted', 'r')} as attempted,
    ${counterSum('succeeded', 'r')} as succeeded,
    ${counterSum('failed', 'r')} as failed,
    count(*) over (partition by r.sync_id) as run_count,
    sum(case when r.status = 'failed' then 1 else 0 end) over (partition by r.sync_id) as failed_run_count,
    min(r.started_at) over (partition by r.sync_id) as first_started_at,
    row_number() over (partition by r.sync_id order by r.started_at desc, r.sync_run_id desc) as rn
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
