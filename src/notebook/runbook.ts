/**
 * "Investigate in a Notebook": the text of a notebook that walks one sync (or one run) through
 * the questions the panels answer, each a query the user can read and edit. The queries are the
 * panels' own builders (so a cell's numbers are the panel's), written out with their values
 * inlined for reading, then the sync and run ids turned into `:sync_id` / `:sync_run_id`
 * parameters, so the same notebook serves another sync by changing one parameter. Pure.
 */
import type { SqlQuery } from '../sql/dialect';
import { failureTextsQuery } from '../sql/errorBreakdownQueries';
import { flappingRowsQuery } from '../sql/flappingQueries';
import { inlineSql, sqlValueLiteral } from '../sql/inlineSql';
import { modelOpsPerRunQuery } from '../sql/modelOverTimeQueries';
import { runOpCountsQuery } from '../sql/runExplainedQueries';
import { stuckRowsQuery } from '../sql/stuckRowsQueries';
import { counterSum, hasRunCounters, tableName, type SyncLogLocation } from '../sql/syncLogTables';
import { serializeNotebook, type NotebookCellText } from './notebookText';

export interface RunbookTarget {
  syncId: string;
  modelName: string;
  destination: string;
  /** A run to explain; omitted: the sync's latest run, read by the notebook itself. */
  syncRunId?: string;
  /** K of the stuck-row rule. */
  minFailures: number;
}

/** Most rows a listing cell asks for. */
const LIST_LIMIT = 100;
/** Most distinct failure texts the errors cell groups (as the panel). */
const TEXT_LIMIT = 1000;

const md = (value: string): NotebookCellText => ({ kind: 'markdown', value, options: {} });

export function runbookText(loc: SyncLogLocation, target: RunbookTarget): string {
  const d = loc.dialect;
  // The ids as the builders inline them, turned back into parameters; sentinel ids that no real
  // value equals, so nothing else in a query can be mistaken for them.
  const SYNC = 'synclogs-runbook-sync-id';
  const RUN = 'synclogs-runbook-run-id';
  const params = (q: SqlQuery) =>
    inlineSql(q, d)
      .split(sqlValueLiteral(SYNC, d))
      .join(':sync_id')
      .split(sqlValueLiteral(RUN, d))
      .join(':sync_run_id');
  const sql = (value: string, options: Record<string, string> = {}): NotebookCellText => ({
    kind: 'sql',
    value: value.trim(),
    options,
  });
  const runs = tableName(loc, 'sync_runs');
  const cells: NotebookCellText[] = [
    md(
      `# Investigating sync ${target.syncId}: ${target.modelName} → ${target.destination}\n\n` +
        'Each section asks one question and answers it with a query you can edit. The queries are the ones the ' +
        "extension's panels run, so their numbers agree. `:sync_id`" +
        (target.syncRunId ? ' and `:sync_run_id` are' : ' is') +
        ' asked once (Set Notebook Parameters changes them). Counts are **rows** (distinct row ids), with failures (attempts) beside them.',
    ),
    md(
      '## 1. How are its latest runs going?\nPlanned, attempted and failed operations per run, newest first: a run that fails, or whose failed share jumps, is where to look.',
    ),
    sql(
      hasRunCounters(loc)
        ? `select r.sync_run_id, r.status, r.started_at, r.finished_at, r.error,
  ${counterSum('planned', 'r')} as planned,
  ${counterSum('attempted', 'r')} as attempted,
  ${counterSum('failed', 'r')} as failed
from ${runs} r
where r.sync_id = :sync_id
order by r.started_at desc
limit 20`
        : `select r.sync_run_id, r.status, r.started_at, r.finished_at, r.error
from ${runs} r
where r.sync_id = :sync_id
order by r.started_at desc
limit 20`,
    ),
    md(
      '## 2. What fails, and what is new?\nEvery failure text with its failures, newest runs included; group them into categories with Edit Error Categories in the Error Breakdown panel. A text you do not recognise is the first lead.',
    ),
    sql(params(failureTextsQuery(loc, { syncId: SYNC }, TEXT_LIMIT))),
    md(
      `## 3. Which rows are stuck?\nRows whose latest ${target.minFailures} or more operations all failed (kind = stuck), with how long and since when; and the rows that recovered from such a streak.`,
    ),
    sql(params(stuckRowsQuery(loc, { syncId: SYNC, minFailures: target.minFailures, limit: LIST_LIMIT }))),
    md(
      '## 4. Which rows flap?\nSucceeded changes and enter/exit cycles per row, retries counted apart: a row that changes every run points at a data problem upstream.',
    ),
    sql(params(flappingRowsQuery(loc, { syncId: SYNC, orderBy: 'flapping', limit: LIST_LIMIT }))),
    md(
      '## 5. How does the model change over time?\nOperations per run by type and outcome: a backfill or a sudden drop shows as one tall or empty run.',
    ),
    sql(params(modelOpsPerRunQuery(loc, { syncId: SYNC }))),
  ];
  if (target.syncRunId) {
    cells.push(
      md(
        '## 6. The run, explained\nPlanned, attempted, succeeded, failed and aborted operations of the run, per operation type.',
      ),
      sql(params(runOpCountsQuery(loc, SYNC, RUN))),
    );
  }
  return serializeNotebook(cells);
}
