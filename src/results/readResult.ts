import type { ResultColumn } from '../shared/queryResult';
import { QueryCancelledError, type Warehouse } from '../warehouse/warehouse';
import { ArrayRows, type HeldRows } from './heldRows';
import { RowSpool } from './rowSpool';
import { limitBatches } from './limitBatches';

/** Rows asked per round trip when the cap is larger. */
const READ_BATCH_ROWS = 5_000;

/**
 * Rows to ask per round trip for a read cut at `maxRows`: a cap under a batch asks for just the cap
 * and one more, so a capped result costs what a LIMIT does.
 */
export function cappedBatchRows(maxRows: number): number {
  return Math.min(maxRows + 1, READ_BATCH_ROWS);
}

/** A result as the extension holds it: like a QueryResult, with its rows held (in memory or spooled). */
export interface HeldResult {
  columns: ResultColumn[];
  rows: HeldRows;
  /** Rows the statement produced; past `rows.count` when the read stopped early. */
  rowCount: number;
  /** False when the warehouse was not read to the end: the statement produced at least `rowCount` rows. */
  rowCountExact?: boolean;
  truncated: boolean;
  elapsedMs: number;
  command?: string;
  /** Set when the user stopped the read after some rows came: they are kept, the count is "at least". */
  stopped?: boolean;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Keep at most this many rows; one more is read to know whether there are more. */
  maxRows: number;
  /** Estimated bytes of rows kept in memory before the rest go to a spool file in `spoolDir`. */
  budgetBytes: number;
  spoolDir: string;
  /** Called as rows arrive, with the rows read so far. */
  onRows?: (rows: number) => void;
  /**
   * An abort after rows arrived ends the read and keeps them (the count says "at least"); without
   * this, an abort is a QueryCancelledError as before any row.
   */
  keepRowsOnStop?: boolean;
}

/**
 * Reads a statement's rows into a RowSpool as the warehouse streams them, up to `maxRows` (and one
 * more, then stops the fetch), so memory stays within the budget whatever the cap. A warehouse
 * without a stream gives its capped result in one piece.
 */
export async function readResult(
  warehouse: Warehouse,
  sql: string,
  values: readonly unknown[],
  options: ReadOptions,
): Promise<HeldResult> {
  const started = Date.now();
  if (!warehouse.stream) {
    const whole = await warehouse.query(sql, values, { signal: options.signal, maxRows: options.maxRows });
    options.onRows?.(whole.rows.length);
    const { rows, ...rest } = whole;
    return { ...rest, rows: new ArrayRows(rows) };
  }
  const spool = new RowSpool({ budgetBytes: options.budgetBytes, dir: options.spoolDir });
  let columns: ResultColumn[] = [];
  let command: string | undefined;
  let affected: number | undefined;
  const batchRows = cappedBatchRows(options.maxRows);
  const limited = limitBatches(warehouse.stream(sql, values, { signal: options.signal, batchRows }), options.maxRows);
  try {
    for await (const batch of limited.batches) {
      columns = batch.columns;
      if (batch.command !== undefined) {
        command = batch.command;
        affected = batch.affected;
      }
      spool.append(batch.rows);
      options.onRows?.(spool.count);
    }
  } catch (err) {
    const stoppedByUser = options.keepRowsOnStop && options.signal?.aborted && err instanceof QueryCancelledError;
    if (!stoppedByUser || spool.count === 0) {
      spool.dispose();
      throw err;
    }
    return {
      columns,
      rows: spool,
      rowCount: spool.count,
      rowCountExact: false,
      truncated: true,
      elapsedMs: Date.now() - started,
      stopped: true,
    };
  }
  const more = limited.more();
  if (columns.length === 0 && spool.count === 0) {
    return {
      columns,
      rows: spool,
      rowCount: affected ?? 0,
      truncated: false,
      elapsedMs: Date.now() - started,
      command,
    };
  }
  return {
    columns,
    rows: spool,
    rowCount: more ? spool.count + 1 : spool.count,
    ...(more ? { rowCountExact: false } : {}),
    truncated: more,
    elapsedMs: Date.now() - started,
    ...(command !== undefined ? { command } : {}),
  };
}
