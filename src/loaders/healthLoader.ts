import type { HealthData, HealthRun, SyncHealth } from '../shared/healthData';
import { failureStuckCounts, type StuckCounts } from './healthStuck';
import { failingNowQuery, failureTextsFirstSeenQuery, logEndQuery, recentRunsQuery, windowFiguresQuery } from '../sql/healthQueries';
import { HEALTH_RULES, compareHealth, isLogStale, syncState, type LastRun } from '../analysis/syncHealth';
import { failureTemplate } from '../analysis/failureTemplates';
import { num, str, strOrNull, time, type QueryRunner } from './queryRunner';

const DAY_MS = 86_400_000;
/** Recent runs read per sync: enough for a median interval and the last run. */
const RECENT_RUNS = 30;
/** Runs per sync in the sparkline (the newest). */
const MAX_SPARK_RUNS = 60;
/** Failure texts read for new templates (newest first appearances first). */
const MAX_TEXTS = 50_000;
/** New templates listed per sync. */
const MAX_NEW_TEMPLATES = 10;

export interface HealthOptions {
  days: number | null;
  minFailures: number;
  now: Date;
}

/**
 * The health of every sync, worst first. The window ends at the newest run start of the whole log
 * (not the clock). Reads: sync_runs twice (the log's end, each sync's recent runs), the window's
 * changelog once (per-run figures and distinct rows), the snapshot once (rows failing now), the
 * failed rows' streaks, and the failure texts with their first appearance.
 */
export async function loadHealth(run: QueryRunner, opts: HealthOptions): Promise<HealthData> {
  const [endRow] = await run.rows(logEndQuery(run.loc));
  const windowEnd = time(endRow?.newest ?? null);
  const endMs = windowEnd ? Date.parse(windowEnd) : NaN;
  const windowStart = opts.days !== null && Number.isFinite(endMs) ? new Date(endMs - opts.days * DAY_MS).toISOString() : null;
  const start = windowStart ?? undefined;
  const [recent, figures, failing, stuck, texts] = await Promise.all([
    run.rows(recentRunsQuery(run.loc, RECENT_RUNS)),
    run.rows(windowFiguresQuery(run.loc, start)),
    run.rows(failingNowQuery(run.loc)),
    failureStuckCounts(run, opts.minFailures, start),
    run.rows(failureTextsFirstSeenQuery(run.loc, MAX_TEXTS)),
  ]);

  const bySync = new Map<string, { name: string; destination: string; primaryKey: string | null; starts: string[]; last: LastRun | null }>();
  for (const r of recent) {
    const id = str(r.sync_id);
    let s = bySync.get(id);
    if (!s) {
      s = { name: str(r.model_name) || `Sync ${id}`, destination: str(r.destination) || 'unknown destination', primaryKey: strOrNull(r.primary_key), starts: [], last: null };
      bySync.set(id, s);
      s.last = { syncRunId: str(r.sync_run_id), startedAt: time(r.started_at), finishedAt: time(r.finished_at), status: strOrNull(r.status), error: strOrNull(r.error), planned: 0, attempted: 0, failed: 0, aborted: 0 };
    }
    const at = time(r.started_at);
    if (at) s.starts.push(at);
  }

  const runs = new Map<string, HealthRun[]>();
  const rows = new Map<string, { failed: number; attempted: number }>();
  const runFigures = new Map<string, HealthRun>();
  for (const r of figures) {
    const id = str(r.sync_id);
    if (str(r.kind) === 'sync') {
      rows.set(id, { failed: num(r.rows_failed), attempted: num(r.rows_attempted) });
      continue;
    }
    const point: HealthRun = { syncRunId: str(r.sync_run_id), startedAt: time(r.started_at), status: strOrNull(r.status), planned: num(r.planned), attempted: num(r.attempted), failed: num(r.failed), aborted: num(r.aborted) };
    runFigures.set(`${id}\u0000${point.syncRunId}`, point);
    const list = runs.get(id) ?? [];
    list.push(point);
    runs.set(id, list);
  }
  const failingNow = new Map(failing.map((r) => [str(r.sync_id), num(r.rows_failing)]));
  const newTemplates = newTemplatesBySync(texts, windowStart);

  const syncs: SyncHealth[] = [];
  for (const [syncId, s] of bySync) {
    const last = s.last;
    // The last run's figures come from the changelog; a run older than the window is read apart.
    const lastFigures = last ? runFigures.get(`${syncId}\u0000${last.syncRunId}`) : undefined;
    const lastRun = last ? { ...last, ...(lastFigures ? { planned: lastFigures.planned, attempted: lastFigures.attempted, failed: lastFigures.failed, aborted: lastFigures.aborted } : {}) } : null;
    const windowRuns = (runs.get(syncId) ?? []).sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || a.syncRunId.localeCompare(b.syncRunId));
    const counts: StuckCounts = stuck.get(syncId) ?? { now: 0, before: 0 };
    const r = rows.get(syncId) ?? { failed: 0, attempted: 0 };
    const news = newTemplates.get(syncId) ?? [];
    const { state, reason } = syncState({ lastRun, recentStarts: s.starts, stuckRows: counts.now, stuckRowsBefore: counts.before }, windowEnd);
    syncs.push({
      syncId,
      modelName: s.name,
      destination: s.destination,
      primaryKey: s.primaryKey,
      state,
      stateReason: reason,
      lastRun,
      rowsFailingNow: failingNow.get(syncId) ?? 0,
      rowsFailedInWindow: r.failed,
      rowsAttemptedInWindow: r.attempted,
      failureRate: r.attempted > 0 ? r.failed / r.attempted : null,
      runs: windowRuns.slice(-MAX_SPARK_RUNS),
      runsInWindow: windowRuns.length,
      failedRuns: windowRuns.filter((x) => x.status === 'failed').length,
      abortedRuns: windowRuns.filter((x) => x.aborted > 0).length,
      stuckRows: counts.now,
      stuckRowsBefore: counts.before,
      newTemplates: news.slice(0, MAX_NEW_TEMPLATES),
      newTemplateCount: news.length,
    });
  }
  syncs.sort(compareHealth);
  return { days: opts.days, windowEnd, windowStart, logStale: isLogStale(windowEnd, opts.days, opts.now), minFailures: opts.minFailures, syncs, rules: HEALTH_RULES };
}

/**
 * Templates per sync whose first appearance (the earliest of their texts) falls in the window,
 * most rows first. Rows add up the texts' distinct rows: a row failing with two texts of one
 * template counts twice (the breakdown counts it once).
 */
function newTemplatesBySync(texts: readonly Record<string, unknown>[], windowStart: string | null): Map<string, SyncHealth['newTemplates']> {
  const all = new Map<string, Map<string, { template: string; rows: number; failures: number; firstSeen: string | null }>>();
  for (const t of texts) {
    const syncId = str(t.sync_id);
    const reason = strOrNull(t.failure_reason);
    if (reason === null) continue;
    const template = failureTemplate(reason);
    const first = time(t.first_seen);
    let m = all.get(syncId);
    if (!m) all.set(syncId, (m = new Map()));
    const got = m.get(template) ?? { template, rows: 0, failures: 0, firstSeen: first };
    got.rows += num(t.row_count);
    got.failures += num(t.failures);
    if (first && (!got.firstSeen || first < got.firstSeen)) got.firstSeen = first;
    m.set(template, got);
  }
  const out = new Map<string, SyncHealth['newTemplates']>();
  for (const [syncId, m] of all) {
    const news = [...m.values()].filter((t) => windowStart === null || (t.firstSeen !== null && Date.parse(t.firstSeen) >= Date.parse(windowStart)));
    // "All runs" makes every template new: nothing is news then.
    out.set(syncId, windowStart === null ? [] : news.sort((a, b) => b.rows - a.rows || b.failures - a.failures || a.template.localeCompare(b.template)));
  }
  return out;
}
