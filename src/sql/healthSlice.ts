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
 * CTEs `slice_runs0` (the slice's runs: sync_id, sync_run_id, started_at, in_w: in the window) and
 * `slice_runs` (with last_at, the start of the sync's newest run, and is_last: the run started
 * then; two runs of one sync never start at the same instant).
 */
export function sliceRunsCtes(loc: SyncLogLocation, b: Binder, s: HealthSlice): string {
  const inWindow =
    s.since === undefined ? '1' : `case when r.started_at >= ${timeParam(loc, b, s.since, 'since')} then 1 else 0 end`;
  return `slice_runs0 as (
  select r.sync_id, r.sync_run_id, r.started_at, ${inWindow} as in_w
  from ${tableName(loc, 'sync_runs')} r
  where ${sliceCondition(loc, b, s, 'r')}
),
slice_runs as (
  select s.sync_run_id, s.started_at, s.in_w, l.last_at, case when s.started_at = l.last_at then 1 else 0 end as is_last
  from slice_runs0 s
  join (select sync_id, max(started_at) as last_at from slice_runs0 group by sync_id) l on l.sync_id = s.sync_id
)`;
}

/**
 * The slice's operations (changelog `c`) with their run's flags (slice_runs `r`), to follow a FROM
 * after sliceRunsCtes. The changelog is also restricted by a plain filter on sync_runs, which the
 * planner can size (so Postgres reads a short window's runs by index, not the whole table).
 */
export function sliceOpsSource(loc: SyncLogLocation, b: Binder, s: HealthSlice): string {
  const runs = tableName(loc, 'sync_runs');
  const where =
    s.since === undefined
      ? ''
      : `\n  where c.sync_run_id in (select x.sync_run_id from ${runs} x where ${sliceCondition(loc, b, s, 'x')})`;
  return `${tableName(loc, 'sync_changelog')} c
  join slice_runs r on r.sync_run_id = c.sync_run_id${where}`;
}

/** sliceRunsCtes and CTE `ops`: the slice's operations with `opsColumns` and their run's flags. */
export function sliceCtes(loc: SyncLogLocation, b: Binder, s: HealthSlice, opsColumns: string): string {
  return `${sliceRunsCtes(loc, b, s)},
ops as (
  select ${opsColumns}, r.started_at, r.in_w, r.is_last, r.last_at
  from ${sliceOpsSource(loc, b, s)}
)`;
}
