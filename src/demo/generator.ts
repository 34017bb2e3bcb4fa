import { ChangelogBatcher, SnapshotBatcher } from './batches';
import { DEMO_ANCHOR_ISO, SYNC_SPECS } from './catalog';
import { personAt } from './people';
import { hash32, hashString, unit } from './random';
import { ROW_ERRORS } from './rowErrors';
import { assignRunIds, scheduleSlots } from './schedule';
import { modelSizes, simulateSync } from './syncSimulation';
import type { SyncSpec } from './catalog';
import type { SyncLogChunk } from './types';

/**
 * A deterministic Hightouch warehouse sync log: pure computation, no I/O. Rows are yielded
 * in batches while the history is played, so memory holds one sync's model state and one
 * batch, never the changelog.
 */
export interface GenerateOptions {
  /** Multiplies model sizes (and so changelog rows); 1 gives roughly 300k changelog rows. */
  scale: number;
  seed?: number;
  /** Rows per changelog or snapshot batch. */
  batchSize?: number;
}

export const DEFAULT_SEED = 20261101;
export const DEFAULT_BATCH_SIZE = 25_000;

export interface GenerateTotals {
  syncs: number;
  runs: number;
  changelogRows: number;
  snapshotRows: number;
}

export function validateScale(scale: number): number {
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1000) {
    throw new Error(`Demo scale must be a number in (0, 1000], got ${scale}.`);
  }
  return scale;
}

/**
 * Share of a sync's rows whose data a destination rejects on every attempt (estimated from
 * a sample of its people): these rows are retried, and fail, in every later run.
 */
function persistentFailureShare(spec: SyncSpec, seed: number): number {
  const templates = ROW_ERRORS[spec.destination].filter((t) => t.kind === 'data' && t.ops.includes('added'));
  const anchorSec = Date.parse(DEMO_ANCHOR_ISO) / 1000;
  const sample = 2000;
  let failing = 0;
  for (let i = 0; i < sample; i++) {
    const person = personAt(spec.poolOffset + i, seed, anchorSec);
    const ctx = { rowId: '', person, op: 'added' as const, rowSeed: hash32(seed, i), attemptSeed: 0 };
    if (templates.some((t) => t.applies?.(ctx, unit(hash32(i, hashString(t.key)))))) failing++;
  }
  return failing / sample;
}

/**
 * A cheap forecast of a sync's changelog rows, for progress (not exact): the first run adds
 * the model, later runs plan its churn and flapping, and rejected rows are retried each run.
 */
export function estimateSyncChangelogRows(spec: SyncSpec, scale: number, runs: number, seed = DEFAULT_SEED): number {
  const { size, flappers } = modelSizes(spec, scale);
  const perRun = (size * (2 * spec.exitPerDay + spec.changePerDay) * spec.intervalMinutes) / 1440;
  const retries = size * persistentFailureShare(spec, seed) * 0.8;
  return Math.round((size + runs * (perRun + flappers * 0.85 + retries)) * 1.05);
}

export function estimateChangelogRows(scale: number, seed = DEFAULT_SEED): number {
  const anchorMs = Date.parse(DEMO_ANCHOR_ISO);
  return SYNC_SPECS.reduce(
    (sum, spec) => sum + estimateSyncChangelogRows(spec, scale, scheduleSlots(spec, anchorMs).length, seed),
    0,
  );
}

export function* generateSyncLog(options: GenerateOptions): Generator<SyncLogChunk, GenerateTotals> {
  const scale = validateScale(options.scale);
  const seed = (options.seed ?? DEFAULT_SEED) >>> 0;
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
  const anchorMs = Date.parse(DEMO_ANCHOR_ISO);

  const slots = SYNC_SPECS.map((spec) => scheduleSlots(spec, anchorMs));
  const runIds = assignRunIds(slots, seed);
  const estimates = SYNC_SPECS.map((spec, s) => estimateSyncChangelogRows(spec, scale, slots[s].length, seed));
  const changelog = new ChangelogBatcher(batchSize);
  const snapshot = new SnapshotBatcher(batchSize);
  const totals: GenerateTotals = { syncs: SYNC_SPECS.length, runs: 0, changelogRows: 0, snapshotRows: 0 };

  // Progress forecast: rows generated so far, plus the forecast of what the current sync has
  // still to produce and of the syncs to come. It becomes exact as syncs finish.
  let current = 0;
  let producedBeforeCurrent = 0;
  const produced = (): number => totals.changelogRows + changelog.size;
  const expected = (): number => {
    let rest = Math.max(0, estimates[current] - (produced() - producedBeforeCurrent));
    for (let s = current + 1; s < estimates.length; s++) rest += estimates[s];
    return produced() + rest;
  };

  for (current = 0; current < SYNC_SPECS.length; current++) {
    const spec = SYNC_SPECS[current];
    producedBeforeCurrent = produced();
    yield {
      kind: 'sync',
      syncId: spec.id,
      index: current,
      total: SYNC_SPECS.length,
      destination: spec.destination,
      modelName: spec.modelName,
    };
    for (const chunk of simulateSync({
      spec,
      scale,
      seed,
      anchorMs,
      slots: slots[current],
      runIds: runIds[current],
      changelog,
      snapshot,
      changelogChunk: (batch) => {
        totals.changelogRows += batch.count;
        return { kind: 'changelog', ...batch, rowsEmitted: totals.changelogRows, rowsExpected: expected() };
      },
    })) {
      if (chunk.kind === 'run') totals.runs++;
      if (chunk.kind === 'snapshot') totals.snapshotRows += chunk.count;
      yield chunk;
    }
  }
  if (changelog.size > 0) {
    const batch = changelog.take();
    totals.changelogRows += batch.count;
    yield { kind: 'changelog', ...batch, rowsEmitted: totals.changelogRows, rowsExpected: totals.changelogRows };
  }
  if (snapshot.size > 0) {
    const batch = snapshot.take();
    totals.snapshotRows += batch.count;
    yield { kind: 'snapshot', ...batch };
  }
  return totals;
}
