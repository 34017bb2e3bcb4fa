import { resultObjects } from '../shared/queryResult';
import type { SqlQuery } from '../sql/dialect';
import type { SyncLogLocation } from '../sql/syncLogTables';
import type { Warehouse } from '../warehouse/warehouse';

/**
 * How a loader runs its builders' queries: rows as objects keyed by lower-case column name (Snowflake answers in upper case).
 * The extension backs it with the active Warehouse (cancellable); tests back it with a real
 * Postgres or the demo, so the loaders run the same code everywhere.
 */
export interface QueryRunner {
  readonly loc: SyncLogLocation;
  rows(query: SqlQuery, maxRows?: number): Promise<Record<string, unknown>[]>;
  /** Aborts with the panel's Cancel: loaders pass it on to work other than queries (the classifier's workers). */
  readonly signal?: AbortSignal;
}

export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number(v ?? 0);
  return Number.isFinite(n) ? n : 0;
};
/** Timestamps arrive as ISO strings from every adapter; anything else is kept as text. */
export const time = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);

/** Most rows any analysis query may return (each builder has its own, lower LIMIT). */
const MAX_ANALYSIS_ROWS = 1_000_000;

/** A runner over a Warehouse: read-only, cancelled in the warehouse when `signal` aborts. */
export function warehouseRunner(warehouse: Warehouse, loc: SyncLogLocation, signal?: AbortSignal): QueryRunner {
  return {
    loc,
    signal,
    async rows(query: SqlQuery, maxRows = MAX_ANALYSIS_ROWS) {
      const result = await warehouse.query(query.text, query.values, {
        signal,
        readOnly: true,
        maxRows,
        hashGrouping: query.hashGrouping,
      });
      return resultObjects(result, { lowerCaseNames: true });
    },
  };
}
