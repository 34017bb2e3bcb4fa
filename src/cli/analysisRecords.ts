/**
 * What the CLI prints for each analysis: one record shape per command, snake_case keys, built by
 * pure functions from the loaders' data (the same the panels show). Counts are rows (distinct
 * row ids) unless named failures or operations.
 */
import type { BreakdownData, FlappingRow, StuckRowsData, TimelineData } from '../shared/analysisData';
import type { HealthData } from '../shared/healthData';
import type { RunExplainedData } from '../shared/runExplainedData';

export type CliRecord = Record<string, string | number | boolean | null>;

export interface ErrorsReport {
  failures: number;
  rows: number;
  /** True when template and category rows are upper bounds (see BreakdownData.rowsUpperBound); the total is exact. */
  rows_upper_bound: boolean;
  categories: { category: string; rows: number; failures: number }[];
  templates: {
    template: string;
    category: string;
    rows: number;
    failures: number;
    first_seen: string | null;
    last_seen: string | null;
    new: boolean | null;
  }[];
}

/**
 * First and last seen are the whole log's (the history follow-up); `new` is the loader's own flag,
 * null when the history was not read (never a guess from a first seen clipped to the window).
 */
export function errorsReport(data: BreakdownData): ErrorsReport {
  return {
    failures: data.totalFailures,
    rows: data.totalRows,
    rows_upper_bound: data.rowsUpperBound,
    categories: data.categories.map((c) => ({ category: c.name, rows: c.rows, failures: c.failures })),
    templates: data.templates.map((t) => ({
      template: t.template,
      category: t.category,
      rows: t.rows,
      failures: t.failures,
      first_seen: t.firstSeen,
      last_seen: t.lastSeen,
      new: t.isNew,
    })),
  };
}

export const errorTemplateRecords = (report: ErrorsReport): CliRecord[] => report.templates.map((t) => ({ ...t }));

/** The panel's ranking as it came (the loader orders it: changes + cycles, then the others). */
export const flappingRecords = (rows: readonly FlappingRow[]): CliRecord[] =>
  rows.map((r) => ({
    row_id: r.rowId,
    operations: r.operations,
    changes: r.changes,
    cycles: r.cycles,
    retries: r.retries,
    entries: r.entries,
    exits: r.exits,
    flapping: r.flapping,
  }));

export const stuckRecords = (data: StuckRowsData): CliRecord[] =>
  data.stuck.map((r) => ({
    row_id: r.rowId,
    consecutive_failures: r.consecutiveFailures,
    failing_since: r.failingSince,
    last_failed_at: r.lastFailedAt,
    template: r.template,
  }));

export const timelineRecords = (data: TimelineData): CliRecord[] =>
  data.entries
    .slice()
    .reverse()
    .flatMap((entry) =>
      entry.events.map((i) => {
        const e = data.events[i];
        return {
          sync_id: e.syncId,
          sync_run_id: e.syncRunId,
          started_at: e.startedAt,
          op_type: e.opType,
          status: e.status,
          outcome: e.outcome,
          label: e.label,
          failure_reason: e.failureReason,
          changed_fields: e.changes === null ? null : e.changes.map((c) => c.field).join(', '),
        };
      }),
    );

export const healthRecords = (data: HealthData): CliRecord[] =>
  data.syncs.map((s) => ({
    sync_id: s.syncId,
    model_name: s.modelName,
    destination: s.destination,
    state: s.state,
    state_reason: s.stateReason,
    last_run_started_at: s.lastRun?.startedAt ?? null,
    last_run_status: s.lastRun?.status ?? null,
    rows_failing: s.rowsFailingNow,
    rows_failed_in_window: s.rowsFailedInWindow,
    rows_attempted_in_window: s.rowsAttemptedInWindow,
    failure_rate: s.failureRate,
    stuck_rows: s.stuckRows,
    new_templates: s.newTemplateCount,
    aborted_runs: s.abortedRuns,
  }));

export const runRecords = (data: RunExplainedData): CliRecord[] =>
  data.ops.map((o) => ({
    sync_id: data.run.syncId,
    sync_run_id: data.run.syncRunId,
    op_type: o.opType,
    planned: o.planned,
    attempted: o.attempted,
    succeeded: o.succeeded,
    failed: o.failed,
    aborted: o.aborted,
  }));

/** Each command's columns, in order: the header of an empty table or CSV. */
export const RECORD_COLUMNS = {
  errors: ['template', 'category', 'rows', 'failures', 'first_seen', 'last_seen', 'new'],
  flapping: ['row_id', 'operations', 'changes', 'cycles', 'retries', 'entries', 'exits', 'flapping'],
  stuck: ['row_id', 'consecutive_failures', 'failing_since', 'last_failed_at', 'template'],
  timeline: [
    'sync_id',
    'sync_run_id',
    'started_at',
    'op_type',
    'status',
    'outcome',
    'label',
    'failure_reason',
    'changed_fields',
  ],
  health: [
    'sync_id',
    'model_name',
    'destination',
    'state',
    'state_reason',
    'last_run_started_at',
    'last_run_status',
    'rows_failing',
    'rows_failed_in_window',
    'rows_attempted_in_window',
    'failure_rate',
    'stuck_rows',
    'new_templates',
    'aborted_runs',
  ],
  run: ['sync_id', 'sync_run_id', 'op_type', 'planned', 'attempted', 'succeeded', 'failed', 'aborted'],
} as const;

/** `synclogs run --format json`: the waterfall and the comparison with the previous run, in snake_case. */
export function runReport(data: RunExplainedData): Record<string, unknown> {
  const c = data.comparison;
  return {
    sync_id: data.run.syncId,
    sync_run_id: data.run.syncRunId,
    started_at: data.run.startedAt,
    finished_at: data.run.finishedAt,
    status: data.run.status,
    error: data.run.error,
    ops: runRecords(data).map(({ sync_id: _s, sync_run_id: _r, ...op }) => op),
    comparison:
      c === null
        ? null
        : {
            previous_run_id: c.previous.syncRunId,
            previous_started_at: c.previous.startedAt,
            previous_status: c.previous.status,
            newly_failing: c.newlyFailing,
            recovered: c.recovered,
            still_failing: c.stillFailing,
            new_templates: c.newTemplates.map((t) => ({ template: t.template, rows: t.rows })),
          },
  };
}
