import type { HealthData } from '../shared/healthData';
import { buildHealth, type HealthSyncInput } from '../analysis/syncHealth';
import { HEALTH_INTERVAL_RUNS, healthRunsQuery, healthSnapshotQuery, type HealthWindow } from '../sql/healthQueries';
import { MAX_SLICE_RUN_IDS, type HealthSlice } from '../sql/healthSlice';
import { healthTextsQuery, MAX_HEALTH_TEXTS } from '../sql/healthTextsQuery';
import { healthWindowQuery } from '../sql/healthWindowQuery';
import { newestRunQuery } from '../sql/scopeRunsQuery';
import { ofKind, stuckFigures } from './healthStuckRows';
import { num, str, strOrNull, time, type QueryRunner } from './queryRunner';

const DAY_MS = 86_400_000;

/**
 * Runs of each sync before the window whose operations the stuck-row figures read with the
 * window's: a row retried every run shows K failures within K runs, and two more absorb runs that
 * planned nothing (failed before planning). Rows they do not settle have their history read.
 */
export const slicePriorRuns = (minFailures: number): number => minFailures + 2;

export interface HealthOptions {
  /** Days of the window before the log's newest run (null: every run). */
  days: number | null;
  /** K of the stuck-row rule. */
  minFailures: number;
  /** The clock, for the log's staleness only (the window ends at the newest run, not now). */
  now: Date;
}

type Row = Record<string, unknown>;

/**
 * The health overview of every sync: the window's end (the newest run of the whole log), then at
 * once, each on its own connection (and so its own core on a Postgres, which runs a cursor's
 * statement on one): the snapshot's failing rows; the failure texts (one pass over the log's
 * failed operations); and the runs (with each sync's few runs before the window), after which the
 * window's figures (its runs' operations) and the stuck rows (the other pass, then the history of
 * the few rows it leaves) run side by side. All syncs together.
 */
export async function loadHealth(run: QueryRunner, opts: HealthOptions): Promise<HealthData> {
  const [newestRow] = await run.rows(newestRunQuery(run.loc));
  const windowEnd = time(newestRow?.newest ?? null);
  const endMs = windowEnd === null ? NaN : Date.parse(windowEnd);
  const sinceMs = opts.days === null || !Number.isFinite(endMs) ? null : endMs - opts.days * DAY_MS;
  const w: HealthWindow = sinceMs === null ? {} : { since: new Date(sinceMs).toISOString() };
  const [failingRows, textRows, [runs, windowRows, stuckRows]] = await Promise.all([
    run.rows(healthSnapshotQuery(run.loc)),
    run.rows(healthTextsQuery(run.loc, w)),
    (async () => {
      const runs = await run.rows(healthRunsQuery(run.loc, w, slicePriorRuns(opts.minFailures)));
      const stuckSlice = slice(
        w,
        runs.filter((r) => num(r.in_slice) === 1),
      );
      const [windowRows, stuckRows] = await Promise.all([
        run.rows(
          healthWindowQuery(
            run.loc,
            slice(
              w,
              runs.filter((r) => num(r.rn) === 1 && num(r.in_window) === 0),
            ),
          ),
        ),
        stuckFigures(run, stuckSlice, opts.minFailures),
      ]);
      return [runs, windowRows, stuckRows] as const;
    })(),
  ]);
  const failing = new Map(failingRows.map((r) => [str(r.sync_id), num(r.rows_failing)]));
  const windowFigures = new Map(ofKind(windowRows, 'sync').map((r) => [str(r.sync_id), r]));
  const syncs = new Map<string, HealthSyncInput>();
  for (const r of runs) {
    const syncId = str(r.sync_id);
    let s = syncs.get(syncId);
    if (!s) {
      const f = windowFigures.get(syncId);
      const k = stuckRows.get(syncId);
      // The window's query counts every row of the last run; those stuck before it are retries.
      const stuckRetries = k?.lastStuckAttempted ?? 0;
      s = {
        syncId,
        modelName: str(r.model_name),
        destination: str(r.destination),
        primaryKey: strOrNull(r.primary_key),
        runs: [],
        rowsFailingNow: failing.get(syncId) ?? 0,
        rowsFailedInWindow: num(f?.rows_failed),
        rowsAttemptedInWindow: num(f?.rows_attempted),
        stuckRows: k?.stuckRows ?? 0,
        stuckRowsBefore: k?.stuckRowsBefore ?? 0,
        lastRunRows: {
          attempted: num(f?.last_attempted) - stuckRetries,
          failed: num(f?.last_failed) - (k?.lastStuckFailed ?? 0),
          stuckRetries,
        },
      };
      syncs.set(syncId, s);
    }
    // Runs read only for the slice are not the sync's recent runs.
    if (num(r.rn) > HEALTH_INTERVAL_RUNS && num(r.in_window) !== 1) continue;
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
  for (const s of syncs.values())
    s.runs.sort(
      (a, b) => Date.parse(b.startedAt ?? '') - Date.parse(a.startedAt ?? '') || (a.syncRunId < b.syncRunId ? 1 : -1),
    );
  // A text's window figures come from the window's query; whether it failed before, from the whole log.
  const key = (r: Row) => `${str(r.sync_id)}\u0000${str(r.failure_reason)}`;
  const inWindow = new Map(ofKind(windowRows, 'text').map((r) => [key(r), r]));
  const texts = textRows.slice(0, MAX_HEALTH_TEXTS);
  return buildHealth({
    days: opts.days,
    windowEnd,
    windowStart: w.since ?? null,
    now: opts.now,
    minFailures: opts.minFailures,
    syncs: [...syncs.values()],
    texts: texts.map((t) => {
      const seenBefore = num(t.seen_before) === 1;
      const wt = inWindow.get(key(t));
      return {
        syncId: str(t.sync_id),
        reason: str(t.failure_reason),
        firstSeen: seenBefore ? null : time(wt?.first_seen ?? null),
        seenBefore,
        rowsInWindow: num(wt?.rows_in_window),
        failuresInWindow: num(wt?.failures_in_window),
      };
    }),
  });
}

/** A slice of the window and the given runs before it, by id while they are few enough to list, else from the earliest. */
function slice(w: HealthWindow, prior: Row[]): HealthSlice {
  if (w.since === undefined) return {};
  if (prior.length <= MAX_SLICE_RUN_IDS) return { since: w.since, priorRunIds: prior.map((r) => str(r.sync_run_id)) };
  const starts = prior
    .map((r) => time(r.started_at))
    .filter((t): t is string => t !== null)
    .sort();
  return { since: w.since, priorFrom: starts[0] };
}
