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

/** Most failure texts failedRowsQuery binds (its IN list), kept well under every driver's parameter cap. */
export const MAX_FAILED_ROWS_TEXTS = 500;

/** Overlap pairs one breakdown reads by default (the loader passes its own cap). */
export const DEFAULT_OVERLAP_PAIRS = 200_000;

/**
 * The breakdown's one pass over the failed changelog operations in scope, grouped once by
 * (failure text, row) and read three ways, told apart by `kind`:
 * - `text`: per exact text, `failures` (operations) and `failed_rows` (distinct rows), most rows
 *   first, limit + 1 of them so the caller sees truncation;
 * - `total`: one line, every failure and every distinct row in scope (exact, whatever the limits);
 * - `pair`: (row, text) for each row that failed with more than one text, pairLimit + 1 of them,
 *   whole rows first (ordered by row). Per-text row counts overlap exactly there, so a template's
 *   or category's rows are the sum of its texts' rows minus those overlaps (analysis/rowOverlaps.ts).
 * A row is (sync_id, row_id): the same id in two syncs is two rows. Each group learns its row's
 * number of texts from a window over the grouped result (small: one line per row and text), not
 * from a join, so the changelog is read once. Templating and categorising happen in JavaScript on
 * this bounded result. Plain CTEs, union all and typed NULLs: one text for every dialect.
 */
export function failureTextsQuery(
  loc: SyncLogLocation,
  scope: AnalysisScope,
  limit: number,
  pairLimit = DEFAULT_OVERLAP_PAIRS,
): SqlQuery {
  const b = binder(loc.dialect);
  const str = loc.dialect.stringType;
  const reason = failureReasonExpr(loc, 'c');
  const where = whereLines([`c.status = 'failed'`, ...scopeConditions(loc, b, scope, { rows: 'c' })]);
  const nullStr = `cast(null as ${str})`;
  // Typed, so every dialect resolves the union's first column the same way (no padded CHAR).
  const kind = (k: string) => `cast('${k}' as ${str})`;
  return {
    ...b.query(`with per_row as (
  select ${selectFailureReason(loc, 'c')}, c.sync_id, c.row_id, count(*) as n,
    count(*) over (partition by c.sync_id, c.row_id) as texts,
    row_number() over (partition by c.sync_id, c.row_id order by ${reason}) as nth
  from ${tableName(loc, 'sync_changelog')} c${where.replace(/\n/g, '\n  ')}
  group by ${reason}, c.sync_id, c.row_id
)
select * from (
  select ${kind('text')} as kind, failure_reason, sum(n) as failures, count(*) as failed_rows, ${nullStr} as sync_id, ${nullStr} as row_id
  from per_row
  group by failure_reason
  order by failed_rows desc, failures desc, failure_reason
  limit ${b.count(limit + 1)}
) texts_part
union all
select ${kind('total')}, ${nullStr}, sum(n), sum(case when nth = 1 then 1 else 0 end), ${nullStr}, ${nullStr}
from per_row
union all
select * from (
  select ${kind('pair')} as kind, failure_reason, n as failures, texts as failed_rows, cast(sync_id as ${str}) as sync_id, cast(row_id as ${str}) as row_id
  from per_row
  where texts > 1
  order by per_row.sync_id, per_row.row_id, failure_reason
  limit ${b.count(pairLimit + 1)}
) pairs_part`),
    hashGrouping: true,
  };
}

/**
 * The same texts over the snapshot (rows whose latest operation failed: "failing now"). A
 * snapshot row is one row with one text, so per text rows and failures are both count(*) and
 * no row overlaps another text. first_seen/last_seen are typed NULLs (the snapshot has no time).
 */
export function snapshotFailureTextsQuery(loc: SyncLogLocation, scope: { syncId?: string }, limit: number): SqlQuery {
  const b = binder(loc.dialect);
  const reason = failureReasonExpr(loc, 's');
  const conditions = [`s.status = 'failed'`];
  if (scope.syncId !== undefined) conditions.push(`s.sync_id = ${b.bind(scope.syncId)}`);
  return b.query(`select 'text' as kind, ${selectFailureReason(loc, 's')}, count(*) as failures, count(*) as failed_rows, min(s.row_id) as sample_row_id,
  cast(null as timestamp) as first_seen, cast(null as timestamp) as last_seen
from ${tableName(loc, 'sync_snapshot')} s${whereLines(conditions)}
group by ${reason}
order by failed_rows desc, ${reason}
limit ${b.count(limit + 1)}`);
}

/** Distinct failure texts one history read returns at most (newest first appearance first). */
export const DEFAULT_HISTORY_TEXTS = 50_000;

/**
 * Each failure text's first and last appearance in the whole retained log of one sync (or of all
 * syncs): no window, so a template's first seen is never clipped to it. Time comes from sync_runs
 * joined on sync_run_id. Newest first appearance first, limit + 1 rows, as the health overview
 * reads its texts: what a cap leaves out is the oldest texts, which cannot make a template new.
 */
export function failureTextHistoryQuery(
  loc: SyncLogLocation,
  scope: { syncId?: string },
  limit = DEFAULT_HISTORY_TEXTS,
): SqlQuery {
  const b = binder(loc.dialect);
  const reason = failureReasonExpr(loc, 'c');
  const conditions = [`c.status = 'failed'`];
  if (scope.syncId !== undefined) conditions.push(`c.sync_id = ${b.bind(scope.syncId)}`);
  return b.query(`select ${selectFailureReason(loc, 'c')}, min(r.started_at) as first_seen, max(r.started_at) as last_seen
from ${tableName(loc, 'sync_changelog')} c
join ${tableName(loc, 'sync_runs')} r on r.sync_run_id = c.sync_run_id${whereLines(conditions)}
group by ${reason}
order by first_seen desc, ${reason}
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
  /** Exact failure texts (those of a template or category); 1..MAX_FAILED_ROWS_TEXTS, bound. */
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
  const texts = checkedList(spec.texts, MAX_FAILED_ROWS_TEXTS, 'failure texts');
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
