import type { RunPoint } from '../shared/analysisData';
import type { AnalysisScope } from '../sql/analysisScope';
import { scopeRunsQuery } from '../sql/scopeRunsQuery';
import { str, strOrNull, time, type QueryRunner } from './queryRunner';

/** Most runs a panel reads (newest first, then shown oldest first): sync_runs rows are small, and every run in scope is needed to place failures in time. */
export const MAX_RUNS = 100_000;

/** The runs in scope, oldest first. */
export async function loadRuns(run: QueryRunner, scope: AnalysisScope): Promise<RunPoint[]> {
  const rows = await run.rows(scopeRunsQuery(run.loc, scope, MAX_RUNS));
  return rows
    .map((r) => ({
      syncId: str(r.sync_id),
      syncRunId: str(r.sync_run_id),
      startedAt: time(r.started_at),
      status: strOrNull(r.status),
      error: strOrNull(r.error),
    }))
    .reverse();
}
