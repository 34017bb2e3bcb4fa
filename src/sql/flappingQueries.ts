import type { SqlQuery } from './dialect';
import { binder } from './binds';
import { checkedList, scopeConditions, whereLines } from './analysisScope';
import { tableName, type SyncLogLocation } from './syncLogTables';

export type FlappingOrderBy = 'flapping' | 'retries' | 'operations' | 'changes' | 'cycles';

export interface FlappingSpec {
  syncId: string;
  /** ISO-8601: only operations of runs that started at or after it. */
  since?: string;
  orderBy: FlappingOrderBy;
  limit: number;
}

/** Most row ids one activity query may ask for (a bound IN list). */
export const MAX_ACTIVITY_ROWS = 200;

// min(entries, exits) as a CASE: one text for all five dialects, no function to check per warehouse.
const CYCLES = 'case when entries < exits then entries else exits end';

/** Each ordering's keys over the per-row columns; ties always end on row_id so pages are stable. */
const ORDER: Record<FlappingOrderBy, string> = {
  flapping: 'flapping desc, operations desc, row_id',
  retries: 'retries desc, operations desc, row_id',
  operations: 'operations desc, row_id',
  changes: 'changes desc, operations desc, row_id',
  cycles: `${CYCLES} desc, operations desc, row_id`,
};

/** An operation whose previous one on the row (same sync) failed or was aborted is a retry (issue 12). */
const RETRY = "o.prev_status in ('failed', 'aborted')";
// prev_status is NULL on a row's first operation: that is not a retry.
const FIRST_TRY = "(o.prev_status is null or o.prev_status not in ('failed', 'aborted'))";

/**
 * The rows of one sync that flap the most: one window-function scan of the sync's changelog
 * (lag of the status over each row's operations in run order), one aggregate per row_id.
 * Flapping is succeeded changes plus enter/exit cycles, retries excluded: a failed add retried
 * every run is 177 operations and 0 flapping, so it no longer outranks the real flappers.
 * Entries and exits are succeeded adds and removes that are not retries; cycles are
 * min(entries, exits) (the seed's definition, on entries rather than attempts).
 * The previous operation is looked for over the whole sync, not only the window, so the first
 * operation in the window of a row that was failing before it is still a retry; `since` filters
 * after the window function. Run order is started_at, then sync_run_id (the changelog has no time).
 * Counts are count(case when ... then 1 end), with no else (count(... else 0 end) would count
 * every row, the dbt package's bug; ARCHITECTURE.md, "The sync-log tables").
 * Failures, first/last run and sparklines follow for the top rows (rowActivityQuery); how many
 * rows had an operation is rowsWithOperationsQuery.
 */
export function flappingRowsQuery(loc: SyncLogLocation, spec: FlappingSpec): SqlQuery {
  const order = ORDER[spec.orderBy];
  if (!order)
    throw new Error(
      `Invalid flapping order "${String(spec.orderBy)}": use flapping, retries, operations, changes or cycles.`,
    );
  const b = binder(loc.dialect);
  const sync = b.bind(spec.syncId);
  // The window filters the operations the window function has already ordered ('o' holds each one's run start).
  const since = whereLines(scopeConditions(loc, b, { since: spec.since }, { rows: 'o', runs: 'o' })).replace(
    /\n/g,
    '\n  ',
  );
  const firstTry = (op: string) =>
    `count(case when o.op_type = '${op}' and o.status = 'succeeded' and ${FIRST_TRY} then 1 end)`;
  return b.query(`select row_id, operations, retries, changes, entries, exits, changes + ${CYCLES} as flapping
from (
  select o.row_id,
    count(*) as operations,
    count(case when ${RETRY} then 1 end) as retries,
    ${firstTry('changed')} as changes,
    ${firstTry('added')} as entries,
    ${firstTry('removed')} as exits
  from (
    select c.row_id, c.op_type, c.status, r.started_at,
      lag(c.status) over (partition by c.row_id order by r.started_at, c.sync_run_id) as prev_status
    from ${tableName(loc, 'sync_changelog')} c
    join ${tableName(loc, 'sync_runs')} r on r.sync_run_id = c.sync_run_id
    where c.sync_id = ${sync}
  ) o${since}
  group by o.row_id
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
