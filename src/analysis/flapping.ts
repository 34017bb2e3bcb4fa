/**
 * Flapping rows: the rows of a sync that flap (succeeded changes, entering and leaving the
 * model), retries counted apart. The warehouse counts per row; this adds the derived numbers
 * and the sparkline.
 */
import type { FlappingData, FlappingOrder, FlappingRow, RunPoint, StuckRowsData } from '../shared/analysisData';
import { bucketRuns } from './runBuckets';

/** Query columns row_id, operations, retries, changes, entries, exits (flappingRowsQuery). */
export interface FlappingRowCount {
  rowId: string;
  operations: number;
  retries: number;
  changes: number;
  entries: number;
  exits: number;
}

/** Query columns row_id, sync_run_id, operations, failures: one row's operations in one run. */
export interface RowRunActivity {
  rowId: string;
  syncRunId: string;
  operations: number;
  failures: number;
}

/** Sparklines are small: 40 points is what fits in a table cell. */
export const FLAPPING_BUCKETS = 40;

const later = (a: string | null, b: string): string => (a === null || Date.parse(b) > Date.parse(a) ? b : a);
const earlier = (a: string | null, b: string): string => (a === null || Date.parse(b) < Date.parse(a) ? b : a);

/**
 * `activity` is null until the follow-up query has answered: failures and first/last run are
 * then unknown (null), not zero. `rowsWithOperations`: rows with any operation in the window
 * (the ranking holds only the top ones), null until counted. `stuck`: the Stuck Rows section,
 * null until its own follow-up has answered.
 */
export function buildFlapping(
  rows: readonly FlappingRowCount[],
  activity: readonly RowRunActivity[] | null,
  runs: readonly RunPoint[],
  orderBy: FlappingOrder,
  rowsWithOperations: number | null,
  stuck: StuckRowsData | null = null,
): FlappingData {
  const runsInWindow = new Set(runs.map((r) => r.syncRunId)).size;
  const { unit, buckets, indexOf } = bucketRuns(runs, FLAPPING_BUCKETS);
  const startOf = new Map(runs.map((r) => [r.syncRunId, r.startedAt] as const));

  const byRow = new Map<string, RowRunActivity[]>();
  for (const a of activity ?? []) {
    const list = byRow.get(a.rowId);
    if (list) list.push(a);
    else byRow.set(a.rowId, [a]);
  }

  const out: FlappingRow[] = rows.map((r) => {
    const spark = new Array<number>(buckets.length).fill(0);
    let firstRunAt: string | null = null;
    let lastRunAt: string | null = null;
    let failures = 0;
    for (const a of byRow.get(r.rowId) ?? []) {
      failures += a.failures;
      const i = indexOf(a.syncRunId);
      if (i >= 0) spark[i] += a.operations;
      const at = startOf.get(a.syncRunId);
      if (at && Number.isFinite(Date.parse(at))) {
        firstRunAt = earlier(firstRunAt, at);
        lastRunAt = later(lastRunAt, at);
      }
    }
    // A full cycle needs both an entry and an exit; the extra one of either is a half cycle.
    const cycles = Math.min(r.entries, r.exits);
    const flapping = r.changes + cycles;
    return {
      rowId: r.rowId,
      operations: r.operations,
      retries: r.retries,
      changes: r.changes,
      entries: r.entries,
      exits: r.exits,
      cycles,
      flapping,
      failures: activity === null ? null : failures,
      ratePerRun: runsInWindow === 0 ? 0 : flapping / runsInWindow,
      firstRunAt,
      lastRunAt,
      activity: spark,
    };
  });

  // The same order as the query's (ties: more operations, then row id), kept when rows come from elsewhere (tests, the CLI).
  out.sort(
    (a, b) =>
      b[orderBy] - a[orderBy] || b.operations - a.operations || (a.rowId < b.rowId ? -1 : a.rowId > b.rowId ? 1 : 0),
  );

  return {
    runsInWindow,
    rowsWithOperations,
    orderBy,
    rows: out,
    buckets,
    unit,
    stuck,
  };
}
