const SAFE_IDENT = /^[A-Za-z_][A-Za-z0-9_$]{0,127}$/;

/** Identifiers come from settings: accept plain names only and say what is wrong otherwise. */
export function validateIdent(name: string, what = 'identifier'): string {
  if (!SAFE_IDENT.test(name)) {
    throw new Error(
      `Invalid ${what} "${name}": use letters, digits and underscores, starting with a letter or underscore.`,
    );
  }
  return name;
}

// Google's rule for project ids: 6-30 chars, lower-case letters, digits and hyphens, starts with a letter.
// Legacy domain-scoped ids (`example.com:proj`) are not accepted: they cannot sit safely inside one backtick pair.
const BIGQUERY_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** BigQuery project ids may contain hyphens, which plain identifiers may not. */
export function validateBigQueryProject(name: string): string {
  if (!BIGQUERY_PROJECT.test(name)) {
    throw new Error(
      `Invalid BigQuery project "${name}": use 6-30 lower-case letters, digits and hyphens, starting with a letter.`,
    );
  }
  return name;
}

/** A row count rendered into SQL text: non-negative safe integers only, never strings. */
export function sqlCount(n: number, what = 'limit'): string {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new Error(`Invalid ${what} ${String(n)}: expected a non-negative integer.`);
  }
  return String(n);
}

/** `[database.]schema.table`, each part quoted by the dialect's own rule. */
export function dottedName(quote: (name: string) => string, schema: string, table: string, database?: string): string {
  return [database, schema, table]
    .filter((p): p is string => p !== undefined)
    .map(quote)
    .join('.');
}
