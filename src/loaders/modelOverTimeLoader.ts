import type { ModelOverTimeData } from '../shared/analysisData';
import type { ModelParams } from '../shared/analysisProtocol';
import { modelOpsPerRunQuery, snapshotCountQuery } from '../sql/modelOverTimeQueries';
import { buildModelOverTime } from '../analysis/modelOverTime';
import { syncWindowScope } from './analysisWindow';
import { loadRuns } from './runs';
import { num, str, type QueryRunner } from './queryRunner';

export async function loadModelOverTime(run: QueryRunner, p: ModelParams): Promise<ModelOverTimeData> {
  const scope = await syncWindowScope(run, p.syncId, p.days);
  const [runs, perRun, [count]] = await Promise.all([
    loadRuns(run, scope),
    run.rows(modelOpsPerRunQuery(run.loc, scope)),
    run.rows(snapshotCountQuery(run.loc, p.syncId)),
  ]);
  const ops = perRun.map((r) => ({
    syncRunId: str(r.sync_run_id),
    added: num(r.added),
    changed: num(r.changed),
    removed: num(r.removed),
    failed: num(r.failed),
    aborted: num(r.aborted),
    okAdded: num(r.ok_added),
    okRemoved: num(r.ok_removed),
    pendingAdded: num(r.pending_added),
    pendingRemoved: num(r.pending_removed),
  }));
  return buildModelOverTime(ops, runs, num(count?.row_count));
}
