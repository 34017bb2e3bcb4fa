/**
 * What a sync-log notebook cell's output carries to the renderer (webview/notebookOutput/), and
 * the messages between the renderer and the host (src/notebook/outputMessaging.ts). Both sides
 * import this file, so it never imports `vscode`. The renderer draws any output of its mime type,
 * including one written by another tool into another notebook, so the output and every message
 * are checked with a guard before use.
 */
import type { ResultColumn } from './queryResult';
import { NOTEBOOK_RENDERER } from './ids';

export const NOTEBOOK_RESULT_MIME = NOTEBOOK_RENDERER.mime;

export type ChartKind = 'bar' | 'stacked' | 'line';
export const CHART_KINDS: readonly ChartKind[] = ['bar', 'stacked', 'line'];

export interface ChartSeries {
  label: string;
  /** One per label; null: no value there (not zero). */
  values: (number | null)[];
}

/** A chart already shaped from the rows by the host (src/notebook/chartData.ts). */
export interface NotebookChart {
  kind: ChartKind;
  /** The x column's name (the table toggle's first header). */
  x: string;
  labels: string[];
  series: ChartSeries[];
  /** What was left out or folded, said under the chart. */
  notes: string[];
}

export interface NotebookResultOutput {
  version: 1;
  /** The host's name for this run: the renderer asks the export by it, never by SQL. */
  runId: string;
  columns: ResultColumn[];
  /** Every row read (none when the output is a chart: the chart holds what it needs). */
  rows: unknown[][];
  rowCount: number;
  /** False: the warehouse was read only as far as syncLogs.maxResultRows. */
  rowCountExact: boolean;
  elapsedMs: number;
  chart?: NotebookChart;
  /** Why the chosen output could not be drawn (a bad magic comment): shown above the grid. */
  problem?: string;
}

// ---- renderer -> host ----

export interface CopyTextMessage {
  type: 'copy';
  text: string;
}

export interface ExportRunMessage {
  type: 'export';
  runId: string;
}

export type OutputRendererMessage = CopyTextMessage | ExportRunMessage;

// ---- host -> renderer ----

/** A line for the output's status (e.g. that an old output cannot be exported). */
export interface RunNoticeMessage {
  type: 'notice';
  runId: string;
  text: string;
}

export type OutputHostMessage = RunNoticeMessage;

// ---- guards ----

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

function isColumn(v: unknown): v is ResultColumn {
  return isObj(v) && isStr(v.name) && isStr(v.type);
}

function isSeries(v: unknown, length: number): v is ChartSeries {
  return (
    isObj(v) &&
    isStr(v.label) &&
    Array.isArray(v.values) &&
    v.values.length === length &&
    v.values.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x)))
  );
}

export function isNotebookChart(v: unknown): v is NotebookChart {
  if (!isObj(v) || !CHART_KINDS.includes(v.kind as ChartKind) || !isStr(v.x)) return false;
  if (!isStrings(v.labels) || !isStrings(v.notes) || !Array.isArray(v.series)) return false;
  const n = v.labels.length;
  return v.series.every((s) => isSeries(s, n));
}

export function isNotebookResultOutput(v: unknown): v is NotebookResultOutput {
  if (!isObj(v) || v.version !== 1 || !isStr(v.runId)) return false;
  if (!Array.isArray(v.columns) || !v.columns.every(isColumn)) return false;
  if (!Array.isArray(v.rows) || !v.rows.every(Array.isArray)) return false;
  if (!isCount(v.rowCount) || typeof v.rowCountExact !== 'boolean') return false;
  if (typeof v.elapsedMs !== 'number' || !(v.elapsedMs >= 0)) return false;
  if (v.chart !== undefined && !isNotebookChart(v.chart)) return false;
  return v.problem === undefined || isStr(v.problem);
}

export function isOutputRendererMessage(m: unknown): m is OutputRendererMessage {
  if (!isObj(m)) return false;
  if (m.type === 'copy') return isStr(m.text);
  if (m.type === 'export') return isStr(m.runId);
  return false;
}

export function isOutputHostMessage(m: unknown): m is OutputHostMessage {
  return isObj(m) && m.type === 'notice' && isStr(m.runId) && isStr(m.text);
}
