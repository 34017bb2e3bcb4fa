import type { SqlQuery } from './dialect';
import { binder } from './binds';
import { failureReasonExpr } from './analysisScope';
import { timeParam, type HealthSlice } from './healthSlice';
import { tableName, type SyncLogLocation } from './syncLogTables';

/** Most distinct failure texts read for new templates (all syncs). */
export const MAX_HEALTH_TEXTS = 20_000;

/**
 * The failure texts that decide new templates, from the whole log (a template is new when none of
 * its texts failed before the window): per sync and text, seen_before = 1 when it failed before the
 * window. Only texts new in the window and the older ones of syncs with a new text (whose templates
 * may share one), at most `limit` + 1, new first. Time comes from a join on the window's runs only
 * (sync_run_id), grouped by sync and text: a small hash, one pass; the window's figures of each
 * text are healthWindowQuery's.
 */
export function healthTextsQuery(
  loc: SyncLogLocation,
  s: Pick<HealthSlice, 'since'>,
  limit = MAX_HEALTH_TEXTS,
): SqlQuery {
  const b = binder(loc.dialect);
  const reason = failureReasonExpr(loc, 'c');
  const runs = tableName(loc, 'sync_runs');
  const inWindow =
    s.since === undefined
      ? { join: '', failures: 'count(*)' }
      : {
          join: `\n  left join (select w.sync_run_id from ${runs} w where w.started_at >= ${timeParam(loc, b, s.since, 'since')}) w on w.sync_run_id = c.sync_run_id`,
          failures: 'sum(case when w.sync_run_id is null then 0 else 1 end)',
        };
  return b.query(`with texts as (
  select c.sync_id, ${reason} as failure_reason, case when count(*) > ${inWindow.failures} then 1 else 0 end as seen_before
  from ${tableName(loc, 'sync_changelog')} c${inWindow.join}
  where c.status = 'failed' and ${reason} is not null
  group by c.sync_id, ${reason}
)
select t.sync_id, t.failure_reason, t.seen_before
from texts t
where t.seen_before = 0 or t.sync_id in (select n.sync_id from texts n where n.seen_before = 0)
order by t.seen_before, t.sync_id, t.failure_reason
limit ${b.count(limit + 1)}`);
}
