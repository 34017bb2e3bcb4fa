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

/** One distinct failure text with its count (query columns failure_reason, row_count, sample_row_id, first_seen, last_seen). */
export interface FailureTextCount {
  /** The exact failure text; null (or blank) when the failed operation carries none. */
  reason: string | null;
  count: number;
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

export { NO_REASON } from './textClasses';

export const MAX_SAMPLE_ROW_IDS = 5;

/** Compares ISO instants by time (offsets and precision may differ), falling back to text. */
function compareInstants(a: string, b: string): number {
  const da = Date.parse(a);
  const db = Date.parse(b);
  if (Number.isFinite(da) && Number.isFinite(db) && da !== db) return da - db;
  return a < b ? -1 : a > b ? 1 : 0;
}
const earlier = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : compareInstants(a, b) <= 0 ? a : b);
const later = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : compareInstants(a, b) >= 0 ? a : b);

/** Code-unit order: deterministic, and far cheaper than localeCompare over tens of thousands of texts. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Texts with a positive count, most failures first (ties by text, so results do not depend on query order). */
function usableTexts(texts: readonly FailureTextCount[]): FailureTextCount[] {
  return texts
    .filter((t) => Number.isFinite(t.count) && t.count > 0)
    .sort((a, b) => b.count - a.count || byText(String(a.reason), String(b.reason)));
}

/** UNEXPECTED first when it has failures (finding those is the point), then by failures, ties in category order. */
function categoryOrder(compiled: readonly CompiledCategory[], totals: Map<string, number>): string[] {
  const rank = new Map(compiled.map((c, i) => [c.name, i] as const));
  return [...totals.keys()]
    .filter((name) => (totals.get(name) ?? 0) > 0)
    .sort((a, b) => {
      if (a === UNEXPECTED || b === UNEXPECTED) return a === UNEXPECTED ? -1 : 1;
      return (totals.get(b) ?? 0) - (totals.get(a) ?? 0) || (rank.get(a) ?? 0) - (rank.get(b) ?? 0);
    });
}

export function buildBreakdown(
  texts: readonly FailureTextCount[],
  compiled: readonly CompiledCategory[],
  problems: readonly CategoryProblem[],
  source: 'changelog' | 'snapshot',
  truncated: boolean,
  known?: TextClasses,
): BreakdownData {
  const classOf = classLookup(compiled, known);
  // Keyed by category, then template: a template can appear under two categories (they match the raw text).
  const rows = new Map<string, Map<string, TemplateRow>>();
  const sorted = usableTexts(texts);
  // Most frequent first, so the first text seen per template is its example and its sample ids come first.
  for (const t of sorted) {
    const { category, template } = classOf(t.reason);
    let inCategory = rows.get(category);
    if (!inCategory) rows.set(category, (inCategory = new Map()));
    let row = inCategory.get(template);
    if (!row) {
      row = { template, category, failures: 0, distinctTexts: 0, example: isBlank(t.reason) ? NO_REASON : t.reason, sampleRowIds: [], firstSeen: null, lastSeen: null };
      inCategory.set(template, row);
    }
    row.failures += t.count;
    row.distinctTexts += 1;
    if (t.sampleRowId !== null && row.sampleRowIds.length < MAX_SAMPLE_ROW_IDS && !row.sampleRowIds.includes(t.sampleRowId)) row.sampleRowIds.push(t.sampleRowId);
    row.firstSeen = earlier(row.firstSeen, t.firstSeen);
    row.lastSeen = later(row.lastSeen, t.lastSeen);
  }
  const templates = [...rows.values()].flatMap((m) => [...m.values()]).sort(
    (a, b) => b.failures - a.failures || byText(a.template, b.template) || byText(a.category, b.category),
  );

  const byName = new Map(compiled.map((c) => [c.name, c] as const));
  const cats = new Map<string, CategoryRow>();
  for (const t of templates) {
    let c = cats.get(t.category);
    if (!c) {
      const def = byName.get(t.category)?.def;
      c = {
        name: t.category,
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
    c.firstSeen = earlier(c.firstSeen, t.firstSeen);
    c.lastSeen = later(c.lastSeen, t.lastSeen);
  }
  const order = categoryOrder(compiled, new Map([...cats].map(([name, c]) => [name, c.failures])));

  return {
    source,
    totalFailures: sorted.reduce((sum, t) => sum + t.count, 0),
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
  const series = categoryOrder(compiled, totals).map((category) => ({ category, counts: counts.get(category) as number[] }));
  return { unit, buckets, series };
}
