/**
 * What the four analysis panels show: computed by the pure functions in src/analysis from
 * bounded, aggregated query results, posted to the webviews as JSON. Times are ISO strings.
 * Every string that came from the warehouse is shown as text, never as HTML.
 */

/** Which runs an analysis covers: all of them, or those that started in the last `days` before the newest run in scope. */
export interface AnalysisWindow {
  days: number | null;
}

/** A run as the panels see it (from sync_runs). */
export interface RunPoint {
  syncId: string;
  syncRunId: string;
  startedAt: string | null;
  status: string | null;
  /** The sync-level error when the run stopped early. */
  error: string | null;
}

// ---------------------------------------------------------------- error breakdown

export type CategorySource = 'default' | 'settings' | 'workspace';

/** One error category: a JavaScript regular expression, case-insensitive, first match wins. */
export interface CategoryDef {
  name: string;
  pattern: string;
  source: CategorySource;
  /** Where a user category came from, e.g. `settings: syncLogs.errorCategories[2]` or `.vscode/sync-logs-categories.json`. */
  origin?: string;
}

/** A category that could not be used (an invalid pattern, a missing name); it is skipped. */
export interface CategoryProblem {
  name: string;
  pattern: string;
  origin: string;
  message: string;
}

/** The category name given to failures that no category matches. */
export const UNEXPECTED = 'unexpected';

/** One failure template (variable parts folded into placeholders) with its category. */
export interface TemplateRow {
  template: string;
  /** The first matching category, or UNEXPECTED. */
  category: string;
  failures: number;
  /** Distinct raw failure texts folded into this template. */
  distinctTexts: number;
  /** The most frequent raw text, as an example. */
  example: string;
  /** A few row ids that failed this way (from the most frequent texts). */
  sampleRowIds: string[];
  /** Earliest and latest run start among the failures (null on the snapshot, which has no time). */
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface CategoryRow {
  name: string;
  failures: number;
  templates: number;
  distinctTexts: number;
  firstSeen: string | null;
  lastSeen: string | null;
  /** True for the UNEXPECTED bucket. */
  unexpected: boolean;
  /** The category's pattern ('' for UNEXPECTED). */
  pattern: string;
  source: CategorySource | null;
}

/** Failures per category per time bucket: one bar group per run, or per hour/day when runs are many. */
export interface CategoryChart {
  unit: 'run' | 'hour' | 'day';
  buckets: ChartBucket[];
  /** One series per category that has failures in the window; counts align with `buckets`. */
  series: { category: string; counts: number[] }[];
  /** The read limits the chart hit, if any: it then covers only the newest `runs` runs, or only the largest `pairs` (run, text) pairs. */
  capped: { runs: number | null; pairs: number | null };
}

export interface ChartBucket {
  /** Start of the bucket (the run's start for unit 'run'). */
  start: string;
  runs: number;
  /** Runs in the bucket whose status is failed (the sync stopped early). */
  failedRuns: number;
  /** Set when unit is 'run'. */
  syncRunId?: string;
}

export interface BreakdownData {
  source: 'changelog' | 'snapshot';
  totalFailures: number;
  distinctTexts: number;
  /** Categories with failures, UNEXPECTED first when it has any, then by failures. */
  categories: CategoryRow[];
  /** All templates, most failures first. */
  templates: TemplateRow[];
  problems: CategoryProblem[];
  /** User patterns that may be slow (nested quantifiers and the like): they run, under a time budget, and are shown as a warning. */
  warnings?: CategoryProblem[];
  /** True when the warehouse returned more distinct texts than the panel reads (the least frequent were left out). */
  truncated: boolean;
}

/** One failed row, for the drill-down from a category or template. */
export interface FailedRow {
  rowId: string;
  syncId: string;
  syncRunId: string | null;
  startedAt: string | null;
  opType: string | null;
  failureReason: string;
}

// ---------------------------------------------------------------- flapping rows

export interface FlappingRow {
  rowId: string;
  operations: number;
  changes: number;
  /** Times the row entered the model (added) and left it (removed). */
  adds: number;
  removes: number;
  /** Enter/exit cycles: min(adds, removes). */
  cycles: number;
  /** Failed operations; null until the follow-up (sparkline) query has answered. */
  failures: number | null;
  /** Operations per run in the window. */
  ratePerRun: number;
  firstRunAt: string | null;
  lastRunAt: string | null;
  /** Operations per chart bucket (aligned with FlappingData.buckets), for the sparkline. */
  activity: number[];
}

export type FlappingOrder = 'operations' | 'changes' | 'cycles';

export interface FlappingData {
  runsInWindow: number;
  /** Rows with any operation in the window; null until the follow-up has counted them. */
  rowsWithOperations: number | null;
  orderBy: FlappingOrder;
  rows: FlappingRow[];
  buckets: ChartBucket[];
  unit: 'run' | 'hour' | 'day';
}

// ---------------------------------------------------------------- row timeline

export interface FieldChange {
  field: string;
  kind: 'added' | 'removed' | 'changed';
  /** JSON text of the value before and after (undefined when absent). */
  before?: string;
  after?: string;
}

export interface TimelineEvent {
  syncId: string;
  syncRunId: string;
  startedAt: string | null;
  opType: string;
  status: string;
  failureReason: string | null;
  /** What the model row moved to: 'entered' | 'changed' | 'exited' (from op_type). */
  movement: 'entered' | 'changed' | 'exited' | 'other';
  /** Field-level diff against the previous operation of the same row and sync (null for the first, or without `fields`). */
  changes: FieldChange[] | null;
  /** The row's fields after this operation, as JSON text (null without `fields`). */
  fields: string | null;
}

export interface TimelineData {
  rowId: string;
  /** Null when the search covered every sync. */
  syncId: string | null;
  hasFields: boolean;
  /** Why there is no field diff, when there is none (e.g. Redshift has no `fields` column). */
  fieldsNote: string | null;
  events: TimelineEvent[];
  truncated: boolean;
  /** The row's state in the snapshot per sync ('absent' when it left the model). */
  snapshot: { syncId: string; status: string | null; opType: string | null }[];
}

// ---------------------------------------------------------------- model over time

export interface ModelRunPoint extends RunPoint {
  added: number;
  changed: number;
  removed: number;
  failed: number;
  aborted: number;
  /** Rows in the model after this run. */
  membership: number;
}

export interface ModelOverTimeData {
  points: ModelRunPoint[];
  /** Rows in the model now (the snapshot). */
  currentMembership: number;
}
