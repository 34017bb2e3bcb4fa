import type { FlappingData, RunPoint } from '../shared/analysisData';
import type { FlappingParams } from '../shared/analysisProtocol';
import { flappingRowsQuery, rowActivityQuery, rowsWithOperationsQuery } from '../sql/flappingQueries';
import { buildFlapping, type FlappingRowCount } from '../analysis/flapping';
import { syncWindowScope, type SyncWindowScope } from './analysisWindow';
import { loadRuns } from './runs';
import { num, str, type QueryRunner } from './queryRunner';

export const MAX_FLAPPING_ROWS = 100;

/** The ranking, and what its follow-up (the sparklines) needs. */
export interface FlappingResult {
  data: FlappingData;
  scope: SyncWindowScope;
  runs: RunPoint[];
  rows: FlappingRowCount[];
  /** Known at once when the ranking holds every row with an operation; otherwise counted with the follow-up. */
  rowsWithOperations: number | null;
}

/**
 * The rows that flap the most (retries apart): one window-function scan of the sync's changelog, and the runs.
 * Sparklines, failures and (past the top rows) how many rows had operations are unknown until
 * loadFlappingActivity: the ranking is what answers, so it alone is waited for.
 */
export async function loadFlapping(run: QueryRunner, p: FlappingParams): Promise<FlappingResult> {
  const scope = await syncWindowScope(run, p.syncId, p.days);
  const [runs, found] = await Promise.all([
    loadRuns(run, scope),
    run.rows(flappingRowsQuery(run.loc, { ...scope, orderBy: p.orderBy, limit: MAX_FLAPPING_ROWS })),
  ]);
  const rows = found.slice(0, MAX_FLAPPING_ROWS).map((r) => ({
    rowId: str(r.row_id),
    operations: num(r.operations),
    retries: num(r.retries),
    changes: num(r.changes),
    entries: num(r.entries),
    exits: num(r.exits),
  }));
  const rowsWithOperations = rows.length < MAX_FLAPPING_ROWS ? rows.length : null;
  return {
    data: buildFlapping(rows, null, runs, p.orderBy, rowsWithOperations),
    scope,
    runs,
    rows,
    rowsWithOperations,
  };
}

/**
 * The same ranking with each row's operations and failures per run (sparklines, first/last run,
 * failures: a second, index-friendly query on those rows only) and, when the ranking could not
 * tell, how many rows had operations.
 */
export async function loadFlappingActivity(run: QueryRunner, result: FlappingResult): Promise<FlappingData> {
  if (result.rows.length === 0) return result.data;
  const [found, rowsWithOperations] = await Promise.all([
    run.rows(rowActivityQuery(run.loc, { ...result.scope, rowIds: result.rows.map((r) => r.rowId) })),
    result.rowsWithOperations ??
      run.rows(rowsWithOperationsQuery(run.loc, result.scope)).then(([touched]) => num(touched?.row_count)),
  ]);
  const activity = found.map((r) => ({
    rowId: str(r.row_id),
    syncRunId: str(r.sync_run_id),
    operations: num(r.operations),
    failures: num(r.failures),
  }));
  return buildFlapping(result.rows, activity, result.runs, result.data.orderBy, rowsWithOperations, result.data.stuck);
}
