import type { SqlQuery } from './dialect';
import { binder, type Binder } from './binds';
import { failureReasonExpr, selectFailureReason } from './analysisScope';
import { tableName, type SyncLogLocation } from './syncLogTables';
import type { RunRowsSelector } from '../shared/runExplainedData';

/** Most rows a bar or a comparison figure lists. */
export const MAX_RUN_ROWS = 500;
/**
 * Most distinct failure texts read for a run's new templates: the run's and the sync's earlier ones
 * (texts with an id in them can be one per row and run).
 */
export const MAX_RUN_TEXTS = 20_000;

/**
 * Statuses that count as attempted. Everything else a run planned was not attempted: `aborted`,
 * and any status a deployment writes that is neither (or NULL), so planned = attempted + aborted
 * always holds and the bars add up.
 */
const ATTEMPTED = `('succeeded', 'failed')`;
const notAttempted = (alias: string) => `(${alias}.status is null or ${alias}.status not in ${ATTEMPTED})`;

/**
 * "Before the run" in the one order every analysis uses (the changelog has no time): an earlier
 * start, or the same start and a smaller sync_run_id. Written without row values or greatest(),
 * which not every dialect has.
 */
const startsBefore = (r: string, t: string) =>
  `(${r}.started_at < ${t}.started_at or (${r}.started_at = ${t}.started_at and ${r}.sync_run_id < ${t}.sync_run_id))`;

/**
 * The run and the sync's previous run (by start, then sync_run_id), from sync_runs alone: at most
 * two rows, `which` 'run' or 'previous'. The run is found by its id; its sync comes from its row.
 * columns: which, sync_id, sync_run_id, status, error, started_at, finished_at.
 */
export function runAndPreviousQuery(loc: SyncLogLocation, syncRunId: string): SqlQuery {
  const b = binder(loc.dialect);
  const runs = tableName(loc, 'sync_runs');
  return b.query(`with target as (
  select sync_id, sync_run_id, started_at
  from ${runs}
  where sync_run_id = ${b.bind(syncRunId)}
),
earlier as (
  select r.sync_run_id,
    row_number() over (order by r.started_at desc, r.sync_run_id desc) as rn
  from ${runs} r
  join target t on r.sync_id = t.sync_id
  where ${startsBefore('r', 't')}
)
select case when r.sync_run_id = t.sync_run_id then 'run' else 'previous' end as which,
  r.sync_id, r.sync_run_id, r.status, r.error, r.started_at, r.finished_at
from ${runs} r
join target t on r.sync_id = t.sync_id
where r.sync_run_id = t.sync_run_id
  or r.sync_run_id in (select e.sync_run_id from earlier e where e.rn = 1)
order by which desc`);
}

/**
 * The run's changelog per op_type and status: rows (distinct row_id) and operations. The waterfall
 * is summed from these in JavaScript, so one small group-by serves every bar.
 * columns: op_type, status, row_count, op_count.
 */
export function runOpCountsQuery(loc: SyncLogLocation, syncId: string, syncRunId: string): SqlQuery {
  const b = binder(loc.dialect);
  return b.query(`select c.op_type, c.status, count(distinct c.row_id) as row_count, count(*) as op_count
from ${tableName(loc, 'sync_changelog')} c
where c.sync_id = ${b.bind(syncId)}
  and c.sync_run_id = ${b.bind(syncRunId)}
group by c.op_type, c.status
order by c.op_type, c.status`);
}

/** `select distinct row_id` of the rows that failed in one run, for the comparison's semi-joins. */
function failedRowsOf(loc: SyncLogLocation, b: Binder, syncId: string, runId: string, withReason = false): string {
  const reason = withReason ? `, max(${failureReasonExpr(loc, 'pc')}) as previous_reason` : '';
  return `select pc.row_id${reason}
  from ${tableName(loc, 'sync_changelog')} pc
  where pc.sync_id = ${b.bind(syncId)}
    and pc.sync_run_id = ${b.bind(runId)}
    and pc.status = 'failed'
  group by pc.row_id`;
}

/**
 * The comparison with the previous run, in rows: newly failing (failed here, not failed there:
 * succeeded, aborted or not in that run), recovered (failed there, succeeded here) and still
 * failing (failed in both). One pass over the run's changelog, left-joined to the previous run's
 * failed rows. columns: newly_failing, recovered, still_failing.
 */
export function runComparisonQuery(
  loc: SyncLogLocation,
  syncId: string,
  syncRunId: string,
  previousRunId: string,
): SqlQuery {
  const b = binder(loc.dialect);
  // Bound in text order (Snowflake's ? is positional): the previous run's subquery comes first.
  const previous = failedRowsOf(loc, b, syncId, previousRunId);
  return b.query(`select
  count(distinct case when c.status = 'failed' and p.row_id is null then c.row_id end) as newly_failing,
  count(distinct case when c.status = 'succeeded' and p.row_id is not null then c.row_id end) as recovered,
  count(distinct case when c.status = 'failed' and p.row_id is not null then c.row_id end) as still_failing
from ${tableName(loc, 'sync_changelog')} c
left join (
  ${previous}
) p on p.row_id = c.row_id
where c.sync_id = ${b.bind(syncId)}
  and c.sync_run_id = ${b.bind(syncRunId)}`);
}

/**
 * The failure texts of the sync up to and including the run: per text, the rows it failed in this
 * run (row_count, 0 for a text only seen before) and whether it failed an earlier run of the sync
 * (seen_before 1/0). Templating happens in JavaScript: a template of this run is new when no text
 * that folds into it was seen before, which takes the earlier texts too, not only this run's (an
 * earlier text with another e-mail in it is the same template). One scan of the sync's failures
 * up to the run; this run's texts sort first, so a cut (limit + 1 rows asked) drops earlier ones.
 * Failed operations without a text are left out: they have no template.
 * columns: failure_reason, row_count, seen_before.
 */
export function runFailureTextsQuery(
  loc: SyncLogLocation,
  syncId: string,
  syncRunId: string,
  limit = MAX_RUN_TEXTS,
): SqlQuery {
  const b = binder(loc.dialect);
  const reason = failureReasonExpr(loc, 'c');
  return b.query(`with target as (
  select sync_run_id, started_at
  from ${tableName(loc, 'sync_runs')}
  where sync_run_id = ${b.bind(syncRunId)}
)
select ${selectFailureReason(loc, 'c')},
  count(distinct case when c.sync_run_id = t.sync_run_id then c.row_id end) as row_count,
  max(case when ${startsBefore('r', 't')} then 1 else 0 end) as seen_before
from ${tableName(loc, 'sync_changelog')} c
join ${tableName(loc, 'sync_runs')} r on r.sync_run_id = c.sync_run_id
cross join target t
where c.sync_id = ${b.bind(syncId)}
  and c.status = 'failed'
  and ${reason} is not null
  and (c.sync_run_id = t.sync_run_id or ${startsBefore('r', 't')})
group by ${reason}
order by row_count desc, ${reason}
limit ${b.count(limit + 1)}`);
}

/**
 * The rows behind a bar or a comparison figure, by row_id, at most limit + 1 (the caller sees
 * truncation). Op bars read the run's changelog; comparison figures also the previous run's
 * failed rows (`previousRunId` required), and carry that run's failure text as previous_reason
 * (what a recovered row recovered from). columns: row_id, op_type, status, failure_reason, previous_reason.
 */
export function runRowsQuery(
  loc: SyncLogLocation,
  spec: { syncId: string; syncRunId: string; previousRunId?: string; selector: RunRowsSelector; limit: number },
): SqlQuery {
  const b = binder(loc.dialect);
  const changelog = tableName(loc, 'sync_changelog');
  const { selector } = spec;
  if (selector.kind === 'op') {
    const opType = checkedOpType(selector.opType);
    const status =
      selector.status === 'planned'
        ? ''
        : selector.status === 'aborted'
          ? `\n  and ${notAttempted('c')}`
          : `\n  and c.status = '${checkedStatus(selector.status)}'`;
    return b.query(`select c.row_id, c.op_type, c.status, ${selectFailureReason(loc, 'c')}, cast(null as ${loc.dialect.stringType}) as previous_reason
from ${changelog} c
where c.sync_id = ${b.bind(spec.syncId)}
  and c.sync_run_id = ${b.bind(spec.syncRunId)}
  and c.op_type = '${opType}'${status}
order by c.row_id
limit ${b.count(spec.limit + 1)}`);
  }
  if (spec.previousRunId === undefined)
    throw new Error("A comparison needs the previous run: this is the sync's first run.");
  const previous = failedRowsOf(loc, b, spec.syncId, spec.previousRunId, true);
  const condition =
    selector.which === 'newlyFailing'
      ? `c.status = 'failed' and p.row_id is null`
      : selector.which === 'recovered'
        ? `c.status = 'succeeded' and p.row_id is not null`
        : selector.which === 'stillFailing'
          ? `c.status = 'failed' and p.row_id is not null`
          : invalid('comparison', selector.which);
  return b.query(`select c.row_id, c.op_type, c.status, ${selectFailureReason(loc, 'c')}, p.previous_reason
from ${changelog} c
left join (
  ${previous}
) p on p.row_id = c.row_id
where c.sync_id = ${b.bind(spec.syncId)}
  and c.sync_run_id = ${b.bind(spec.syncRunId)}
  and ${condition}
order by c.row_id
limit ${b.count(spec.limit + 1)}`);
}

// The selector comes from a webview: its values are written as literals only once checked.
const OP_TYPES = ['added', 'changed', 'removed'];
const STATUSES = ['succeeded', 'failed'];
function checkedOpType(v: string): string {
  return OP_TYPES.includes(v) ? v : invalid('op type', v);
}
function checkedStatus(v: string): string {
  return STATUSES.includes(v) ? v : invalid('status', v);
}
function invalid(what: string, v: unknown): never {
  throw new Error(`Invalid ${what} ${JSON.stringify(v)}.`);
}
