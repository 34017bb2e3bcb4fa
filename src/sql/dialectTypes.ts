import type { DialectKind } from '../shared/connection';
import type { LexicalTraits } from './lexer';

/** A parameterised statement: values are bound, never spliced into text. */
export interface SqlQuery {
  text: string;
  values: unknown[];
  /**
   * Its grouping is far smaller than a planner can estimate (failure texts by row: a row fails
   * with few texts; a window's operations by row: a row has many), so it is run with room to
   * hash it (QueryOptions.hashGrouping).
   */
  hashGrouping?: boolean;
}

/** How a driver expects bound values to be named in SQL text. */
export type ParamStyle =
  | 'dollar' // $1..$n (pg: Postgres, Redshift)
  | 'question' // ? in order of appearance (snowflake-sdk)
  | 'at' // @p1..@pn (BigQuery named parameters)
  | 'colon'; // :p1..:pn (Databricks named parameters; never mixed with ?)

export type TimeUnit = 'hour' | 'day';

/** What query builders need to know about a warehouse's SQL (see ARCHITECTURE.md, "Dialects"). */
export interface Dialect {
  readonly name: DialectKind;
  /**
   * How the warehouse treats unquoted names; quoteIdent already applies it, so callers
   * never fold case themselves. Snowflake: 'upper' (quoteIdent upper-cases plain names).
   */
  readonly unquotedCase: 'lower' | 'upper' | 'insensitive';
  readonly paramStyle: ParamStyle;
  /** Whether LIMIT/OFFSET accept a bound value; otherwise builders render validated integer literals. */
  readonly boundLimit: boolean;
  readonly supportsQualify: boolean;
  /** Type name for casts to text. */
  readonly stringType: 'varchar' | 'string';
  /** Redshift's sync logs have no `fields` column. */
  readonly hasFieldsColumn: boolean;
  /** How the warehouse's SQL is lexed: quotes, escapes, comments (src/sql/lexer.ts reads them). */
  readonly lexical: LexicalTraits;
  quoteIdent(name: string): string;
  /**
   * Qualified sync-log table name, e.g. `"hightouch_audit"."sync_runs"`. `database` is the
   * database (Redshift, Snowflake, Postgres: must be the current one), BigQuery project or
   * Databricks catalog; omitted, the connection's default applies.
   */
  table(schema: string, table: string, database?: string): string;
  /** Placeholder for the n-th (1-based) bound value. */
  param(index: number): string;
  /**
   * A string literal, for SQL shown to the user in an editor (never for executed builders): the
   * same value, and the same end of string, under every session setting (see dialects/literals.ts).
   */
  literal(value: string): string;
  /** True when `pattern` (a placeholder) matches anywhere in `expr`. */
  regexContains(expr: string, pattern: string, caseInsensitive?: boolean): string;
  /** Replace every match of `pattern` in `expr`. */
  regexReplace(expr: string, pattern: string, replacement: string): string;
  /** Text of the top-level key `keyParam` (a placeholder) of a JSON object. Throws where there is no JSON column. */
  jsonText(expr: string, keyParam: string): string;
  /** Truncate a timestamp to the start of its hour or day. */
  truncTime(unit: TimeUnit, expr: string): string;
  /**
   * The expression that turns `placeholder` (a bound ISO-8601 string such as
   * `2026-11-01T10:00:00.000Z`) into a value comparable with sync_runs.started_at. Bound as a
   * string rather than a driver Date because each driver maps Dates differently (BigQuery and
   * Databricks need typed parameters); the cast makes the comparison typed on the warehouse side.
   */
  timestampParam(placeholder: string): string;
}
