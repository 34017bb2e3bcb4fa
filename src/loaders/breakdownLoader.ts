import type { BreakdownData, CategoryChart, CategoryProblem, FailedRow } from '../shared/analysisData';
import type { BreakdownParams, DrillSelector } from '../shared/analysisProtocol';
import type { AnalysisScope } from '../sql/analysisScope';
import { failedRowsQuery, failuresPerRunQuery, failureTextsQuery, snapshotFailureTextsQuery } from '../sql/errorBreakdownQueries';
import { buildBreakdown, buildCategoryChart, textsFor, type FailureTextCount } from '../analysis/errorBreakdown';
import type { CompiledCategory } from '../analysis/errorCategories';
import { withRunDetails } from '../analysis/failureTextRuns';
import { isBlank, type TextClasses } from '../analysis/textClasses';
import { inlineClassifier, type TextClassifier } from './textClassifier';
import { windowStart } from './analysisWindow';
import { MAX_RUNS, loadRuns } from './runs';
import { num, str, strOrNull, time, type QueryRunner } from './queryRunner';

/** Distinct failure texts read per breakdown; past this the least frequent are left out (and the panel says so). */
export const MAX_FAILURE_TEXTS = 50_000;
/** (run, text) pairs read for the chart. */
export const MAX_RUN_TEXT_PAIRS = 500_000;
/** Texts one drill-down asks for, and rows it shows. */
export const MAX_DRILL_TEXTS = 200;
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
  /** Each text's template and category, computed once for the table, the chart and drill-downs. */
  classes: TextClasses;
  data: BreakdownData;
  /** User categories the classifier stopped and skipped (a pattern over its time budget); later texts of the load are classified without them. */
  skipped: CategoryProblem[];
}

/** The data with the load's problems: the definitions' own, then the categories skipped while classifying. */
const withProblems = (data: BreakdownData, categories: Categories, skipped: readonly CategoryProblem[]): BreakdownData => ({
  ...data,
  problems: [...categories.problems, ...skipped],
  warnings: [...(categories.warnings ?? [])],
  customCategories: categories.compiled.filter((c) => c.def.source !== 'default').map((c) => ({ name: c.name, source: c.def.source, origin: c.def.origin })),
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

export async function loadBreakdown(run: QueryRunner, p: BreakdownParams, categories: Categories): Promise<BreakdownResult> {
  void categories.classifier?.prepare?.(categories.compiled);
  const scope = await breakdownScope(run, p);
  const query =
    p.source === 'snapshot'
      ? snapshotFailureTextsQuery(run.loc, { syncId: p.syncId ?? undefined }, MAX_FAILURE_TEXTS)
      : failureTextsQuery(run.loc, scope, MAX_FAILURE_TEXTS);
  const rows = await run.rows(query);
  const truncated = rows.length > MAX_FAILURE_TEXTS;
  const texts: FailureTextCount[] = rows.slice(0, MAX_FAILURE_TEXTS).map((r) => ({
    reason: strOrNull(r.failure_reason),
    count: num(r.row_count),
    sampleRowId: strOrNull(r.sample_row_id ?? null),
    firstSeen: time(r.first_seen ?? null),
    lastSeen: time(r.last_seen ?? null),
  }));
  const reasons = texts.flatMap((t) => (isBlank(t.reason) ? [] : [t.reason]));
  const classes = await (categories.classifier ?? inlineClassifier).classify(reasons, categories.compiled, { signal: run.signal });
  const skipped = [...classes.skipped];
  const data = withProblems(buildBreakdown(texts, categories.compiled, [], p.source, truncated, classes), categories, skipped);
  return { scope, texts, classes, data, skipped };
}

/**
 * Classes for the per-run rows' texts: the table's, plus those only the per-run query returned
 * (when the table was truncated), classified the same way, without the categories already skipped.
 */
async function perRunClasses(run: QueryRunner, result: BreakdownResult, reasons: readonly (string | null)[], categories: Categories): Promise<{ classes: TextClasses; skipped: CategoryProblem[] }> {
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
  const [runs, pairs] = await Promise.all([loadRuns(run, result.scope, limits.runs), run.rows(failuresPerRunQuery(run.loc, result.scope, limits.pairs))]);
  const perRun = pairs.slice(0, limits.pairs).map((r) => ({
    syncRunId: str(r.sync_run_id),
    reason: strOrNull(r.failure_reason),
    count: num(r.row_count),
    sampleRowId: strOrNull(r.sample_row_id),
  }));
  const capped = { runs: runs.length >= limits.runs ? limits.runs : null, pairs: pairs.length > limits.pairs ? limits.pairs : null };
  const { classes, skipped } = await perRunClasses(run, result, perRun.map((r) => r.reason), categories);
  const chart = { ...buildCategoryChart(perRun, runs, categories.compiled, undefined, classes), capped };
  if (source === 'snapshot') return { chart, result: { ...result, classes, skipped, data: withProblems(result.data, categories, skipped) } };
  const texts = withRunDetails(result.texts, perRun, runs);
  const data = withProblems(buildBreakdown(texts, categories.compiled, [], 'changelog', result.data.truncated, classes), categories, skipped);
  return { chart, result: { ...result, texts, classes, skipped, data } };
}

/** The chart alone (tests and the benchmark use it). */
export async function loadCategoryChart(run: QueryRunner, scope: AnalysisScope, categories: Categories): Promise<CategoryChart> {
  const empty: BreakdownResult = { scope, texts: [], classes: new Map(), data: buildBreakdown([], categories.compiled, [], 'changelog', false), skipped: [] };
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
  const used = all.slice(0, MAX_DRILL_TEXTS);
  if (used.length === 0) return { rows: [], truncated: false, textsUsed: 0, textsTotal: 0 };
  const rows = await run.rows(failedRowsQuery(run.loc, { scope: result.scope, source, texts: used, limit: MAX_DRILL_ROWS }));
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
