import type { SqlQuery } from '../sql/dialect';
import type { SyncLogLocation } from '../sql/syncLogTables';
import { resultObjects } from '../shared/queryResult';
import type { Warehouse } from '../warehouse/warehouse';

/**
 * How a loader runs its builders' queries: rows as objects keyed by lower-case column name.
 * The extension backs it with the active Warehouse (cancellable); tests back it with a real
 * Postgres or the demo, so the loaders run the same code everywhere.
 */
export interface QueryRunner {
  readonly loc: SyncLogLocation;
  rows(query: SqlQuery, maxRows?: number): Promise<Record<string, unknown>[]>;
}

export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number(v ?? 0);
  return Number.isFinite(n) ? n : 0;
};
/** Timestamps arrive as ISO strings from every adapter; anything else is kept as text. */
export const time = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));

/** Lower-cases the keys of result objects, so loaders read rows the same way on every warehouse. */
export function lowerKeys(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k.toLowerCase()] = v;
  return out;
}

/** Most rows any analysis query may return (each builder has its own, lower LIMIT). */
const MAX_ANALYSIS_ROWS = 1_000_000;

/** A runner over a Warehouse: read-only, cancelled in the warehouse when `signal` aborts. */
export function warehouseRunner(warehouse: Warehouse, loc: SyncLogLocation, signal?: AbortSignal): QueryRunner {
  return {
    loc,
    async rows(query: SqlQuery, maxRows = MAX_ANALYSIS_ROWS) {
      const result = await warehouse.query(query.text, query.values, { signal, readOnly: true, maxRows });
      return resultObjects(result).map(lowerKeys);
    },
  };
}
