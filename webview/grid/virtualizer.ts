/**
 * Window math for the grid: which rows and columns are on screen for a scroll position, and how a
 * scroll offset maps to a row when the rows are taller in all than a browser lets an element be.
 * Pure (no DOM), so the unit tests run it under node.
 */

/**
 * Tallest scroll area the grid builds. Chromium clamps an element's height near 2^25 px (33.5M)
 * and Firefox lower; past this the grid scales scroll offsets so a 10M-row result still scrolls
 * from its first row to its last.
 */
export const MAX_SCROLL_PX = 15_000_000;

export interface Span {
  /** First index on screen (inclusive). */
  start: number;
  /** One past the last index on screen. */
  end: number;
}

/** The scroll area for `count` rows of `rowHeight`: its height, and px of content per px of scroll. */
export function scrollExtent(count: number, rowHeight: number): { height: number; ratio: number } {
  const content = count * rowHeight;
  if (content <= MAX_SCROLL_PX) return { height: content, ratio: 1 };
  return { height: MAX_SCROLL_PX, ratio: content / MAX_SCROLL_PX };
}

/**
 * The content offset (px from the first row's top) shown at `scrollTop`. With a ratio above 1 the
 * last scroll position must still show the last rows, so the mapping is linear between the two ends.
 */
export function contentOffset(scrollTop: number, viewport: number, count: number, rowHeight: number): number {
  const { height, ratio } = scrollExtent(count, rowHeight);
  if (ratio === 1) return Math.max(0, scrollTop);
  const maxScroll = Math.max(1, height - viewport);
  const maxContent = Math.max(0, count * rowHeight - viewport);
  return (Math.min(Math.max(scrollTop, 0), maxScroll) / maxScroll) * maxContent;
}

/** The scrollTop that shows content offset `offset` (the inverse of contentOffset). */
export function scrollTopFor(offset: number, viewport: number, count: number, rowHeight: number): number {
  const { height, ratio } = scrollExtent(count, rowHeight);
  if (ratio === 1) return Math.max(0, offset);
  const maxScroll = Math.max(1, height - viewport);
  const maxContent = Math.max(1, count * rowHeight - viewport);
  return (Math.min(Math.max(offset, 0), maxContent) / maxContent) * maxScroll;
}

/** Rows on screen for a content offset, with `overscan` more on each side, clamped to [0, count). */
export function rowWindow(offset: number, viewport: number, count: number, rowHeight: number, overscan = 4): Span {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, offset) / rowHeight);
  const last = Math.ceil((Math.max(0, offset) + Math.max(0, viewport)) / rowHeight);
  return { start: Math.max(0, Math.min(count, first - overscan)), end: Math.max(0, Math.min(count, last + overscan)) };
}

/** Left edge of each column and the total width: `edges[i]` is column i's left, `edges[n]` the total. */
export function columnEdges(widths: readonly number[]): number[] {
  const edges = [0];
  for (const w of widths) edges.push(edges[edges.length - 1] + Math.max(0, w));
  return edges;
}

/** Index of the column holding x (binary search over the edges); clamped to the columns. */
export function columnAt(edges: readonly number[], x: number): number {
  const n = edges.length - 1;
  if (n <= 0) return 0;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Columns that intersect [scrollLeft, scrollLeft + viewport), with `overscan` more on each side. */
export function columnWindow(edges: readonly number[], scrollLeft: number, viewport: number, overscan = 1): Span {
  const n = edges.length - 1;
  if (n <= 0) return { start: 0, end: 0 };
  const first = columnAt(edges, Math.max(0, scrollLeft));
  const right = Math.max(0, scrollLeft) + Math.max(0, viewport);
  let last = columnAt(edges, right);
  if (edges[last] < right) last++;
  return { start: Math.max(0, first - overscan), end: Math.min(n, Math.max(first + 1, last) + overscan) };
}

/** The scroll offset that brings [start, end) into a viewport at `current`, moving as little as possible. */
export function scrollIntoView(current: number, viewport: number, start: number, end: number): number {
  if (start < current) return start;
  if (end > current + viewport) return Math.max(0, end - viewport);
  return current;
}
