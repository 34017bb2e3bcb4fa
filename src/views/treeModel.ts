import type { ReasonCount, TemplateGroup } from '../analysis/failureTemplates';
import { isolate } from '../shared/displayText';
import { formatCount, formatDuration, formatRelative, formatTimestamp, oneLine, toDate } from './format';
import type { Tooltip } from './tooltipMarkdown';
import { SYNC_STATE_ORDER, type SyncHealth, type SyncState } from '../shared/healthData';

/** What the sync-list query returns for one sync (its latest run plus totals). */
export interface SyncSummary {
  syncId: string;
  modelName: string;
  destination: string;
  primaryKey: string | null;
  lastStatus: string | null;
  lastError: string | null;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastPlanned: number;
  lastAttempted: number;
  lastSucceeded: number;
  lastFailed: number;
  runCount: number;
  failedRunCount: number;
  firstStartedAt: string | null;
}

export interface RunSummary {
  syncRunId: string;
  status: string | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  planned: number;
  attempted: number;
  succeeded: number;
  failed: number;
  plannedAdd: number;
  plannedChange: number;
  plannedRemove: number;
}

/** Failed rows of a run that share a failure template (see analysis/failureTemplates). */
export interface FailureGroup {
  template: string | null;
  example: string | null;
  rowCount: number;
  distinctTexts: number;
  sampleRowId: string | null;
}

export type Health = 'ok' | 'rowFailures' | 'aborted' | 'failed' | 'unknown';

/** Rendered by tooltipMarkdown: our labels as markup, every value as code that nothing in it can close. */
export type { Tooltip };

export interface ItemDescriptor {
  label: string;
  description?: string;
  tooltip?: Tooltip;
  icon: { id: string; color?: string };
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
}

export interface FormatOptions {
  now: Date;
  timeZone?: string;
}

const num = (v: unknown): number => (v === null || v === undefined || v === '' ? 0 : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const iso = (v: unknown): string | null => {
  const d = toDate(v as string | Date | null | undefined);
  return d ? d.toISOString() : null;
};

export function toSyncSummary(row: Record<string, unknown>): SyncSummary {
  return {
    syncId: String(row.sync_id),
    modelName: str(row.model_name) ?? `Sync ${String(row.sync_id)}`,
    destination: str(row.destination) ?? 'unknown destination',
    primaryKey: str(row.primary_key),
    lastStatus: str(row.status),
    lastError: str(row.error),
    lastStartedAt: iso(row.started_at),
    lastFinishedAt: iso(row.finished_at),
    lastPlanned: num(row.planned),
    lastAttempted: num(row.attempted),
    lastSucceeded: num(row.succeeded),
    lastFailed: num(row.failed),
    runCount: num(row.run_count),
    failedRunCount: num(row.failed_run_count),
    firstStartedAt: iso(row.first_started_at),
  };
}

export function toRunSummary(row: Record<string, unknown>): RunSummary {
  return {
    syncRunId: String(row.sync_run_id),
    status: str(row.status),
    error: str(row.error),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    planned: num(row.planned),
    attempted: num(row.attempted),
    succeeded: num(row.succeeded),
    failed: num(row.failed),
    plannedAdd: num(row.num_planned_add),
    plannedChange: num(row.num_planned_change),
    plannedRemove: num(row.num_planned_remove),
  };
}

export function toReasonCount(row: Record<string, unknown>): ReasonCount {
  return { reason: str(row.failure_reason), count: num(row.row_count), sampleRowId: str(row.sample_row_id) };
}

export function toFailureGroup(g: TemplateGroup): FailureGroup {
  return {
    template: g.template,
    example: g.example,
    rowCount: g.count,
    distinctTexts: g.distinctTexts,
    sampleRowId: g.sampleRowId,
  };
}

function durationMs(started: string | null, finished: string | null): number | undefined {
  const a = toDate(started);
  const b = toDate(finished);
  return a && b ? b.getTime() - a.getTime() : undefined;
}

export function runHealth(run: Pick<RunSummary, 'status' | 'planned' | 'attempted' | 'failed'>): Health {
  if (run.status === 'failed') return 'failed';
  if (run.planned > run.attempted) return 'aborted';
  if (run.failed > 0) return 'rowFailures';
  if (run.status === 'succeeded') return 'ok';
  return 'unknown';
}

const HEALTH_ICON: Record<Health, { id: string; color?: string }> = {
  ok: { id: 'pass', color: 'testing.iconPassed' },
  rowFailures: { id: 'warning', color: 'list.warningForeground' },
  aborted: { id: 'circle-slash', color: 'list.warningForeground' },
  failed: { id: 'error', color: 'list.errorForeground' },
  unknown: { id: 'circle-outline' },
};

/** The tree's word and icon for each health state (the Health overview's states). */
export const SYNC_STATE_TEXT: Record<SyncState, string> = {
  failing: 'failing',
  stuckRising: 'stuck rows rising',
  stale: 'stale',
  healthy: 'healthy',
  noRuns: 'no runs',
};

const STATE_ICON: Record<SyncState, { id: string; color?: string }> = {
  failing: { id: 'error', color: 'list.errorForeground' },
  stuckRising: { id: 'arrow-circle-up', color: 'list.warningForeground' },
  stale: { id: 'history', color: 'list.warningForeground' },
  healthy: { id: 'pass', color: 'testing.iconPassed' },
  noRuns: { id: 'circle-outline' },
};

/**
 * The syncs worst first when their health is known (the Health overview's order), else as listed.
 * Syncs the health does not know (listed after it was computed) keep their place after the others.
 */
export function sortByHealth(syncs: readonly SyncSummary[], health: readonly SyncHealth[] | undefined): SyncSummary[] {
  if (!health) return [...syncs];
  const rank = new Map(health.map((h, i) => [h.syncId, i]));
  return syncs
    .map((s, i) => ({ s, i, r: rank.get(s.syncId) ?? health.length + i }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.s);
}

export function syncItem(
  s: SyncSummary,
  opts: FormatOptions,
  state?: Pick<SyncHealth, 'state' | 'stateReason'>,
): ItemDescriptor {
  const health =
    s.runCount === 0
      ? 'unknown'
      : runHealth({ status: s.lastStatus, planned: s.lastPlanned, attempted: s.lastAttempted, failed: s.lastFailed });
  const when = formatRelative(s.lastStartedAt, opts.now);
  if (state) return withState(syncItemByRun(s, opts, health, when), s, state, when);
  return syncItemByRun(s, opts, health, when);
}

/** The health state decides the icon and leads the description; its rule's verdict heads the tooltip. */
function withState(
  item: ItemDescriptor,
  s: SyncSummary,
  state: Pick<SyncHealth, 'state' | 'stateReason'>,
  when: string,
): ItemDescriptor {
  const tooltip = item.tooltip
    ? {
        ...item.tooltip,
        rows: [
          ['State', `${SYNC_STATE_TEXT[state.state]}: ${state.stateReason}`] as [string, string],
          ...item.tooltip.rows,
        ],
      }
    : item.tooltip;
  return {
    ...item,
    description: `${isolate(s.destination)} · ${SYNC_STATE_TEXT[state.state]} · last run ${when}`,
    icon: STATE_ICON[state.state],
    tooltip,
  };
}

/** Orders states worst first (for tests and callers that sort by state alone). */
export const stateRank = (state: SyncState): number => SYNC_STATE_ORDER.indexOf(state);

function syncItemByRun(s: SyncSummary, opts: FormatOptions, health: Health, when: string): ItemDescriptor {
  const rows: [string, string][] = [
    ['Sync ID', s.syncId],
    ['Destination', s.destination],
    ['Primary key', s.primaryKey ?? '—'],
    [
      'Runs',
      `${formatCount(s.runCount)} (${formatCount(s.failedRunCount)} failed) since ${formatTimestamp(s.firstStartedAt, opts.timeZone)}`,
    ],
    [
      'Last run',
      `${s.lastStatus === null ? 'unknown' : isolate(s.lastStatus)} at ${formatTimestamp(s.lastStartedAt, opts.timeZone)}, took ${formatDuration(durationMs(s.lastStartedAt, s.lastFinishedAt))}`,
    ],
    [
      'Last run rows',
      `${formatCount(s.lastPlanned)} planned, ${formatCount(s.lastSucceeded)} succeeded, ${formatCount(s.lastFailed)} failed`,
    ],
  ];
  return {
    // Warehouse values are isolated where they sit beside our own text (the label beside the description).
    label: isolate(s.modelName),
    description: `${isolate(s.destination)} · ${s.lastStatus === null ? 'no runs' : isolate(s.lastStatus)} ${when}`,
    tooltip: { title: 'Sync', subject: s.modelName, rows, body: s.lastError ?? undefined },
    icon: HEALTH_ICON[health],
    contextValue: 'sync',
    collapsible: 'collapsed',
  };
}

export function runItem(r: RunSummary, opts: FormatOptions): ItemDescriptor {
  const health = runHealth(r);
  const aborted = Math.max(0, r.planned - r.attempted);
  const parts = [
    r.status === null ? 'unknown' : isolate(r.status),
    formatDuration(durationMs(r.startedAt, r.finishedAt)),
    `${formatCount(r.planned)} planned`,
    `${formatCount(r.succeeded)} ok`,
    `${formatCount(r.failed)} failed`,
  ];
  if (aborted > 0) parts.push(`${formatCount(aborted)} aborted`);
  const rows: [string, string][] = [
    ['Run ID', r.syncRunId],
    ['Status', r.status ?? 'unknown'],
    ['Started', formatTimestamp(r.startedAt, opts.timeZone)],
    ['Finished', formatTimestamp(r.finishedAt, opts.timeZone)],
    [
      'Planned',
      `${formatCount(r.planned)} (${formatCount(r.plannedAdd)} add, ${formatCount(r.plannedChange)} change, ${formatCount(r.plannedRemove)} remove)`,
    ],
    ['Attempted', formatCount(r.attempted)],
    ['Succeeded', formatCount(r.succeeded)],
    ['Failed', formatCount(r.failed)],
    ['Aborted', formatCount(aborted)],
  ];
  return {
    label: formatTimestamp(r.startedAt, opts.timeZone),
    description: parts.join(' · '),
    tooltip: { title: 'Run', subject: r.syncRunId, rows, body: r.error ?? undefined },
    icon: HEALTH_ICON[health],
    contextValue: 'run',
    collapsible: r.failed > 0 || r.error ? 'collapsed' : 'none',
  };
}

export function failureItem(f: FailureGroup): ItemDescriptor {
  const rows = `${formatCount(f.rowCount)} row${f.rowCount === 1 ? '' : 's'}`;
  const texts = f.distinctTexts > 1 ? ` · ${formatCount(f.distinctTexts)} texts` : '';
  const tooltipRows: [string, string][] = [['Sample row ID', f.sampleRowId ?? '—']];
  if (f.distinctTexts > 1 && f.template) tooltipRows.unshift(['Template', f.template]);
  return {
    label: f.template === null ? '(no failure reason recorded)' : isolate(oneLine(f.template)),
    description: rows + texts,
    tooltip: {
      title: `${rows} failed${f.distinctTexts > 1 ? `, e.g.` : ''}`,
      rows: tooltipRows,
      body: f.example ?? undefined,
    },
    icon: { id: 'symbol-event', color: 'list.errorForeground' },
    contextValue: 'failureReason',
    collapsible: 'none',
  };
}

export function runErrorItem(error: string): ItemDescriptor {
  return {
    label: `Run error: ${isolate(oneLine(error, 120 - 'Run error: '.length))}`,
    tooltip: { title: 'Sync-level error', rows: [], body: error },
    icon: { id: 'error', color: 'list.errorForeground' },
    contextValue: 'runError',
    collapsible: 'none',
  };
}

/** Splits a page fetched with one extra row into what to show and whether more exist. */
export function pageOf<T>(rows: T[], pageSize: number): { items: T[]; hasMore: boolean } {
  return { items: rows.slice(0, pageSize), hasMore: rows.length > pageSize };
}
