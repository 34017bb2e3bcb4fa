import { hash32 } from './random';
import type { SyncSpec } from './catalog';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

/**
 * Scheduled start times (ms) of a sync's runs: from its creation to the anchor, on its
 * interval, skipping paused windows. A slot is kept only if a whole interval fits before the
 * anchor, so every run has finished by then.
 */
export function scheduleSlots(spec: SyncSpec, anchorMs: number): number[] {
  const interval = spec.intervalMinutes * MINUTE;
  const createdAt = anchorMs - spec.startDaysAgo * DAY;
  const pauses = spec.incidents.flatMap((i) => (i.kind === 'pause' ? [[Date.parse(i.from), Date.parse(i.to)]] : []));
  let t = Math.floor(createdAt / DAY) * DAY + spec.offsetMinutes * MINUTE;
  while (t < createdAt) t += interval;
  const slots: number[] = [];
  for (; t + interval <= anchorMs; t += interval) {
    if (!pauses.some(([from, to]) => t >= from && t < to)) slots.push(t);
  }
  return slots;
}

/**
 * Run ids are one global sequence in time order, with gaps for the runs of other syncs in the
 * workspace: sorting runs by id or by start time agrees, as in a real deployment.
 */
export function assignRunIds(slotsPerSync: readonly number[][], seed: number): string[][] {
  const all: Array<[number, number, number]> = [];
  slotsPerSync.forEach((slots, s) => slots.forEach((t, k) => all.push([t, s, k])));
  all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const ids = slotsPerSync.map((slots) => new Array<string>(slots.length));
  let next = 9_100_000;
  all.forEach(([, s, k], n) => {
    next += 1 + (hash32(seed, n, 0x41d) % 60);
    ids[s][k] = String(next);
  });
  return ids;
}
