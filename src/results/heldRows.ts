/**
 * The rows the extension holds for a shown result, read by index: an array (ArrayRows) or, past
 * a memory budget, a spool file (RowSpool in rowSpool.ts). Readers never learn which, except
 * through `inMemory`: a view computed in memory (sort, filter) needs every row in memory.
 */
export interface HeldRows {
  readonly count: number;
  /** False once rows went to disk: sorting them in memory would read the whole spool. */
  readonly inMemory: boolean;
  row(index: number): readonly unknown[];
  slice(start: number, end: number): unknown[][];
  /** Frees what the rows hold (deletes a spool file); reading afterwards is an error. */
  dispose(): void;
}

export class ArrayRows implements HeldRows {
  readonly inMemory = true;
  constructor(private readonly rows: unknown[][]) {}
  get count(): number {
    return this.rows.length;
  }
  row(index: number): readonly unknown[] {
    return this.rows[index] ?? [];
  }
  slice(start: number, end: number): unknown[][] {
    return this.rows.slice(start, end);
  }
  dispose(): void {}
}

/** Rows read in order, more than once if need be (a table measures, then writes): an array, or a spool. */
export interface RowList extends Iterable<readonly unknown[]> {
  readonly length: number;
}

/** The held rows as a RowList. */
export function rowList(rows: HeldRows): RowList {
  return {
    length: rows.count,
    *[Symbol.iterator]() {
      for (let i = 0; i < rows.count; i++) yield rows.row(i);
    },
  };
}
