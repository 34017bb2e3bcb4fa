import { newestRunQuery } from '../sql/scopeRunsQuery';
import type { QueryRunner } from './queryRunner';

const DAY_MS = 86_400_000;

/**
 * The start of a window of `days` before the newest run in scope (not before "now": a sync log
 * that stopped a month ago still shows its last week). Undefined: every run.
 */
export async function windowStart(
  run: QueryRunner,
  syncId: string | null,
  days: number | null,
): Promise<string | undefined> {
  if (days === null) return undefined;
  const [row] = await run.rows(newestRunQuery(run.loc, syncId ?? undefined));
  const newest = row?.newest;
  if (newest === null || newest === undefined) return undefined;
  const ms = Date.parse(String(newest));
  return Number.isFinite(ms) ? new Date(ms - days * DAY_MS).toISOString() : undefined;
}

/** One sync over a window: the scope the per-sync panels (flapping, model over time) query. */
export interface SyncWindowScope {
  syncId: string;
  since?: string;
}

export async function syncWindowScope(run: QueryRunner, syncId: string, days: number | null): Promise<SyncWindowScope> {
  const since = await windowStart(run, syncId, days);
  return since === undefined ? { syncId } : { syncId, since };
}
