import type { SqlQuery } from './dialect';
import { binder } from './binds';
import { sqlCount } from './ident';
import { sliceCondition, sliceCtes, timeParam, type HealthSlice } from './healthSlice';
import { tableName, type SyncLogLocation } from './syncLogTables';

const POINTS = ['n', 'b', 'l'] as const;
/** Most rows one streak query reads (bound values: warehouses cap them per statement). */
export const MAX_STREAK_ROWS = 1_000;

/**
 * Stuck rows per sync now (point n) and before the window (b), and the last run's rows that were
 * stuck before it (l). Result rows of kind 'sync' (stuck_rows, stuck_rows_before,
 * last_stuck_attempted, last_stuck_failed: the last run's attempted / failed rows stuck before it),
 * and of kind 'row': the few rows whose streak at the slice's start decides a point, with their
 * figures in the slice (f_*: failures after the latest success before the point, ok_*: successes
 * before it; att_l, fail_l), for healthRowStreakQuery to finish (the loader adds them up).
 *
 * A row's streak at a point is its failures after its latest non-failed operation before it;
 * stuck is streak >= K, so only rows with K or more failures (candidates) can be. Grouping every
 * operation by row costs about 5x one aggregate scan (a third of the log is retries of stuck
 * rows), so the per-row work is split:
 * - one aggregate of the failed operations by row (hashed; grouped by text too, it no longer fits
 *   in memory at 10M rows and sorts on disk): the candidates;
 * - their operations in the slice (the window's runs and each sync's few runs before it, read by
 *   sync_run_id): per point the failures, the successes and the latest success; for the few with
 *   a failure after a success there, those failures read from the row's own operations;
 * - the streak at the slice's start matters for a point when the slice has no success before it
 *   and too few failures, and the row enough failures before the slice to reach K; or when the
 *   candidate has no operation in the slice and the snapshot does not show it settled (a snapshot
 *   row's status is its latest operation's). Those rows are returned, not counted.
 * Rows that left the model while failing are why the whole log is read: stuck (their latest K
 * operations failed), yet in neither the snapshot nor any recent run.
 * Joins of two CTEs are avoided (unions and group by instead): the planner cannot size CTEs and
 * would rescan one for every row of the other. The joins left go to the changelog's indexes, to
 * sync_runs or to the snapshot.
 */
export function healthStuckQuery(loc: SyncLogLocation, s: HealthSlice, minFailures: number): SqlQuery {
  if (!Number.isSafeInteger(minFailures) || minFailures < 1)
    throw new Error(`Invalid minimum failures ${minFailures}: at least 1.`);
  const k = sqlCount(minFailures, 'minimum failures');
  const b = binder(loc.dialect);
  const changelog = tableName(loc, 'sync_changelog');
  const runs = tableName(loc, 'sync_runs');
  const windowed = s.since !== undefined;
  const str = loc.dialect.stringType;
  const nullStr = `cast(null as ${str})`;
  const ops = sliceCtes(loc, b, s, 'c.sync_id, c.row_id, c.status');
  // Which operations count for a point: those before it (before the window: in_w = 0; before the last run: started before it).
  const before = { n: '1 = 1', b: 't.in_w = 0', l: 't.started_at < t.last_at' };
  const perPoint = (
    p: (typeof POINTS)[number],
  ) => `sum(case when t.status = 'failed' and ${before[p]} then 1 else 0 end) as nf_${p},
    sum(case when t.status <> 'failed' and ${before[p]} then 1 else 0 end) as ok_${p},
    max(case when t.status <> 'failed' and ${before[p]} then t.started_at end) as lok_${p}`;
  // The same points for an operation read from the row's own operations (r: its run). Failures
  // after a slice success are newer than a slice run, so in the slice themselves.
  const sinceParam = windowed ? timeParam(loc, b, s.since!, 'since') : '';
  const looked = { n: '1 = 1', b: windowed ? `r.started_at < ${sinceParam}` : '1 = 0', l: 'r.started_at < m.last_at' };
  const look = (p: (typeof POINTS)[number]) =>
    `sum(case when ${looked[p]} and r.started_at > m.lok_${p} then 1 else 0 end) as f_${p}`;
  // Needs the streak at the slice's start for a point: no non-failed operation before it in the
  // slice, fewer than K failures there, and enough failures before the slice to reach K.
  const needs = (p: string) => `(x.ok_${p} = 0 and x.nf_${p} < ${k} and x.nf - x.nf_n >= ${k} - x.nf_${p})`;
  return b.query(`with candidates as (
  select c.sync_id, c.row_id, count(*) as nf
  from ${changelog} c
  where c.status = 'failed'
  group by c.sync_id, c.row_id
  having count(*) >= ${k}
),
${ops},
tagged as (
  select o.sync_id, o.row_id, o.status, o.started_at, o.in_w, o.is_last, o.last_at, 0 as nf
  from ops o
  where exists (select 1 from candidates k where k.sync_id = o.sync_id and k.row_id = o.row_id)
  union all
  select c.sync_id, c.row_id, null, null, 0, 0, null, c.nf
  from candidates c
),
per_row as (
  select t.sync_id, t.row_id, max(t.nf) as nf, count(t.status) as n_s, max(t.last_at) as last_at,
    ${POINTS.map(perPoint).join(',\n    ')},
    max(case when t.is_last = 1 and t.status <> 'aborted' then 1 else 0 end) as att_l,
    max(case when t.is_last = 1 and t.status = 'failed' then 1 else 0 end) as fail_l
  from tagged t
  group by t.sync_id, t.row_id
  having max(t.nf) > 0
),
second_look as (
  select m.sync_id, m.row_id, ${POINTS.map(look).join(', ')}
  from per_row m
  join ${changelog} c on c.sync_id = m.sync_id and c.row_id = m.row_id
  join ${runs} r on r.sync_run_id = c.sync_run_id
  where c.status = 'failed' and m.n_s > 0 and (${POINTS.map((p) => `(m.ok_${p} > 0 and m.nf_${p} > 0)`).join(' or ')})
  group by m.sync_id, m.row_id
),
settled as (
  select x.sync_id, x.row_id
  from per_row x
  join ${tableName(loc, 'sync_snapshot')} sn on sn.sync_id = x.sync_id and sn.row_id = x.row_id
  where x.n_s = 0 and sn.status <> 'failed'
),
need as (
  select x.sync_id, x.row_id
  from per_row x
  where x.n_s > 0 and (${POINTS.map(needs).join(' or ')})
  union all
  select o.sync_id, o.row_id
  from (
    select x.sync_id, x.row_id, 0 as settled from per_row x where x.n_s = 0
    union all
    select t.sync_id, t.row_id, 1 from settled t
  ) o
  group by o.sync_id, o.row_id
  having max(o.settled) = 0
),
row_parts as (
  select x.sync_id, x.row_id, ${POINTS.map((p) => `case when x.ok_${p} = 0 then x.nf_${p} else 0 end as f_${p}, x.ok_${p}`).join(', ')}, x.att_l, x.fail_l, 0 as pending
  from per_row x
  union all
  select l.sync_id, l.row_id, ${POINTS.map((p) => `l.f_${p}, 0`).join(', ')}, 0, 0, 0
  from second_look l
  union all
  select h.sync_id, h.row_id, ${POINTS.map(() => '0, 0').join(', ')}, 0, 0, 1
  from need h
),
rows_final as (
  select sync_id, row_id, ${POINTS.map((p) => `sum(f_${p}) as f_${p}, sum(ok_${p}) as ok_${p}`).join(', ')},
    max(att_l) as att_l, max(fail_l) as fail_l, max(pending) as pending
  from row_parts
  group by sync_id, row_id
)
select cast('sync' as ${str}) as kind, p.sync_id, ${nullStr} as row_id,
  sum(case when p.f_n >= ${k} then 1 else 0 end) as stuck_rows,
  ${windowed ? `sum(case when p.f_b >= ${k} then 1 else 0 end)` : '0'} as stuck_rows_before,
  sum(case when p.att_l = 1 and p.f_l >= ${k} then 1 else 0 end) as last_stuck_attempted,
  sum(case when p.fail_l = 1 and p.f_l >= ${k} then 1 else 0 end) as last_stuck_failed,
  ${POINTS.map((q) => `0 as f_${q}, 0 as ok_${q}`).join(', ')}, 0 as att_l, 0 as fail_l
from rows_final p
where p.pending = 0
group by p.sync_id
union all
select cast('row' as ${str}), r.sync_id, cast(r.row_id as ${str}), 0, 0, 0, 0, ${POINTS.map((q) => `r.f_${q}, r.ok_${q}`).join(', ')}, r.att_l, r.fail_l
from rows_final r
where r.pending = 1`);
}

/**
 * The streak, capped at K, of each given row at the start of the slice (healthStuckQuery's rows
 * that need it): its latest K operations before the slice's runs, newest first (a window over
 * those rows only; they are read by the (sync_id, row_id) index). Columns: sync_id, row_id, streak.
 */
export function healthRowStreakQuery(
  loc: SyncLogLocation,
  s: HealthSlice,
  rows: readonly { syncId: string; rowId: string }[],
  minFailures: number,
): SqlQuery {
  const k = sqlCount(minFailures, 'minimum failures');
  if (rows.length === 0 || rows.length > MAX_STREAK_ROWS)
    throw new Error(`Expected 1 to ${MAX_STREAK_ROWS} rows, got ${rows.length}.`);
  const b = binder(loc.dialect);
  const bySync = new Map<string, string[]>();
  for (const r of rows) bySync.set(r.syncId, [...(bySync.get(r.syncId) ?? []), r.rowId]);
  const picked = [...bySync]
    .map(
      ([syncId, ids]) => `(c.sync_id = ${b.bind(syncId)} and c.row_id in (${ids.map((id) => b.bind(id)).join(', ')}))`,
    )
    .join('\n      or ');
  return b.query(`select h.sync_id, h.row_id, coalesce(min(case when h.status <> 'failed' then h.rn end) - 1, count(*)) as streak
from (
  select c.sync_id, c.row_id, c.status,
    row_number() over (partition by c.sync_id, c.row_id order by r.started_at desc, c.sync_run_id desc) as rn
  from ${tableName(loc, 'sync_changelog')} c
  join ${tableName(loc, 'sync_runs')} r on r.sync_run_id = c.sync_run_id
  where (${picked})
    and not ${sliceCondition(loc, b, s, 'r')}
) h
where h.rn <= ${k}
group by h.sync_id, h.row_id`);
}
