/**
 * Flapping rows: the rows a sync touches most often (changes, or entering and leaving the
 * model). The warehouse counts per row; this adds the derived numbers and the sparkline.
 */
import type { FlappingData, FlappingOrder, FlappingRow, RunPoint } from '../shared/analysisData';
import { bucketRuns } from './runBuckets';

/** Query columns row_id, operations, changes, adds, removes, failures, rows_with_operations. */
export interface FlappingRowCount {
  rowId: string;
  operations: number;
  changes: number;
  adds: number;
  removes: number;
  failures: number;
  /** Rows with any operation in the window (the same on every row: a window total, since the query returns only the top rows). */
  rowsWithOperations: number;
}

/** Query columns row_id, sync_run_id, operations: one row's operations in one run. */
export interface RowRunActivity {
  rowId: string;
  syncRunId: string;
  operations: number;
}

/** Sparklines are small: 40 points is what fits in a table cell. */
export const FLAPPING_BUCKETS = 40;

const later = (a: string | null, b: string): string => (a === null || Date.parse(b) > Date.parse(a) ? b : a);
const earlier = (a: string | null, b: string): string => (a === null || Date.parse(b) < Date.parse(a) ? b : a);

export function buildFlapping(
  rows: readonly FlappingRowCount[],
  activity: readonly RowRunActivity[],
  runs: readonly RunPoint[],
  orderBy: FlappingOrder,
): FlappingData {
  const runsInWindow = new Set(runs.map((r) => r.syncRunId)).size;
  const { unit, buckets, indexOf } = bucketRuns(runs, FLAPPING_BUCKETS);
  const startOf = new Map(runs.map((r) => [r.syncRunId, r.startedAt] as const));

  const byRow = new Map<string, RowRunActivity[]>();
  for (const a of activity) {
    const list = byRow.get(a.rowId);
    if (list) list.push(a);
    else byRow.set(a.rowId, [a]);
  }

  const out: FlappingRow[] = rows.map((r) => {
    const spark = new Array<number>(buckets.length).fill(0);
    let firstRunAt: string | null = null;
    let lastRunAt: string | null = null;
    for (const a of byRow.get(r.rowId) ?? []) {
      const i = indexOf(a.syncRunId);
      if (i >= 0) spark[i] += a.operations;
      const at = startOf.get(a.syncRunId);
      if (at && Number.isFinite(Date.parse(at))) {
        firstRunAt = earlier(firstRunAt, at);
        lastRunAt = later(lastRunAt, at);
      }
    }
    return {
      rowId: r.rowId,
      operations: r.operations,
      changes: r.changes,
      adds: r.adds,
      removes: r.removes,
      // A full cycle needs both an entry and an exit; the extra one of either is a half cycle.
      cycles: Math.min(r.adds, r.removes),
      failures: r.failures,
      ratePerRun: runsInWindow === 0 ? 0 : r.operations / runsInWindow,
      firstRunAt,
      lastRunAt,
      activity: spark,
    };
  });

  // The query orders by its own columns; cycles are derived here, so sort again (ties: more operations, then row id).
  out.sort((a, b) => b[orderBy] - a[orderBy] || b.operations - a.operations || (a.rowId < b.rowId ? -1 : a.rowId > b.rowId ? 1 : 0));

  return {
    runsInWindow,
    rowsWithOperations: rows.reduce((m, r) => Math.max(m, r.rowsWithOperations), 0),
    orderBy,
    rows: out,
    buckets,
    unit,
  };
}
