/**
 * Column order and widths: pure, so resize and reorder (by mouse or keyboard) are tested
 * without a page. `order` holds result column indices in display order.
 */
import { cellText } from '../../src/shared/cellText';
import type { GridColumn } from './dataSource';

export const MIN_WIDTH = 48;
export const MAX_WIDTH = 1200;
/** Widest a column starts, whatever its values; the user may widen it. */
export const MAX_START_WIDTH = 360;
/** One resize step from the keyboard. */
export const KEY_RESIZE_STEP = 16;

export interface ColumnLayout {
  order: number[];
  /** Width in px per result column (not per display position). */
  widths: number[];
}

/** Room a header needs beside its text: the sort arrow and the filter button. */
export const HEADER_CONTROLS_PX = 30;

export const clampWidth = (w: number) => Math.round(Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, w)));

/**
 * Starting widths from the names, types and a sample of values: `charPx` is the width of one
 * character of the grid's font and `padPx` a cell's horizontal padding.
 */
export function initialLayout(
  columns: readonly GridColumn[],
  sample: readonly (readonly unknown[] | undefined)[],
  charPx: number,
  padPx: number,
): ColumnLayout {
  return { order: columns.map((_, i) => i), widths: fitWidths(columns, sample, charPx, padPx) };
}

function fitWidths(
  columns: readonly GridColumn[],
  sample: readonly (readonly unknown[] | undefined)[],
  charPx: number,
  padPx: number,
): number[] {
  return columns.map((c, i) => {
    const header = Math.max(c.name.length, c.type.length) * charPx + padPx + HEADER_CONTROLS_PX;
    let chars = 4;
    for (const r of sample) {
      if (!r) continue;
      const t = cellText(r[i]) ?? 'NULL';
      chars = Math.max(chars, Math.min(t.length, 80));
    }
    return clampWidth(Math.min(MAX_START_WIDTH, Math.max(header, chars * charPx + padPx)));
  });
}

/**
 * The layout widened where a new sample (the first rows of a new sort or filter) holds longer
 * values; never narrower, and the columns in `kept` (resized by hand) stay as the user left them.
 */
export function widenToFit(
  layout: ColumnLayout,
  columns: readonly GridColumn[],
  sample: readonly (readonly unknown[] | undefined)[],
  charPx: number,
  padPx: number,
  kept: ReadonlySet<number>,
): ColumnLayout {
  const fit = fitWidths(columns, sample, charPx, padPx);
  const widths = layout.widths.map((w, i) => (kept.has(i) ? w : Math.max(w, fit[i])));
  return widths.some((w, i) => w !== layout.widths[i]) ? { ...layout, widths } : layout;
}

/** The layout with result column `column` at `width` (clamped). */
export function resize(layout: ColumnLayout, column: number, width: number): ColumnLayout {
  const widths = [...layout.widths];
  widths[column] = clampWidth(width);
  return { ...layout, widths };
}

/** The layout with the column at display position `from` moved to display position `to`. */
export function moveColumn(layout: ColumnLayout, from: number, to: number): ColumnLayout {
  const n = layout.order.length;
  if (from < 0 || from >= n) return layout;
  const target = Math.max(0, Math.min(n - 1, to));
  if (target === from) return layout;
  const order = [...layout.order];
  const [moved] = order.splice(from, 1);
  order.splice(target, 0, moved);
  return { ...layout, order };
}

/** Display widths in display order, for the virtualizer's edges. */
export const displayWidths = (layout: ColumnLayout) => layout.order.map((c) => layout.widths[c]);
