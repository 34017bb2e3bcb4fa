/**
 * The protocol of the four analysis panels, shared by the host (src/panels) and the webviews
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

export type PanelKind = 'breakdown' | 'flapping' | 'timeline' | 'model';

export const PANEL_VIEW_TYPES: Record<PanelKind, string> = {
  breakdown: 'syncLogs.errorBreakdown',
  flapping: 'syncLogs.flappingRows',
  timeline: 'syncLogs.rowTimeline',
  model: 'syncLogs.modelOverTime',
};

export const PANEL_TITLES: Record<PanelKind, string> = {
  breakdown: 'Error breakdown',
  flapping: 'Flapping rows',
  timeline: 'Row timeline',
  model: 'Model over time',
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

export interface ParamsOf {
  breakdown: BreakdownParams;
  flapping: FlappingParams;
  timeline: TimelineParams;
  model: ModelParams;
}

export interface DataOf {
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

export type AnalysisHostMessage = StateMessage | ChartMessage | DrillMessage;

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
  | { type: 'openPanel'; panel: PanelKind; syncId: string };

/** What a webview saves for a restore after a window reload: its params only; the data is queried again. */
export interface AnalysisWebviewState {
  panel: PanelKind;
  params: unknown;
}

const isObject = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null;
const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isDays = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 3650);
const isPanelKind = (v: unknown): v is PanelKind => v === 'breakdown' || v === 'flapping' || v === 'timeline' || v === 'model';

const FLAPPING_ORDERS: readonly FlappingOrder[] = ['flapping', 'retries', 'operations', 'changes', 'cycles'];
const isFlappingOrder = (v: unknown): v is FlappingOrder => (FLAPPING_ORDERS as readonly unknown[]).includes(v);

export const PARAMS_GUARDS: { [K in PanelKind]: (p: unknown) => p is ParamsOf[K] } = {
  breakdown: (p): p is BreakdownParams =>
    isObject(p) && isStrOrNull(p.syncId) && isStrOrNull(p.syncRunId) && (p.source === 'changelog' || p.source === 'snapshot') && isDays(p.days),
  flapping: (p): p is FlappingParams =>
    isObject(p) && isStr(p.syncId) && isDays(p.days) && isFlappingOrder(p.orderBy),
  timeline: (p): p is TimelineParams => isObject(p) && isStr(p.rowId) && p.rowId.length <= 1000 && isStrOrNull(p.syncId),
  model: (p): p is ModelParams => isObject(p) && isStr(p.syncId) && isDays(p.days),
};

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
