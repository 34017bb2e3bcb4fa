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
 */
export function healthWindowQuery(loc: SyncLogLocation, s: HealthSlice): SqlQuery {
  const b = binder(loc.dialect);
  const str = loc.dialect.stringType;
  const ops = sliceCtes(loc, b, s, `c.sync_id, c.row_id, c.status, ${failureReasonExpr(loc, 'c')} as failure_reason`);
  return b.query(`with ${ops},
per_row as (
  select o.sync_id, o.row_id,
    max(case when o.in_w = 1 and o.status <> 'aborted' then 1 else 0 end) as att_w,
    max(case when o.in_w = 1 and o.status = 'failed' then 1 else 0 end) as fail_w,
    max(case when o.is_last = 1 and o.status <> 'aborted' then 1 else 0 end) as att_l,
    max(case when o.is_last = 1 and o.status = 'failed' then 1 else 0 end) as fail_l
  from ops o
  group by o.sync_id, o.row_id
),
row_texts as (
  select o.sync_id, o.failure_reason, o.row_id, count(*) as n, min(o.started_at) as first_at
  from ops o
  where o.status = 'failed' and o.in_w = 1 and o.failure_reason is not null
  group by o.sync_id, o.failure_reason, o.row_id
)
select cast('text' as ${str}) as kind, t.sync_id, t.failure_reason, min(t.first_at) as first_seen, count(*) as rows_in_window, sum(t.n) as failures_in_window,
  0 as rows_failed, 0 as rows_attempted, 0 as last_attempted, 0 as last_failed
from row_texts t
group by t.sync_id, t.failure_reason
union all
select cast('sync' as ${str}), p.sync_id, null, null, 0, 0, sum(p.fail_w), sum(p.att_w), sum(p.att_l), sum(p.fail_l)
from per_row p
group by p.sync_id`);
}
