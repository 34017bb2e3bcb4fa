import type { QueryResult } from '../shared/queryResult';
import type { WarehouseKind } from '../shared/connection';
import type { Dialect } from '../sql/dialect';

export interface QueryOptions {
  /** Aborting cancels the statement in the warehouse, not just the promise. */
  signal?: AbortSignal;
  /** Keep at most this many rows; the rest are counted and dropped. */
  maxRows?: number;
  /** The extension's own queries run read-only where the warehouse allows it. */
  readOnly?: boolean;
}

/** One open connection to a warehouse. Only adapters import drivers. */
export interface Warehouse {
  readonly kind: WarehouseKind;
  readonly dialect: Dialect;
  query(sql: string, values?: readonly unknown[], options?: QueryOptions): Promise<QueryResult>;
  close(): Promise<void>;
}

/** Thrown when a query was cancelled by the user or a timeout; callers show it calmly. */
export class QueryCancelledError extends Error {
  constructor(message = 'Query cancelled.') {
    super(message);
    this.name = 'QueryCancelledError';
  }
}
