import type { SqlQuery } from './dialect';
import { binder } from './binds';
import { selectFailureReason } from './analysisScope';
import { hasFields, tableName, type SyncLogLocation } from './syncLogTables';

export interface RowTimelineSpec {
  rowId: string;
  /** Omitted: the row id in every sync. */
  syncId?: string;
  limit: number;
}

/**
 * The latest changelog operations of one row, newest first (a row that flaps can have thousands:
 * the recent ones matter most), with its run's start (joined on
 * sync_run_id: the changelog has no time of its own). `fields` is selected only where the
 * deployment has it (never on Redshift), so the query never names a missing column.
 * Asks for limit + 1 rows so the caller sees truncation.
 */
export function rowTimelineQuery(loc: SyncLogLocation, spec: RowTimelineSpec): SqlQuery {
  const b = binder(loc.dialect);
  const fields = hasFields(loc) ? ', c.fields' : '';
  const conditions = [`c.row_id = ${b.bind(spec.rowId)}`];
  if (spec.syncId !== undefined) conditions.push(`c.sync_id = ${b.bind(spec.syncId)}`);
  return b.query(`select c.sync_id, c.sync_run_id, r.started_at, c.op_type, c.status, ${selectFailureReason(loc, 'c')}${fields}
from ${tableName(loc, 'sync_changelog')} c
join ${tableName(loc, 'sync_runs')} r on r.sync_run_id = c.sync_run_id
where ${conditions.join('\n  and ')}
order by r.started_at desc, c.sync_run_id desc
limit ${b.count(spec.limit + 1)}`);
}

/** The row's current state per sync; a sync missing here means the row left that model. */
export function rowSnapshotQuery(loc: SyncLogLocation, spec: { rowId: string; syncId?: string }): SqlQuery {
  const b = binder(loc.dialect);
  const conditions = [`s.row_id = ${b.bind(spec.rowId)}`];
  if (spec.syncId !== undefined) conditions.push(`s.sync_id = ${b.bind(spec.syncId)}`);
  return b.query(`select s.sync_id, s.op_type, s.status
from ${tableName(loc, 'sync_snapshot')} s
where ${conditions.join('\n  and ')}
order by s.sync_id`);
}
