/**
 * A chart's data from a cell's rows, for the renderer to draw as is: the magic comment's columns
 * found in the result, y values read as numbers, rows with the same x (and series) added up, a
 * line's x put in time order, and the chart kept readable (at most MAX_LABELS x values and
 * MAX_SERIES series; what is left out is said in `notes`). Pure: no vscode, no DOM.
 */
import { cellText } from '../shared/cellText';
import type { ChartSeries, NotebookChart } from '../shared/notebookOutput';
import type { ResultColumn } from '../shared/queryResult';
import type { ChartChoice } from './outputComment';

export const MAX_LABELS = 2000;
export const MAX_SERIES = 12;
const OTHER = 'other';
const NULL_LABEL = 'NULL';

export type ShapedChart = { chart: NotebookChart } | { problem: string };

/**
 * The index of `name` among the columns: an exact match first, then one ignoring case (Snowflake
 * answers unquoted names in upper case). A message naming the columns there are when it is not one.
 */
export function findColumn(columns: readonly ResultColumn[], name: string, role: string): number | string {
  const exact = columns.findIndex((c) => c.name === name);
  if (exact >= 0) return exact;
  const folded = columns.flatMap((c, i) => (c.name.toLowerCase() === name.toLowerCase() ? [i] : []));
  if (folded.length === 1) return folded[0];
  const names = columns.map((c) => c.name).join(', ') || '(none)';
  if (folded.length > 1)
    return `${role} "${name}" matches ${folded.length} columns that differ only in case; its columns are: ${names}.`;
  return `${role} "${name}" is not a column of this result; its columns are: ${names}.`;
}

/** A y cell as a number: numbers, and numeric text (bigint and numeric columns arrive as text). */
function numberOf(value: unknown): number | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(value)) return Number(value);
  return undefined;
}

const ISO_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(:\d{2})?(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * When every x label is a date or timestamp: their times, and shorter labels (the date alone when
 * every time is midnight, else without the 'T' and the milliseconds).
 */
function timeLabels(labels: string[]): { times: number[]; text: string[] } | undefined {
  const times = labels.map((l) => (ISO_TIME.test(l) ? Date.parse(l.replace(' ', 'T')) : NaN));
  if (labels.length === 0 || times.some((t) => Number.isNaN(t))) return undefined;
  const midnight = labels.every((l) => {
    const m = ISO_TIME.exec(l);
    return m && (!m[2] || (m[2] === '00:00' && (!m[3] || m[3] === ':00') && !/[1-9]/.test(m[4] ?? '')));
  });
  const text = labels.map((l) => {
    const m = ISO_TIME.exec(l) as RegExpExecArray;
    if (midnight || !m[2]) return m[1];
    return `${m[1]} ${m[2]}${m[3] && m[3] !== ':00' ? m[3] : ''}${m[5] ? ` ${m[5]}` : ''}`;
  });
  return { times, text };
}

/** Numeric x values in numeric order, when every label is a number. */
function numericOrder(labels: string[]): number[] | undefined {
  const values = labels.map((l) => numberOf(l));
  if (labels.length === 0 || values.some((v) => v === undefined || v === null)) return undefined;
  return labels.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
}

export function shapeChart(
  choice: ChartChoice,
  columns: readonly ResultColumn[],
  rows: readonly (readonly unknown[])[],
): ShapedChart {
  const x = findColumn(columns, choice.x, 'x=');
  if (typeof x === 'string') return { problem: x };
  const ys: number[] = [];
  for (const name of choice.y) {
    const y = findColumn(columns, name, 'y=');
    if (typeof y === 'string') return { problem: y };
    ys.push(y);
  }
  let s: number | undefined;
  if (choice.series !== undefined) {
    const found = findColumn(columns, choice.series, 'series=');
    if (typeof found === 'string') return { problem: found };
    s = found;
  }

  // x label -> position; series label -> position; sums[series][x].
  const xAt = new Map<string, number>();
  const seriesAt = new Map<string, number>();
  const seriesNames: string[] = s === undefined ? ys.map((y) => columns[y].name) : [];
  const sums: (number | null)[][] = seriesNames.map(() => []);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const label = cellText(row[x]) ?? NULL_LABEL;
    let xi = xAt.get(label);
    if (xi === undefined) xAt.set(label, (xi = xAt.size));
    for (let k = 0; k < ys.length; k++) {
      const v = numberOf(row[ys[k]]);
      if (v === undefined)
        return {
          problem: `y= "${columns[ys[k]].name}" holds ${JSON.stringify(cellText(row[ys[k]]) ?? '')} in row ${(r + 1).toLocaleString('en-US')}, which is not a number.`,
        };
      let si = k;
      if (s !== undefined) {
        const name = cellText(row[s]) ?? NULL_LABEL;
        const known = seriesAt.get(name);
        if (known === undefined) {
          seriesAt.set(name, (si = seriesNames.length));
          seriesNames.push(name);
          sums.push([]);
        } else si = known;
      }
      const line = sums[si];
      while (line.length <= xi) line.push(null);
      if (v !== null) line[xi] = (line[xi] ?? 0) + v;
    }
  }

  const labels = [...xAt.keys()];
  const notes: string[] = [];
  let order = labels.map((_, i) => i);
  const time = timeLabels(labels);
  const text = time?.text ?? labels;
  // A line is over time (or a number): in that order. Bars keep the rows' order, the query's ORDER BY.
  if (choice.chart === 'line') {
    if (time) order.sort((a, b) => time.times[a] - time.times[b] || a - b);
    else order = numericOrder(labels) ?? order;
  }
  if (order.length > MAX_LABELS) {
    notes.push(
      `The chart shows the first ${MAX_LABELS.toLocaleString('en-US')} of ${order.length.toLocaleString('en-US')} x values.`,
    );
    order = order.slice(0, MAX_LABELS);
  }
  let series: ChartSeries[] = seriesNames.map((label, i) => ({
    label,
    values: order.map((xi) => sums[i][xi] ?? null),
  }));
  if (series.length > MAX_SERIES) series = foldSeries(series, notes);
  return { chart: { kind: choice.chart, x: columns[x].name, labels: order.map((i) => text[i]), series, notes } };
}

/** The largest series by total kept, the rest added into one "other" series. */
function foldSeries(series: ChartSeries[], notes: string[]): ChartSeries[] {
  const total = (v: ChartSeries) => v.values.reduce<number>((a, b) => a + Math.abs(b ?? 0), 0);
  const ranked = series.map((v, i) => ({ v, i, t: total(v) })).sort((a, b) => b.t - a.t || a.i - b.i);
  const keep = ranked.slice(0, MAX_SERIES - 1).sort((a, b) => a.i - b.i);
  const rest = ranked.slice(MAX_SERIES - 1);
  const other = series[0].values.map((_, k) =>
    rest.reduce<number | null>(
      (sum, r) => (r.v.values[k] === null ? sum : (sum ?? 0) + (r.v.values[k] as number)),
      null,
    ),
  );
  notes.push(`${rest.length} smaller series are added together as "${OTHER}".`);
  return [...keep.map((k) => k.v), { label: OTHER, values: other }];
}
