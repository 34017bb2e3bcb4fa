/**
 * Sort and filter of a Run Query result pushed into the warehouse, for results larger than the
 * rows the host keeps: the user's statement wrapped as
 * `select * from (<sql>) as q where … order by …`, column names quoted by the dialect's own rule,
 * every filter value bound, never spliced. The semantics match the in-memory view
 * (webview/grid/viewModel.ts): contains is case-insensitive on the value as text, equals exact
 * on it, NULL matches neither, NULLs sort last in both directions.
 */
import type { Dialect, SqlQuery } from './dialect';
import { binder } from './binds';
import { splitStatements } from './statementAtCursor';
import { tokenize } from './lexer';

export interface WrapSort {
  column: number;
  dir: 'asc' | 'desc';
}

export interface WrapFilter {
  column: number;
  op: 'contains' | 'equals' | 'isNull' | 'notNull';
  value: string;
}

export interface ResultWrapSpec {
  /** The statement as it ran (one query, no trailing `;`). */
  sql: string;
  /** The result's column names, in order, exactly as the warehouse returned them. */
  columns: readonly string[];
  sort: readonly WrapSort[];
  filters: readonly WrapFilter[];
  /** Rows with any column containing this; empty: none. */
  quick: string;
}

/** Why a result cannot be sorted or filtered in the warehouse; the panel shows the message. */
export class WrapRefusedError extends Error {
  override readonly name = 'WrapRefusedError';
}

const QUERY_START = new Set(['select', 'with', 'values', 'table', 'from']);

/**
 * A column name as a delimited identifier of the dialect: `"…"` with `""` inside, or `` `…` ``
 * with the backtick doubled (Databricks). BigQuery takes backslash escapes in a quoted name, so a
 * name holding a backtick or backslash there is refused rather than escaped. Control characters
 * are refused everywhere: no warehouse returns them in a name it can also parse back.
 */
export function resultColumnRef(dialect: Dialect, name: string): string {
  if (name === '' || /[\u0000-\u001f\u007f]/.test(name))
    throw new WrapRefusedError(`The column name ${JSON.stringify(name)} cannot be written in SQL.`);
  const q = dialect.lexical.nameQuote;
  if (dialect.lexical.nameEscapes === 'backslash') {
    if (name.includes(q) || name.includes('\\'))
      throw new WrapRefusedError(`The column name ${JSON.stringify(name)} cannot be quoted for ${dialect.name}.`);
    return `${q}${name}${q}`;
  }
  return `${q}${name.split(q).join(q + q)}${q}`;
}

/** The column as text, lower-cased, for contains. */
const asText = (dialect: Dialect, ref: string) => `cast(${ref} as ${dialect.stringType})`;

/** `needle` (a placeholder) occurs in `hay` (an expression), case-insensitively. */
function containsExpr(dialect: Dialect, hay: string, needle: string): string {
  // BigQuery has STRPOS and no POSITION(… IN …); the others all take the standard form.
  return dialect.name === 'bigquery'
    ? `strpos(lower(${hay}), lower(${needle})) > 0`
    : `position(lower(${needle}) in lower(${hay})) > 0`;
}

/** Checks the statement can be wrapped: one query, nothing after it. */
function wrappable(dialect: Dialect, sql: string): string {
  const statements = splitStatements(sql, dialect.lexical);
  if (statements.length !== 1)
    throw new WrapRefusedError(
      'Sorting or filtering in the warehouse needs one statement; this run had ' + statements.length + '.',
    );
  const text = statements[0].text;
  const first = tokenize(text, dialect.lexical).find((t) => t.kind !== 'comment');
  const opensQuery = first && ((first.kind === 'word' && QUERY_START.has(first.value)) || first.text === '(');
  if (!opensQuery)
    throw new WrapRefusedError('Only a query (SELECT, WITH, VALUES) can be sorted or filtered in the warehouse.');
  return text;
}

export function resultWrapQuery(dialect: Dialect, spec: ResultWrapSpec): SqlQuery {
  const inner = wrappable(dialect, spec.sql);
  const names = spec.columns;
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  if (duplicates.length)
    throw new WrapRefusedError(
      `The result has two columns named ${JSON.stringify(duplicates[0])}: give them distinct aliases to sort or filter in the warehouse.`,
    );
  const ref = (column: number) => {
    const name = names[column];
    if (name === undefined) throw new WrapRefusedError(`The result has no column ${column + 1}.`);
    return `q.${resultColumnRef(dialect, name)}`;
  };
  const b = binder(dialect);
  const where: string[] = [];
  for (const f of spec.filters) {
    const col = ref(f.column);
    switch (f.op) {
      case 'isNull':
        where.push(`${col} is null`);
        break;
      case 'notNull':
        where.push(`${col} is not null`);
        break;
      case 'equals':
        where.push(`${asText(dialect, col)} = ${b.bind(f.value)}`);
        break;
      case 'contains':
        where.push(containsExpr(dialect, asText(dialect, col), b.bind(f.value)));
        break;
    }
  }
  if (spec.quick) {
    // One bound copy per column: `?` placeholders (Snowflake) cannot be reused by number.
    const any = names.map((_, i) => containsExpr(dialect, asText(dialect, ref(i)), b.bind(spec.quick)));
    where.push(`(${any.join(' or ')})`);
  }
  const order = spec.sort.map((s) => `${ref(s.column)} ${s.dir} nulls last`);
  // The statement on lines of its own: a trailing line comment in it cannot swallow the `)`.
  const text = [
    'select * from (',
    inner,
    ') as q',
    ...(where.length ? [`where ${where.join('\n  and ')}`] : []),
    ...(order.length ? [`order by ${order.join(', ')}`] : []),
  ].join('\n');
  return b.query(text);
}
