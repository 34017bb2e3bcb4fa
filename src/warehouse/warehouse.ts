import type { QueryResult, ResultColumn } from '../shared/queryResult';
import type { WarehouseKind } from '../shared/connection';
import type { Dialect } from '../sql/dialect';

export interface QueryOptions {
  /** Aborting cancels the statement in the warehouse, not just the promise. */
  signal?: AbortSignal;
  /** Keep at most this many rows; the rest are counted and dropped. */
  maxRows?: number;
  /** The extension's own queries run read-only where the warehouse allows it. */
  readOnly?: boolean;
  /**
   * A read-only statement whose grouping is far smaller than its planner estimates: where plans
   * follow estimates (Postgres), its hash tables get more memory, so it hashes rather than sorts.
   */
  hashGrouping?: boolean;
}

/** A part of a streamed result: its columns (the same on every batch) and the next rows. */
export interface RowBatch {
  columns: ResultColumn[];
  rows: unknown[][];
  /** A statement without rows (DML, DDL): its command tag and affected-row count, in a single batch. */
  command?: string;
  affected?: number;
}

export interface StreamOptions {
  /** Aborting cancels the statement in the warehouse and ends the stream with QueryCancelledError. */
  signal?: AbortSignal;
  /** Rows fetched per round trip (a hint; a driver may send fewer). */
  batchRows?: number;
  /**
   * JSON cells as their exact text (`{ $jsonText }`), not parsed: for writers that only print them
   * (an export), parsing each value to write it out again cost a third of the time.
   */
  jsonAsText?: boolean;
}

/** One open connection to a warehouse. Only adapters import drivers. */
export interface Warehouse {
  readonly kind: WarehouseKind;
  readonly dialect: Dialect;
  query(sql: string, values?: readonly unknown[], options?: QueryOptions): Promise<QueryResult>;
  /**
   * Every row of one statement, fetched batch by batch as the consumer asks (a for-await loop that
   * waits on its writer holds the fetch back), so a result of any size costs one batch of memory.
   * Stopping early (break) closes the statement in the warehouse. Absent where not implemented yet.
   */
  stream?(sql: string, values?: readonly unknown[], options?: StreamOptions): AsyncGenerator<RowBatch, void, undefined>;
  /** Bytes the query would scan, without running it (BigQuery's dry run); absent where a warehouse cannot tell. */
  estimateBytes?(sql: string, values?: readonly unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** Thrown when a query was cancelled by the user or a timeout; callers show it calmly. */
export class QueryCancelledError extends Error {
  constructor(message = 'Query cancelled.') {
    super(message);
    this.name = 'QueryCancelledError';
  }
}
