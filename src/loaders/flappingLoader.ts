import type { FlappingData } from '../shared/analysisData';
import type { FlappingParams } from '../shared/analysisProtocol';
import { flappingRowsQuery, rowActivityQuery } from '../sql/flappingQueries';
import { buildFlapping } from '../analysis/flapping';
import { windowStart } from './analysisWindow';
import { loadRuns } from './runs';
import { num, str, type QueryRunner } from './queryRunner';

export const MAX_FLAPPING_ROWS = 100;

export async function loadFlapping(run: QueryRunner, p: FlappingParams): Promise<FlappingData> {
  const since = await windowStart(run, p.syncId, p.days);
  const scope = since === undefined ? { syncId: p.syncId } : { syncId: p.syncId, since };
  const [runs, rows] = await Promise.all([
    loadRuns(run, scope),
    run.rows(flappingRowsQuery(run.loc, { ...scope, orderBy: p.orderBy, limit: MAX_FLAPPING_ROWS })),
  ]);
  const top = rows.slice(0, MAX_FLAPPING_ROWS).map((r) => ({
    rowId: str(r.row_id),
    operations: num(r.operations),
    changes: num(r.changes),
    adds: num(r.adds),
    removes: num(r.removes),
    failures: num(r.failures),
    rowsWithOperations: num(r.rows_with_operations),
  }));
  const activity =
    top.length === 0
      ? []
      : (await run.rows(rowActivityQuery(run.loc, { ...scope, rowIds: top.map((r) => r.rowId) }))).map((r) => ({
          rowId: str(r.row_id),
          syncRunId: str(r.sync_run_id),
          operations: num(r.operations),
        }));
  return buildFlapping(top, activity, runs, p.orderBy);
}
