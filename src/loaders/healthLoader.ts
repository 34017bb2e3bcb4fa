import type { HealthData } from '../shared/healthData';
import { buildHealth, type HealthSyncInput } from '../analysis/syncHealth';
import { healthRowsQuery, healthRunsQuery, healthSnapshotQuery, healthTextsQuery, MAX_HEALTH_TEXTS, type HealthWindow } from '../sql/healthQueries';
import { newestRunQuery } from '../sql/scopeRunsQuery';
import { num, str, strOrNull, time, type QueryRunner } from './queryRunner';

const DAY_MS = 86_400_000;

export interface HealthOptions {
  /** Days of the window before the log's newest run (null: every run). */
  days: number | null;
  /** K of the stuck-row rule. */
  minFailures: number;
  /** The clock, for the log's staleness only (the window ends at the newest run, not now). */
  now: Date;
}

/**
 * The health overview of every sync: the window's end (the newest run of the whole log), then the
 * runs, the snapshot's failing rows, the changelog's row figures and failure texts, all syncs at once.
 */
export async function loadHealth(run: QueryRunner, opts: HealthOptions): Promise<HealthData> {
  const [newestRow] = await run.rows(newestRunQuery(run.loc));
  const windowEnd = time(newestRow?.newest ?? null);
  const endMs = windowEnd === null ? NaN : Date.parse(windowEnd);
  const sinceMs = opts.days === null || !Number.isFinite(endMs) ? null : endMs - opts.days * DAY_MS;
  const w: HealthWindow = sinceMs === null ? {} : { since: new Date(sinceMs).toISOString() };
  const [runs, snapshot, rows, texts] = await Promise.all([
    run.rows(healthRunsQuery(run.loc, w)),
    run.rows(healthSnapshotQuery(run.loc)),
    run.rows(healthRowsQuery(run.loc, w, opts.minFailures)),
    run.rows(healthTextsQuery(run.loc, w)),
  ]);
  const failing = new Map(snapshot.map((r) => [str(r.sync_id), num(r.rows_failing)]));
  const figures = new Map(rows.map((r) => [str(r.sync_id), r]));
  const syncs = new Map<string, HealthSyncInput>();
  for (const r of runs) {
    const syncId = str(r.sync_id);
    let s = syncs.get(syncId);
    if (!s) {
      const f = figures.get(syncId);
      s = {
        syncId,
        modelName: str(r.model_name),
        destination: str(r.destination),
        primaryKey: strOrNull(r.primary_key),
        runs: [],
        rowsFailingNow: failing.get(syncId) ?? 0,
        rowsFailedInWindow: num(f?.rows_failed),
        rowsAttemptedInWindow: num(f?.rows_attempted),
        stuckRows: num(f?.stuck_rows),
        stuckRowsBefore: num(f?.stuck_rows_before),
      };
      syncs.set(syncId, s);
    }
    const planned = num(r.planned);
    const attempted = num(r.attempted);
    s.runs.push({
      syncRunId: str(r.sync_run_id),
      startedAt: time(r.started_at),
      status: strOrNull(r.status),
      planned,
      attempted,
      failed: num(r.failed),
      aborted: Math.max(0, planned - attempted),
      finishedAt: time(r.finished_at),
      error: strOrNull(r.error),
      inWindow: num(r.in_window) === 1,
    });
  }
  // Rows arrive ordered by sync and newest first; kept so whatever the runner does.
  for (const s of syncs.values()) s.runs.sort((a, b) => Date.parse(b.startedAt ?? '') - Date.parse(a.startedAt ?? '') || (a.syncRunId < b.syncRunId ? 1 : -1));
  return buildHealth({
    days: opts.days,
    windowEnd,
    windowStart: w.since ?? null,
    now: opts.now,
    minFailures: opts.minFailures,
    syncs: [...syncs.values()],
    texts: texts.slice(0, MAX_HEALTH_TEXTS).map((t) => ({ syncId: str(t.sync_id), reason: str(t.failure_reason), firstSeen: time(t.first_seen), rowsInWindow: num(t.rows_in_window), failuresInWindow: num(t.failures_in_window) })),
  });
}
