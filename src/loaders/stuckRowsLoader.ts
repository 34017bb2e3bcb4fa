import type { StuckRowsData } from '../shared/analysisData';
import { DEFAULT_STUCK_MIN_FAILURES, stuckRowsQuery } from '../sql/stuckRowsQueries';
import { buildStuckRows } from '../analysis/stuckRows';
import type { SyncWindowScope } from './analysisWindow';
import { num, str, strOrNull, time, type QueryRunner } from './queryRunner';

/** Most rows of each kind (stuck, recovered) the section lists. */
export const MAX_STUCK_ROWS = 100;

/**
 * The stuck rows of a sync (the whole log: being stuck is the current state) and the rows that
 * recovered in the scope's window: one window-function scan of the sync's changelog.
 */
export async function loadStuckRows(
  run: QueryRunner,
  scope: SyncWindowScope,
  minFailures = DEFAULT_STUCK_MIN_FAILURES,
  limit = MAX_STUCK_ROWS,
): Promise<StuckRowsData> {
  const found = await run.rows(stuckRowsQuery(run.loc, { ...scope, minFailures, limit }));
  return buildStuckRows(
    found.map((r) => ({
      kind: str(r.kind) === 'stuck' ? 'stuck' : 'recovered',
      rowId: str(r.row_id),
      failures: num(r.failures),
      failingSince: time(r.failing_since),
      lastFailedAt: time(r.last_failed_at),
      recoveredAt: time(r.recovered_at),
      failureReason: strOrNull(r.failure_reason),
      kindRows: num(r.kind_rows),
    })),
    minFailures,
  );
}
