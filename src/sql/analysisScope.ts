import type { Binder } from './binds';
import { failureReasonColumn, tableName, type SyncLogLocation } from './syncLogTables';

/**
 * Which changelog operations an analysis covers. Every field narrows; none set means every run
 * of every sync. The panels' "last N days before the newest run" window becomes `since`
 * (the caller reads the newest start with newestRunQuery and subtracts).
 */
export interface AnalysisScope {
  syncId?: string;
  syncRunId?: string;
  /** ISO-8601 timestamp: only runs with started_at >= since. */
  since?: string;
}

/** Table aliases of the query the filter goes into. */
export interface ScopeAliases {
  /** Alias of the changelog (or any table with sync_id and sync_run_id), e.g. `c`. */
  rows: string;
  /**
   * Alias of sync_runs when the query already joins it on sync_run_id: `since` then filters the
   * joined row. Omitted, `since` becomes a semi-join (`sync_run_id in (select ...)`), so queries
   * that need no run columns do not pay for a join or risk multiplying rows.
   */
  runs?: string;
}

/**
 * The scope as `and`-able conditions, binding values in the order they are written (Snowflake's
 * `?` is positional): call it where the conditions go in the text, not before.
 * Time lives only on sync_runs, reached through sync_run_id: never through sync_id, which would
 * pair every operation with every run of the sync.
 */
export function scopeConditions(
  loc: SyncLogLocation,
  b: Binder,
  scope: AnalysisScope,
  aliases: ScopeAliases,
): string[] {
  const { rows, runs } = aliases;
  const out: string[] = [];
  if (scope.syncId !== undefined) out.push(`${rows}.sync_id = ${b.bind(scope.syncId)}`);
  if (scope.syncRunId !== undefined) out.push(`${rows}.sync_run_id = ${b.bind(scope.syncRunId)}`);
  if (scope.since !== undefined) {
    const since = checkedSince(scope.since);
    if (runs) {
      out.push(`${runs}.started_at >= ${loc.dialect.timestampParam(b.bind(since))}`);
    } else {
      // The sync filter is repeated inside so warehouses that prune by it read fewer runs.
      // Bound in text order: the sync filter first, then the time.
      const inner: string[] = [];
      if (scope.syncId !== undefined) inner.push(`wr.sync_id = ${b.bind(scope.syncId)}`);
      inner.push(`wr.started_at >= ${loc.dialect.timestampParam(b.bind(since))}`);
      out.push(
        `${rows}.sync_run_id in (select wr.sync_run_id from ${tableName(loc, 'sync_runs')} wr where ${inner.join(' and ')})`,
      );
    }
  }
  return out;
}

/** `\nwhere a\n  and b ...` to append to the line before it, or '' when nothing filters. */
export function whereLines(conditions: string[]): string {
  return conditions.length ? `\nwhere ${conditions.join('\n  and ')}` : '';
}

/** A bad `since` fails here with a clear message rather than as a warehouse cast error. */
function checkedSince(since: string): string {
  if (typeof since !== 'string' || Number.isNaN(Date.parse(since))) {
    throw new Error(`Invalid "since" ${JSON.stringify(since)}: expected an ISO-8601 timestamp.`);
  }
  return since;
}

/**
 * `alias.failure_reason`, or `alias.failed_reason as failure_reason` on deployments that use the
 * vendor page's name, so result rows always carry `failure_reason`.
 */
export function selectFailureReason(loc: SyncLogLocation, alias: string): string {
  const column = failureReasonColumn(loc);
  return column === 'failure_reason' ? `${alias}.failure_reason` : `${alias}.${column} as failure_reason`;
}

/** The deployment's failure-text column, qualified: for where/group by (which cannot use the output alias everywhere). */
export function failureReasonExpr(loc: SyncLogLocation, alias: string): string {
  return `${alias}.${failureReasonColumn(loc)}`;
}

/** Guards the bound IN lists: warehouses cap parameters per statement, and huge lists are slow to plan. */
export function checkedList(values: readonly string[], max: number, what: string): string[] {
  if (!Array.isArray(values) || values.length === 0) throw new Error(`No ${what} given: at least one is needed.`);
  if (values.length > max) throw new Error(`Too many ${what}: ${values.length} (at most ${max} per query).`);
  return [...values];
}
