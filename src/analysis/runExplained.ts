/**
 * Run Explained: the waterfall of one run per op type, and what changed against the sync's
 * previous run. The warehouse counts (runExplainedQueries.ts); this sums the bars and templates
 * the failure texts to find the run's new templates.
 */
import type { RunComparison, RunExplainedData, RunHeader, RunOpFigures, RunOpType } from '../shared/runExplainedData';
import { failureTemplate } from './failureTemplates';

export const RUN_OP_TYPES: readonly RunOpType[] = ['added', 'changed', 'removed'];

/** One result row of runOpCountsQuery, typed. */
export interface OpStatusCount {
  opType: string | null;
  status: string | null;
  rows: number;
  operations: number;
}

/** One result row of runFailureTextsQuery, typed: a text of this run (rows > 0), of an earlier run (seenBefore), or both. */
export interface RunFailureText {
  reason: string;
  /** Rows it failed in this run. */
  rows: number;
  /** It failed an operation of an earlier run of the sync. */
  seenBefore: boolean;
}

export interface RunExplainedInput {
  run: RunHeader;
  previous: RunHeader | null;
  counts: readonly OpStatusCount[];
  /** Null when there is no previous run (nothing was queried). */
  comparison: { newlyFailing: number; recovered: number; stillFailing: number } | null;
  texts: readonly RunFailureText[];
  textsTruncated: boolean;
}

/**
 * The three op types always, in order, so the waterfall keeps its shape for a run that only
 * removed rows. An op type outside the three (a deployment's own) is left out of the bars: the
 * selectors could not list its rows.
 */
export function buildOpFigures(counts: readonly OpStatusCount[]): RunOpFigures[] {
  return RUN_OP_TYPES.map((opType) => {
    const f: RunOpFigures = { opType, planned: 0, attempted: 0, succeeded: 0, failed: 0, aborted: 0, operations: 0 };
    for (const c of counts) {
      if (c.opType !== opType) continue;
      f.planned += c.rows;
      f.operations += c.operations;
      if (c.status === 'succeeded') f.succeeded += c.rows;
      else if (c.status === 'failed') f.failed += c.rows;
      else f.aborted += c.rows;
    }
    f.attempted = f.succeeded + f.failed;
    return f;
  });
}

/**
 * Templates of this run none of whose texts failed an earlier run of the sync, most rows first.
 * A template is judged by all its texts, this run's and earlier ones: one seen before makes it
 * old, since the cause is the same and only the data in the message differs.
 */
export function newTemplates(texts: readonly RunFailureText[]): RunComparison['newTemplates'] {
  const groups = new Map<string, { rows: number; seen: boolean; example: string; exampleRows: number }>();
  for (const t of texts) {
    if (t.reason.trim() === '') continue;
    const template = failureTemplate(t.reason);
    const g = groups.get(template);
    if (!g) {
      groups.set(template, { rows: t.rows, seen: t.seenBefore, example: t.reason, exampleRows: t.rows });
      continue;
    }
    g.rows += t.rows;
    g.seen ||= t.seenBefore;
    if (t.rows > g.exampleRows) {
      g.example = t.reason;
      g.exampleRows = t.rows;
    }
  }
  return [...groups]
    .filter(([, g]) => !g.seen && g.rows > 0)
    .map(([template, g]) => ({ template, rows: g.rows, example: g.example }))
    .sort((a, b) => b.rows - a.rows || (a.template < b.template ? -1 : a.template > b.template ? 1 : 0));
}

export function buildRunExplained(input: RunExplainedInput): RunExplainedData {
  const ops = buildOpFigures(input.counts);
  if (input.previous === null || input.comparison === null) return { run: input.run, ops, comparison: null };
  return {
    run: input.run,
    ops,
    comparison: {
      previous: input.previous,
      ...input.comparison,
      newTemplates: newTemplates(input.texts),
      textsTruncated: input.textsTruncated,
    },
  };
}
