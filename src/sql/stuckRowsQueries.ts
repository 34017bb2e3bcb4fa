import type { SqlQuery } from './dialect';
import { binder } from './binds';
import { failureReasonExpr } from './analysisScope';
import { sqlCount } from './ident';
import { tableName, type SyncLogLocation } from './syncLogTables';

/** K of issue 12: a row is stuck when its latest K operations all failed (setting syncLogs.stuckRowMinFailures). */
export const DEFAULT_STUCK_MIN_FAILURES = 3;

export interface StuckRowsSpec {
  syncId: string;
  /** K: the shortest streak of failures that makes a row stuck (and a recovery worth showing). */
  minFailures: number;
  /** ISO-8601: recoveries of runs that started at or after it. Stuck rows are the current state: never windowed. */
  since?: string;
  /** Most rows of each kind (stuck, recovered). */
  limit: number;
}

/**
 * The stuck rows of one sync (latest K or more operations all failed) and the rows that recovered
 * from such a streak, in one window-function scan of the sync's changelog: result rows of kind
 * 'stuck' or 'recovered', the top `limit` of each, with how many there are of each kind.
 *
 * Each row's operations are numbered from the newest (run start, then sync_run_id: the changelog
 * has no time) and each carries `breaks`, how many operations that did not fail happened at or
 * after it. The operations with the same `breaks` are one streak of failures and the operation
 * that ended it (breaks 0: the streak still running, no end). So a stuck row is a streak with
 * breaks 0 and K or more failures; a recovered row is one whose latest operation succeeded, and
 * its latest streak of K or more failures ended with a success (an aborted operation is not one:
 * it was never attempted). Both windows share one partition and order, so one sort serves them.
 * columns: kind, row_id, failures (the streak's length), failing_since (start of the run of its
 * first failure), last_failed_at, recovered_at (start of the run that ended it; NULL when stuck),
 * failure_reason (of the latest operation, stuck rows only), kind_rows (rows of that kind in all).
 */
export function stuckRowsQuery(loc: SyncLogLocation, spec: StuckRowsSpec): SqlQuery {
  const b = binder(loc.dialect);
  // Integers validated and written as literals: a bound K would need a typed parameter on BigQuery and Databricks.
  const minFailures = sqlCount(spec.minFailures, 'minimum failures');
  if (spec.minFailures < 1) throw new Error(`Invalid minimum failures ${spec.minFailures}: at least 1.`);
  const limit = sqlCount(spec.limit);
  const newestFirst = 'partition by c.row_id order by r.started_at desc, c.sync_run_id desc';
  const sync = b.bind(spec.syncId);
  const recoveredSince =
    spec.since === undefined
      ? ''
      : ` and s.recovered_at >= ${loc.dialect.timestampParam(b.bind(checkedSince(spec.since)))}`;
  return b.query(`with ops as (
  select c.row_id, c.status, ${failureReasonExpr(loc, 'c')} as reason, r.started_at,
    row_number() over (${newestFirst}) as newest_rn,
    first_value(c.status) over (${newestFirst} rows between unbounded preceding and current row) as latest_status,
    count(case when c.status <> 'failed' then 1 end) over (${newestFirst} rows between unbounded preceding and current row) as breaks
  from ${tableName(loc, 'sync_changelog')} c
  join ${tableName(loc, 'sync_runs')} r on r.sync_run_id = c.sync_run_id
  where c.sync_id = ${sync}
),
streaks as (
  select row_id, breaks,
    count(case when status = 'failed' then 1 end) as failures,
    min(case when status = 'failed' then started_at end) as failing_since,
    max(case when status = 'failed' then started_at end) as last_failed_at,
    max(case when status <> 'failed' then status end) as ended_by,
    max(case when status <> 'failed' then started_at end) as recovered_at,
    max(latest_status) as latest_status,
    max(case when newest_rn = 1 then reason end) as failure_reason
  from ops
  group by row_id, breaks
),
picked as (
  select case when s.breaks = 0 then 'stuck' else 'recovered' end as kind, s.row_id, s.failures, s.failing_since, s.last_failed_at, s.recovered_at, s.failure_reason,
    row_number() over (partition by s.row_id order by s.breaks) as pick
  from streaks s
  where s.failures >= ${minFailures}
    and (s.breaks = 0 or (s.ended_by = 'succeeded' and s.latest_status = 'succeeded'${recoveredSince}))
),
ranked as (
  select p.kind, p.row_id, p.failures, p.failing_since, p.last_failed_at, p.recovered_at, p.failure_reason,
    row_number() over (partition by p.kind order by p.failures desc, p.recovered_at desc, p.failing_since, p.row_id) as kind_rank,
    count(*) over (partition by p.kind) as kind_rows
  from picked p
  where p.pick = 1
)
select kind, row_id, failures, failing_since, last_failed_at, recovered_at, failure_reason, kind_rows
from ranked
where kind_rank <= ${limit}
order by kind, kind_rank`);
}

/** A bad `since` fails here with a clear message rather than as a warehouse cast error. */
function checkedSince(since: string): string {
  if (typeof since !== 'string' || Number.isNaN(Date.parse(since))) {
    throw new Error(`Invalid "since" ${JSON.stringify(since)}: expected an ISO-8601 timestamp.`);
  }
  return since;
}
