import type { SqlQuery } from './dialect';
import { binder, type Binder } from './binds';
import { failureReasonExpr } from './analysisScope';
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
/** Most distinct failure texts read for new templates (all syncs). */
export const MAX_HEALTH_TEXTS = 20_000;

const checkedSince = (since: string): string => {
  if (typeof since !== 'string' || Number.isNaN(Date.parse(since))) throw new Error(`Invalid "since" ${JSON.stringify(since)}: expected an ISO-8601 timestamp.`);
  return since;
};

/** `<expr> >= since`, bound where it is written (Snowflake's `?` is positional); always true without a window. */
const inWindow = (loc: SyncLogLocation, b: Binder, w: HealthWindow, expr: string) => (w.since === undefined ? '1 = 1' : `${expr} >= ${loc.dialect.timestampParam(b.bind(checkedSince(w.since)))}`);
/** `<expr> < since`; never true without a window (nothing precedes "every run"). */
const beforeWindow = (loc: SyncLogLocation, b: Binder, w: HealthWindow, expr: string) => (w.since === undefined ? '1 = 0' : `${expr} < ${loc.dialect.timestampParam(b.bind(checkedSince(w.since)))}`);

/**
 * Every sync's recent runs, newest first per sync: the latest HEALTH_INTERVAL_RUNS (last run, median
 * interval) and every run of the window (sparkline), at most MAX_HEALTH_RUNS_PER_SYNC each. sync_runs
 * only, unless it lacks its counters: then the figures of exactly these runs are counted in the
 * changelog (one aggregate over those runs' operations). Columns: sync_id, sync_run_id, model_name,
 * destination, primary_key, status, error, started_at, finished_at, rn (1 = latest), in_window,
 * planned, attempted, failed.
 */
export function healthRunsQuery(loc: SyncLogLocation, w: HealthWindow): SqlQuery {
  const b = binder(loc.dialect);
  const runs = tableName(loc, 'sync_runs');
  const counters = hasRunCounters(loc);
  const counterCols = counters ? `,\n    ${counterSum('planned', 'r')} as planned, ${counterSum('attempted', 'r')} as attempted, ${counterSum('failed', 'r')} as failed` : '';
  const ranked = `select r.sync_id, r.sync_run_id, r.model_name, r.destination, r.primary_key, r.status, r.error, r.started_at, r.finished_at,
    row_number() over (partition by r.sync_id order by r.started_at desc, r.sync_run_id desc) as rn,
    case when ${inWindow(loc, b, w, 'r.started_at')} then 1 else 0 end as in_window${counterCols}
  from ${runs} r`;
  const picked = `select * from (
  ${ranked}
) ranked
where (rn <= ${sqlCount(HEALTH_INTERVAL_RUNS)} or in_window = 1) and rn <= ${sqlCount(MAX_HEALTH_RUNS_PER_SYNC)}`;
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
select p.sync_id, p.sync_run_id, p.model_name, p.destination, p.primary_key, p.status, p.error, p.started_at, p.finished_at, p.rn, p.in_window,
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

/**
 * Per sync, from the changelog (time from sync_runs through sync_run_id): distinct rows with a failed
 * and with an attempted operation in the window, and stuck rows (latest K operations all failed) now
 * and as of the window's start (operations before it only). A row's streak is every failed operation
 * after its latest non-failed one, so "latest K all failed" is "streak >= K".
 *
 * Grouping every operation by row (the plain way to find each row's latest non-failed operation) cost
 * about 5x one aggregate scan at 1M rows, so the work is narrowed to the rows that can be stuck: a
 * streak of K needs K failed operations, so only rows with K or more failures (a few thousand of
 * 300k in the demo) have their non-failed operations read. `ops` holds just the failed operations and
 * the window's, which serve the candidates, their streaks and the window's counts; only the
 * candidates' latest non-failed operations need a second read of the changelog.
 * Without window functions (one text for every dialect). Columns: sync_id, rows_failed,
 * rows_attempted, stuck_rows, stuck_rows_before; syncs with none of these figures may be missing (0).
 */
export function healthRowsQuery(loc: SyncLogLocation, w: HealthWindow, minFailures: number): SqlQuery {
  if (!Number.isSafeInteger(minFailures) || minFailures < 1) throw new Error(`Invalid minimum failures ${minFailures}: at least 1.`);
  const k = sqlCount(minFailures, 'minimum failures');
  const b = binder(loc.dialect);
  const changelog = tableName(loc, 'sync_changelog');
  const runs = tableName(loc, 'sync_runs');
  const text = `with ops as (
  select c.sync_id, c.row_id, c.status, r.started_at
  from ${changelog} c
  join ${runs} r on r.sync_run_id = c.sync_run_id
  where c.status = 'failed' or ${inWindow(loc, b, w, 'r.started_at')}
),
candidates as (
  select o.sync_id, o.row_id
  from ops o
  where o.status = 'failed'
  group by o.sync_id, o.row_id
  having count(*) >= ${k}
),
last_ok as (
  select c.sync_id, c.row_id, max(r.started_at) as last_ok,
    max(case when ${beforeWindow(loc, b, w, 'r.started_at')} then r.started_at end) as last_ok_before
  from ${changelog} c
  join ${runs} r on r.sync_run_id = c.sync_run_id
  join candidates k on k.sync_id = c.sync_id and k.row_id = c.row_id
  where c.status <> 'failed'
  group by c.sync_id, c.row_id
),
streaks as (
  select o.sync_id, o.row_id,
    sum(case when l.last_ok is null or o.started_at > l.last_ok then 1 else 0 end) as streak_now,
    sum(case when ${beforeWindow(loc, b, w, 'o.started_at')} and (l.last_ok_before is null or o.started_at > l.last_ok_before) then 1 else 0 end) as streak_before
  from ops o
  join candidates k on k.sync_id = o.sync_id and k.row_id = o.row_id
  left join last_ok l on l.sync_id = o.sync_id and l.row_id = o.row_id
  where o.status = 'failed'
  group by o.sync_id, o.row_id
),
stuck as (
  select sync_id,
    sum(case when streak_now >= ${k} then 1 else 0 end) as stuck_rows,
    sum(case when streak_before >= ${k} then 1 else 0 end) as stuck_rows_before
  from streaks
  group by sync_id
),
window_rows as (
  select wr.sync_id, sum(wr.failed_w) as rows_failed, count(*) as rows_attempted
  from (
    select o.sync_id, o.row_id, max(case when o.status = 'failed' then 1 else 0 end) as failed_w
    from ops o
    where o.status in ('succeeded', 'failed') and ${inWindow(loc, b, w, 'o.started_at')}
    group by o.sync_id, o.row_id
  ) wr
  group by wr.sync_id
)
select coalesce(wr.sync_id, s.sync_id) as sync_id, coalesce(wr.rows_failed, 0) as rows_failed, coalesce(wr.rows_attempted, 0) as rows_attempted,
  coalesce(s.stuck_rows, 0) as stuck_rows, coalesce(s.stuck_rows_before, 0) as stuck_rows_before
from window_rows wr
full outer join stuck s on s.sync_id = wr.sync_id
order by 1`;
  return b.query(text);
}

/**
 * Every distinct failure text per sync with its first appearance in the whole log and its rows and
 * failures in the window, for new templates (templated in JS). Newest first appearance first, so the
 * texts a bound cuts are the oldest (the least likely to be new). Asks for one extra row to tell truncation.
 * Columns: sync_id, failure_reason, first_seen, rows_in_window, failures_in_window.
 */
export function healthTextsQuery(loc: SyncLogLocation, w: HealthWindow, limit = MAX_HEALTH_TEXTS): SqlQuery {
  const b = binder(loc.dialect);
  const reason = failureReasonExpr(loc, 'c');
  const windowed = inWindow(loc, b, w, 'r.started_at');
  const windowed2 = inWindow(loc, b, w, 'r.started_at');
  return b.query(`select c.sync_id, ${reason} as failure_reason, min(r.started_at) as first_seen,
  count(distinct case when ${windowed} then c.row_id end) as rows_in_window,
  sum(case when ${windowed2} then 1 else 0 end) as failures_in_window
from ${tableName(loc, 'sync_changelog')} c
join ${tableName(loc, 'sync_runs')} r on r.sync_run_id = c.sync_run_id
where c.status = 'failed' and ${reason} is not null
group by c.sync_id, ${reason}
order by first_seen desc, c.sync_id
limit ${b.count(limit + 1)}`);
}
