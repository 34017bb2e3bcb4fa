import type { Dialect } from './dialect';
import { tokenize, type Token } from './lexer';
import { failureReasonExpr } from './analysisScope';
import { sqlCount, validateIdent } from './ident';
import { nulProblem, RefusedValueError } from './nulText';
import { commentText } from './sqlComment';
import { tableName, type SyncLogLocation } from './syncLogTables';

/**
 * Which rows count as previously failed.
 * - latestAttemptFailed: the row's latest attempted add or change (sync_changelog) failed. Stable.
 * - failedInLastRuns: an add or change of the row failed in one of the sync's last `lastRuns` runs. Stable.
 * - snapshotFailed: sync_snapshot says failed (the seed's approach). It flaps; kept for comparison.
 */
export type ExcludeVariant = 'latestAttemptFailed' | 'failedInLastRuns' | 'snapshotFailed';
export const EXCLUDE_VARIANTS: readonly ExcludeVariant[] = [
  'latestAttemptFailed',
  'failedInLastRuns',
  'snapshotFailed',
];
/** A starting N for failedInLastRuns: about a day of an hourly sync, half a day of a half-hourly one. */
export const DEFAULT_EXCLUDE_LAST_RUNS = 24;

/**
 * A chosen error category, resolved by the caller to plain text. Category patterns are regular
 * expressions, and the five warehouses' flavours differ (RE2, POSIX, Java), as do their LIKE
 * escapes (BigQuery has no ESCAPE clause, Snowflake no default escape): so a category arrives as
 * fragments, and a failure belongs to it when its text contains one of them, case-insensitively,
 * `%` and `_` being plain characters. The caller takes them from what it knows, e.g. the fixed
 * words of the templates the breakdown put in that category, or whole failure texts.
 */
export interface FailureCategoryText {
  /** Shown in the SQL's comment. */
  name: string;
  fragments: readonly string[];
}

export interface ExcludeFailedRowsSpec {
  /** The model's SQL as the person wrote it (one query; a leading WITH is fine). */
  modelSql: string;
  syncId: string;
  /** The *name* of the model's key column (sync_runs.primary_key). */
  primaryKey: string;
  /** Omitted: latestAttemptFailed. */
  variant?: ExcludeVariant;
  /** N of failedInLastRuns (at least 1); read by that variant only. */
  lastRuns?: number;
  /** Only failures of these categories count; omitted, every failure does. Never empty. */
  categories?: readonly FailureCategoryText[];
}

/**
 * SQL for a person to paste into their model: the model without the rows that previously
 * failed in that sync, so a broken row stops being retried. Shown in an editor, not executed by
 * us, so values are literals, not binds; its leading comment says what is excluded and what that
 * costs, since the person pastes it and then lives with it.
 *
 * Excluding a row takes it out of the model, and the planner answers that with a remove (a row
 * the destination never got may be dropped without one, or get a remove that fails or succeeds,
 * depending on the destination). So what decides the exclusion must not change with that remove:
 * the changelog's adds and changes, which an excluded row no longer gets, do not; sync_snapshot,
 * which the row leaves with the remove, does (the flapping the snapshot variant shows).
 *
 * The model stays a derived table, untouched but for trailing `;`/comments: a leading WITH is
 * legal inside a derived table in all five warehouses, and not re-indenting keeps multi-line
 * string literals intact. A correlated NOT EXISTS rather than NOT IN: a NULL row_id would make
 * NOT IN drop every row.
 */
export function excludeFailedRowsSql(loc: SyncLogLocation, spec: ExcludeFailedRowsSpec): string {
  const d = loc.dialect;
  if (typeof spec.primaryKey !== 'string' || spec.primaryKey.trim() === '') {
    throw new Error(
      "No primary key: the sync's primary key column (sync_runs.primary_key) is needed to match model rows to row_id.",
    );
  }
  const variant = spec.variant ?? 'latestAttemptFailed';
  if (!EXCLUDE_VARIANTS.includes(variant))
    throw new Error(`Unknown exclusion "${String(variant)}": expected one of ${EXCLUDE_VARIANTS.join(', ')}.`);
  const keyName = spec.primaryKey.trim();
  const key = d.quoteIdent(validateIdent(keyName, 'primary key column'));
  const model = modelBody(d, spec.modelSql);
  const categories = checkedCategories(d, spec.categories);
  const sync = d.literal(spec.syncId);
  // BigQuery will not compare a STRING literal with an INT64 sync_id; the other four coerce the literal.
  const syncIdOf = (alias: string) =>
    d.name === 'bigquery' ? `cast(${alias}.sync_id as ${d.stringType})` : `${alias}.sync_id`;
  const matchesCategories = (alias: string) =>
    categories ? `\n    and (${categoryCondition(d, failureReasonExpr(loc, alias), categories)})` : '';
  const syncText = commentText(spec.syncId);

  let table: string;
  let excluded: string;
  let lead: string[];
  if (variant === 'snapshotFailed') {
    table = 'sync_snapshot';
    excluded = `select s.row_id
    from ${tableName(loc, 'sync_snapshot')} s
    where ${syncIdOf('s')} = ${sync}
      and s.status = 'failed'${matchesCategories('s').replace(/\n {4}/g, '\n      ')}`;
    lead = [
      `The model's rows minus those sync_snapshot marks failed in sync ${syncText}: the seed's approach, kept for comparison. IT FLAPS.`,
      ...categoryLines(categories),
      `Why: an excluded row leaves the model, so the next run plans its removal and the row leaves sync_snapshot;`,
      `the run after, this filter no longer sees it, the row is added again, fails again, and is excluded again:`,
      `in and out every other run, a flapping row made by the filter itself, for as long as the row fails.`,
      `Prefer the exclusion read from sync_changelog (latest attempt failed, or failed in the last N runs), which stays put.`,
    ];
  } else if (variant === 'latestAttemptFailed') {
    table = 'sync_changelog';
    excluded = `select a.row_id
    from (
      select c.row_id, c.status, ${failureReasonExpr(loc, 'c')} as failure_text,
        row_number() over (partition by c.row_id order by r.started_at desc, c.sync_run_id desc) as newest
      from ${tableName(loc, 'sync_changelog')} c
      join ${tableName(loc, 'sync_runs')} r on r.sync_run_id = c.sync_run_id
      where ${syncIdOf('c')} = ${sync}
        and c.op_type in ('added', 'changed')
        and c.status in ('succeeded', 'failed')
    ) a
    where a.newest = 1
      and a.status = 'failed'${categories ? `\n      and (${categoryCondition(d, 'a.failure_text', categories)})` : ''}`;
    lead = [
      `The model's rows minus those whose latest delivery failed in sync ${syncText}: rows whose most recent attempted add or change`,
      `in sync_changelog (by run start, then sync_run_id; aborted operations were never attempted) failed.`,
      ...categoryLines(categories),
      `Why it does not flap: an excluded row leaves the model, so the next run plans its removal (or drops it unsent if it never`,
      `reached the destination). Removals do not count here, and an excluded row gets no add or change, so its failed attempt`,
      `stays its latest: it stays out run after run. (Filtering on sync_snapshot's failed rows flaps instead: the removal takes`,
      `the row out of the snapshot, the next run lets it back in, it fails again and is excluded again.)`,
      `The cost: nothing retries an excluded row. One whose data was fixed, or that failed for a passing reason (a timeout,`,
      `a rate limit), stays excluded until the model runs once without this filter (it is then tried, and out again only if it fails).`,
      `A row the destination holds is removed from it when first excluded.`,
    ];
  } else {
    const n = spec.lastRuns;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
      throw new Error(
        `Invalid number of runs ${String(n)}: "failed in the last N runs" needs a whole number N of at least 1.`,
      );
    }
    const lastRuns = sqlCount(n, 'number of runs');
    table = 'sync_changelog';
    excluded = `select c.row_id
    from ${tableName(loc, 'sync_changelog')} c
    join (
      select r.sync_run_id, row_number() over (order by r.started_at desc, r.sync_run_id desc) as recency
      from ${tableName(loc, 'sync_runs')} r
      where ${syncIdOf('r')} = ${sync}
    ) lr on lr.sync_run_id = c.sync_run_id
    where ${syncIdOf('c')} = ${sync}
      and lr.recency <= ${lastRuns}
      and c.op_type in ('added', 'changed')
      and c.status = 'failed'${matchesCategories('c').replace(/\n {4}/g, '\n      ')}`;
    lead = [
      `The model's rows minus those with a failed add or change in any of sync ${syncText}'s last ${lastRuns} runs`,
      `(sync_changelog, in the ${lastRuns} latest runs of sync_runs by start, whatever their outcome).`,
      ...categoryLines(categories),
      `Why it does not flap: an excluded row leaves the model, so the next run plans its removal (or drops it unsent if it never`,
      `reached the destination). Removals do not count here, and an excluded row gets no add or change, so it cannot fail again`,
      `while out: it stays out until ${lastRuns} runs have passed since its last failure. (Filtering on sync_snapshot's failed rows flaps`,
      `instead: the removal takes the row out of the snapshot, the next run lets it back in, it fails again and is excluded again.)`,
      `The cost: a row whose data was fixed waits up to ${lastRuns} runs to be sent again; a row that still fails is let back in once`,
      `every ${n + 1} runs, fails once, and is out for ${lastRuns} more (a slow retry, not a flap). A row the destination holds is removed`,
      `from it when first excluded.`,
    ];
  }
  return `${lead.map((l) => `-- ${l}`).join('\n')}
-- Rows match on the model's ${commentText(keyName)} column, compared as text with ${table}.row_id.
select m.*
from (
${model}
) m
where not exists (
  select 1
  from (
    ${excluded}
  ) x
  where x.row_id = cast(m.${key} as ${d.stringType})
)
`;
}

/** The categories, checked: a fragment that is empty would match every failure. */
function checkedCategories(
  d: Dialect,
  categories: readonly FailureCategoryText[] | undefined,
): readonly FailureCategoryText[] | undefined {
  if (categories === undefined) return undefined;
  if (!Array.isArray(categories) || categories.length === 0)
    throw new Error('No categories chosen: choose at least one, or exclude failures of every category.');
  for (const c of categories) {
    if (!c || typeof c.name !== 'string' || !Array.isArray(c.fragments) || c.fragments.length === 0) {
      throw new Error(`The category ${JSON.stringify(c?.name ?? '')} has no failure text to match.`);
    }
    for (const f of c.fragments) {
      if (typeof f !== 'string' || f === '')
        throw new Error(
          `The category ${JSON.stringify(c.name)} has an empty failure text: it would match every failure.`,
        );
      const problem = nulProblem(f, `failure text of the category ${JSON.stringify(c.name)}`, d.name);
      if (problem) throw new RefusedValueError(problem);
    }
  }
  return categories;
}

/** `failure text contains one of the fragments`, case-insensitively, as plain text (no pattern characters). */
function categoryCondition(d: Dialect, reason: string, categories: readonly FailureCategoryText[]): string {
  const fragments = [...new Set(categories.flatMap((c) => c.fragments))];
  return fragments.map((f) => containsText(d, `lower(${reason})`, `lower(${d.literal(f)})`)).join(' or ');
}

/** Plain substring containment: strpos, instr and position are what each warehouse has (BigQuery has no POSITION ... IN). */
function containsText(d: Dialect, hay: string, needle: string): string {
  if (d.name === 'snowflake') return `position(${needle} in ${hay}) > 0`;
  if (d.name === 'databricks') return `instr(${hay}, ${needle}) > 0`;
  return `strpos(${hay}, ${needle}) > 0`;
}

/** The comment's word on categories: which, and how they match. */
function categoryLines(categories: readonly FailureCategoryText[] | undefined): string[] {
  if (!categories) return [];
  return [
    `Only failures of the categories ${categories.map((c) => commentText(c.name)).join(', ')} count: a text containing one of their fragments`,
    `(plain text, any case). Rows failing for other reasons are not excluded and are retried as usual.`,
  ];
}

/**
 * The model's text without trailing `;`, whitespace and comments (a trailing `-- comment` would
 * otherwise swallow the closing parenthesis). Throws when it is empty or holds more than one
 * statement, or ends inside a string or comment. Read with the project's lexer under the
 * warehouse's own quoting rules, as Run Query reads it.
 */
export function modelBody(d: Dialect, modelSql: string): string {
  if (typeof modelSql !== 'string') throw new Error("The model SQL is empty: paste the model's query.");
  const tokens = tokenize(modelSql, d.lexical);
  const open = tokens.find((t) => t.unterminated);
  if (open) throw new Error(`The model SQL ends inside ${unterminatedWhat(open)}: check its quotes and comments.`);
  const code = tokens.filter((t) => t.kind !== 'comment' && t.kind !== 'semicolon');
  const codeEnd = code.length > 0 ? code[code.length - 1].end : 0;
  if (codeEnd === 0) throw new Error("The model SQL is empty: paste the model's query.");
  if (tokens.some((t) => t.kind === 'semicolon' && t.start < codeEnd)) {
    throw new Error('The model SQL holds more than one statement: use the single query that defines the model.');
  }
  return modelSql.slice(0, codeEnd);
}

function unterminatedWhat(t: Token): string {
  if (t.kind === 'comment') return 'a /* comment */';
  if (t.kind === 'quoted') return 'a quoted name';
  return t.text.startsWith('$') ? 'a dollar-quoted string' : 'a quoted string';
}
