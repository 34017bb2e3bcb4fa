import type { Dialect } from './dialect';
import { validateIdent } from './ident';
import { commentText } from './sqlComment';
import { tableName, type SyncLogLocation } from './syncLogTables';

export interface ExcludeFailedRowsSpec {
  /** The model's SQL as the person wrote it (one query; a leading WITH is fine). */
  modelSql: string;
  syncId: string;
  /** The *name* of the model's key column (sync_runs.primary_key). */
  primaryKey: string;
}

/**
 * SQL for a person to paste into their model: the model without the rows whose latest sync
 * attempt failed (sync_snapshot, status 'failed', of that sync), so a broken row stops being
 * retried. Shown in an editor, not executed by us, so values are literals, not binds.
 *
 * The model stays a derived table, untouched but for trailing `;`/comments: a leading WITH is
 * legal inside a derived table in all five warehouses, and not re-indenting keeps multi-line
 * string literals intact. A correlated NOT EXISTS rather than NOT IN: a NULL row_id in the
 * snapshot would make NOT IN drop every row.
 */
export function excludeFailedRowsSql(loc: SyncLogLocation, spec: ExcludeFailedRowsSpec): string {
  const d = loc.dialect;
  if (typeof spec.primaryKey !== 'string' || spec.primaryKey.trim() === '') {
    throw new Error('No primary key: the sync\'s primary key column (sync_runs.primary_key) is needed to match model rows to row_id.');
  }
  const key = d.quoteIdent(validateIdent(spec.primaryKey.trim(), 'primary key column'));
  const model = modelBody(d, spec.modelSql);
  // BigQuery will not compare a STRING literal with an INT64 sync_id; the other four coerce the literal.
  const syncIdColumn = d.name === 'bigquery' ? `cast(s.sync_id as ${d.stringType})` : 's.sync_id';
  return `-- The model's rows minus those whose latest sync attempt failed (sync_snapshot status 'failed') in sync ${commentText(spec.syncId)}.
-- Rows match on the model's ${commentText(spec.primaryKey.trim())} column, compared as text with sync_snapshot.row_id.
select m.*
from (
${model}
) m
where not exists (
  select 1
  from ${tableName(loc, 'sync_snapshot')} s
  where ${syncIdColumn} = ${d.literal(spec.syncId)}
    and s.status = 'failed'
    and s.row_id = cast(m.${key} as ${d.stringType})
)
`;
}

/**
 * The model's text without trailing `;`, whitespace and comments (a trailing `-- comment` would
 * otherwise swallow the closing parenthesis). Throws when it is empty or holds more than one
 * statement, or ends inside a string or comment.
 */
export function modelBody(d: Dialect, modelSql: string): string {
  if (typeof modelSql !== 'string') throw new Error('The model SQL is empty: paste the model\'s query.');
  const { codeEnd, semicolons } = scanSql(d, modelSql);
  if (codeEnd === 0) throw new Error('The model SQL is empty: paste the model\'s query.');
  if (semicolons.some((i) => i < codeEnd)) {
    throw new Error('The model SQL holds more than one statement: use the single query that defines the model.');
  }
  return modelSql.slice(0, codeEnd);
}

interface Scan {
  /** Index just past the last character of code (not whitespace, comment or `;`). */
  codeEnd: number;
  /** Indexes of `;` outside strings, quoted names and comments. */
  semicolons: number[];
}

/** Just enough lexing to find statement ends and trailing comments; quoting rules per dialect. */
function scanSql(d: Dialect, sql: string): Scan {
  const backslashEscapes = d.name === 'snowflake' || d.name === 'bigquery' || d.name === 'databricks';
  const dollarQuotes = d.name === 'postgres' || d.name === 'redshift' || d.name === 'snowflake';
  const hashComments = d.name === 'bigquery';
  const semicolons: number[] = [];
  let codeEnd = 0;
  let i = 0;
  const unterminated = (what: string): never => {
    throw new Error(`The model SQL ends inside ${what}: check its quotes and comments.`);
  };
  /** Index past the quote closing a quoted run that starts at `start` (the opening quote). */
  const skipQuoted = (start: number, quote: string, backslash: boolean): number => {
    let j = start + quote.length;
    while (j < sql.length) {
      if (backslash && sql[j] === '\\') {
        j += 2;
        continue;
      }
      if (sql.startsWith(quote, j)) {
        // A doubled single-character quote is an escaped quote.
        if (quote.length === 1 && sql[j + 1] === quote) {
          j += 2;
          continue;
        }
        return j + quote.length;
      }
      j++;
    }
    return unterminated(`a quoted ${quote === '`' ? 'name' : 'string or name'}`);
  };
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if ((c === '-' && next === '-') || (hashComments && c === '#')) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (c === '/' && next === '*') {
      // Postgres nests block comments; the others end at the first */.
      let depth = 1;
      let j = i + 2;
      while (depth > 0) {
        if (j >= sql.length) unterminated('a /* comment */');
        if (d.name === 'postgres' && sql.startsWith('/*', j)) {
          depth++;
          j += 2;
        } else if (sql.startsWith('*/', j)) {
          depth--;
          j += 2;
        } else j++;
      }
      i = j;
    } else if (c === ';') {
      semicolons.push(i);
      i++;
    } else {
      let end: number;
      if (d.name === 'bigquery' && (sql.startsWith("'''", i) || sql.startsWith('"""', i))) {
        end = skipQuoted(i, sql.slice(i, i + 3), true);
      } else if (c === "'") {
        // Postgres E'...' strings honour backslashes; the E was already consumed as code.
        const eString = (d.name === 'postgres' || d.name === 'redshift') && /[eE]/.test(sql[i - 1] ?? '') && !/[A-Za-z0-9_]/.test(sql[i - 2] ?? '');
        end = skipQuoted(i, "'", backslashEscapes || eString);
      } else if (c === '"') {
        // An identifier in Postgres, Redshift and Snowflake; a string in BigQuery and Databricks.
        end = skipQuoted(i, '"', d.name === 'bigquery' || d.name === 'databricks');
      } else if (c === '`') {
        end = skipQuoted(i, '`', false);
      } else if (dollarQuotes && c === '$' && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
        const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
        if (tag) {
          const close = sql.indexOf(tag[0], i + tag[0].length);
          if (close < 0) unterminated('a dollar-quoted string');
          end = close + tag[0].length;
        } else end = i + 1;
      } else {
        end = i + 1;
      }
      codeEnd = end;
      i = end;
    }
  }
  return { codeEnd, semicolons };
}
