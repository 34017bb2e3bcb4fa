/**
 * Messages between the results panel's host (src/panels/resultsPanel.ts) and its webview
 * (webview/results/main.ts). Both sides import this file, so it never imports `vscode`.
 * Every message that crosses is checked with a guard: a webview is a page, and what it
 * posts is data to validate, not a call to trust.
 */
import type { ResultColumn } from './queryResult';
import { RANGE_COPY_FORMATS, type CopyFormat, type RangeCopyFormat } from './cellText';
import type { ReadyMessage } from './webviewProtocol';
import { WEBVIEW_TYPES } from './ids';
import { FILTER_OPS, type ColumnFilter, type FilterOp, type SortKey, type ViewWhere } from './grid/viewModel';

export type { ViewWhere };

export const RESULTS_VIEW_TYPE = WEBVIEW_TYPES.results;

/** Rows per page sent to the grid; the host keeps the rest and sends pages on request. */
export const RESULT_PAGE_SIZE = 200;

/** What every run carries, so the panel can say what it shows and ignore stale replies. */
export interface RunInfo {
  /** Unique per run; replies for another run are ignored. */
  runId: string;
  sql: string;
  connectionName: string;
  /** Epoch milliseconds when the run started (the host's clock). */
  startedAt: number;
  /** Set when the run is one statement of several run together: each has its own tab. */
  batch?: RunBatch;
}

/** Where a statement stands among those run together: they share `id`. */
export interface RunBatch {
  id: string;
  index: number;
  count: number;
}

export interface RowsPage {
  offset: number;
  rows: unknown[][];
}

// ---- host -> webview ----

export interface ShowRunningMessage extends RunInfo {
  type: 'showRunning';
}

/** A statement of a batch that runs once the ones before it have finished. */
export interface ShowWaitingMessage extends RunInfo {
  type: 'showWaiting';
}

export interface ShowResultMessage extends RunInfo {
  type: 'showResult';
  columns: ResultColumn[];
  /** Rows the statement produced (may exceed `keptRows` when truncated). */
  rowCount: number;
  /** False: the warehouse was read only as far as needed, so the statement produced at least `rowCount` rows. */
  rowCountExact?: boolean;
  /** Rows the host holds and can page through (at most the maxResultRows setting). */
  keptRows: number;
  truncated: boolean;
  /** The maxResultRows setting in force for this run. */
  maxRows: number;
  elapsedMs: number;
  command?: string;
  /** The first page; later pages come as `rows` after a `requestRows`. */
  page: RowsPage;
  /** Shown again after a window reload: only the saved first page is left. */
  restored?: boolean;
  /** Rows past the memory budget (syncLogs.resultMemoryBudgetMB) are in a spool file: sort and filter re-run the query. */
  spooled?: boolean;
  /** The user stopped the read: the rows read by then are kept, and the count is "at least". */
  stopped?: boolean;
}

export interface ShowErrorMessage extends RunInfo {
  type: 'showError';
  message: string;
  /** The warehouse's error code, e.g. Postgres SQLSTATE `42P01`. */
  code?: string;
  elapsedMs?: number;
}

export interface ShowCancelledMessage extends RunInfo {
  type: 'showCancelled';
  message: string;
  elapsedMs?: number;
  /** Never started: a statement before it in the batch failed or was cancelled. */
  notRun?: boolean;
}

export interface RowsMessage extends RowsPage {
  type: 'rows';
  runId: string;
  /** The view (sort and filter) the rows belong to; 0 is the result as it came. */
  view?: number;
}

// ---- the grid's view: sort and filter (shapes from grid/viewModel.ts, so the host and grid agree) ----

export type ResultSortKey = SortKey;
export type ResultFilter = ColumnFilter;
export type ResultFilterOp = FilterOp;

/** Most sort keys and filters one view may carry; more is not a person's view but a flood. */
export const MAX_VIEW_KEYS = 32;
/** Longest filter or find text accepted. */
export const MAX_VIEW_TEXT = 10_000;

export interface ViewAppliedMessage {
  type: 'viewApplied';
  runId: string;
  view: number;
  rowCount: number;
  where: ViewWhere;
  /** Said beside the grid, e.g. that the warehouse's answer was capped. */
  note?: string;
  /** The view's first rows, so the grid redraws without a round trip. */
  rows: unknown[][];
}

export interface ViewFailedMessage {
  type: 'viewFailed';
  runId: string;
  view: number;
  message: string;
}

export interface FoundMessage {
  type: 'found';
  runId: string;
  seq: number;
  count: number;
  match?: { row: number; col: number };
  index?: number;
}

/** While a run reads its rows: how many have come, so the panel can say so (and Cancel keeps them). */
export interface ReadProgressMessage {
  type: 'readProgress';
  runId: string;
  rows: number;
}

/** Whether the panel is pinned: a pinned panel keeps its results, and the next run opens a new panel. */
export interface PinnedMessage {
  type: 'pinned';
  pinned: boolean;
}

/** What one tab of the panel shows. */
export type ResultTabView =
  ShowWaitingMessage | ShowRunningMessage | ShowResultMessage | ShowErrorMessage | ShowCancelledMessage;

export type ResultsHostMessage =
  | ShowRunningMessage
  | ShowWaitingMessage
  | PinnedMessage
  | ReadProgressMessage
  | ShowResultMessage
  | ShowErrorMessage
  | ShowCancelledMessage
  | RowsMessage
  | ViewAppliedMessage
  | ViewFailedMessage
  | FoundMessage;

// ---- webview -> host ----

export interface CancelMessage {
  type: 'cancel';
  runId: string;
}

export interface RequestRowsMessage {
  type: 'requestRows';
  runId: string;
  offset: number;
  count: number;
  /** The view the rows are asked of (omitted: 0, the result as it came). */
  view?: number;
}

/** Sort and filter the result: in the host's memory when it holds every row, else in the warehouse. */
export interface SetViewMessage {
  type: 'setView';
  runId: string;
  view: number;
  sort: ResultSortKey[];
  filters: ResultFilter[];
  quick: string;
}

/** Find text in the view from a position; `columns` are result columns in display order. */
export interface FindMessage {
  type: 'find';
  runId: string;
  seq: number;
  view: number;
  query: string;
  columns: number[];
  from: { row: number; col: number };
  backwards: boolean;
  inclusive: boolean;
}

/** Copy a selected range (view rows top..bottom inclusive, result columns in display order). */
export interface CopyRangeMessage {
  type: 'copyRange';
  runId: string;
  view: number;
  top: number;
  bottom: number;
  columns: number[];
  format: RangeCopyFormat;
  withHeaders: boolean;
}

/** Copy every row the host keeps for the run (not just the page on screen). */
export interface CopyMessage {
  type: 'copy';
  runId: string;
  format: CopyFormat;
}

/** Run the query again and write every row into a file the user chooses. */
export interface ExportMessage {
  type: 'export';
  runId: string;
}

/** Pin or unpin the panel. */
export interface PinMessage {
  type: 'pin';
  pinned: boolean;
}

export type ResultsWebviewMessage =
  | ReadyMessage
  | PinMessage
  | CancelMessage
  | RequestRowsMessage
  | CopyMessage
  | ExportMessage
  | SetViewMessage
  | FindMessage
  | CopyRangeMessage;

/** What the webview saves with setState; VS Code hands it to the serializer after a reload. */
export interface ResultsWebviewState {
  /** Each tab's message as shown (a result holds its first page only): one per statement of the last run. */
  views?: ResultTabView[];
  /** The tab on screen. */
  active?: number;
  /** The user chose the tab: later statements of the run no longer take the screen. */
  chosen?: boolean;
  pinned?: boolean;
  /** Before tabs: the one run's message. Still read, so a panel saved by an older version comes back. */
  view?: ResultTabView;
}

// ---- guards ----

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const optional = <T>(v: unknown, guard: (x: unknown) => x is T): boolean => v === undefined || guard(v);

function isRunInfo(m: Obj): boolean {
  return isStr(m.runId) && isStr(m.sql) && isStr(m.connectionName) && isMs(m.startedAt) && optional(m.batch, isBatch);
}

function isBatch(v: unknown): v is RunBatch {
  return isObj(v) && isStr(v.id) && isCount(v.index) && isCount(v.count) && v.count > 0 && v.index < v.count;
}

function isColumn(v: unknown): v is ResultColumn {
  return isObj(v) && isStr(v.name) && isStr(v.type);
}

function isRows(v: unknown): v is unknown[][] {
  return Array.isArray(v) && v.every(Array.isArray);
}

export function isShowRunning(m: unknown): m is ShowRunningMessage {
  return isObj(m) && m.type === 'showRunning' && isRunInfo(m);
}

export function isShowWaiting(m: unknown): m is ShowWaitingMessage {
  return isObj(m) && m.type === 'showWaiting' && isRunInfo(m);
}

export function isShowResult(m: unknown): m is ShowResultMessage {
  return (
    isObj(m) &&
    m.type === 'showResult' &&
    isRunInfo(m) &&
    Array.isArray(m.columns) &&
    m.columns.every(isColumn) &&
    isCount(m.rowCount) &&
    optional(m.rowCountExact, isBool) &&
    isCount(m.keptRows) &&
    isBool(m.truncated) &&
    isCount(m.maxRows) &&
    isMs(m.elapsedMs) &&
    optional(m.command, isStr) &&
    optional(m.restored, isBool) &&
    optional(m.spooled, isBool) &&
    optional(m.stopped, isBool) &&
    isObj(m.page) &&
    isCount(m.page.offset) &&
    isRows(m.page.rows)
  );
}

export function isShowError(m: unknown): m is ShowErrorMessage {
  return (
    isObj(m) &&
    m.type === 'showError' &&
    isRunInfo(m) &&
    isStr(m.message) &&
    optional(m.code, isStr) &&
    optional(m.elapsedMs, isMs)
  );
}

export function isShowCancelled(m: unknown): m is ShowCancelledMessage {
  return (
    isObj(m) &&
    m.type === 'showCancelled' &&
    isRunInfo(m) &&
    isStr(m.message) &&
    optional(m.elapsedMs, isMs) &&
    optional(m.notRun, isBool)
  );
}

export function isRowsMessage(m: unknown): m is RowsMessage {
  return (
    isObj(m) && m.type === 'rows' && isStr(m.runId) && isCount(m.offset) && isRows(m.rows) && optional(m.view, isCount)
  );
}

function isViewApplied(m: Obj): boolean {
  return (
    isStr(m.runId) &&
    isCount(m.view) &&
    isCount(m.rowCount) &&
    (m.where === 'memory' || m.where === 'warehouse') &&
    optional(m.note, isStr) &&
    isRows(m.rows)
  );
}

const isPos = (v: unknown): v is { row: number; col: number } => isObj(v) && isCount(v.row) && isCount(v.col);

function isFound(m: Obj): boolean {
  return isStr(m.runId) && isCount(m.seq) && isCount(m.count) && optional(m.match, isPos) && optional(m.index, isCount);
}

export function isResultsHostMessage(m: unknown): m is ResultsHostMessage {
  if (isRestorableView(m) || isRowsMessage(m)) return true;
  if (!isObj(m)) return false;
  switch (m.type) {
    case 'viewApplied':
      return isViewApplied(m);
    case 'viewFailed':
      return isStr(m.runId) && isCount(m.view) && isStr(m.message);
    case 'found':
      return isFound(m);
    case 'readProgress':
      return isStr(m.runId) && isCount(m.rows);
    case 'pinned':
      return isBool(m.pinned);
    default:
      return false;
  }
}

const isText = (v: unknown): v is string => isStr(v) && v.length <= MAX_VIEW_TEXT;
const isColumnList = (v: unknown): v is number[] => Array.isArray(v) && v.length <= 100_000 && v.every(isCount);

function isSortKey(v: unknown): v is ResultSortKey {
  return isObj(v) && isCount(v.column) && (v.dir === 'asc' || v.dir === 'desc');
}

function isFilter(v: unknown): v is ResultFilter {
  return isObj(v) && isCount(v.column) && FILTER_OPS.includes(v.op as ResultFilterOp) && isText(v.value);
}

function isSetView(m: Obj): boolean {
  return (
    isStr(m.runId) &&
    isCount(m.view) &&
    Array.isArray(m.sort) &&
    m.sort.length <= MAX_VIEW_KEYS &&
    m.sort.every(isSortKey) &&
    // One key per column: a second would be dead text in the ORDER BY.
    new Set(m.sort.map((s: ResultSortKey) => s.column)).size === m.sort.length &&
    Array.isArray(m.filters) &&
    m.filters.length <= MAX_VIEW_KEYS &&
    m.filters.every(isFilter) &&
    isText(m.quick)
  );
}

function isFind(m: Obj): boolean {
  return (
    isStr(m.runId) &&
    isCount(m.seq) &&
    isCount(m.view) &&
    isText(m.query) &&
    isColumnList(m.columns) &&
    isPos(m.from) &&
    isBool(m.backwards) &&
    isBool(m.inclusive)
  );
}

function isCopyRange(m: Obj): boolean {
  return (
    isStr(m.runId) &&
    isCount(m.view) &&
    isCount(m.top) &&
    isCount(m.bottom) &&
    m.bottom >= m.top &&
    isColumnList(m.columns) &&
    m.columns.length > 0 &&
    RANGE_COPY_FORMATS.includes(m.format as RangeCopyFormat) &&
    isBool(m.withHeaders)
  );
}

export function isResultsWebviewMessage(m: unknown): m is ResultsWebviewMessage {
  if (!isObj(m)) return false;
  switch (m.type) {
    case 'ready':
      return true;
    case 'pin':
      return isBool(m.pinned);
    case 'cancel':
      return isStr(m.runId);
    case 'requestRows':
      return isStr(m.runId) && isCount(m.offset) && isCount(m.count) && m.count > 0 && optional(m.view, isCount);
    case 'setView':
      return isSetView(m);
    case 'find':
      return isFind(m);
    case 'copyRange':
      return isCopyRange(m);
    case 'copy':
      return isStr(m.runId) && (m.format === 'csv' || m.format === 'tsv');
    case 'export':
      return isStr(m.runId);
    default:
      return false;
  }
}

/** A saved view the panel can show again; anything else in the state is dropped. */
export function isRestorableView(v: unknown): v is ResultTabView {
  return isShowWaiting(v) || isShowRunning(v) || isShowResult(v) || isShowError(v) || isShowCancelled(v);
}

/** Most tabs one panel keeps: a run of more statements shows the first ones and says so. */
export const MAX_RESULT_TABS = 50;

/** The tabs a saved state holds, whichever version saved it; invalid entries are dropped. */
export function savedTabs(state: unknown): {
  views: ResultTabView[];
  active: number;
  chosen: boolean;
  pinned: boolean;
} {
  const s = isObj(state) ? state : {};
  const views = (Array.isArray(s.views) ? s.views : s.view !== undefined ? [s.view] : [])
    .filter(isRestorableView)
    .slice(0, MAX_RESULT_TABS);
  const active = isCount(s.active) && s.active < views.length ? s.active : 0;
  return { views, active, chosen: s.chosen === true, pinned: s.pinned === true };
}
