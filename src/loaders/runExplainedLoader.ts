import type { RunExplainedData, RunHeader, RunRow, RunRowsSelector } from '../shared/runExplainedData';
import {
  MAX_RUN_ROWS,
  MAX_RUN_TEXTS,
  runAndPreviousQuery,
  runComparisonQuery,
  runFailureTextsQuery,
  runOpCountsQuery,
  runRowsQuery,
} from '../sql/runExplainedQueries';
import { buildRunExplained } from '../analysis/runExplained';
import { num, str, strOrNull, time, type QueryRunner } from './queryRunner';

const header = (r: Record<string, unknown>): RunHeader => ({
  syncId: str(r.sync_id),
  syncRunId: str(r.sync_run_id),
  startedAt: time(r.started_at),
  finishedAt: time(r.finished_at),
  status: strOrNull(r.status),
  error: strOrNull(r.error),
});

async function runAndPrevious(
  run: QueryRunner,
  syncRunId: string,
): Promise<{ run: RunHeader; previous: RunHeader | null } | undefined> {
  const found = await run.rows(runAndPreviousQuery(run.loc, syncRunId));
  const self = found.find((r) => str(r.which) === 'run');
  if (!self) return undefined;
  const previous = found.find((r) => str(r.which) === 'previous');
  return { run: header(self), previous: previous ? header(previous) : null };
}

/**
 * One run explained: its header and its sync's previous run (sync_runs), the waterfall (one
 * group-by of the run's changelog) and, when there is a previous run, the comparison and the
 * run's failure texts (for new templates). Undefined when sync_runs has no such run.
 */
export async function loadRunExplained(run: QueryRunner, syncRunId: string): Promise<RunExplainedData | undefined> {
  const runs = await runAndPrevious(run, syncRunId);
  if (!runs) return undefined;
  const { syncId } = runs.run;
  const counts = (await run.rows(runOpCountsQuery(run.loc, syncId, syncRunId))).map((r) => ({
    opType: strOrNull(r.op_type),
    status: strOrNull(r.status),
    rows: num(r.row_count),
    operations: num(r.op_count),
  }));
  if (runs.previous === null)
    return buildRunExplained({ ...runs, counts, comparison: null, texts: [], textsTruncated: false });
  const [compared] = await run.rows(runComparisonQuery(run.loc, syncId, syncRunId, runs.previous.syncRunId));
  const found = await run.rows(runFailureTextsQuery(run.loc, syncId, syncRunId, MAX_RUN_TEXTS));
  const texts = found
    .slice(0, MAX_RUN_TEXTS)
    .map((r) => ({ reason: str(r.failure_reason), rows: num(r.row_count), seenBefore: num(r.seen_before) > 0 }));
  return buildRunExplained({
    ...runs,
    counts,
    comparison: {
      newlyFailing: num(compared?.newly_failing),
      recovered: num(compared?.recovered),
      stillFailing: num(compared?.still_failing),
    },
    texts,
    textsTruncated: found.length > MAX_RUN_TEXTS,
  });
}

/**
 * The rows behind a bar of the waterfall or a comparison figure, by row id, at most `limit`.
 * A comparison of the sync's first run has no rows (there is nothing to compare with).
 */
export async function loadRunRows(
  run: QueryRunner,
  params: { syncId: string; syncRunId: string },
  selector: RunRowsSelector,
  limit = MAX_RUN_ROWS,
): Promise<{ rows: RunRow[]; truncated: boolean }> {
  let previousRunId: string | undefined;
  if (selector.kind === 'compare') {
    const runs = await runAndPrevious(run, params.syncRunId);
    if (!runs?.previous) return { rows: [], truncated: false };
    previousRunId = runs.previous.syncRunId;
  }
  const found = await run.rows(runRowsQuery(run.loc, { ...params, previousRunId, selector, limit }));
  return {
    rows: found.slice(0, limit).map((r) => ({
      rowId: str(r.row_id),
      opType: strOrNull(r.op_type),
      status: strOrNull(r.status),
      failureReason: strOrNull(r.failure_reason),
      previousFailureReason: strOrNull(r.previous_reason),
    })),
    truncated: found.length > limit,
  };
}
