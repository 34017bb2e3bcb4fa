/** A parameterised statement: values are bound, never spliced into text. */
export interface SqlQuery {
  text: string;
  values: unknown[];
}

/** What query builders need to know about a warehouse's SQL. More dialects arrive with issue 3. */
export interface Dialect {
  readonly name: 'postgres' | 'redshift' | 'snowflake' | 'bigquery' | 'databricks';
  quoteIdent(name: string): string;
  /** Qualified sync-log table name, e.g. `"hightouch_audit"."sync_runs"`. */
  table(schema: string, table: string): string;
  /** Placeholder for the n-th (1-based) bound value. */
  param(index: number): string;
  /** A string literal, for SQL shown to the user in an editor (never for executed builders). */
  literal(value: string): string;
}

const SAFE_IDENT = /^[A-Za-z_][A-Za-z0-9_$]{0,127}$/;

/** Identifiers come from settings: accept plain names only and say what is wrong otherwise. */
export function validateIdent(name: string, what = 'identifier'): string {
  if (!SAFE_IDENT.test(name)) {
    throw new Error(`Invalid ${what} "${name}": use letters, digits and underscores, starting with a letter or underscore.`);
  }
  return name;
}

// Reserved words that must stay quoted even when lower-case (a practical subset of Postgres's list).
const PG_RESERVED = new Set(
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric table then to trailing true union unique user using variadic when where window with'.split(' '),
);

/** Like Postgres's quote_ident: plain lower-case names stay bare, anything else is quoted. */
function pgQuote(name: string): string {
  validateIdent(name);
  return /^[a-z_][a-z0-9_]*$/.test(name) && !PG_RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export const postgresDialect: Dialect = {
  name: 'postgres',
  quoteIdent: pgQuote,
  table(schema, table) {
    return `${this.quoteIdent(schema)}.${this.quoteIdent(table)}`;
  },
  param: (index) => `$${index}`,
  literal: (value) => `'${value.replace(/'/g, "''")}'`,
};
