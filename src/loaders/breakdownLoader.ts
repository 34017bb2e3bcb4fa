import type { BreakdownData, CategoryChart, CategoryProblem, FailedRow } from '../shared/analysisData';
import type { BreakdownParams, DrillSelector } from '../shared/analysisProtocol';
import type { AnalysisScope } from '../sql/analysisScope';
import {
  failedRowsQuery,
  failuresPerRunQuery,
  failureTextHistoryQuery,
  failureTextsQuery,
  snapshotFailureTextsQuery,
} from '../sql/errorBreakdownQueries';
import {
  buildBreakdown,
  buildCategoryChart,
  textsFor,
  type BreakdownRows,
  type FailureTextCount,
} from '../analysis/errorBreakdown';
import { rowKey, rowsWithTexts, type RowTextPair } from '../analysis/rowOverlaps';
import type { TextHistory } from '../analysis/templateHistory';
import type { CompiledCategory } from '../analysis/errorCategories';
import { withRunDetails } from '../analysis/failureTextRuns';
import { isBlank, type TextClass, type TextClasses } from '../analysis/textClasses';
import { inlineClassifier, type TextClassifier } from './textClassifier';
import { windowStart } from './analysisWindow';
import { MAX_RUNS, loadRuns } from './runs';
import { num, str, strOrNull, time, type QueryRunner } from './queryRunner';

/** Distinct failure texts read per breakdown; past this the least frequent are left out (and the panel says so). */
export const MAX_BREAKDOWN_TEXTS = 50_000;
/**
 * (row, text) pairs read for rows that failed with more than one text: past this, the rows of
 * templates and categories are upper bounds (and the panel says so). A row whose text embeds a
 * request id has one pair per failed attempt, so this is generous.
 */
export const MAX_OVERLAP_PAIRS = 200_000;
/** Distinct texts read for first and last seen over the whole log (newest first appearance first). */
export const MAX_HISTORY_TEXTS = 50_000;
/** (run, text) pairs read for the chart. */
export const MAX_RUN_TEXT_PAIRS = 500_000;
/** Texts one drill-down asks for (within failedRowsQuery's MAX_FAILED_ROWS_TEXTS), and rows it shows. */
export const MAX_TEXTS_PER_DRILL = 200;
export const MAX_DRILL_ROWS = 500;

export interface Categories {
  compiled: CompiledCategory[];
  problems: CategoryProblem[];
  /** User patterns that may be slow (they still run, under the classifier's time budget). */
  warnings?: CategoryProblem[];
  /**
   * Where texts are templated and categorized; on this thread when omitted, which is only for
   * callers that own their thread (tests, tools): the extension passes the worker classifier, so
   * that user patterns never run on the host's thread.
   */
  classifier?: TextClassifier;
}

/** What the host keeps after a breakdown loads, for the chart and drill-downs. */
export interface BreakdownResult {
  scope: AnalysisScope;
  texts: FailureTextCount[];
  /** The exact totals and the texts of multi-text rows: what turns per-text rows into rows of templates and categories. */
  rows: BreakdownRows;
  /** First and last seen of each text over the whole log, once the history follow-up has read them. */
  history?: TextHistory;
  /** Each text's template and category, computed once for the table, the chart and drill-downs. */
  classes: TextClasses;
  data: BreakdownData;
  /** User categories the classifier stopped and skipped (a pattern over its time budget); later texts of the load are classified without them. */
  skipped: CategoryProblem[];
}

/** The data with the load's problems: the definitions' own, then the categories skipped while classifying. */
const withProblems = (
  data: BreakdownData,
  categories: Categories,
  skipped: readonly CategoryProblem[],
): BreakdownData => ({
  ...data,
  problems: [...categories.problems, ...skipped],
  warnings: [...(categories.warnings ?? [])],
  customCategories: categories.compiled
    .filter((c) => c.def.source !== 'default')
    .map((c) => ({ name: c.name, source: c.def.source, origin: c.def.origin })),
});

/** The scope a breakdown covers: a run ignores the window; the snapshot has no time. */
export async function breakdownScope(run: QueryRunner, p: BreakdownParams): Promise<AnalysisScope> {
  const scope: AnalysisScope = {};
  if (p.syncId !== null) scope.syncId = p.syncId;
  if (p.syncRunId !== null) {
    scope.syncRunId = p.syncRunId;
    return scope;
  }
  if (p.source === 'changelog') {
    const since = await windowStart(run, p.syncId, p.days);
    if (since !== undefined) scope.since = since;
  }
  return scope;
}

/** Read limits of the breakdown's first query (tests lower them). */
export interface BreakdownLimits {
  texts: number;
  pairs: number;
}

/** Parses the texts query's three kinds of lines (see failureTextsQuery); the snapshot's are all texts. */
function readTexts(
  rows: readonly Record<string, unknown>[],
  limits: BreakdownLimits,
): { texts: FailureTextCount[]; truncated: boolean; rows: BreakdownRows } {
  const texts: FailureTextCount[] = [];
  const pairs: RowTextPair[] = [];
  let textLines = 0;
  let pairLines = 0;
  let totals: { totalRows: number; totalFailures: number } | undefined;
  for (const r of rows) {
    const kind = str(r.kind);
    if (kind === 'total') totals = { totalRows: num(r.failed_rows), totalFailures: num(r.failures) };
    else if (kind === 'pair') {
      if (++pairLines <= limits.pairs)
        pairs.push({ rowKey: rowKey(str(r.sync_id), str(r.row_id)), reason: strOrNull(r.failure_reason) });
    } else if (++textLines <= limits.texts) {
      texts.push({
        reason: strOrNull(r.failure_reason),
        count: num(r.failures),
        rows: num(r.failed_rows),
        sampleRowId: strOrNull(r.sample_row_id ?? null),
        firstSeen: time(r.first_seen ?? null),
        lastSeen: time(r.last_seen ?? null),
      });
    }
  }
  return {
    texts,
    truncated: textLines > limits.texts,
    rows: { ...totals, multiTextRows: rowsWithTexts(pairs), pairsTruncated: pairLines > limits.pairs },
  };
}

/** The breakdown's data from what the loads so far have read (the table, then the per-run pass and the history, in any order). */
function rebuild(
  result: Omit<BreakdownResult, 'data'>,
  source: BreakdownParams['source'],
  truncated: boolean,
  categories: Categories,
): BreakdownData {
  const data = buildBreakdown(result.texts, categories.compiled, [], source, truncated, result.classes, {
    rows: result.rows,
    windowStart: result.scope.since ?? null,
    history: result.history,
  });
  return withProblems(data, categories, result.skipped);
}

export async function loadBreakdown(
  run: QueryRunner,
  p: BreakdownParams,
  categories: Categories,
  limits: BreakdownLimits = { texts: MAX_BREAKDOWN_TEXTS, pairs: MAX_OVERLAP_PAIRS },
): Promise<BreakdownResult> {
  void categories.classifier?.prepare?.(categories.compiled);
  const scope = await breakdownScope(run, p);
  const query =
    p.source === 'snapshot'
      ? snapshotFailureTextsQuery(run.loc, { syncId: p.syncId ?? undefined }, limits.texts)
      : failureTextsQuery(run.loc, scope, limits.texts, limits.pairs);
  const read = readTexts(await run.rows(query), limits);
  const reasons = read.texts.flatMap((t) => (isBlank(t.reason) ? [] : [t.reason]));
  const classes = await (categories.classifier ?? inlineClassifier).classify(reasons, categories.compiled, {
    signal: run.signal,
  });
  const partial = { scope, texts: read.texts, rows: read.rows, classes, skipped: [...classes.skipped] };
  return { ...partial, data: rebuild(partial, p.source, read.truncated, categories) };
}

/**
 * Classes for the per-run rows' texts: the table's, plus those only the per-run query returned
 * (when the table was truncated), classified the same way, without the categories already skipped.
 */
async function perRunClasses(
  run: QueryRunner,
  result: BreakdownResult,
  reasons: readonly (string | null)[],
  categories: Categories,
): Promise<{ classes: TextClasses; skipped: CategoryProblem[] }> {
  const missing = [...new Set(reasons.filter((r): r is string => !isBlank(r) && !result.classes.has(r)))];
  if (missing.length === 0) return { classes: result.classes, skipped: result.skipped };
  const gone = new Set(result.skipped.map((s) => s.name));
  const usable = categories.compiled.filter((c) => !gone.has(c.name));
  const more = await (categories.classifier ?? inlineClassifier).classify(missing, usable, { signal: run.signal });
  return { classes: new Map([...result.classes, ...more]), skipped: [...result.skipped, ...more.skipped] };
}

/**
 * The breakdown's second query, failures per (run, text): the chart of categories per run and,
 * for the changelog, each text's first and last run and a sample row (the table, refined).
 * `limits` caps what is read (tests lower them); the chart says when a cap was hit.
 */
export async function loadBreakdownDetails(
  run: QueryRunner,
  result: BreakdownResult,
  source: BreakdownParams['source'],
  categories: Categories,
  limits: { runs: number; pairs: number } = { runs: MAX_RUNS, pairs: MAX_RUN_TEXT_PAIRS },
): Promise<{ chart: CategoryChart; result: BreakdownResult }> {
  const [runs, pairs] = await Promise.all([
    loadRuns(run, result.scope, limits.runs),
    run.rows(failuresPerRunQuery(run.loc, result.scope, limits.pairs)),
  ]);
  const perRun = pairs.slice(0, limits.pairs).map((r) => ({
    syncRunId: str(r.sync_run_id),
    reason: strOrNull(r.failure_reason),
    count: num(r.row_count),
    sampleRowId: strOrNull(r.sample_row_id),
  }));
  const capped = {
    runs: runs.length >= limits.runs ? limits.runs : null,
    pairs: pairs.length > limits.pairs ? limits.pairs : null,
  };
  const { classes, skipped } = await perRunClasses(
    run,
    result,
    perRun.map((r) => r.reason),
    categories,
  );
  const chart = { ...buildCategoryChart(perRun, runs, categories.compiled, undefined, classes), capped };
  if (source === 'snapshot')
    return { chart, result: { ...result, classes, skipped, data: withProblems(result.data, categories, skipped) } };
  const refined = { ...result, texts: withRunDetails(result.texts, perRun, runs), classes, skipped };
  return { chart, result: { ...refined, data: rebuild(refined, 'changelog', result.data.truncated, categories) } };
}

/**
 * The breakdown's history follow-up: each text's first and last run start in the whole log of the
 * scope's sync (or of all syncs), without the window, so templates get their first and last seen
 * unclipped and the new ones are flagged. Texts the table lacks are templated by the classifier
 * (with no categories: only their template matters), off this thread when they are many.
 */
export async function loadBreakdownHistory(
  run: QueryRunner,
  result: BreakdownResult,
  categories: Categories,
  limit = MAX_HISTORY_TEXTS,
): Promise<TextHistory> {
  const rows = await run.rows(failureTextHistoryQuery(run.loc, { syncId: result.scope.syncId }, limit));
  // As ISO instants with milliseconds, as the per-run pass writes them: one format whichever source wins a tie.
  const instant = (v: unknown) => {
    const t = time(v);
    const ms = t === null ? NaN : Date.parse(t);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : t;
  };
  const texts = rows.slice(0, limit).map((r) => ({
    reason: strOrNull(r.failure_reason),
    firstSeen: instant(r.first_seen),
    lastSeen: instant(r.last_seen),
  }));
  const missing = [
    ...new Set(texts.flatMap((t) => (isBlank(t.reason) || result.classes.has(t.reason) ? [] : [t.reason]))),
  ];
  const classes = missing.length
    ? await (categories.classifier ?? inlineClassifier).classify(missing, [], { signal: run.signal })
    : new Map<string, TextClass>();
  return {
    texts,
    truncated: rows.length > limit,
    templates: new Map([...classes].map(([text, c]) => [text, c.template])),
  };
}

/**
 * The result with a history read added: the table's templates get whole-log first and last seen
 * and their `new` flags. Kept apart from the table's classes, which the chart and drill-downs
 * trust for categories: the history's texts were templated only.
 */
export function withHistory(
  result: BreakdownResult,
  history: TextHistory,
  source: BreakdownParams['source'],
  categories: Categories,
): BreakdownResult {
  const next = { ...result, history };
  return { ...next, data: rebuild(next, source, result.data.truncated, categories) };
}

/** The chart alone (tests and the benchmark use it). */
export async function loadCategoryChart(
  run: QueryRunner,
  scope: AnalysisScope,
  categories: Categories,
): Promise<CategoryChart> {
  const empty: BreakdownResult = {
    scope,
    texts: [],
    rows: {},
    classes: new Map(),
    data: buildBreakdown([], categories.compiled, [], 'changelog', false),
    skipped: [],
  };
  return (await loadBreakdownDetails(run, empty, 'snapshot', categories)).chart;
}

export interface DrillResult {
  rows: FailedRow[];
  truncated: boolean;
  textsUsed: number;
  textsTotal: number;
}

/** The rows behind a category or template: the texts it holds (most frequent first), then their rows. */
export async function loadDrill(
  run: QueryRunner,
  result: BreakdownResult,
  source: BreakdownParams['source'],
  categories: Categories,
  selector: DrillSelector,
): Promise<DrillResult> {
  const all = textsFor(result.texts, categories.compiled, selector, Number.MAX_SAFE_INTEGER, result.classes);
  const used = all.slice(0, MAX_TEXTS_PER_DRILL);
  if (used.length === 0) return { rows: [], truncated: false, textsUsed: 0, textsTotal: 0 };
  const rows = await run.rows(
    failedRowsQuery(run.loc, { scope: result.scope, source, texts: used, limit: MAX_DRILL_ROWS }),
  );
  return {
    rows: rows.slice(0, MAX_DRILL_ROWS).map((r) => ({
      rowId: str(r.row_id),
      syncId: str(r.sync_id),
      syncRunId: strOrNull(r.sync_run_id),
      startedAt: time(r.started_at),
      opType: strOrNull(r.op_type),
      failureReason: str(r.failure_reason),
    })),
    truncated: rows.length > MAX_DRILL_ROWS,
    textsUsed: used.length,
    textsTotal: all.length,
  };
}
