import type { SqlQuery } from './dialect';
import { binder } from './binds';
import {
  checkedList,
  failureReasonExpr,
  scopeConditions,
  selectFailureReason,
  whereLines,
  type AnalysisScope,
} from './analysisScope';
import { tableName, type SyncLogLocation } from './syncLogTables';

/** Most failure texts one drill-down may ask for: a bound IN list, kept well under every driver's parameter cap. */
export const MAX_DRILL_TEXTS = 500;

/**
 * Failed changelog operations in scope grouped by their exact failure text, most frequent first;
 * templating and categorising happen in JavaScript on this bounded result. Benchmark hot path:
 * the seed's own `group by failure_reason` and nothing more (no join, no extra aggregate): first
 * and last seen and sample rows come with the chart's per-run query, which the panel runs next.
 * Asks for limit + 1 rows so the caller sees truncation.
 */
export function failureTextsQuery(loc: SyncLogLocation, scope: AnalysisScope, limit: number): SqlQuery {
  const b = binder(loc.dialect);
  const reason = failureReasonExpr(loc, 'c');
  const where = whereLines([`c.status = 'failed'`, ...scopeConditions(loc, b, scope, { rows: 'c' })]);
  return b.query(`select ${selectFailureReason(loc, 'c')}, count(*) as row_count
from ${tableName(loc, 'sync_changelog')} c${where}
group by ${reason}
order by row_count desc, ${reason}
limit ${b.count(limit + 1)}`);
}

/**
 * The same grouping over the snapshot (rows whose latest operation failed: "failing now").
 * The snapshot has no time, so first_seen/last_seen are typed NULLs to keep one result shape.
 */
export function snapshotFailureTextsQuery(loc: SyncLogLocation, scope: { syncId?: string }, limit: number): SqlQuery {
  const b = binder(loc.dialect);
  const reason = failureReasonExpr(loc, 's');
  const conditions = [`s.status = 'failed'`];
  if (scope.syncId !== undefined) conditions.push(`s.sync_id = ${b.bind(scope.syncId)}`);
  return b.query(`select ${selectFailureReason(loc, 's')}, count(*) as row_count, min(s.row_id) as sample_row_id,
  cast(null as timestamp) as first_seen, cast(null as timestamp) as last_seen
from ${tableName(loc, 'sync_snapshot')} s${whereLines(conditions)}
group by ${reason}
order by row_count desc, ${reason}
limit ${b.count(limit + 1)}`);
}

/** Failed operations per (run, failure text), with a sample row: the per-run category chart, and each text's first and last run. limit + 1 rows. */
export function failuresPerRunQuery(loc: SyncLogLocation, scope: AnalysisScope, limit: number): SqlQuery {
  const b = binder(loc.dialect);
  const reason = failureReasonExpr(loc, 'c');
  // No run columns are needed, so `since` is a semi-join rather than a join.
  const where = whereLines([`c.status = 'failed'`, ...scopeConditions(loc, b, scope, { rows: 'c' })]);
  return b.query(`select c.sync_run_id, ${selectFailureReason(loc, 'c')}, count(*) as row_count, min(c.row_id) as sample_row_id
from ${tableName(loc, 'sync_changelog')} c${where}
group by c.sync_run_id, ${reason}
order by row_count desc, c.sync_run_id, ${reason}
limit ${b.count(limit + 1)}`);
}

export interface FailedRowsSpec {
  scope: AnalysisScope;
  source: 'changelog' | 'snapshot';
  /** Exact failure texts (those of a template or category); 1..MAX_DRILL_TEXTS, bound. */
  texts: string[];
  limit: number;
}

/**
 * Drill-down: the failed rows behind some failure texts, newest first, at most `limit` rows.
 * Changelog: joined to runs on sync_run_id for the time. Snapshot: only scope.syncId applies
 * (the snapshot is "now", as in snapshotFailureTextsQuery, so the rows match the counts shown);
 * sync_run_id/started_at are NULL unless the deployment's snapshot has sync_run_id.
 */
export function failedRowsQuery(loc: SyncLogLocation, spec: FailedRowsSpec): SqlQuery {
  const texts = checkedList(spec.texts, MAX_DRILL_TEXTS, 'failure texts');
  const b = binder(loc.dialect);
  const inList = (expr: string) => `${expr} in (${texts.map((t) => b.bind(t)).join(', ')})`;
  if (spec.source === 'changelog') {
    const where = whereLines([
      `c.status = 'failed'`,
      inList(failureReasonExpr(loc, 'c')),
      ...scopeConditions(loc, b, spec.scope, { rows: 'c', runs: 'r' }),
    ]);
    return b.query(`select c.row_id, c.sync_id, c.sync_run_id, r.started_at, c.op_type, ${selectFailureReason(loc, 'c')}
from ${tableName(loc, 'sync_changelog')} c
join ${tableName(loc, 'sync_runs')} r on r.sync_run_id = c.sync_run_id${where}
order by r.started_at desc, c.sync_run_id desc, c.row_id
limit ${b.count(spec.limit)}`);
  }
  const withRun = loc.shape?.snapshotHasRunId === true;
  const where = whereLines([
    `s.status = 'failed'`,
    inList(failureReasonExpr(loc, 's')),
    ...(spec.scope.syncId !== undefined ? [`s.sync_id = ${b.bind(spec.scope.syncId)}`] : []),
  ]);
  if (withRun) {
    // Left join: a snapshot row whose run is missing from sync_runs still failed and is still shown.
    return b.query(`select s.row_id, s.sync_id, s.sync_run_id, r.started_at, s.op_type, ${selectFailureReason(loc, 's')}
from ${tableName(loc, 'sync_snapshot')} s
left join ${tableName(loc, 'sync_runs')} r on r.sync_run_id = s.sync_run_id${where}
order by r.started_at desc, s.sync_run_id desc, s.row_id
limit ${b.count(spec.limit)}`);
  }
  return b.query(`select s.row_id, s.sync_id, cast(null as ${loc.dialect.stringType}) as sync_run_id, cast(null as timestamp) as started_at, s.op_type, ${selectFailureReason(loc, 's')}
from ${tableName(loc, 'sync_snapshot')} s${where}
order by s.sync_id, s.row_id
limit ${b.count(spec.limit)}`);
}
