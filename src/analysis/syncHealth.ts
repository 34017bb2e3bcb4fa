import { SYNC_STATE_ORDER, type HealthRun, type SyncHealth, type SyncState } from '../shared/healthData';

/** A run fails the sync's health when this share of the rows it attempted failed (or the run failed). */
export const FAILING_ROW_SHARE = 0.1;
/** Stale: no run for this many usual intervals (the median gap between its recent runs) before the log's end... */
export const STALE_INTERVALS = 3;
/** ...and at least this long. */
export const STALE_MIN_MS = 86_400_000;

export const HEALTH_RULES: Record<SyncState, string> = {
  failing: `Failing: the last run failed, or ${FAILING_ROW_SHARE * 100}% or more of the rows it attempted failed.`,
  stuckRising: 'Stuck rows rising: some rows’ latest operations all failed, and there are more such rows than at the window’s first run.',
  stale: `Stale: the sync’s last run started more than ${STALE_INTERVALS} times its usual interval between runs (and at least a day) before the sync log’s newest run.`,
  healthy: 'Healthy: none of the rules above holds.',
  noRuns: 'No runs: the sync has no run in the sync log.',
};

export type LastRun = NonNullable<SyncHealth['lastRun']>;

/** What the rules read of one sync. */
export interface HealthFacts {
  lastRun: LastRun | null;
  /** Run starts of its recent runs, newest first (for the usual interval). */
  recentStarts: readonly string[];
  stuckRows: number;
  stuckRowsBefore: number;
}

/** The median gap between consecutive run starts, in ms; undefined with fewer than two runs. */
export function usualIntervalMs(startsNewestFirst: readonly string[]): number | undefined {
  const times = startsNewestFirst.map((s) => Date.parse(s)).filter((t) => Number.isFinite(t));
  if (times.length < 2) return undefined;
  const gaps = times.slice(1).map((t, i) => times[i] - t).filter((g) => g >= 0).sort((a, b) => a - b);
  if (gaps.length === 0) return undefined;
  const mid = Math.floor(gaps.length / 2);
  return gaps.length % 2 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
}

const fmtDays = (ms: number) => {
  const h = ms / 3_600_000;
  return h < 48 ? `${Math.round(h)} h` : `${Math.round(h / 24)} days`;
};

/** The state of one sync and the rule's verdict with its figures. `logEnd` is the newest run start of the whole log. */
export function syncState(f: HealthFacts, logEnd: string | null): { state: SyncState; reason: string } {
  const r = f.lastRun;
  if (!r) return { state: 'noRuns', reason: 'no run in the sync log' };
  if (r.status === 'failed') return { state: 'failing', reason: `the last run failed${r.error ? `: ${firstLine(r.error)}` : ''}` };
  if (r.attempted > 0 && r.failed / r.attempted >= FAILING_ROW_SHARE) {
    return { state: 'failing', reason: `the last run: ${r.failed} of ${r.attempted} rows failed (${Math.round((r.failed / r.attempted) * 100)}%)` };
  }
  if (f.stuckRows > 0 && f.stuckRows > f.stuckRowsBefore) {
    return { state: 'stuckRising', reason: `${f.stuckRows} stuck rows, up from ${f.stuckRowsBefore} at the window’s first run` };
  }
  const end = logEnd ? Date.parse(logEnd) : NaN;
  const last = r.startedAt ? Date.parse(r.startedAt) : NaN;
  const usual = usualIntervalMs(f.recentStarts);
  if (Number.isFinite(end) && Number.isFinite(last)) {
    const limit = Math.max(STALE_MIN_MS, (usual ?? 0) * STALE_INTERVALS);
    if (end - last > limit) return { state: 'stale', reason: `no run for ${fmtDays(end - last)} before the log’s newest run${usual ? ` (it usually runs every ${fmtDays(usual)})` : ''}` };
  }
  const failedNote = r.failed > 0 ? `the last run: ${r.failed} of ${r.attempted} rows failed` : 'the last run succeeded on every row it attempted';
  return { state: 'healthy', reason: f.stuckRows > 0 ? `${failedNote}; ${f.stuckRows} stuck rows, not rising` : failedNote };
}

/** Worst first: state, then rows failing now, failure rate, model name. */
export function compareHealth(a: SyncHealth, b: SyncHealth): number {
  return (
    SYNC_STATE_ORDER.indexOf(a.state) - SYNC_STATE_ORDER.indexOf(b.state) ||
    b.rowsFailingNow - a.rowsFailingNow ||
    (b.failureRate ?? -1) - (a.failureRate ?? -1) ||
    a.modelName.localeCompare(b.modelName, 'en-US') ||
    a.syncId.localeCompare(b.syncId, 'en-US')
  );
}

/** The whole log is stale when its newest run is older than the window relative to now (never for "all runs"). */
export function isLogStale(logEnd: string | null, days: number | null, now: Date): boolean {
  if (days === null || !logEnd) return false;
  const end = Date.parse(logEnd);
  return Number.isFinite(end) && now.getTime() - end > days * 86_400_000;
}

/** Runs with operations planned but never attempted. */
export const isAborted = (r: HealthRun): boolean => r.aborted > 0;

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0];
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
