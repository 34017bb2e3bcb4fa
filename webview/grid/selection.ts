/**
 * The grid's selection: one rectangle between an anchor and the active cell (the cell with the
 * roving focus). Keys and clicks map to a new selection here, without a DOM, so the unit tests
 * cover every move. Rows are view rows (after sort and filter), columns display positions.
 */

import type { CellPos } from '../../src/shared/grid/find';

export type { CellPos };

export interface Selection {
  anchor: CellPos;
  active: CellPos;
}

export interface Range {
  top: number;
  left: number;
  /** Inclusive. */
  bottom: number;
  /** Inclusive. */
  right: number;
}

export interface GridSize {
  rows: number;
  cols: number;
}

export const initialSelection = (): Selection => ({ anchor: { row: 0, col: 0 }, active: { row: 0, col: 0 } });

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

export function clampPos(p: CellPos, size: GridSize): CellPos {
  return { row: clamp(p.row, 0, Math.max(0, size.rows - 1)), col: clamp(p.col, 0, Math.max(0, size.cols - 1)) };
}

export function rangeOf(s: Selection): Range {
  return {
    top: Math.min(s.anchor.row, s.active.row),
    bottom: Math.max(s.anchor.row, s.active.row),
    left: Math.min(s.anchor.col, s.active.col),
    right: Math.max(s.anchor.col, s.active.col),
  };
}

export function inRange(r: Range, row: number, col: number): boolean {
  return row >= r.top && row <= r.bottom && col >= r.left && col <= r.right;
}

export const rangeSize = (r: Range) => ({ rows: r.bottom - r.top + 1, cols: r.right - r.left + 1 });

/** Moves the active cell to `to`; with `extend` the anchor stays (shift), otherwise it follows. */
export function moveTo(s: Selection, to: CellPos, extend: boolean, size: GridSize): Selection {
  const active = clampPos(to, size);
  return { anchor: extend ? s.anchor : active, active };
}

/** Every cell (Ctrl+A); the active cell stays where it was. */
export function selectAll(s: Selection, size: GridSize): Selection {
  if (size.rows === 0 || size.cols === 0) return s;
  return { anchor: { row: 0, col: 0 }, active: { row: size.rows - 1, col: size.cols - 1 } };
}

/** Whole rows from the anchor's row (shift) or this row alone: a row header click. */
export function selectRows(s: Selection, row: number, extend: boolean, size: GridSize): Selection {
  const r = clamp(row, 0, Math.max(0, size.rows - 1));
  const from = extend ? s.anchor.row : r;
  return { anchor: { row: from, col: 0 }, active: { row: r, col: Math.max(0, size.cols - 1) } };
}

/** A whole column (a header with Ctrl, or Ctrl+Space). */
export function selectColumn(col: number, size: GridSize): Selection {
  const c = clamp(col, 0, Math.max(0, size.cols - 1));
  return { anchor: { row: 0, col: c }, active: { row: Math.max(0, size.rows - 1), col: c } };
}

export interface KeyInput {
  key: string;
  shift: boolean;
  /** Ctrl, or Cmd on macOS. */
  ctrl: boolean;
}

/**
 * The selection after a navigation key, or undefined for a key that is not one. `pageRows` is
 * how many rows one PageUp/PageDown moves (the rows on screen).
 */
export function navigate(s: Selection, k: KeyInput, size: GridSize, pageRows: number): Selection | undefined {
  if (size.rows === 0 || size.cols === 0) return undefined;
  const a = s.active;
  const page = Math.max(1, pageRows);
  const last = { row: size.rows - 1, col: size.cols - 1 };
  let to: CellPos;
  switch (k.key) {
    case 'ArrowUp':
      to = { row: k.ctrl ? 0 : a.row - 1, col: a.col };
      break;
    case 'ArrowDown':
      to = { row: k.ctrl ? last.row : a.row + 1, col: a.col };
      break;
    case 'ArrowLeft':
      to = { row: a.row, col: k.ctrl ? 0 : a.col - 1 };
      break;
    case 'ArrowRight':
      to = { row: a.row, col: k.ctrl ? last.col : a.col + 1 };
      break;
    case 'Home':
      to = k.ctrl ? { row: 0, col: 0 } : { row: a.row, col: 0 };
      break;
    case 'End':
      to = k.ctrl ? last : { row: a.row, col: last.col };
      break;
    case 'PageUp':
      to = { row: a.row - page, col: a.col };
      break;
    case 'PageDown':
      to = { row: a.row + page, col: a.col };
      break;
    case 'a':
    case 'A':
      return k.ctrl ? selectAll(s, size) : undefined;
    default:
      return undefined;
  }
  return moveTo(s, to, k.shift, size);
}
