import { failureTemplate } from './failureTemplates';
import {
  SYNC_STATE_ORDER,
  type HealthData,
  type HealthRun,
  type SyncHealth,
  type SyncState,
} from '../shared/healthData';

/**
 * A last run whose failed rows are at least this share of its attempted rows counts as failing, not
 * counting rows already stuck before it: their retries fail run after run and are what "stuck rows"
 * shows, so they would otherwise make every sync with a few stuck rows read as failing.
 */
export const FAILING_RUN_SHARE = 0.1;
/** A sync is stale when its last run is more than this many median intervals before the window end... */
export const STALE_INTERVALS = 3;
/** ...and at least this long before it. */
export const STALE_MIN_MS = 86_400_000;
/** Most new templates kept per sync. */
export const MAX_NEW_TEMPLATES = 20;

export const HEALTH_RULES: Record<SyncState, string> = {
  failing: `Failing: the last run failed, or at least ${FAILING_RUN_SHARE * 100}% of the rows it attempted failed, not counting rows already stuck (latest K operations failed) before it.`,
  stuckRising:
    'Stuck rows rising: some rows are stuck now (their latest K operations all failed), more than when the window began.',
  stale: `Stale: the last run started more than ${STALE_INTERVALS} times the sync's median interval between runs (and at least a day) before the log's newest run.`,
  healthy: 'Healthy: none of the rules above applies.',
  noRuns: 'No runs: the sync has no run in the log.',
};

export interface HealthSyncInput {
  syncId: string;
  modelName: string;
  destination: string;
  primaryKey: string | null;
  /** Newest first (as read); the window's ones flagged. */
  runs: (HealthRun & { finishedAt: string | null; error: string | null; inWindow: boolean })[];
  rowsFailingNow: number;
  rowsFailedInWindow: number;
  rowsAttemptedInWindow: number;
  stuckRows: number;
  stuckRowsBefore: number;
  /** The last run's attempted and failed rows among those not stuck before it, and its attempted rows that were (retries of stuck rows). */
  lastRunRows: { attempted: number; failed: number; stuckRetries: number };
}

export interface HealthText {
  syncId: string;
  reason: string;
  /** First failure with this text, when it is in the window; null when it failed before (seenBefore). */
  firstSeen: string | null;
  seenBefore: boolean;
  rowsInWindow: number;
  failuresInWindow: number;
}

export interface HealthInput {
  days: number | null;
  windowEnd: string | null;
  windowStart: string | null;
  now: Date;
  minFailures: number;
  syncs: HealthSyncInput[];
  texts: HealthText[];
}

const ms = (t: string | null) => (t === null ? NaN : Date.parse(t));

export function medianInterval(startsNewestFirst: readonly (string | null)[]): number | null {
  const t = startsNewestFirst
    .map(ms)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (t.length < 2) return null;
  const gaps = t
    .slice(1)
    .map((x, i) => x - t[i])
    .sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return gaps.length % 2 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
}

/** The state and its reason, first rule that applies (in SYNC_STATE_ORDER). */
export function syncState(s: HealthSyncInput, windowEnd: string | null): { state: SyncState; reason: string } {
  const last = s.runs[0];
  if (!last) return { state: 'noRuns', reason: 'no runs in the log' };
  if (last.status === 'failed')
    return { state: 'failing', reason: `last run failed${last.error ? `: ${last.error}` : ''}` };
  const { attempted, failed, stuckRetries } = s.lastRunRows;
  if (attempted > 0 && failed >= FAILING_RUN_SHARE * attempted) {
    return {
      state: 'failing',
      reason: `last run: ${failed} of ${attempted} attempted rows failed, not counting ${stuckRetries} retries of stuck rows`,
    };
  }
  if (s.stuckRows > 0 && s.stuckRows > s.stuckRowsBefore)
    return { state: 'stuckRising', reason: `${s.stuckRows} stuck rows, ${s.stuckRowsBefore} when the window began` };
  const median = medianInterval(s.runs.map((r) => r.startedAt));
  const gap = ms(windowEnd) - ms(last.startedAt);
  const limit = Math.max(STALE_INTERVALS * (median ?? 0), STALE_MIN_MS);
  if (Number.isFinite(gap) && gap > limit)
    return {
      state: 'stale',
      reason: `last run ${(gap / 3_600_000).toFixed(1)} h before the log's newest run (limit ${(limit / 3_600_000).toFixed(1)} h)`,
    };
  return { state: 'healthy', reason: 'no rule applies' };
}

/** Worst first: state, rows failing now, failure rate, model name (then sync id, for a stable order). */
export function compareHealth(a: SyncHealth, b: SyncHealth): number {
  return (
    SYNC_STATE_ORDER.indexOf(a.state) - SYNC_STATE_ORDER.indexOf(b.state) ||
    b.rowsFailingNow - a.rowsFailingNow ||
    (b.failureRate ?? -1) - (a.failureRate ?? -1) ||
    a.modelName.localeCompare(b.modelName) ||
    a.syncId.localeCompare(b.syncId)
  );
}

/** Templates first seen (in the whole log) at or after the window start (none of their texts seen before it); rows are summed over the template's texts (an upper bound when one row failed with two of them). */
export function newTemplates(
  texts: readonly HealthText[],
  windowStart: string | null,
): Map<string, SyncHealth['newTemplates']> {
  const bySync = new Map<
    string,
    Map<string, { template: string; rows: number; failures: number; firstSeen: string | null; first: number }>
  >();
  for (const t of texts) {
    const template = failureTemplate(t.reason);
    const m = bySync.get(t.syncId) ?? new Map();
    bySync.set(t.syncId, m);
    const g = m.get(template) ?? { template, rows: 0, failures: 0, firstSeen: t.firstSeen, first: Infinity };
    m.set(template, g);
    g.rows += t.rowsInWindow;
    g.failures += t.failuresInWindow;
    const f = t.seenBefore ? -Infinity : ms(t.firstSeen);
    if (f < g.first) {
      g.first = f;
      g.firstSeen = t.firstSeen;
    }
  }
  const start = windowStart === null ? -Infinity : ms(windowStart);
  const out = new Map<string, SyncHealth['newTemplates']>();
  for (const [syncId, m] of bySync) {
    out.set(
      syncId,
      [...m.values()]
        .filter((g) => g.first >= start)
        .map(({ first: _f, ...g }) => g)
        .sort((a, b) => b.rows - a.rows || b.failures - a.failures || a.template.localeCompare(b.template)),
    );
  }
  return out;
}

export function buildHealth(input: HealthInput): HealthData {
  const templates = newTemplates(input.texts, input.windowStart);
  const syncs = input.syncs.map((s): SyncHealth => {
    const { state, reason } = syncState(s, input.windowEnd);
    const windowRuns = s.runs.filter((r) => r.inWindow);
    const all = templates.get(s.syncId) ?? [];
    const last = s.runs[0];
    return {
      syncId: s.syncId,
      modelName: s.modelName,
      destination: s.destination,
      primaryKey: s.primaryKey,
      state,
      stateReason: reason,
      lastRun: last
        ? {
            syncRunId: last.syncRunId,
            startedAt: last.startedAt,
            status: last.status,
            planned: last.planned,
            attempted: last.attempted,
            failed: last.failed,
            aborted: last.aborted,
            finishedAt: last.finishedAt,
            error: last.error,
          }
        : null,
      lastRunRows: last ? { ...s.lastRunRows } : null,
      rowsFailingNow: s.rowsFailingNow,
      rowsFailedInWindow: s.rowsFailedInWindow,
      rowsAttemptedInWindow: s.rowsAttemptedInWindow,
      failureRate: s.rowsAttemptedInWindow > 0 ? s.rowsFailedInWindow / s.rowsAttemptedInWindow : null,
      runs: windowRuns
        .map(({ syncRunId, startedAt, status, planned, attempted, failed, aborted }) => ({
          syncRunId,
          startedAt,
          status,
          planned,
          attempted,
          failed,
          aborted,
        }))
        .reverse(),
      runsInWindow: windowRuns.length,
      failedRuns: windowRuns.filter((r) => r.status === 'failed').length,
      abortedRuns: windowRuns.filter((r) => r.aborted > 0).length,
      stuckRows: s.stuckRows,
      stuckRowsBefore: s.stuckRowsBefore,
      newTemplates: all.slice(0, MAX_NEW_TEMPLATES),
      newTemplateCount: all.length,
    };
  });
  syncs.sort(compareHealth);
  const logStale =
    input.days !== null &&
    input.windowEnd !== null &&
    input.now.getTime() - ms(input.windowEnd) > input.days * 86_400_000;
  return {
    days: input.days,
    windowEnd: input.windowEnd,
    windowStart: input.windowStart,
    logStale,
    minFailures: input.minFailures,
    syncs,
    rules: HEALTH_RULES,
  };
}
