/**
 * The error breakdown: failure texts (grouped in the warehouse) sorted into categories and
 * folded into templates, plus the per-run chart. Categories match the RAW text, because the
 * templater folds long numbers and ids that some patterns match on (`\b80003\b`, `Existing ID`).
 */
import {
  UNEXPECTED,
  type BreakdownData,
  type CategoryChart,
  type CategoryProblem,
  type CategoryRow,
  type RunPoint,
  type TemplateRow,
} from '../shared/analysisData';
import type { CompiledCategory } from './errorCategories';
import { NO_REASON, categoryLookup, classLookup, isBlank, type TextClasses } from './textClasses';
import { bucketRuns } from './runBuckets';
import { failureTemplate } from './failureTemplates';
import { distinctRowsByGroup } from './rowOverlaps';
import { earlier, isNewTemplate, later, seenByTemplate, type TextHistory } from './templateHistory';

/**
 * One distinct failure text with its counts (query columns failure_reason, failures, failed_rows;
 * sample_row_id, first_seen, last_seen come with the per-run pass: the window's, not the log's).
 */
export interface FailureTextCount {
  /** The exact failure text; null (or blank) when the failed operation carries none. */
  reason: string | null;
  /** Failed operations with this text. */
  count: number;
  /** Distinct rows that failed with this text. */
  rows: number;
  sampleRowId: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
}

/** Failures of one text in one run (query columns sync_run_id, failure_reason, row_count). */
export interface FailuresPerRun {
  syncRunId: string;
  reason: string | null;
  count: number;
}

/** What the rows of groups of texts need beyond each text's own rows (see rowOverlaps.ts). */
export interface BreakdownRows {
  /** Exact totals of the scope, from the warehouse; omitted, the sums of the texts (exact on the snapshot: one text per row). */
  totalRows?: number;
  totalFailures?: number;
  /** The texts of each row that failed with more than one. */
  multiTextRows?: readonly (readonly (string | null)[])[];
  /** The multi-text rows were cut short: group rows are upper bounds. */
  pairsTruncated?: boolean;
}

/** Optional inputs of a breakdown: row overlaps, the window and the whole-log history. */
export interface BreakdownExtras {
  rows?: BreakdownRows;
  /** Start of the window in scope (null or omitted: none, so nothing is new). */
  windowStart?: string | null;
  /** Each text's first and last seen over the whole log (texts outside the window included); omitted until read. */
  history?: TextHistory;
}

export { NO_REASON } from './textClasses';

export const MAX_SAMPLE_ROW_IDS = 5;

/** Code-unit order: deterministic, and far cheaper than localeCompare over tens of thousands of texts. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Texts with a positive count, most failures first (ties by text, so results do not depend on query order). */
function usableTexts(texts: readonly FailureTextCount[]): FailureTextCount[] {
  return texts
    .filter((t) => Number.isFinite(t.count) && t.count > 0)
    .sort((a, b) => b.count - a.count || byText(String(a.reason), String(b.reason)));
}

/** UNEXPECTED first when it has any (finding those is the point), then by `first`, then `second`, ties in category order. */
function categoryOrder(
  compiled: readonly CompiledCategory[],
  first: Map<string, number>,
  second?: Map<string, number>,
): string[] {
  const rank = new Map(compiled.map((c, i) => [c.name, i] as const));
  return [...first.keys()]
    .filter((name) => (first.get(name) ?? 0) > 0)
    .sort((a, b) => {
      if (a === UNEXPECTED || b === UNEXPECTED) return a === UNEXPECTED ? -1 : 1;
      return (
        (first.get(b) ?? 0) - (first.get(a) ?? 0) ||
        (second?.get(b) ?? 0) - (second?.get(a) ?? 0) ||
        (rank.get(a) ?? 0) - (rank.get(b) ?? 0)
      );
    });
}

/** A template row's key: a template can appear under two categories (they match the raw text). */
const templateKey = (category: string, template: string) => `${category}\u0000${template}`;

/** The template of any text: known classes first, else templated here (no category: user patterns never run on this thread). */
function templateLookup(known?: TextClasses, more?: ReadonlyMap<string, string>): (text: string | null) => string {
  return (text) =>
    isBlank(text) ? NO_REASON : (known?.get(text)?.template ?? more?.get(text) ?? failureTemplate(text));
}

export function buildBreakdown(
  texts: readonly FailureTextCount[],
  compiled: readonly CompiledCategory[],
  problems: readonly CategoryProblem[],
  source: 'changelog' | 'snapshot',
  truncated: boolean,
  known?: TextClasses,
  extras: BreakdownExtras = {},
): BreakdownData {
  const classOf = classLookup(compiled, known);
  const rows = new Map<string, TemplateRow>();
  const sorted = usableTexts(texts);
  const classes = new Map<string | null, { key: string; category: string }>();
  // Most frequent first, so the first text seen per template is its example and its sample ids come first.
  for (const t of sorted) {
    const { category, template } = classOf(t.reason);
    const key = templateKey(category, template);
    classes.set(t.reason, { key, category });
    let row = rows.get(key);
    if (!row) {
      row = {
        template,
        category,
        rows: 0,
        failures: 0,
        distinctTexts: 0,
        example: isBlank(t.reason) ? NO_REASON : t.reason,
        sampleRowIds: [],
        firstSeen: null,
        lastSeen: null,
        isNew: null,
      };
      rows.set(key, row);
    }
    row.failures += t.count;
    row.distinctTexts += 1;
    if (
      t.sampleRowId !== null &&
      row.sampleRowIds.length < MAX_SAMPLE_ROW_IDS &&
      !row.sampleRowIds.includes(t.sampleRowId)
    )
      row.sampleRowIds.push(t.sampleRowId);
  }

  // Rows: each text's own, less the rows counted under two texts of the same group.
  const multi = extras.rows?.multiTextRows ?? [];
  const templateRows = distinctRowsByGroup(sorted, multi, (r) => classes.get(r)?.key);
  const categoryRows = distinctRowsByGroup(sorted, multi, (r) => classes.get(r)?.category);
  for (const [key, row] of rows) row.rows = templateRows.get(key) ?? 0;

  // First and last seen over the whole log: every text read by the history (outside the window
  // too), and the window's own (a text the history cap left out still counts).
  const windowStart = extras.windowStart ?? null;
  if (extras.history) {
    const seen = seenByTemplate([...extras.history.texts, ...sorted], templateLookup(known, extras.history.templates));
    for (const row of rows.values()) {
      const s = seen.get(row.template);
      row.firstSeen = s?.firstSeen ?? null;
      row.lastSeen = s?.lastSeen ?? null;
      row.isNew = isNewTemplate(row.firstSeen, windowStart);
    }
  }

  const templates = [...rows.values()].sort(
    (a, b) =>
      b.rows - a.rows || b.failures - a.failures || byText(a.template, b.template) || byText(a.category, b.category),
  );

  const byName = new Map(compiled.map((c) => [c.name, c] as const));
  const cats = new Map<string, CategoryRow>();
  for (const t of templates) {
    let c = cats.get(t.category);
    if (!c) {
      const def = byName.get(t.category)?.def;
      c = {
        name: t.category,
        rows: categoryRows.get(t.category) ?? 0,
        failures: 0,
        templates: 0,
        distinctTexts: 0,
        firstSeen: null,
        lastSeen: null,
        unexpected: t.category === UNEXPECTED,
        pattern: def?.pattern ?? '',
        source: def?.source ?? null,
      };
      cats.set(t.category, c);
    }
    c.failures += t.failures;
    c.templates += 1;
    c.distinctTexts += t.distinctTexts;
    // Over its templates' whole-log first and last seen.
    c.firstSeen = earlier(c.firstSeen, t.firstSeen);
    c.lastSeen = later(c.lastSeen, t.lastSeen);
  }
  const order = categoryOrder(
    compiled,
    new Map([...cats].map(([name, c]) => [name, c.rows])),
    new Map([...cats].map(([name, c]) => [name, c.failures])),
  );

  // Without the warehouse's total (tests, tools): the same arithmetic over every text read.
  const sumRows = distinctRowsByGroup(sorted, multi, (r) => (classes.has(r) ? 'all' : undefined)).get('all') ?? 0;
  return {
    source,
    totalRows: extras.rows?.totalRows ?? sumRows,
    totalFailures: extras.rows?.totalFailures ?? sorted.reduce((sum, t) => sum + t.count, 0),
    rowsUpperBound: extras.rows?.pairsTruncated === true,
    windowStart,
    history: extras.history ? { truncated: extras.history.truncated } : null,
    distinctTexts: sorted.length,
    categories: order.map((name) => cats.get(name) as CategoryRow),
    templates,
    problems: [...problems],
    truncated,
  };
}

/**
 * The raw texts behind a category or a template, most failures first, at most `max`: the
 * drill-down queries the failed rows by these exact texts. Failures whose reason is NULL have
 * no text to match with IN (...), so they are not in the list (a blank '' text is kept as is).
 */
export function textsFor(
  texts: readonly FailureTextCount[],
  compiled: readonly CompiledCategory[],
  selector: { category: string } | { category: string; template: string },
  max: number,
  known?: TextClasses,
): string[] {
  const classOf = classLookup(compiled, known);
  const out: string[] = [];
  for (const t of usableTexts(texts)) {
    if (out.length >= max) break;
    const c = classOf(t.reason);
    if (c.category !== selector.category) continue;
    if ('template' in selector && c.template !== selector.template) continue;
    if (t.reason !== null) out.push(t.reason);
  }
  return out;
}

/** Failures per category per bucket; series ordered like the breakdown's categories. */
export function buildCategoryChart(
  perRun: readonly FailuresPerRun[],
  runs: readonly RunPoint[],
  compiled: readonly CompiledCategory[],
  maxBuckets = 60,
  known?: TextClasses,
): Omit<CategoryChart, 'capped'> {
  const { unit, buckets, indexOf } = bucketRuns(runs, maxBuckets);
  const categoryOf = categoryLookup(compiled, known);
  const counts = new Map<string, number[]>();
  const totals = new Map<string, number>();
  for (const r of perRun) {
    const i = indexOf(r.syncRunId);
    // Runs outside the window (or without a start time) have no bucket; counts that are not positive add nothing.
    if (i < 0 || !Number.isFinite(r.count) || r.count <= 0) continue;
    const category = categoryOf(r.reason);
    let series = counts.get(category);
    if (!series) {
      series = new Array<number>(buckets.length).fill(0);
      counts.set(category, series);
    }
    series[i] += r.count;
    totals.set(category, (totals.get(category) ?? 0) + r.count);
  }
  const series = categoryOrder(compiled, totals).map((category) => ({
    category,
    counts: counts.get(category) as number[],
  }));
  return { unit, buckets, series };
}
