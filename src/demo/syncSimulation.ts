import { DESTINATION_THROUGHPUT } from './catalog';
import { FailureModel } from './failures';
import { fieldsJson } from './fields';
import {
  ModelState,
  OP_ADDED,
  OP_CHANGED,
  OP_CODES,
  OP_REMOVED,
  STATUS_ABORTED,
  STATUS_CODES,
  STATUS_FAILED,
  STATUS_SUCCEEDED,
} from './modelState';
import { firstImgPersonFrom, personAt } from './people';
import { createRng, hash32 } from './random';
import { AUTH_ERRORS, MIDWAY_ERRORS, SCHEMA_DRIFT_ERROR, WAREHOUSE_PLANNING_ERRORS, cancelledBy } from './runErrors';
import type { ChangelogBatcher, SnapshotBatcher } from './batches';
import type { Person } from './people';
import type { StickyError, Storm } from './failures';
import type { Incident, SyncSpec } from './catalog';
import type { RunCounters, RunRecord, SyncLogChunk } from './types';

export interface SimulationInput {
  spec: SyncSpec;
  scale: number;
  seed: number;
  anchorMs: number;
  /** Scheduled start times and the run ids assigned to them. */
  slots: readonly number[];
  runIds: readonly string[];
  changelog: ChangelogBatcher;
  snapshot: SnapshotBatcher;
  /** Called with each full changelog batch to build the chunk (carries progress totals). */
  changelogChunk(batch: ReturnType<ChangelogBatcher['take']>): SyncLogChunk;
}

/** Model rows of a sync at a scale; the pool leaves room for rows to enter, leave and re-enter. */
export function modelSizes(spec: SyncSpec, scale: number): { size: number; regular: number; flappers: number } {
  const size = Math.max(8, Math.round(spec.size * scale));
  const growth = Math.max(0, spec.growthPerDay) * spec.startDaysAgo;
  const regular = Math.ceil(size * (1.6 + 1.3 * growth)) + 4;
  return { size, regular, flappers: spec.flappers };
}

const ID_SPACES: Record<string, [number, number]> = {
  customer_id: [700_000, 3],
  user_id: [1_000_000, 7],
  lead_id: [2_000_000, 5],
  account_id: [100_000, 2],
};

/** The primary-key value of a person's row: numeric ids are unique but not sequential. */
export function rowIdFor(primaryKey: string, person: Person, seed: number): string {
  if (primaryKey === 'email') return person.email;
  const [base, step] = ID_SPACES[primaryKey] ?? [1, 1];
  return String(base + person.index * step + (hash32(seed, person.index, 0x1d) % step));
}

const emptyCounters = (): RunCounters => ({
  plannedAdd: 0,
  plannedChange: 0,
  plannedRemove: 0,
  attemptedAdd: 0,
  attemptedChange: 0,
  attemptedRemove: 0,
  succeededAdd: 0,
  succeededChange: 0,
  succeededRemove: 0,
  failedAdd: 0,
  failedChange: 0,
  failedRemove: 0,
});

type RunFate =
  { kind: 'planning'; error: string; slow?: boolean } | { kind: 'cancel'; error: string } | { kind: 'run' };

type TimedIncident = Incident & { fromMs: number; toMs: number };

/** What the catalog's incidents make of a run starting at `startedMs`. */
function conditionsOfRun(
  incidents: readonly TimedIncident[],
  startedMs: number,
  previousPlannedMs: number,
  cancelled: Set<number>,
  authError: () => string,
  failures: FailureModel,
): { fate: RunFate; storm: Storm | null; backfillShare: number; sticky: StickyError[] } {
  let fate: RunFate = { kind: 'run' };
  let storm: Storm | null = null;
  let backfillShare = 0;
  const sticky: StickyError[] = [];
  for (const inc of incidents) {
    const inWindow = startedMs >= inc.fromMs && startedMs < inc.toMs;
    if (inc.kind === 'outage' && inWindow) {
      fate = { kind: 'planning', error: inc.error === 'auth' ? authError() : SCHEMA_DRIFT_ERROR };
    } else if (inc.kind === 'storm' && inWindow) {
      storm = { template: failures.templateByKey(inc.template), share: inc.share };
    } else if (inc.kind === 'sticky' && inWindow) {
      sticky.push(failures.stickyError(inc.template, inc.share));
    } else if (inc.kind === 'backfill' && inc.fromMs > previousPlannedMs && inc.fromMs <= startedMs) {
      // Lands on the first run that plans after it (a run failing at planning never saw it).
      backfillShare = inc.share;
    } else if (inc.kind === 'cancel' && startedMs >= inc.fromMs && !cancelled.has(inc.fromMs)) {
      cancelled.add(inc.fromMs);
      fate = { kind: 'cancel', error: cancelledBy(inc.by) };
    }
  }
  return { fate, storm, backfillShare, sticky };
}

/**
 * Plays one sync's history run by run and yields its changelog rows (in batches shared with
 * other syncs), each run record, and finally its snapshot rows.
 */
export function* simulateSync(input: SimulationInput): Generator<SyncLogChunk, void> {
  const { spec, scale, seed, anchorMs, slots, runIds } = input;
  const syncNum = Number(spec.id);
  const rng = createRng(hash32(seed, syncNum, 0x51c));
  const failures = new FailureModel(spec, rng);
  const { size, regular, flappers } = modelSizes(spec, scale);
  const poolOffset = Math.round(spec.poolOffset * scale);
  const fieldSalt = hash32(seed, syncNum, 0xf1e1d);
  const anchorSec = Math.floor(anchorMs / 1000);
  const createdMs = anchorMs - spec.startDaysAgo * 86_400_000;
  const intervalSec = spec.intervalMinutes * 60;

  const state = new ModelState(regular, flappers, rng, Math.floor(createdMs / 1000));
  state.fill(size, Math.floor(createdMs / 1000));

  // One flapping row of every sync belongs to a person whose name is markup: every sync shows
  // hostile text, whatever the scale. It lies past the pool, so it is no other row's person.
  const hostileFlapper = regular + 1;
  const hostilePerson = firstImgPersonFrom(poolOffset + regular + flappers);
  const person = (i: number): Person =>
    personAt(i === hostileFlapper ? hostilePerson : poolOffset + i, seed, anchorSec);
  const rowIdOf = (p: Person): string => rowIdFor(spec.primaryKey, p, seed);
  const fieldsOf = (p: Person, rowId: string, version: number, changedAt: number): string =>
    fieldsJson(spec.shape, spec.primaryKey, rowId, p, version, changedAt, fieldSalt);

  const incidents: TimedIncident[] = spec.incidents.map((inc) => ({
    ...inc,
    fromMs: Date.parse('from' in inc ? inc.from : inc.at),
    toMs: 'to' in inc && inc.to !== undefined ? Date.parse(inc.to) : Infinity,
  }));
  const cancelled = new Set<number>();
  let previousMs = createdMs;

  for (let k = 0; k < slots.length; k++) {
    const startedMs = slots[k] + 1000 * (5 + (hash32(seed, syncNum, k, 0x7a) % 115));
    const runId = runIds[k];
    const counters = emptyCounters();

    const { fate, storm, backfillShare, sticky } = conditionsOfRun(
      incidents,
      startedMs,
      previousMs,
      cancelled,
      () => AUTH_ERRORS[spec.destination](hash32(syncNum, k)),
      failures,
    );
    // The sync's own random failure rates come after the scheduled incidents.
    let runFate = fate;
    let runStorm = storm;
    if (runFate.kind === 'run' && rng.chance(spec.planningFailureRate)) {
      const failure = rng.pick(WAREHOUSE_PLANNING_ERRORS);
      runFate = { kind: 'planning', error: failure.text(rng.next()), slow: failure.slow };
    }
    if (!runStorm && rng.chance(spec.stormChance)) runStorm = failures.randomStorm(startedMs);

    const run = (error: string | null, durationSec: number): RunRecord => {
      const capped = Math.max(1, Math.min(durationSec, intervalSec * 0.8));
      return {
        syncId: spec.id,
        syncRunId: runId,
        primaryKey: spec.primaryKey,
        destination: spec.destination,
        modelName: spec.modelName,
        status: error === null ? 'succeeded' : 'failed',
        error,
        startedAt: new Date(startedMs).toISOString(),
        finishedAt: new Date(startedMs + Math.round(capped * 1000)).toISOString(),
        ...counters,
      };
    };

    if (runFate.kind === 'planning') {
      // The model query or the destination login failed: nothing planned, nothing written.
      // Timeouts take up to the warehouse's 30-minute limit (within the sync's interval).
      const seconds = runFate.slow ? Math.min(1800, intervalSec * 0.8) * (0.5 + 0.5 * rng.float()) : 2 + rng.int(0, 40);
      yield { kind: 'run', run: run(runFate.error, seconds) };
      continue;
    }
    previousMs = startedMs;

    const daysIn = (startedMs - createdMs) / 86_400_000;
    state.evolve({
      nowSec: Math.floor(startedMs / 1000),
      target: size * Math.max(0.2, 1 + spec.growthPerDay * daysIn),
      exitPerDay: spec.exitPerDay,
      changePerDay: spec.changePerDay,
      backfillShare,
    });
    const plan = state.plan();
    const planned = plan.added.length + plan.changed.length + plan.removed.length;

    let error: string | null = null;
    let abortAt = planned;
    if (runFate.kind === 'cancel') {
      error = runFate.error;
      abortAt = Math.floor(planned * (0.1 + 0.6 * rng.float()));
    } else if (planned > 0 && rng.chance(spec.midwayFailureRate)) {
      error = rng.pick(MIDWAY_ERRORS[spec.destination])(rng.next());
      abortAt = Math.floor(planned * (0.05 + 0.85 * rng.float()));
    }

    const decider = failures.forRun(startedMs, runStorm, sticky);
    const runNum = Number(runId);
    let position = 0;
    const groups: Array<[number[], number]> = [
      [plan.added, OP_ADDED],
      [plan.changed, OP_CHANGED],
      [plan.removed, OP_REMOVED],
    ];
    for (const [rows, opCode] of groups) {
      const op = OP_CODES[opCode];
      for (const i of rows) {
        const p = person(i);
        const rowId = rowIdOf(p);
        const fields =
          opCode === OP_REMOVED
            ? fieldsOf(p, rowId, state.syncedVersion[i], state.syncedChangedAt[i])
            : fieldsOf(p, rowId, state.version[i], state.changedAt[i]);
        let status = STATUS_ABORTED;
        let reason: string | null = null;
        if (position < abortAt) {
          reason = decider.decide({
            rowId,
            person: p,
            op,
            rowSeed: hash32(seed, syncNum, i, 0x5eed),
            attemptSeed: hash32(runNum, position),
          });
          status = reason === null ? STATUS_SUCCEEDED : STATUS_FAILED;
        }
        position++;
        count(counters, opCode, status);
        state.record(i, opCode, status, k, reason);
        if (input.changelog.push(spec.id, runId, op, rowId, STATUS_CODES[status], reason, fields)) {
          yield input.changelogChunk(input.changelog.take());
        }
      }
    }

    const attempted = Math.min(abortAt, planned);
    const planningSec = 4 + rng.int(0, 20) + state.members / 5000;
    const sendSec = (attempted / DESTINATION_THROUGHPUT[spec.destination]) * (0.7 + 0.6 * rng.float());
    yield { kind: 'run', run: run(error, planningSec + sendSec) };
  }

  // The snapshot: rows in the model now, with their latest operation's outcome; rows whose
  // latest operation removed them (or that never got one) are not in it.
  const lastRunIndex = slots.length - 1;
  for (let i = 0; i < state.pool; i++) {
    const op = state.lastOp[i];
    if (!state.inModel[i] || op === 0 || op === OP_REMOVED) continue;
    const p = person(i);
    const rowId = rowIdOf(p);
    const status = state.lastStatus[i];
    const full = input.snapshot.push(
      spec.id,
      state.lastRun[i] === lastRunIndex ? (op === OP_ADDED ? 'added' : 'changed') : 'unchanged',
      rowId,
      STATUS_CODES[status],
      status === STATUS_FAILED ? (state.lastFailure.get(i) ?? null) : null,
      fieldsOf(p, rowId, state.version[i], state.changedAt[i]),
    );
    if (full) yield { kind: 'snapshot', ...input.snapshot.take() };
  }
}

function count(c: RunCounters, op: number, status: number): void {
  const attempted = status !== STATUS_ABORTED;
  const ok = status === STATUS_SUCCEEDED;
  const failed = status === STATUS_FAILED;
  if (op === OP_ADDED) {
    c.plannedAdd++;
    if (attempted) c.attemptedAdd++;
    if (ok) c.succeededAdd++;
    if (failed) c.failedAdd++;
  } else if (op === OP_CHANGED) {
    c.plannedChange++;
    if (attempted) c.attemptedChange++;
    if (ok) c.succeededChange++;
    if (failed) c.failedChange++;
  } else {
    c.plannedRemove++;
    if (attempted) c.attemptedRemove++;
    if (ok) c.succeededRemove++;
    if (failed) c.failedRemove++;
  }
}
