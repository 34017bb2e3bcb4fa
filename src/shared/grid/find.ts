/**
 * Find in results: which cells contain a text (case-insensitive, on the cell's text as shown;
 * NULL never matches), how many, and the next one from a position. Pure, so the in-memory
 * source, the results panel's host and the tests share it.
 */
import { cellText } from '../cellText';
import type { RowAccess } from './viewModel';

/** A cell of a view: its row after sort and filter, its column in display order. */
export interface CellPos {
  row: number;
  col: number;
}

export const cellMatches = (value: unknown, lowered: string): boolean => {
  if (!lowered) return false;
  const text = cellText(value);
  return text !== undefined && text.toLowerCase().includes(lowered);
};

export interface FindResult {
  /** Matching cells in the whole view. */
  count: number;
  /** The match found from `from` in the direction asked (wrapping around), if any. */
  match?: CellPos;
  /** 1-based rank of `match` among all matches, in row-major order. */
  index?: number;
}

/**
 * Searches `rows` (the view, in order; `columns` are the result column indices in display order)
 * for `query`. `from` is the current position: forwards finds the first match after it,
 * backwards the last before it, wrapping at the ends; `inclusive` accepts `from` itself.
 */
export function findInRows(
  rows: RowAccess,
  columns: readonly number[],
  query: string,
  from: CellPos,
  backwards: boolean,
  inclusive = false,
): FindResult {
  const lowered = query.toLowerCase();
  if (!lowered || rows.count === 0) return { count: 0 };
  const width = columns.length;
  const start = from.row * width + from.col;
  let count = 0;
  let after: number | undefined;
  let before: number | undefined;
  let first: number | undefined;
  let last: number | undefined;
  for (let r = 0; r < rows.count; r++) {
    const row = rows.row(r);
    for (let c = 0; c < width; c++) {
      if (!cellMatches(row[columns[c]], lowered)) continue;
      const at = r * width + c;
      count++;
      first ??= at;
      last = at;
      if (after === undefined && (at > start || (inclusive && at === start))) after = at;
      if (at < start || (inclusive && at === start)) before = at;
    }
  }
  if (count === 0) return { count: 0 };
  const hit = backwards ? (before ?? last) : (after ?? first);
  if (hit === undefined) return { count };
  return {
    count,
    match: { row: Math.floor(hit / width), col: hit % width },
    index: rankOf(rows, columns, lowered, hit),
  };
}

function rankOf(rows: RowAccess, columns: readonly number[], lowered: string, hit: number): number {
  const width = columns.length;
  let rank = 0;
  const lastRow = Math.floor(hit / width);
  for (let r = 0; r <= lastRow; r++) {
    const row = rows.row(r);
    for (let c = 0; c < width; c++) {
      if (r * width + c > hit) break;
      if (cellMatches(row[columns[c]], lowered)) rank++;
    }
  }
  return rank;
}
