/**
 * The protocol of the analysis panels, shared by the host (src/panels) and the webviews
 * (webview/<panel>). One envelope for all four: the host sends the panel's whole state each
 * time it changes (params, context, and a phase: loading, ready, empty, error, cancelled); the
 * webview asks for refresh, cancel, new params, and actions. Guards check every message.
 */
import { describeError } from './webviewDelivery';
import type {
  BreakdownData,
  CategoryChart,
  FailedRow,
  FlappingData,
  FlappingOrder,
  ModelOverTimeData,
  TimelineData,
} from './analysisData';
import type { HealthData } from './healthData';
import type { RunExplainedData, RunRow, RunRowsSelector } from './runExplainedData';
import { WEBVIEW_TYPES } from './ids';
import { isVendorTarget, type VendorTarget } from './vendorLinks';

export type PanelKind = 'health' | 'breakdown' | 'flapping' | 'timeline' | 'model' | 'run';

export const PANEL_VIEW_TYPES: Record<PanelKind, string> = {
  health: WEBVIEW_TYPES.health,
  breakdown: WEBVIEW_TYPES.errorBreakdown,
  flapping: WEBVIEW_TYPES.flappingRows,
  timeline: WEBVIEW_TYPES.rowTimeline,
  model: WEBVIEW_TYPES.modelOverTime,
  run: WEBVIEW_TYPES.runExplained,
};

export const PANEL_TITLES: Record<PanelKind, string> = {
  health: 'Sync health',
  breakdown: 'Error breakdown',
  flapping: 'Flapping rows',
  timeline: 'Row timeline',
  model: 'Model over time',
  run: 'Run explained',
};

/** Windows a panel offers (days before the newest run in scope; null: every run). */
export const WINDOW_CHOICES: readonly (number | null)[] = [1, 7, 30, 90, null];

export interface BreakdownParams {
  /** Null: across all syncs. */
  syncId: string | null;
  /** Set: one run only (then `days` is ignored). */
  syncRunId: string | null;
  source: 'changelog' | 'snapshot';
  days: number | null;
}

export interface FlappingParams {
  syncId: string;
  days: number | null;
  orderBy: FlappingOrder;
  /** Opened for its Stuck Rows section (from the health overview): the panel scrolls there. */
  focus?: 'stuck';
}

export interface TimelineParams {
  rowId: string;
  /** Null: every sync. */
  syncId: string | null;
}

export interface ModelParams {
  syncId: string;
  days: number | null;
}

export interface HealthParams {
  days: number | null;
}

export interface RunParams {
  syncId: string;
  syncRunId: string;
}

export interface ParamsOf {
  health: HealthParams;
  run: RunParams;
  breakdown: BreakdownParams;
  flapping: FlappingParams;
  timeline: TimelineParams;
  model: ModelParams;
}

export interface DataOf {
  health: HealthData;
  run: RunExplainedData;
  breakdown: BreakdownData;
  flapping: FlappingData;
  timeline: TimelineData;
  model: ModelOverTimeData;
}

export interface SyncOption {
  syncId: string;
  /** `model_name → destination`. */
  label: string;
  primaryKey: string | null;
}

/** What the panel knows about where it runs, for its header and pickers. */
export interface PanelContext {
  connection: string;
  syncs: SyncOption[];
  /** The changelog has `fields` on this connection. */
  hasFields: boolean;
  /** A Hightouch workspace is set: runs and rows offer links to the vendor's pages. */
  vendorLinks?: boolean;
}

export type Phase<D> =
  | { phase: 'idle'; message: string }
  | { phase: 'loading'; message: string }
  | { phase: 'ready'; data: D; elapsedMs: number; loadedAt: string }
  | { phase: 'empty'; reason: string; elapsedMs?: number }
  | { phase: 'error'; message: string }
  | { phase: 'cancelled'; message: string };

export interface StateMessage<K extends PanelKind = PanelKind> {
  type: 'state';
  panel: K;
  params: ParamsOf[K];
  context: PanelContext;
  view: Phase<DataOf[K]>;
}

/** The breakdown's chart comes from a second query and arrives after the table. */
export interface ChartMessage {
  type: 'chart';
  view: Phase<CategoryChart>;
}

export type DrillSelector = { category: string } | { category: string; template: string };

export interface DrillMessage {
  type: 'drill';
  selector: DrillSelector;
  view: Phase<{ rows: FailedRow[]; truncated: boolean; textsUsed: number; textsTotal: number }>;
}

/** Run Explained: the rows behind a bar of the waterfall or a comparison figure. */
export interface RunRowsMessage {
  type: 'runRows';
  selector: RunRowsSelector;
  view: Phase<{ rows: RunRow[]; truncated: boolean }>;
}

export type AnalysisHostMessage = StateMessage | ChartMessage | DrillMessage | RunRowsMessage;

/**
 * Where a click in one panel leads: another panel, scoped. The one typed way panels (and the tree
 * and commands) open each other; what is left out takes the panel's default.
 */
export type PanelTarget =
  | { panel: 'health'; days?: number | null }
  | {
      panel: 'breakdown';
      syncId: string | null;
      syncRunId?: string | null;
      days?: number | null;
      source?: 'changelog' | 'snapshot';
    }
  | { panel: 'flapping'; syncId: string; days?: number | null; orderBy?: FlappingOrder; focus?: 'stuck' }
  | { panel: 'timeline'; rowId: string; syncId: string | null }
  | { panel: 'model'; syncId: string; days?: number | null }
  | { panel: 'run'; syncId: string; syncRunId: string };

/**
 * What a panel is sent instead of data that could not be posted to it (postMessage threw or
 * rejected: a value structured clone cannot carry): the same message in an error phase, so the
 * panel says so instead of waiting. Undefined for a message that carries no data.
 */
export function undeliveredAnalysis(m: AnalysisHostMessage, error: unknown): AnalysisHostMessage | undefined {
  if (m.view.phase !== 'ready') return undefined;
  const message = `The analysis finished, but its result could not be sent to this panel (${describeError(error)}). Narrow it (one sync, a shorter window) and refresh; the Sync Logs output has the details.`;
  return { ...m, view: { phase: 'error', message } } as AnalysisHostMessage;
}

export type AnalysisWebviewMessage =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'cancel' }
  | { type: 'setParams'; params: unknown }
  | { type: 'openTimeline'; syncId: string | null; rowId: string }
  | { type: 'drill'; selector: DrillSelector }
  | { type: 'openCategories' }
  | { type: 'openPanel'; panel: PanelKind; syncId: string }
  | { type: 'open'; target: PanelTarget }
  | { type: 'runRows'; selector: RunRowsSelector }
  /** Opens the SQL the panel's current load ran (and its follow-ups and drill-downs) in an editor. */
  | { type: 'showSql' }
  /** A link back to Hightouch: the host builds the URL from these ids and the settings. */
  | { type: 'openVendor'; target: VendorTarget };

/** What a webview saves for a restore after a window reload: its params only; the data is queried again. */
export interface AnalysisWebviewState {
  panel: PanelKind;
  params: unknown;
}

const isObject = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null;
const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isDays = (v: unknown): v is number | null =>
  v === null || (typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 3650);
const PANEL_KINDS: readonly PanelKind[] = ['health', 'breakdown', 'flapping', 'timeline', 'model', 'run'];
const isPanelKind = (v: unknown): v is PanelKind => (PANEL_KINDS as readonly unknown[]).includes(v);
const isOptDays = (v: unknown): boolean => v === undefined || isDays(v);
const isFocus = (v: unknown): boolean => v === undefined || v === 'stuck';

const FLAPPING_ORDERS: readonly FlappingOrder[] = ['flapping', 'retries', 'operations', 'changes', 'cycles'];
const isFlappingOrder = (v: unknown): v is FlappingOrder => (FLAPPING_ORDERS as readonly unknown[]).includes(v);

export const PARAMS_GUARDS: { [K in PanelKind]: (p: unknown) => p is ParamsOf[K] } = {
  health: (p): p is HealthParams => isObject(p) && isDays(p.days),
  run: (p): p is RunParams => isObject(p) && isStr(p.syncId) && isStr(p.syncRunId),
  breakdown: (p): p is BreakdownParams =>
    isObject(p) &&
    isStrOrNull(p.syncId) &&
    isStrOrNull(p.syncRunId) &&
    (p.source === 'changelog' || p.source === 'snapshot') &&
    isDays(p.days),
  flapping: (p): p is FlappingParams =>
    isObject(p) && isStr(p.syncId) && isDays(p.days) && isFlappingOrder(p.orderBy) && isFocus(p.focus),
  timeline: (p): p is TimelineParams =>
    isObject(p) && isStr(p.rowId) && p.rowId.length <= 1000 && isStrOrNull(p.syncId),
  model: (p): p is ModelParams => isObject(p) && isStr(p.syncId) && isDays(p.days),
};

/** Checks a target from a webview: the shape of its panel's params, each optional one when given. */
export function isPanelTarget(t: unknown): t is PanelTarget {
  if (!isObject(t)) return false;
  switch (t.panel) {
    case 'health':
      return isOptDays(t.days);
    case 'breakdown':
      return (
        isStrOrNull(t.syncId) &&
        (t.syncRunId === undefined || isStrOrNull(t.syncRunId)) &&
        isOptDays(t.days) &&
        (t.source === undefined || t.source === 'changelog' || t.source === 'snapshot')
      );
    case 'flapping':
      return (
        isStr(t.syncId) &&
        isOptDays(t.days) &&
        (t.orderBy === undefined || isFlappingOrder(t.orderBy)) &&
        isFocus(t.focus)
      );
    case 'timeline':
      return isStr(t.rowId) && t.rowId.length <= 1000 && isStrOrNull(t.syncId);
    case 'model':
      return isStr(t.syncId) && isOptDays(t.days);
    case 'run':
      return isStr(t.syncId) && isStr(t.syncRunId);
    default:
      return false;
  }
}

const RUN_OPS: readonly unknown[] = ['added', 'changed', 'removed'];
function isRunRowsSelector(s: unknown): s is RunRowsSelector {
  if (!isObject(s)) return false;
  if (s.kind === 'op')
    return RUN_OPS.includes(s.opType) && ['succeeded', 'failed', 'aborted', 'planned'].includes(s.status as string);
  if (s.kind === 'compare') return ['newlyFailing', 'recovered', 'stillFailing'].includes(s.which as string);
  return false;
}

function isSelector(s: unknown): s is DrillSelector {
  return isObject(s) && isStr(s.category) && (s.template === undefined || isStr(s.template));
}

export function isAnalysisWebviewMessage(m: unknown): m is AnalysisWebviewMessage {
  if (!isObject(m)) return false;
  switch (m.type) {
    case 'ready':
    case 'refresh':
    case 'cancel':
    case 'openCategories':
      return true;
    case 'setParams':
      return 'params' in m;
    case 'openTimeline':
      return isStrOrNull(m.syncId) && isStr(m.rowId);
    case 'drill':
      return isSelector(m.selector);
    case 'openPanel':
      return isPanelKind(m.panel) && isStr(m.syncId);
    case 'open':
      return isPanelTarget(m.target);
    case 'runRows':
      return isRunRowsSelector(m.selector);
    case 'showSql':
      return true;
    case 'openVendor':
      return isVendorTarget(m.target);
    default:
      return false;
  }
}

function isPhase(v: unknown): boolean {
  if (!isObject(v)) return false;
  switch (v.phase) {
    case 'idle':
    case 'loading':
      return isStr(v.message);
    case 'ready':
      return isObject(v.data) && typeof v.elapsedMs === 'number';
    case 'empty':
      return isStr(v.reason);
    case 'error':
    case 'cancelled':
      return isStr(v.message);
    default:
      return false;
  }
}

export function isAnalysisHostMessage(m: unknown): m is AnalysisHostMessage {
  if (!isObject(m)) return false;
  switch (m.type) {
    case 'state':
      return isPanelKind(m.panel) && isObject(m.context) && isPhase(m.view);
    case 'chart':
      return isPhase(m.view);
    case 'drill':
      return isSelector(m.selector) && isPhase(m.view);
    case 'runRows':
      return isRunRowsSelector(m.selector) && isPhase(m.view);
    default:
      return false;
  }
}

export function isAnalysisWebviewState(s: unknown): s is AnalysisWebviewState {
  return isObject(s) && isPanelKind(s.panel) && 'params' in s;
}

/** Labels for a window choice, shared by the pickers and the panel headers. */
export function windowLabel(days: number | null): string {
  if (days === null) return 'All runs';
  return days === 1 ? 'Last 24 hours' : `Last ${days} days`;
}
