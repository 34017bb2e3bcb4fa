import { stuckCountsQuery } from '../sql/healthQueries';
import { num, str, type QueryRunner } from './queryRunner';

export interface StuckCounts {
  now: number;
  before: number;
}

/** Stuck rows per sync, now and as of the window's start. */
export async function failureStuckCounts(run: QueryRunner, minFailures: number, windowStart: string | undefined): Promise<Map<string, StuckCounts>> {
  const rows = await run.rows(stuckCountsQuery(run.loc, minFailures, windowStart));
  return new Map(rows.map((r) => [str(r.sync_id), { now: num(r.stuck_now), before: num(r.stuck_before) }]));
}
