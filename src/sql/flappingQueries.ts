import type { SqlQuery } from './dialect';
import { binder } from './binds';
import { checkedList, scopeConditions, whereLines } from './analysisScope';
import { tableName, type SyncLogLocation } from './syncLogTables';

export type FlappingOrderBy = 'operations' | 'changes' | 'cycles';

export interface FlappingSpec {
  syncId: string;
  /** ISO-8601: only operations of runs that started at or after it. */
  since?: string;
  orderBy: FlappingOrderBy;
  limit: number;
}

/** Most row ids one activity query may ask for (a bound IN list). */
export const MAX_ACTIVITY_ROWS = 200;

/** Each ordering's keys over the per-row columns; ties always end on row_id so pages are stable. */
const ORDER: Record<FlappingOrderBy, string> = {
  operations: 'operations desc, row_id',
  changes: 'changes desc, operations desc, row_id',
  // min(adds, removes) as a CASE: one text for all five dialects, no function to check per warehouse.
  cycles: 'case when adds < removes then adds else removes end desc, operations desc, row_id',
};

/**
 * The rows of one sync with the most operations: one changelog scan, one aggregate per row_id.
 * Benchmark hot path, so the aggregate holds only what the ranking needs: changes are
 * operations - adds - removes (op_type is added, changed or removed, schema.md), computed on the
 * grouped rows; failures come with the follow-up rowActivityQuery (on the top rows only); how
 * many rows had any operation is rowsWithOperationsQuery, run with that follow-up when the
 * ranking is full (a window count here cost more than that second, index-friendly query).
 * Counts are count(case when ... then 1 end), with no else: the CASE is NULL for other rows and
 * count skips NULLs (a sum of 1 or 0 would cost more per row; count(... else 0 end) would count
 * every row, the dbt package's bug, schema.md).
 * No first/last run time per row: the changelog has no time, so it would need a join to
 * sync_runs on every call, not only with `since`; the panel gets times from the activity query
 * and the runs list instead.
 * The order is applied outside the aggregate because Postgres cannot use output aliases inside
 * ORDER BY expressions (a bare alias, `changes`, it can).
 */
export function flappingRowsQuery(loc: SyncLogLocation, spec: FlappingSpec): SqlQuery {
  const order = ORDER[spec.orderBy];
  if (!order) throw new Error(`Invalid flapping order "${String(spec.orderBy)}": use operations, changes or cycles.`);
  const b = binder(loc.dialect);
  const where = whereLines(scopeConditions(loc, b, { syncId: spec.syncId, since: spec.since }, { rows: 'c' }));
  return b.query(`select row_id, operations, operations - adds - removes as changes, adds, removes
from (
  select c.row_id,
    count(*) as operations,
    count(case when c.op_type = 'added' then 1 end) as adds,
    count(case when c.op_type = 'removed' then 1 end) as removes
  from ${tableName(loc, 'sync_changelog')} c${where.replace(/\n/g, '\n  ')}
  group by c.row_id
) per_row
order by ${order}
limit ${b.count(spec.limit)}`);
}

/** How many distinct rows had an operation in scope: the panel's "rows with operations". */
export function rowsWithOperationsQuery(loc: SyncLogLocation, spec: Omit<FlappingSpec, 'orderBy' | 'limit'>): SqlQuery {
  const b = binder(loc.dialect);
  const where = whereLines(scopeConditions(loc, b, { syncId: spec.syncId, since: spec.since }, { rows: 'c' }));
  // A grouped subquery rather than count(distinct): Postgres 15 sorts for a distinct aggregate, but can read the grouping off an index.
  return b.query(`select count(*) as row_count
from (
  select c.row_id
  from ${tableName(loc, 'sync_changelog')} c${where.replace(/\n/g, '\n  ')}
  group by c.row_id
) touched`);
}

export interface RowActivitySpec {
  syncId: string;
  since?: string;
  /** 1..MAX_ACTIVITY_ROWS row ids, bound. */
  rowIds: string[];
}

/** Operations and failures per (row_id, run) for a few rows: the flapping panel's sparklines, first/last run and failures. */
export function rowActivityQuery(loc: SyncLogLocation, spec: RowActivitySpec): SqlQuery {
  const rowIds = checkedList(spec.rowIds, MAX_ACTIVITY_ROWS, 'row ids');
  const b = binder(loc.dialect);
  // Array order is text order, so values bind in order of appearance.
  const where = whereLines([
    ...scopeConditions(loc, b, { syncId: spec.syncId, since: spec.since }, { rows: 'c' }),
    `c.row_id in (${rowIds.map((id) => b.bind(id)).join(', ')})`,
  ]);
  return b.query(`select c.row_id, c.sync_run_id, count(*) as operations,
  sum(case when c.status = 'failed' then 1 else 0 end) as failures
from ${tableName(loc, 'sync_changelog')} c${where}
group by c.row_id, c.sync_run_id
order by c.row_id, c.sync_run_id`);
}
