import type { Dialect } from '../../src/sql/dialect';
import type { DialectKind } from '../../src/sql/dialects';

/**
 * node-sql-parser's database per dialect, for the tests that parse the builders' SQL. It has no
 * Databricks mode: 'hive' is closest and rejects three-part names, so Databricks is parsed
 * without a catalog.
 */
export const PARSER_DB: Record<DialectKind, string> = {
  postgres: 'postgresql',
  redshift: 'redshift',
  snowflake: 'snowflake',
  bigquery: 'bigquery',
  databricks: 'hive',
};

/**
 * Works around parser gaps, never the builders: the snowflake grammar rejects `?` (renumbered to
 * Snowflake's equivalent `:n`), and the redshift grammar does not know the TIMESTAMPTZ type name
 * (valid Redshift, the alias of `timestamp with time zone`).
 */
export const forParser = (d: Dialect, sql: string): string => {
  let n = 0;
  if (d.name === 'snowflake') return sql.replace(/\?/g, () => `:${++n}`);
  if (d.name === 'redshift') return sql.replace(/ as timestamptz\)/g, ' as timestamp with time zone)');
  return sql;
};
