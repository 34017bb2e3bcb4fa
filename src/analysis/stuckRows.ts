/**
 * Stuck rows (the latest K operations all failed) and rows that recovered from such a streak: the
 * warehouse finds the streaks (stuckRowsQuery); this templates the latest failure text and works
 * out the time to recover.
 */
import type { RecoveredRow, StuckRow, StuckRowsData } from '../shared/analysisData';
import { failureTemplate } from './failureTemplates';

/** One result row of stuckRowsQuery, typed. */
export interface StreakRow {
  kind: 'stuck' | 'recovered';
  rowId: string;
  failures: number;
  failingSince: string | null;
  lastFailedAt: string | null;
  recoveredAt: string | null;
  failureReason: string | null;
  /** Rows of this kind in all. */
  kindRows: number;
}

const msBetween = (from: string | null, to: string | null): number | null => {
  if (from === null || to === null) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? ms : null;
};

export function buildStuckRows(rows: readonly StreakRow[], minFailures: number): StuckRowsData {
  const stuck: StuckRow[] = [];
  const recovered: RecoveredRow[] = [];
  let stuckRows = 0;
  let recoveredRows = 0;
  for (const r of rows) {
    if (r.kind === 'stuck') {
      stuckRows = Math.max(stuckRows, r.kindRows);
      stuck.push({
        rowId: r.rowId,
        consecutiveFailures: r.failures,
        failingSince: r.failingSince,
        lastFailedAt: r.lastFailedAt,
        template: r.failureReason === null ? null : failureTemplate(r.failureReason),
      });
    } else {
      recoveredRows = Math.max(recoveredRows, r.kindRows);
      recovered.push({
        rowId: r.rowId,
        failures: r.failures,
        failingSince: r.failingSince,
        recoveredAt: r.recoveredAt,
        recoverMs: msBetween(r.failingSince, r.recoveredAt),
      });
    }
  }
  return {
    minFailures,
    stuckRows: Math.max(stuckRows, stuck.length),
    stuck,
    recoveredRows: Math.max(recoveredRows, recovered.length),
    recovered,
  };
}
