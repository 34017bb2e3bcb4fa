import type { SqlQuery } from './dialect';
import { binder } from './binds';
import { scopeConditions, whereLines } from './analysisScope';
import { tableName, type SyncLogLocation } from './syncLogTables';

export interface ModelOpsSpec {
  syncId: string;
  /** ISO-8601: only runs that started at or after it. */
  since?: string;
}

/**
 * sum(case when <cond> then 1 else 0 end): never count(... else 0), which counts every row
 * (ARCHITECTURE.md, "The sync-log tables").
 */
const countWhere = (condition: string) => `sum(case when ${condition} then 1 else 0 end)`;

/**
 * Operations per run of one sync, for the membership chart, where sync_runs has no counters.
 * added/changed/removed count every status (what the run planned); ok_* only succeeded
 * operations (what really entered or left the destination); the rest (added - ok_added, failed
 * or aborted) will be retried, which the caller derives, so the aggregate stays small. One scan,
 * one aggregate; run times come from scopeRunsQuery, so no join here.
 */
export function modelOpsPerRunQuery(loc: SyncLogLocation, spec: ModelOpsSpec): SqlQuery {
  const b = binder(loc.dialect);
  const where = whereLines(scopeConditions(loc, b, { syncId: spec.syncId, since: spec.since }, { rows: 'c' }));
  return b.query(`select c.sync_run_id,
  ${countWhere(`c.op_type = 'added'`)} as added,
  ${countWhere(`c.op_type = 'changed'`)} as changed,
  ${countWhere(`c.op_type = 'removed'`)} as removed,
  ${countWhere(`c.status = 'failed'`)} as failed,
  ${countWhere(`c.status = 'aborted'`)} as aborted,
  ${countWhere(`c.op_type = 'added' and c.status = 'succeeded'`)} as ok_added,
  ${countWhere(`c.op_type = 'removed' and c.status = 'succeeded'`)} as ok_removed
from ${tableName(loc, 'sync_changelog')} c${where}
group by c.sync_run_id
order by c.sync_run_id`);
}

/** Rows in the model now: the sync's snapshot rows (rows that left the model are not there). */
export function snapshotCountQuery(loc: SyncLogLocation, syncId: string): SqlQuery {
  const b = binder(loc.dialect);
  return b.query(`select count(*) as row_count
from ${tableName(loc, 'sync_snapshot')}
where sync_id = ${b.bind(syncId)}`);
}
