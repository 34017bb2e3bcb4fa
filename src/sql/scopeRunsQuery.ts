import type { SqlQuery } from './dialect';
import { binder } from './binds';
import { scopeConditions, whereLines, type AnalysisScope } from './analysisScope';
import { tableName, type SyncLogLocation } from './syncLogTables';
import { RUN_COUNTERS } from './syncLogShape';

/**
 * The runs an analysis covers, newest first: the panels' time axis (chart buckets, runs in the
 * window, the sync-level error of runs that stopped early). At most `limit` rows. With
 * `counters`, each run's twelve num_* counters too (model over time reads them instead of
 * scanning the changelog).
 */
export function scopeRunsQuery(
  loc: SyncLogLocation,
  scope: AnalysisScope,
  limit: number,
  opts: { counters?: boolean } = {},
): SqlQuery {
  const b = binder(loc.dialect);
  const counters = opts.counters ? RUN_COUNTERS.map((c) => `, r.${c}`).join('') : '';
  // The runs table is both the filtered rows and the source of started_at.
  return b.query(`select r.sync_id, r.sync_run_id, r.started_at, r.status, r.error${counters}
from ${tableName(loc, 'sync_runs')} r${whereLines(scopeConditions(loc, b, scope, { rows: 'r', runs: 'r' }))}
order by r.started_at desc, r.sync_run_id desc
limit ${b.count(limit)}`);
}

/**
 * One row, `newest` = the latest run start (of one sync, or of all): windows such as "last 7 days"
 * are anchored at the newest run, not at the clock, so an idle sync still shows its last activity.
 */
export function newestRunQuery(loc: SyncLogLocation, syncId?: string): SqlQuery {
  const b = binder(loc.dialect);
  const where = syncId === undefined ? '' : `\nwhere sync_id = ${b.bind(syncId)}`;
  return b.query(`select max(started_at) as newest
from ${tableName(loc, 'sync_runs')}${where}`);
}
