import type { HealthData } from '../shared/healthData';
import type { CheckLimits } from './analysisArgs';

export interface TrippedCheck {
  syncId: string;
  check: 'new templates' | 'stuck rows' | 'failure rate';
  figure: number;
  limit: number;
}

const percent = (r: number) => `${(Math.round(r * 10000) / 100).toString()}%`;

/** Every limit a sync goes over (strictly: a figure equal to its limit holds), in the overview's order. */
export function trippedChecks(data: HealthData, limits: CheckLimits, syncId: string | null): TrippedCheck[] {
  const out: TrippedCheck[] = [];
  for (const s of data.syncs) {
    if (syncId !== null && s.syncId !== syncId) continue;
    if (limits.maxNewTemplates !== undefined && s.newTemplateCount > limits.maxNewTemplates)
      out.push({ syncId: s.syncId, check: 'new templates', figure: s.newTemplateCount, limit: limits.maxNewTemplates });
    if (limits.maxStuckRows !== undefined && s.stuckRows > limits.maxStuckRows)
      out.push({ syncId: s.syncId, check: 'stuck rows', figure: s.stuckRows, limit: limits.maxStuckRows });
    if (limits.maxFailureRate !== undefined && s.failureRate !== null && s.failureRate > limits.maxFailureRate) {
      out.push({ syncId: s.syncId, check: 'failure rate', figure: s.failureRate, limit: limits.maxFailureRate });
    }
  }
  return out;
}

export function trippedLine(t: TrippedCheck): string {
  const shown = (n: number) => (t.check === 'failure rate' ? percent(n) : String(n));
  return `sync ${t.syncId}: ${t.check} ${shown(t.figure)} > ${shown(t.limit)}`;
}
