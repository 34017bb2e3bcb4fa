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
  /** Distinct rows (sync and row id) that failed with this template's texts: what a person reads first. */
  rows: number;
  /** Failed operations (attempts, retries included), beside the rows. */
  failures: number;
  /** Distinct raw failure texts folded into this template. */
  distinctTexts: number;
  /** The most frequent raw text, as an example. */
  example: string;
  /** A few row ids that failed this way (from the most frequent texts). */
  sampleRowIds: string[];
  /**
   * Earliest and latest run start of the template's failures in the whole retained log (its
   * texts outside the window included): never clipped to the window. Null until the history
   * follow-up has read them (and when the changelog holds none of its texts).
   */
  firstSeen: string | null;
  lastSeen: string | null;
  /** First seen at or after the window's start; false for every template without a window; null until the history is read. */
  isNew: boolean | null;
}

export interface CategoryRow {
  name: string;
  /** Distinct rows with a failure of this category. */
  rows: number;
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
  /** Distinct rows with a failure in scope (sync and row id: one id in two syncs is two rows). */
  totalRows: number;
  totalFailures: number;
  /**
   * True when the rows that failed with several texts were more than the panel reads: the rows
   * of templates and categories are then upper bounds (a row may be counted twice). The total is exact.
   */
  rowsUpperBound: boolean;
  /** Start of the window the breakdown covers (null: every run, or a single run, or the snapshot): templates first seen at or after it are new. */
  windowStart: string | null;
  /**
   * First and last seen over the whole log come from a follow-up: null until it answers;
   * `truncated` when the log held more distinct texts than it reads (the oldest left out, so a
   * template's first seen may be earlier and a "new" one older than shown); `error` when the
   * read failed (first and last seen then stay unknown).
   */
  history: { truncated: boolean; error?: string } | null;
  distinctTexts: number;
  /** Categories with failures, UNEXPECTED first when it has any, then by rows, then failures. */
  categories: CategoryRow[];
  /** All templates, most rows first (then failures). */
  templates: TemplateRow[];
  problems: CategoryProblem[];
  /** User patterns that may be slow (nested quantifiers and the like): they run, under a time budget, and are shown as a warning. */
  warnings?: CategoryProblem[];
  /** True when the warehouse returned more distinct texts than the panel reads (the least frequent were left out). */
  truncated: boolean;
  /**
   * The user categories in effect (workspace file, then settings), in the order they are tried,
   * so the panel can say that results are not the defaults' alone. Absent or empty: defaults only.
   */
  customCategories?: { name: string; source: CategorySource; origin?: string }[];
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
  /** Every operation in the window (attempts, retries included). */
  operations: number;
  /** Operations whose previous operation on the row (same sync) failed or was aborted. */
  retries: number;
  /** Succeeded changes that are not retries. */
  changes: number;
  /** Times the row entered the model (succeeded add) and left it (succeeded remove), retries excluded. */
  entries: number;
  exits: number;
  /** Enter/exit cycles: min(entries, exits). */
  cycles: number;
  /** changes + cycles: what the ranking orders by first. */
  flapping: number;
  /** Failed operations; null until the follow-up (sparkline) query has answered. */
  failures: number | null;
  /** Flapping per run in the window: near 1 means the row flaps every run. */
  ratePerRun: number;
  firstRunAt: string | null;
  lastRunAt: string | null;
  /** Operations per chart bucket (aligned with FlappingData.buckets), for the sparkline. */
  activity: number[];
}

export type FlappingOrder = 'flapping' | 'retries' | 'operations' | 'changes' | 'cycles';

export interface FlappingData {
  runsInWindow: number;
  /** Rows with any operation in the window; null until the follow-up has counted them. */
  rowsWithOperations: number | null;
  orderBy: FlappingOrder;
  rows: FlappingRow[];
  buckets: ChartBucket[];
  unit: 'run' | 'hour' | 'day';
  /** The Stuck Rows section; null until its follow-up query has answered (or when it failed). */
  stuck: StuckRowsData | null;
}

/** A row whose latest `minFailures` or more operations all failed. */
export interface StuckRow {
  rowId: string;
  /** Length of the streak of failures that ends with the row's latest operation. */
  consecutiveFailures: number;
  /** Start of the run of the streak's first failure. */
  failingSince: string | null;
  /** Start of the run of its latest failure (its latest operation). */
  lastFailedAt: string | null;
  /** The latest failure's text, templated; null when the warehouse gave none. */
  template: string | null;
}

/** A row whose latest operation succeeded after a streak of `minFailures` or more failures. */
export interface RecoveredRow {
  rowId: string;
  /** Length of its latest such streak. */
  failures: number;
  failingSince: string | null;
  /** Start of the run whose success ended the streak. */
  recoveredAt: string | null;
  /** recoveredAt - failingSince; null when a time is missing. */
  recoverMs: number | null;
}

export interface StuckRowsData {
  /** K: the shortest streak that counts. */
  minFailures: number;
  /** Stuck rows in all (the list holds the top ones). */
  stuckRows: number;
  stuck: StuckRow[];
  /** Rows recovered in the window, in all. */
  recoveredRows: number;
  recovered: RecoveredRow[];
}

// ---------------------------------------------------------------- row timeline

export interface FieldChange {
  field: string;
  kind: 'added' | 'removed' | 'changed';
  /** JSON text of the value before and after (undefined when absent). */
  before?: string;
  after?: string;
}

/**
 * What an operation did to the destination, by op_type and status: a failed add left the row
 * out of it, a failed change left the old values, a failed remove left the row in it; an
 * aborted operation was never sent. 'other' is an op_type or status the schema does not name.
 */
export type TimelineOutcome =
  'added' | 'add-failed' | 'changed' | 'change-failed' | 'removed' | 'remove-failed' | 'aborted' | 'other';

export interface TimelineEvent {
  syncId: string;
  syncRunId: string;
  startedAt: string | null;
  opType: string;
  status: string;
  failureReason: string | null;
  outcome: TimelineOutcome;
  /** The outcome in words ("add failed: not in the destination"). */
  label: string;
  /** Field-level diff against the previous operation of the same row and sync (null for the first, or without `fields`). */
  changes: FieldChange[] | null;
  /** The row's fields after this operation, as JSON text (null without `fields`). */
  fields: string | null;
}

/**
 * Consecutive operations of one sync on the row with the same op_type, status and failure
 * template, folded into one line. A succeeded operation whose fields changed is always an entry
 * of its own, so no diff of a real change is folded away.
 */
export interface TimelineEntry {
  syncId: string;
  opType: string;
  status: string;
  outcome: TimelineOutcome;
  label: string;
  count: number;
  firstStartedAt: string | null;
  lastStartedAt: string | null;
  /** The failure template all of them share (null when they did not fail). */
  template: string | null;
  /** Distinct failure texts among them (0 when none failed): 1 is "the same error". */
  distinctReasons: number;
  /** Operations in this entry whose field diff is not empty (failed retries can carry new values). */
  fieldChanges: number;
  /** Indices into TimelineData.events, oldest first. */
  events: number[];
}

/** The row's state in one sync's destination now, and how long it has been so. */
export interface TimelineSummary {
  syncId: string;
  /** The row is in the sync's snapshot (the model); a row whose latest operation removed it is not. */
  inModel: boolean;
  snapshotStatus: string | null;
  snapshotOpType: string | null;
  /** From the latest operation that settles it; null when neither history nor snapshot says. */
  inDestination: boolean | null;
  /** Run start of the latest succeeded add (in) or remove (out); null when the loaded history holds none. */
  since: string | null;
  /** Not in the destination and no succeeded add anywhere in the loaded history. */
  neverAdded: boolean;
  /** The row's latest operations in this sync all failed: that streak. */
  failing: {
    since: string | null;
    attempts: number;
    outcome: TimelineOutcome;
    /** Distinct failure templates in the streak: 1 is "the same error". */
    templates: number;
    latestReason: string | null;
  } | null;
  /** The history was cut and this sync's answer may reach past the oldest operation loaded. */
  cut: boolean;
}

export interface TimelineData {
  rowId: string;
  /** Null when the search covered every sync. */
  syncId: string | null;
  hasFields: boolean;
  /** Why there is no field diff, when there is none (e.g. Redshift has no `fields` column). */
  fieldsNote: string | null;
  /** Every operation loaded, oldest first. */
  events: TimelineEvent[];
  /** The events folded, newest first (the latest state is what an on-call engineer reads first). */
  entries: TimelineEntry[];
  /** One per sync of the snapshot list, in its order. */
  summaries: TimelineSummary[];
  /** Only the latest operations were loaded (the cap); older ones are left out. */
  truncated: boolean;
  /** Run start of the oldest operation loaded (where a cut history begins). */
  oldestLoadedAt: string | null;
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
