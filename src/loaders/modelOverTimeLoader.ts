import type { ModelOverTimeData, RunPoint } from '../shared/analysisData';
import type { ModelParams } from '../shared/analysisProtocol';
import { modelOpsPerRunQuery, snapshotCountQuery } from '../sql/modelOverTimeQueries';
import { buildModelOverTime, opsFromCounters, type ModelOpsPerRun, type OpCounts } from '../analysis/modelOverTime';
import { hasRunCounters } from '../sql/syncLogTables';
import { syncWindowScope, type SyncWindowScope } from './analysisWindow';
import { loadRuns, loadRunsWithCounters } from './runs';
import { num, str, type QueryRunner } from './queryRunner';

/**
 * Per-run operations come from sync_runs' counters where the deployment has them (a read of the
 * runs table, however long the changelog), else from one aggregate over the changelog.
 */
export async function loadModelOverTime(run: QueryRunner, p: ModelParams): Promise<ModelOverTimeData> {
  const scope = await syncWindowScope(run, p.syncId, p.days);
  const [{ runs, ops }, [count]] = await Promise.all([
    hasRunCounters(run.loc) ? opsFromRunCounters(run, scope) : opsFromChangelog(run, scope),
    run.rows(snapshotCountQuery(run.loc, p.syncId)),
  ]);
  return buildModelOverTime(ops, runs, num(count?.row_count));
}

interface RunsAndOps {
  runs: RunPoint[];
  ops: ModelOpsPerRun[];
}

async function opsFromRunCounters(run: QueryRunner, scope: SyncWindowScope): Promise<RunsAndOps> {
  const rows = await loadRunsWithCounters(run, scope);
  const counts = (r: Record<string, unknown>, family: string): OpCounts => ({
    add: num(r[`num_${family}_add`]),
    change: num(r[`num_${family}_change`]),
    remove: num(r[`num_${family}_remove`]),
  });
  return {
    runs: rows.map((r) => r.point),
    ops: rows.map(({ point, row }) =>
      opsFromCounters(point.syncRunId, {
        planned: counts(row, 'planned'),
        attempted: counts(row, 'attempted'),
        succeeded: counts(row, 'succeeded'),
        failed: counts(row, 'failed'),
      }),
    ),
  };
}

async function opsFromChangelog(run: QueryRunner, scope: SyncWindowScope): Promise<RunsAndOps> {
  const [runs, perRun] = await Promise.all([loadRuns(run, scope), run.rows(modelOpsPerRunQuery(run.loc, scope))]);
  const ops = perRun.map((r) => ({
    syncRunId: str(r.sync_run_id),
    added: num(r.added),
    changed: num(r.changed),
    removed: num(r.removed),
    failed: num(r.failed),
    aborted: num(r.aborted),
    okAdded: num(r.ok_added),
    okRemoved: num(r.ok_removed),
    pendingAdded: num(r.added) - num(r.ok_added),
    pendingRemoved: num(r.removed) - num(r.ok_removed),
  }));
  return { runs, ops };
}
