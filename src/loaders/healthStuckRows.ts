import { healthRowStreakQuery, healthStuckQuery, MAX_STREAK_ROWS } from '../sql/healthStuckQuery';
import type { HealthSlice } from '../sql/healthSlice';
import { num, str, type QueryRunner } from './queryRunner';

type Row = Record<string, unknown>;

/** Rows of one kind of a union result (its kind column may come CHAR-padded). */
export const ofKind = (rows: Row[], kind: string): Row[] => rows.filter((r) => str(r.kind).trim() === kind);

export interface StuckFigures {
  stuckRows: number;
  stuckRowsBefore: number;
  lastStuckAttempted: number;
  lastStuckFailed: number;
}

/**
 * Stuck rows per sync: healthStuckQuery's counts, plus the few rows it leaves pending (their streak
 * at the slice's start needs their own history): their streaks read in bounded batches at once,
 * then each point's streak is its failures in the slice plus that one when the slice has no success
 * before the point.
 */
export async function stuckFigures(
  run: QueryRunner,
  s: HealthSlice,
  minFailures: number,
): Promise<Map<string, StuckFigures>> {
  const rows = await run.rows(healthStuckQuery(run.loc, s, minFailures));
  const out = new Map<string, StuckFigures>();
  const of = (syncId: string) =>
    out.get(syncId) ??
    out.set(syncId, { stuckRows: 0, stuckRowsBefore: 0, lastStuckAttempted: 0, lastStuckFailed: 0 }).get(syncId)!;
  for (const r of ofKind(rows, 'sync')) {
    const f = of(str(r.sync_id));
    f.stuckRows += num(r.stuck_rows);
    f.stuckRowsBefore += num(r.stuck_rows_before);
    f.lastStuckAttempted += num(r.last_stuck_attempted);
    f.lastStuckFailed += num(r.last_stuck_failed);
  }
  const pending = ofKind(rows, 'row');
  const batches: Row[][] = [];
  for (let i = 0; i < pending.length; i += MAX_STREAK_ROWS) batches.push(pending.slice(i, i + MAX_STREAK_ROWS));
  const streakRows = (
    await Promise.all(
      batches.map((b) =>
        run.rows(
          healthRowStreakQuery(
            run.loc,
            s,
            b.map((r) => ({ syncId: str(r.sync_id), rowId: str(r.row_id) })),
            minFailures,
          ),
        ),
      ),
    )
  ).flat();
  const key = (r: Row) => `${str(r.sync_id)}\u0000${str(r.row_id)}`;
  const streaks = new Map(streakRows.map((r) => [key(r), num(r.streak)]));
  for (const r of pending) {
    const atStart = streaks.get(key(r)) ?? 0;
    const at = (p: 'n' | 'b' | 'l') => num(r[`f_${p}`]) + (num(r[`ok_${p}`]) === 0 ? atStart : 0);
    const f = of(str(r.sync_id));
    if (at('n') >= minFailures) f.stuckRows++;
    if (s.since !== undefined && at('b') >= minFailures) f.stuckRowsBefore++;
    if (at('l') >= minFailures && num(r.att_l) === 1) f.lastStuckAttempted++;
    if (at('l') >= minFailures && num(r.fail_l) === 1) f.lastStuckFailed++;
  }
  return out;
}
