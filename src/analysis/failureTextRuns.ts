import type { RunPoint } from '../shared/analysisData';
import type { FailureTextCount } from './errorBreakdown';

/** One row of the per-run query: failed operations of one text in one run, with a sample row. */
export interface FailureTextInRun {
  syncRunId: string;
  reason: string | null;
  count: number;
  sampleRowId: string | null;
}

/**
 * Adds to each failure text its first and last run (by the runs' start times, not their ids)
 * and a sample row, from the per-run counts. The counts stay those of the texts query, so the
 * table does not change when the details arrive; texts the per-run rows lack keep nulls.
 */
export function withRunDetails(
  texts: readonly FailureTextCount[],
  perRun: readonly FailureTextInRun[],
  runs: readonly RunPoint[],
): FailureTextCount[] {
  const startOf = new Map<string, number>();
  for (const r of runs) {
    const ms = r.startedAt === null ? NaN : Date.parse(r.startedAt);
    if (Number.isFinite(ms)) startOf.set(r.syncRunId, ms);
  }
  const details = new Map<string | null, { first: number; last: number; sample: string | null }>();
  for (const p of perRun) {
    const at = startOf.get(p.syncRunId);
    const d = details.get(p.reason) ?? { first: Infinity, last: -Infinity, sample: null };
    if (at !== undefined) {
      d.first = Math.min(d.first, at);
      d.last = Math.max(d.last, at);
    }
    // The smallest id, as the SQL min() picks within a run: stable across reloads.
    if (p.sampleRowId !== null && (d.sample === null || p.sampleRowId < d.sample)) d.sample = p.sampleRowId;
    details.set(p.reason, d);
  }
  const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
  return texts.map((t) => {
    const d = details.get(t.reason);
    if (!d) return t;
    return {
      ...t,
      firstSeen: iso(d.first) ?? t.firstSeen,
      lastSeen: iso(d.last) ?? t.lastSeen,
      sampleRowId: d.sample ?? t.sampleRowId,
    };
  });
}
