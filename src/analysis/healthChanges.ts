import type { HealthData, SyncHealth } from '../shared/healthData';

/** What the watch notifies about: a sync that got worse between two health checks. */
export interface HealthAlert {
  syncId: string;
  modelName: string;
  kind: 'failing' | 'newTemplates' | 'stuckRising';
  /** One sentence with the figures ("Active customers is failing: last run 180 of 228 rows failed"). */
  message: string;
}

/**
 * The alerts from one health check to the next: once per change of state, not once per check. A
 * sync notifies when it turns failing (not while it stays so), when templates it had not shown
 * before appear among its new ones, or when its stuck rows rise above the last figure notified.
 * The first check only sets the baseline: opening VS Code on a broken log is not news.
 */
export function healthAlerts(previous: HealthData | undefined, next: HealthData): HealthAlert[] {
  if (!previous) return [];
  const before = new Map(previous.syncs.map((s) => [s.syncId, s]));
  const alerts: HealthAlert[] = [];
  for (const s of next.syncs) {
    const was = before.get(s.syncId);
    if (!was) continue;
    if (s.state === 'failing' && was.state !== 'failing')
      alerts.push(alert(s, 'failing', `${s.modelName} is failing: ${s.stateReason}`));
    const known = new Set(was.newTemplates.map((t) => t.template));
    const fresh = s.newTemplates.filter((t) => !known.has(t.template));
    if (fresh.length > 0) {
      const first = fresh[0];
      const more = fresh.length > 1 ? ` (and ${fresh.length - 1} more)` : '';
      alerts.push(
        alert(
          s,
          'newTemplates',
          `${s.modelName} has a new error: ${first.template} on ${first.rows} ${first.rows === 1 ? 'row' : 'rows'}${more}`,
        ),
      );
    }
    if (s.stuckRows > was.stuckRows && s.stuckRows > 0)
      alerts.push(alert(s, 'stuckRising', `${s.modelName}: stuck rows rose from ${was.stuckRows} to ${s.stuckRows}`));
  }
  return alerts;
}

function alert(s: SyncHealth, kind: HealthAlert['kind'], message: string): HealthAlert {
  return { syncId: s.syncId, modelName: s.modelName, kind, message };
}

/** The next delay of a poller: the interval after a success, doubled per failure in a row, capped. */
export function nextDelayMs(intervalMs: number, failuresInARow: number, capMs = 3_600_000): number {
  if (failuresInARow <= 0) return intervalMs;
  return Math.min(capMs, intervalMs * 2 ** Math.min(failuresInARow, 20));
}
