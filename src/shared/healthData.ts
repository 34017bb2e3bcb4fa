/**
 * What the Health overview shows: one line per sync, worst first. Computed by
 * src/analysis/syncHealth.ts from bounded, aggregated query results (src/sql/healthQueries.ts);
 * read by the panel, the tree (order and icons), the watch and `synclogs health`.
 * Times are ISO strings. Counts are rows (distinct row_id) unless named operations.
 */

/** Worst first: the order the overview and the tree sort by. */
export type SyncState = 'failing' | 'stuckRising' | 'stale' | 'healthy' | 'noRuns';

export const SYNC_STATE_ORDER: readonly SyncState[] = ['failing', 'stuckRising', 'stale', 'healthy', 'noRuns'];

export interface HealthRun {
  syncRunId: string;
  startedAt: string | null;
  status: string | null;
  /** Operations planned, attempted (succeeded + failed), failed, aborted (planned, never attempted). */
  planned: number;
  attempted: number;
  failed: number;
  aborted: number;
}

export interface SyncHealth {
  syncId: string;
  modelName: string;
  destination: string;
  primaryKey: string | null;
  state: SyncState;
  /** The rule that gave the state, with this sync's figures ("last run failed: 180 of 228 rows"). */
  stateReason: string;
  lastRun: (HealthRun & { finishedAt: string | null; error: string | null }) | null;
  /**
   * The last run's rows (the failing rule's figures): attempted and failed among the rows that
   * were not stuck before it, and stuckRetries, the rows it attempted that were (their retries).
   */
  lastRunRows: { attempted: number; failed: number; stuckRetries: number } | null;
  /** Rows whose snapshot status is failed (their latest operation failed). */
  rowsFailingNow: number;
  /** Distinct rows with a failed operation in the window, and with any attempted operation. */
  rowsFailedInWindow: number;
  rowsAttemptedInWindow: number;
  /** rowsFailedInWindow / rowsAttemptedInWindow; null when nothing was attempted. */
  failureRate: number | null;
  /** The window's runs, oldest first (bounded), for the sparkline of failed / attempted per run. */
  runs: HealthRun[];
  runsInWindow: number;
  failedRuns: number;
  /** Runs of the window with aborted operations. */
  abortedRuns: number;
  /** Stuck rows now (latest K operations all failed) and as of the window's first run. */
  stuckRows: number;
  stuckRowsBefore: number;
  /** Templates whose first appearance in the whole log falls in the window, most rows first (bounded). */
  newTemplates: { template: string; rows: number; failures: number; firstSeen: string | null }[];
  newTemplateCount: number;
}

export interface HealthData {
  /** Days of the window (null: all runs). */
  days: number | null;
  /** The newest run start of the whole log (the window's end), and the window's start. */
  windowEnd: string | null;
  windowStart: string | null;
  /** The whole log is stale: its newest run is older than the window relative to now. */
  logStale: boolean;
  /** K of the stuck-row rule. */
  minFailures: number;
  /** Worst first. */
  syncs: SyncHealth[];
  /** Each state's rule in words, for the tooltips and the panel's help. */
  rules: Record<SyncState, string>;
}
