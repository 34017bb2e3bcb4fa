import type { RunPoint } from '../shared/analysisData';
import type { AnalysisScope } from '../sql/analysisScope';
import { scopeRunsQuery } from '../sql/scopeRunsQuery';
import { str, strOrNull, time, type QueryRunner } from './queryRunner';

/** Most runs a panel reads (newest first, then shown oldest first): sync_runs rows are small, and every run in scope is needed to place failures in time. */
export const MAX_RUNS = 100_000;

export const runPoint = (r: Record<string, unknown>): RunPoint => ({
  syncId: str(r.sync_id),
  syncRunId: str(r.sync_run_id),
  startedAt: time(r.started_at),
  status: strOrNull(r.status),
  error: strOrNull(r.error),
});

/** The runs in scope, oldest first: the newest `limit` of them. */
export async function loadRuns(run: QueryRunner, scope: AnalysisScope, limit = MAX_RUNS): Promise<RunPoint[]> {
  return (await run.rows(scopeRunsQuery(run.loc, scope, limit))).map(runPoint).reverse();
}

/** The runs in scope, oldest first, each with its query row (which holds the counters). */
export async function loadRunsWithCounters(
  run: QueryRunner,
  scope: AnalysisScope,
): Promise<{ point: RunPoint; row: Record<string, unknown> }[]> {
  return (await run.rows(scopeRunsQuery(run.loc, scope, MAX_RUNS, { counters: true })))
    .map((row) => ({ point: runPoint(row), row }))
    .reverse();
}
