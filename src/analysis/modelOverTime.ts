/**
 * How many rows were in the model after each run, with the run's operations. The changelog
 * has no membership column, so membership is reconstructed from the operations and anchored on
 * the one number we know exactly: the snapshot's row count (rows in the model now).
 */
import type { ModelOverTimeData, ModelRunPoint, RunPoint } from '../shared/analysisData';

/** One run's operations, from sync_runs' counters (opsFromCounters) or a changelog aggregate (modelOpsPerRunQuery). */
export interface ModelOpsPerRun {
  syncRunId: string;
  /** Operations by op_type, any status. */
  added: number;
  changed: number;
  removed: number;
  /** Operations by status, any op_type. */
  failed: number;
  aborted: number;
  /** Adds and removes that succeeded. */
  okAdded: number;
  okRemoved: number;
  /** Adds and removes that failed or were aborted in this run (they are retried next run). */
  pendingAdded: number;
  pendingRemoved: number;
}

/** One run's sync_runs counters (missing or NULL read as 0). */
export interface RunCounters {
  planned: OpCounts;
  attempted: OpCounts;
  succeeded: OpCounts;
  failed: OpCounts;
}
export interface OpCounts {
  add: number;
  change: number;
  remove: number;
}

/**
 * A run's operations from its counters, which equal the changelog counts by op_type and status
 * (ARCHITECTURE.md, "The sync-log tables"): planned is every operation, planned - attempted the
 * aborted ones, planned - succeeded the ones to retry. Reading sync_runs instead of scanning the
 * changelog makes the panel cost one small table read.
 */
export function opsFromCounters(syncRunId: string, c: RunCounters): ModelOpsPerRun {
  const sum = (x: OpCounts) => x.add + x.change + x.remove;
  return {
    syncRunId,
    added: c.planned.add,
    changed: c.planned.change,
    removed: c.planned.remove,
    failed: sum(c.failed),
    aborted: sum(c.planned) - sum(c.attempted),
    okAdded: c.succeeded.add,
    okRemoved: c.succeeded.remove,
    pendingAdded: c.planned.add - c.succeeded.add,
    pendingRemoved: c.planned.remove - c.succeeded.remove,
  };
}

const NO_OPS: Omit<ModelOpsPerRun, 'syncRunId'> = {
  added: 0,
  changed: 0,
  removed: 0,
  failed: 0,
  aborted: 0,
  okAdded: 0,
  okRemoved: 0,
  pendingAdded: 0,
  pendingRemoved: 0,
};

/** Oldest first; runs without a start time last (in the order given), since their place is unknown. */
function chronological(runs: readonly RunPoint[]): RunPoint[] {
  const at = (r: RunPoint): number => (r.startedAt === null ? NaN : Date.parse(r.startedAt));
  return runs
    .map((run, i) => ({ run, i, ms: at(run) }))
    .sort((a, b) => {
      const fa = Number.isFinite(a.ms);
      const fb = Number.isFinite(b.ms);
      if (fa !== fb) return fa ? -1 : 1;
      return (fa && fb ? a.ms - b.ms : 0) || a.i - b.i;
    })
    .map((x) => x.run);
}

/**
 * `runs` are one sync's runs (the panel shows one sync) and `snapshotCount` is that sync's
 * snapshot row count.
 *
 * Why the formula works. A failed or aborted operation is retried every run until it succeeds
 * (Hightouch does this, and so does the demo). So after run r:
 *
 *   membership(r) = base + okNet(1..r) + pendingAdded(r) - pendingRemoved(r)
 *
 * where okNet(1..r) is the running sum of (ok_added - ok_removed): rows whose entry or exit is
 * done for good. A row whose add failed in run r is still in the model (it is retried), so it
 * counts; a row whose remove failed has left the model, so it does not. Pending counts are NOT
 * summed over runs: the same row fails again in the next run's counts, and summing would count
 * it once per retry.
 *
 * `base` (rows in the model before the first run in scope) is unknown when the window does not
 * start at the first run, so it is solved from the last point, which must equal the snapshot:
 *
 *   base = snapshotCount - okNet(all runs in scope) - pendingAdded(last) + pendingRemoved(last)
 *
 * This is the same as walking back from the snapshot run by run with
 * membership(r-1) = membership(r) - okNet(r) - (pendingAdded(r) - pendingAdded(r-1)) + (pendingRemoved(r) - pendingRemoved(r-1)).
 * Membership is not clamped at 0: a negative number means the log and the snapshot disagree,
 * and hiding that would hide the problem.
 */
export function buildModelOverTime(
  perRun: readonly ModelOpsPerRun[],
  runs: readonly RunPoint[],
  snapshotCount: number,
): ModelOverTimeData {
  const opsOf = new Map(perRun.map((p) => [p.syncRunId, p] as const));
  const seen = new Set<string>();
  const ordered = chronological(runs).filter((r) => !seen.has(r.syncRunId) && seen.add(r.syncRunId));

  // Forward pass with base = 0: settled (okNet so far) and pending (of the latest run) after each run.
  const relative = ordered.map((run) => {
    const ops = opsOf.get(run.syncRunId) ?? NO_OPS;
    return { run, ops, okNet: ops.okAdded - ops.okRemoved, pending: ops.pendingAdded - ops.pendingRemoved };
  });
  let settled = 0;
  let pending = 0;
  const withoutBase = relative.map((x) => {
    settled += x.okNet;
    // A run that planned nothing (it failed before planning, e.g. a warehouse timeout) retried
    // nothing either: the rows pending before it are still pending after it.
    if (x.ops.added + x.ops.changed + x.ops.removed > 0) pending = x.pending;
    return settled + pending;
  });

  // Anchor: the last run's membership is the snapshot count.
  const base = withoutBase.length === 0 ? snapshotCount : snapshotCount - withoutBase[withoutBase.length - 1];

  const points: ModelRunPoint[] = relative.map(({ run, ops }, i) => ({
    syncId: run.syncId,
    syncRunId: run.syncRunId,
    startedAt: run.startedAt,
    status: run.status,
    error: run.error,
    added: ops.added,
    changed: ops.changed,
    removed: ops.removed,
    failed: ops.failed,
    aborted: ops.aborted,
    membership: base + withoutBase[i],
  }));
  return { points, currentMembership: snapshotCount };
}
