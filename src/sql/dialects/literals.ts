/** SQL-standard string literal: only the quote is special (Postgres with standard_conforming_strings, Redshift). */
export function standardLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * For warehouses where a backslash escapes inside string literals (Snowflake, BigQuery,
 * Databricks). Doubling the quote is not portable: BigQuery rejects it, and Spark reads
 * 'a''b' as two adjacent literals.
 */
export function backslashLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}
