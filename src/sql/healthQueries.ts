import type { SqlQuery } from './dialect';
import { binder, type Binder } from './binds';
import { sqlCount } from './ident';
import { counterSum, hasRunCounters, tableName, type SyncLogLocation } from './syncLogTables';

/** The health overview's window: runs that started at or after `since` (omitted: every run). */
export interface HealthWindow {
  since?: string;
}

/** Runs per sync read for the median interval between runs, whatever the window. */
export const HEALTH_INTERVAL_RUNS = 50;
/** Most runs of one sync read (as loadRuns: sync_runs rows are small, and the window counts need every run). */
export const MAX_HEALTH_RUNS_PER_SYNC = 100_000;

const checkedSince = (since: string): string => {
  if (typeof since !== 'string' || Number.isNaN(Date.parse(since)))
    throw new Error(`Invalid "since" ${JSON.stringify(since)}: expected an ISO-8601 timestamp.`);
  return since;
};

/** `<expr> >= since`, bound where it is written (Snowflake's `?` is positional); always true without a window. */
const inWindow = (loc: SyncLogLocation, b: Binder, w: HealthWindow, expr: string) =>
  w.since === undefined ? '1 = 1' : `${expr} >= ${loc.dialect.timestampParam(b.bind(checkedSince(w.since)))}`;

/**
 * Every sync's recent runs, newest first per sync: the latest HEALTH_INTERVAL_RUNS (last run, median
 * interval), every run of the window (sparkline), at most MAX_HEALTH_RUNS_PER_SYNC each, and the
 * `priorRuns` newest runs before the window (in_slice = 1: the figures read their operations too, so
 * a row retried every run shows its streak without its older history). sync_runs only, unless it
 * lacks its counters: then the figures of exactly these runs are counted in the changelog (one
 * aggregate over those runs' operations). Columns: sync_id, sync_run_id, model_name, destination,
 * primary_key, status, error, started_at, finished_at, rn (1 = latest), in_window, in_slice,
 * planned, attempted, failed.
 */
export function healthRunsQuery(loc: SyncLogLocation, w: HealthWindow, priorRuns = 0): SqlQuery {
  const b = binder(loc.dialect);
  const runs = tableName(loc, 'sync_runs');
  const counters = hasRunCounters(loc);
  const counterCols = counters
    ? `,\n    ${counterSum('planned', 'r')} as planned, ${counterSum('attempted', 'r')} as attempted, ${counterSum('failed', 'r')} as failed`
    : '';
  const newestFirst = 'order by r.started_at desc, r.sync_run_id desc';
  // A second window partitioned by "in the window" ranks the runs before it among themselves.
  const flagged = `select r.sync_id, r.sync_run_id, r.model_name, r.destination, r.primary_key, r.status, r.error, r.started_at, r.finished_at,
      case when ${inWindow(loc, b, w, 'r.started_at')} then 1 else 0 end as in_window${counterCols.replace(/\n {4}/g, '\n      ')}
    from ${runs} r`;
  const ranked = `select r.*,
    row_number() over (partition by r.sync_id ${newestFirst}) as rn,
    row_number() over (partition by r.sync_id, r.in_window ${newestFirst}) as side_rn
  from (
    ${flagged}
  ) r`;
  const prior =
    w.since === undefined || priorRuns === 0
      ? '0'
      : `case when in_window = 0 and side_rn <= ${sqlCount(priorRuns, 'prior runs')} then 1 else 0 end`;
  const picked = `select ranked.*, ${prior} as in_slice from (
  ${ranked}
) ranked
where (rn <= ${sqlCount(HEALTH_INTERVAL_RUNS)} or in_window = 1 or ${prior} = 1) and rn <= ${sqlCount(MAX_HEALTH_RUNS_PER_SYNC)}`;
  if (counters) return b.query(`${picked}\norder by sync_id, rn`);
  return b.query(`with picked as (
${picked}
),
figures as (
  select c.sync_run_id, count(*) as planned,
    sum(case when c.status in ('succeeded', 'failed') then 1 else 0 end) as attempted,
    sum(case when c.status = 'failed' then 1 else 0 end) as failed
  from ${tableName(loc, 'sync_changelog')} c
  where c.sync_run_id in (select picked.sync_run_id from picked)
  group by c.sync_run_id
)
select p.sync_id, p.sync_run_id, p.model_name, p.destination, p.primary_key, p.status, p.error, p.started_at, p.finished_at, p.rn, p.in_window, p.in_slice,
  coalesce(f.planned, 0) as planned, coalesce(f.attempted, 0) as attempted, coalesce(f.failed, 0) as failed
from picked p
left join figures f on f.sync_run_id = p.sync_run_id
order by p.sync_id, p.rn`);
}

/** Rows failing now per sync: the snapshot's failed rows (their latest operation failed). Columns: sync_id, rows_failing. */
export function healthSnapshotQuery(loc: SyncLogLocation): SqlQuery {
  return binder(loc.dialect).query(`select s.sync_id, count(distinct s.row_id) as rows_failing
from ${tableName(loc, 'sync_snapshot')} s
where s.status = 'failed'
group by s.sync_id`);
}
