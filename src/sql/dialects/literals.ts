/**
 * String literals for SQL a person runs (Open Run Query, Exclude Previously Failed Rows). The
 * text is run later, in a session whose settings we cannot see, so each form must mean the same
 * value under every setting that changes how the warehouse reads a quoted string.
 */

/**
 * Postgres. With standard_conforming_strings off (a role, database or legacy server setting), a
 * backslash in '...' is an escape, so `'\'; drop ...'` would end the string early; with it on, it
 * is a plain character. A value without a backslash reads the same either way; one with a
 * backslash becomes an E'' string, where backslashes always escape, whatever the setting.
 * The quote is doubled in both forms, never written `\'`, so lexers that do not know E''
 * (ours, other tools') still find the same end of the string.
 */
export function postgresLiteral(value: string): string {
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/**
 * Redshift reads backslashes in ordinary literals as escapes (its LIKE documentation writes the
 * default escape as '\\', and QUOTE_LITERAL doubles backslashes) and documents no E'' strings.
 * So no backslash is written inside a literal at all: each one becomes chr(92), concatenated,
 * which is the same value whether or not the literal would have escaped it.
 */
export function redshiftLiteral(value: string): string {
  if (!value.includes('\\')) return `'${value.replace(/'/g, "''")}'`;
  const pieces = value
    .split('\\')
    .flatMap((part, i) => [...(i > 0 ? ['chr(92)'] : []), ...(part ? [`'${part.replace(/'/g, "''")}'`] : [])]);
  // Parenthesised so it reads as one value next to any operator.
  return pieces.length === 1 ? pieces[0] : `(${pieces.join(' || ')})`;
}

/**
 * For warehouses where a backslash always escapes inside string literals (Snowflake, BigQuery,
 * Databricks). Doubling the quote is not portable: BigQuery rejects it, and Spark reads
 * 'a''b' as two adjacent literals. BigQuery does not allow a raw line break in '...'.
 */
export function backslashLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}
