import type { SqlQuery } from './dialect';
import { binder } from './binds';
import { failureReasonExpr } from './analysisScope';
import { sliceCtes, type HealthSlice } from './healthSlice';
import type { SyncLogLocation } from './syncLogTables';

/**
 * The overview's figures of the window and of each sync's last run, read from their runs'
 * operations only (by sync_run_id; the slice must hold each sync's newest run). Result rows of
 * kind 'sync': rows_failed and rows_attempted in the window, last_attempted and last_failed, the
 * rows the last run attempted / failed (every row: healthStuckQuery counts those stuck before it);
 * and of kind 'text': per sync and failure text of the window, its first_seen there, rows and
 * failures. Plain CTEs and union all: one text for every dialect.
 *
 * One grouping of the operations, by row and by the text of a failure in the window (null for
 * every other operation), feeds both kinds: a window of 30 days is most of the log, and reading
 * its operations into a CTE of their own (wide with their texts, and sized by no planner) then
 * grouping them twice cost 2x to 4x this.
 */
export function healthWindowQuery(loc: SyncLogLocation, s: HealthSlice): SqlQuery {
  const b = binder(loc.dialect);
  const str = loc.dialect.stringType;
  const ops = sliceCtes(loc, b, s, `c.sync_id, c.row_id, c.status, ${failureReasonExpr(loc, 'c')} as failure_reason`);
  return {
    ...b.query(`with ${ops},
keyed as (
  select o.sync_id, o.row_id, o.failure_reason, count(*) as n, min(o.started_at) as first_at,
    max(case when o.in_w = 1 and o.status <> 'aborted' then 1 else 0 end) as att_w,
    max(case when o.in_w = 1 and o.status = 'failed' then 1 else 0 end) as fail_w,
    max(case when o.is_last = 1 and o.status <> 'aborted' then 1 else 0 end) as att_l,
    max(case when o.is_last = 1 and o.status = 'failed' then 1 else 0 end) as fail_l
  from (
    select p.sync_id, p.row_id, p.status, p.started_at, p.in_w, p.is_last,
      case when p.status = 'failed' and p.in_w = 1 then p.failure_reason end as failure_reason
    from ops p
  ) o
  group by o.sync_id, o.row_id, o.failure_reason
),
per_row as (
  select k.sync_id, max(k.att_w) as att_w, max(k.fail_w) as fail_w, max(k.att_l) as att_l, max(k.fail_l) as fail_l
  from keyed k
  group by k.sync_id, k.row_id
)
select cast('text' as ${str}) as kind, t.sync_id, t.failure_reason, min(t.first_at) as first_seen, count(*) as rows_in_window, sum(t.n) as failures_in_window,
  0 as rows_failed, 0 as rows_attempted, 0 as last_attempted, 0 as last_failed
from keyed t
where t.failure_reason is not null
group by t.sync_id, t.failure_reason
union all
select cast('sync' as ${str}), p.sync_id, null, null, 0, 0, sum(p.fail_w), sum(p.att_w), sum(p.att_l), sum(p.fail_l)
from per_row p
group by p.sync_id`),
    // Postgres sizes the grouping as one group per operation (630k for 216k at 1M rows over 30
    // days) and, without the room, sorted them on disk.
    hashGrouping: true,
  };
}
