/**
 * An outlier-robust value axis for the per-run charts. One run far above the rest (a backfill,
 * the first load of a model) would set a linear axis so that every other bar is a sliver; here
 * such runs are found and the axis is cut below them, and the chart labels each cut bar with its
 * real value ("clipped: 50,000").
 *
 * Why clipping and not a log axis: the bars are stacked (added + changed + removed), and stacked
 * segments on a log axis have heights that do not add up, so a reader misjudges them; a log axis
 * also cannot draw a run with 0 operations. Clipping keeps a linear axis for every run but the
 * outliers, whose exact value is printed.
 *
 * Why this rule: a value is an outlier when it is above OUTLIER_FACTOR times the median of the
 * positive values. The median stays put until half the runs are outliers, whereas Tukey's
 * Q3 + 3 * IQR is dragged up by the outlier itself when there are few runs ([5, 6, 7, 50000]
 * has Q3 + 3 * IQR above 50000, so nothing would be clipped). Runs with 0 are left out of the
 * median: a sync that mostly does nothing still has bars worth seeing. Two guards keep the axis
 * honest: when more than a quarter of the runs would be cut the data is not "one outlier" but
 * its shape (one outlier is always allowed), and when cutting would not at least double the height of the rest it buys nothing;
 * either way the axis is left linear and whole.
 */

export const OUTLIER_FACTOR = 10;
/** More than this share of the positive values above the fence: not outliers, leave the axis whole. */
export const MAX_CLIPPED_SHARE = 0.25;
/** Clip only when the tallest value is at least this many times the tallest kept one. */
export const MIN_GAIN = 2;
/** Room above the tallest kept value, so its bar does not touch the top. */
const HEADROOM = 1.1;

export interface ClippedAxis {
  /** The axis maximum: a round number above every kept value. */
  max: number;
  /** The largest value below the fence (drawn whole). */
  largestKept: number;
  /** Indexes of the values drawn cut off at `max`. */
  clipped: number[];
}

export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = Math.floor(n / 2);
  return n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least `v` (0 for v <= 0). */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 0;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) {
    // The tolerance absorbs floating error (3 * 0.1 is 0.30000000000000004).
    if (m * p >= v * (1 - 1e-12)) return m * p;
  }
  return 10 * p;
}

/**
 * The clipped axis for these values (one per run, e.g. operations per run), or null when the
 * axis should stay linear and whole. Non-finite values are ignored.
 */
export function clippedAxis(values: readonly number[]): ClippedAxis | null {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => a - b);
  // Two values have no "typical" one to protect.
  if (positive.length < 3) return null;
  const fence = OUTLIER_FACTOR * median(positive);
  const clipped: number[] = [];
  let largestKept = 0;
  let largest = 0;
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    if (v > fence) clipped.push(i);
    else largestKept = Math.max(largestKept, v);
    largest = Math.max(largest, v);
  });
  // One run is always allowed to be the outlier (three runs, one of them the first load).
  if (clipped.length === 0 || clipped.length > Math.max(1, MAX_CLIPPED_SHARE * positive.length)) return null;
  if (largest < MIN_GAIN * largestKept) return null;
  const max = niceCeil(largestKept * HEADROOM);
  // A round maximum above an outlier would defeat the cut; keep only what stays above it.
  const cut = clipped.filter((i) => values[i] > max);
  return cut.length ? { max, largestKept, clipped: cut } : null;
}
