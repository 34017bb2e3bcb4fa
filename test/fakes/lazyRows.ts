/**
 * Result rows for the protocol fakes: a plain array, or rows made on demand from their index, so a
 * fake can serve a million-row result in pages or chunks without holding it in memory, and count
 * exactly how many rows it has served.
 */
export interface LazyRows<Cell = unknown> {
  count: number;
  row(index: number): Cell[];
}

export type FakeRows<Cell = unknown> = Cell[][] | LazyRows<Cell>;

export function rowCount(rows: FakeRows<unknown>): number {
  return Array.isArray(rows) ? rows.length : rows.count;
}

/** Rows [start, end) of a result. */
export function rowsBetween<Cell>(rows: FakeRows<Cell>, start: number, end: number): Cell[][] {
  if (Array.isArray(rows)) return rows.slice(start, end);
  const out: Cell[][] = [];
  for (let i = start; i < Math.min(end, rows.count); i++) out.push(rows.row(i));
  return out;
}

/** `count` rows of (n, 'row n'), n from 1: what the stream tests read back and check. */
export function numberedRows<Cell>(count: number, cell: (n: number, text: string) => Cell[]): LazyRows<Cell> {
  return { count, row: (i) => cell(i + 1, `row ${i + 1}`) };
}
