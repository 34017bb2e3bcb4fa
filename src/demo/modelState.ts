import type { Rng } from './random';
import type { OpType, RowStatus } from './types';

/** Operation and status codes stored per row (0 = no operation yet). */
export const OP_CODES: readonly OpType[] = ['added', 'added', 'changed', 'removed'];
export const OP_ADDED = 1;
export const OP_CHANGED = 2;
export const OP_REMOVED = 3;
export const STATUS_CODES: readonly RowStatus[] = ['succeeded', 'succeeded', 'failed', 'aborted'];
export const STATUS_SUCCEEDED = 1;
export const STATUS_FAILED = 2;
export const STATUS_ABORTED = 3;

export interface EvolveParams {
  /** Run start, seconds since the Unix epoch. */
  nowSec: number;
  /** Rows the model should hold now (trend), and the daily exit and change rates. */
  target: number;
  exitPerDay: number;
  changePerDay: number;
  /** Share of rows changed at once by a backfill since the previous evolution (0 if none). */
  backfillShare: number;
}

export interface PlannedOps {
  added: number[];
  changed: number[];
  removed: number[];
}

/**
 * One sync's model and destination state, a few typed arrays indexed by pool slot: what the
 * model query returns now (membership and a version of each row's fields) and what the
 * sync last delivered. Planning diffs the two; only rows marked dirty are looked at, so a
 * run costs what it changes, not the model's size. Memory is ~25 bytes per pool slot and
 * does not grow with history.
 *
 * Slots [0, regular) are ordinary rows; [regular, pool) are flapping rows.
 */
export class ModelState {
  readonly pool: number;
  readonly inModel: Uint8Array;
  readonly version: Uint32Array;
  /** When the current version appeared (seconds). */
  readonly changedAt: Uint32Array;
  readonly synced: Uint8Array;
  readonly syncedVersion: Uint32Array;
  readonly syncedChangedAt: Uint32Array;
  readonly lastOp: Uint8Array;
  readonly lastStatus: Uint8Array;
  /** Index (within the sync) of the run of the row's latest operation. */
  readonly lastRun: Int32Array;
  /** Failure text of rows whose latest operation failed. */
  readonly lastFailure = new Map<number, string>();
  private readonly dirty: Uint8Array;
  private dirtyList: number[] = [];
  private regularMembers = 0;
  private lastEvolveSec: number;

  constructor(
    readonly regular: number,
    readonly flappers: number,
    private readonly rng: Rng,
    createdSec: number,
  ) {
    this.pool = regular + flappers;
    const n = this.pool;
    this.inModel = new Uint8Array(n);
    this.version = new Uint32Array(n);
    this.changedAt = new Uint32Array(n);
    this.synced = new Uint8Array(n);
    this.syncedVersion = new Uint32Array(n);
    this.syncedChangedAt = new Uint32Array(n);
    this.lastOp = new Uint8Array(n);
    this.lastStatus = new Uint8Array(n);
    this.lastRun = new Int32Array(n).fill(-1);
    this.dirty = new Uint8Array(n);
    this.lastEvolveSec = createdSec;
  }

  get members(): number {
    let flapping = 0;
    for (let i = this.regular; i < this.pool; i++) flapping += this.inModel[i];
    return this.regularMembers + flapping;
  }

  /** The model as it is when the sync is created: about `size` rows of the pool. */
  fill(size: number, nowSec: number): void {
    const p = Math.min(1, size / this.regular);
    for (let i = 0; i < this.regular; i++) if (this.rng.float() < p) this.enter(i, nowSec, 6 * 3600);
    for (let i = this.regular; i < this.pool; i++) this.enter(i, nowSec, 6 * 3600);
  }

  /** Moves the model forward to the start of a run that plans (membership churn, field changes, flapping). */
  evolve(e: EvolveParams): void {
    const { rng } = this;
    const dtSec = Math.max(0, e.nowSec - this.lastEvolveSec);
    const days = dtSec / 86400;
    this.lastEvolveSec = e.nowSec;

    // Even flappers toggle membership, odd ones rewrite a field (a non-deterministic column).
    for (let i = this.regular; i < this.pool; i++) {
      const toggles = (i - this.regular) % 2 === 0;
      if (toggles && rng.chance(0.85)) {
        if (this.inModel[i]) this.exit(i);
        else this.enter(i, e.nowSec, dtSec);
      } else if (!toggles && this.inModel[i] && rng.chance(0.9)) {
        this.bump(i, e.nowSec, dtSec);
      }
    }

    const gap = e.target - this.regularMembers;
    const churn = e.target * e.exitPerDay * days;
    const exits = rng.poisson(churn + Math.max(0, -gap) * Math.min(1, days * 4));
    for (let k = 0; k < exits; k++) {
      const i = this.randomRow(1);
      if (i >= 0) this.exit(i);
    }
    const enters = rng.poisson(churn + Math.max(0, gap) * Math.min(1, days * 4));
    for (let k = 0; k < enters; k++) {
      const i = this.randomRow(0);
      if (i >= 0) this.enter(i, e.nowSec, dtSec);
    }
    const changes = rng.poisson(this.regularMembers * e.changePerDay * days);
    for (let k = 0; k < changes; k++) {
      const i = this.randomRow(1);
      if (i >= 0) this.bump(i, e.nowSec, dtSec);
    }
    if (e.backfillShare > 0) {
      for (let i = 0; i < this.regular; i++) {
        if (this.inModel[i] && rng.chance(e.backfillShare)) this.bump(i, e.nowSec, dtSec);
      }
    }
  }

  /**
   * The diff between model and destination, for rows that may differ: never synced (added),
   * gone from the model (removed), or a newer version than the one delivered (changed).
   * Failed and aborted operations leave their rows dirty, so they are planned again.
   */
  plan(): PlannedOps {
    const planned: PlannedOps = { added: [], changed: [], removed: [] };
    for (const i of this.dirtyList) {
      if (this.inModel[i] && !this.synced[i]) planned.added.push(i);
      else if (!this.inModel[i] && this.synced[i]) planned.removed.push(i);
      else if (this.inModel[i] && this.version[i] !== this.syncedVersion[i]) planned.changed.push(i);
      else this.dirty[i] = 0;
    }
    this.dirtyList = [];
    return planned;
  }

  /** Records an operation's outcome; anything but success keeps the row for the next plan. */
  record(i: number, op: number, status: number, runIndex: number, failure: string | null): void {
    this.lastOp[i] = op;
    this.lastStatus[i] = status;
    this.lastRun[i] = runIndex;
    if (failure === null) this.lastFailure.delete(i);
    else this.lastFailure.set(i, failure);
    if (status === STATUS_SUCCEEDED) {
      this.dirty[i] = 0;
      if (op === OP_REMOVED) {
        this.synced[i] = 0;
      } else {
        this.synced[i] = 1;
        this.syncedVersion[i] = this.version[i];
        this.syncedChangedAt[i] = this.changedAt[i];
      }
    } else {
      this.dirtyList.push(i);
    }
  }

  private enter(i: number, nowSec: number, dtSec: number): void {
    this.inModel[i] = 1;
    if (i < this.regular) this.regularMembers++;
    // A row (re-)entering the model does so because its data changed.
    this.bump(i, nowSec, dtSec);
  }

  private exit(i: number): void {
    this.inModel[i] = 0;
    if (i < this.regular) this.regularMembers--;
    this.markDirty(i);
  }

  private bump(i: number, nowSec: number, dtSec: number): void {
    this.version[i]++;
    const span = Math.max(0, Math.min(dtSec, 6 * 3600) - 120);
    const when = nowSec - 60 - Math.floor(this.rng.float() * span);
    // Strictly later than the previous version, so `updated_at` always moves forward.
    this.changedAt[i] = Math.max(this.changedAt[i] + 1, when);
    this.markDirty(i);
  }

  private markDirty(i: number): void {
    if (!this.dirty[i]) {
      this.dirty[i] = 1;
      this.dirtyList.push(i);
    }
  }

  /** A random ordinary row in (1) or out of (0) the model, or -1 if none was found quickly. */
  private randomRow(member: 0 | 1): number {
    for (let tries = 0; tries < 64; tries++) {
      const i = Math.floor(this.rng.float() * this.regular);
      if (this.inModel[i] === member) return i;
    }
    return -1;
  }
}
