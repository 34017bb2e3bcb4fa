import type { Binder } from './binds';
import { tableName, type SyncLogLocation } from './syncLogTables';

/** Most runs before the window named one by one in a slice; beyond it the slice starts at a time instead. */
export const MAX_SLICE_RUN_IDS = 1_000;

/**
 * The runs whose operations the health figures read by sync_run_id (an index scan on Postgres,
 * pruned reads elsewhere): the window's runs plus `priorRunIds` before it, or every run since
 * `priorFrom` when those are too many to list. Without `since`, every run.
 */
export interface HealthSlice {
  since?: string;
  priorRunIds?: readonly string[];
  priorFrom?: string;
}

export const checkedTime = (t: string, what: string): string => {
  if (typeof t !== 'string' || Number.isNaN(Date.parse(t)))
    throw new Error(`Invalid "${what}" ${JSON.stringify(t)}: expected an ISO-8601 timestamp.`);
  return t;
};

export const timeParam = (loc: SyncLogLocation, b: Binder, t: string, what: string): string =>
  loc.dialect.timestampParam(b.bind(checkedTime(t, what)));

/** The slice's runs as a condition on sync_runs alias `r`, bound where it is written (Snowflake's `?` is positional). */
export function sliceCondition(loc: SyncLogLocation, b: Binder, s: HealthSlice, r: string): string {
  if (s.since === undefined) return '1 = 1';
  // Before the window's runs, so every run since it is in the slice too.
  if (s.priorFrom !== undefined) return `${r}.started_at >= ${timeParam(loc, b, s.priorFrom, 'priorFrom')}`;
  const window = `${r}.started_at >= ${timeParam(loc, b, s.since, 'since')}`;
  if (!s.priorRunIds || s.priorRunIds.length === 0) return window;
  if (s.priorRunIds.length > MAX_SLICE_RUN_IDS)
    throw new Error(`Too many runs before the window: ${s.priorRunIds.length} (at most ${MAX_SLICE_RUN_IDS}).`);
  return `(${window} or ${r}.sync_run_id in (${s.priorRunIds.map((id) => b.bind(id)).join(', ')}))`;
}

/**
 * CTE `slice_last` (each sync's newest run: sync_id, last_at; every slice holds it, among the
 * window's runs or, for a sync with none there, among its runs before) and CTE `ops`: the
 * slice's operations with `opsColumns` of the changelog `c`, their run's started_at, in_w (in the
 * window), is_last (the sync's newest run: two runs of one sync never start at the same instant)
 * and last_at. The operations join sync_runs itself, filtered, not a CTE of its runs: the planner
 * sizes no CTE, and joined to one it sorted a whole log of operations on disk to merge them with
 * their runs. Filtered once, it sizes a day's runs right (3% of the operations) and still scans
 * the whole log for them, at 6x the cost of reading them by the sync_run_id index; the same filter
 * again, as an IN list, makes it count that share twice, so a short window goes by index while a
 * long one (85% twice is still most of the log) is scanned.
 */
export function sliceCtes(loc: SyncLogLocation, b: Binder, s: HealthSlice, opsColumns: string): string {
  const runs = tableName(loc, 'sync_runs');
  const last = `slice_last as (
  select x.sync_id, max(x.started_at) as last_at
  from ${runs} x
  group by x.sync_id
)`;
  const inWindow =
    s.since === undefined ? '1' : `case when r.started_at >= ${timeParam(loc, b, s.since, 'since')} then 1 else 0 end`;
  return `${last},
ops as (
  select ${opsColumns}, r.started_at, ${inWindow} as in_w,
    case when r.started_at = l.last_at then 1 else 0 end as is_last, l.last_at
  from ${tableName(loc, 'sync_changelog')} c
  join ${runs} r on r.sync_run_id = c.sync_run_id
  join slice_last l on l.sync_id = r.sync_id
  where ${sliceCondition(loc, b, s, 'r')}${
    s.since === undefined
      ? ''
      : `\n    and c.sync_run_id in (select y.sync_run_id from ${runs} y where ${sliceCondition(loc, b, s, 'y')})`
  }
)`;
}
