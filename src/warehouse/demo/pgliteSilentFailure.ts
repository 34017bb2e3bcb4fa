/**
 * PGlite runs Postgres in WebAssembly with a much smaller stack than a server's. A statement that
 * exhausts it (jsonb nested more than about 6,000 levels, where a server takes 10,000) comes back
 * as an empty answer with no command tag and no error, which would read as an empty result; and
 * the engine may hang on the next statement. Pure: checked on what PGlite returned.
 */

/** What PGlite returns per statement (the parts read here). */
export interface PgliteStatementResult {
  command?: string;
  fields: readonly unknown[];
}

/** Whether `sql` holds anything but comments, white space and semicolons (an empty query gets no command tag either). */
export function hasStatement(sql: string): boolean {
  const stripped = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/[\s;]+/g, '');
  return stripped.length > 0;
}

/** Every statement Postgres answers carries a command tag; one without it, for real SQL, failed silently. */
export function pgliteFailedSilently(results: readonly PgliteStatementResult[], sql: string): boolean {
  return (results.length === 0 || results.some((r) => r.command === undefined)) && hasStatement(sql);
}

export const PGLITE_SILENT_FAILURE_MESSAGE =
  'The demo engine (PGlite, Postgres in WebAssembly) stopped on this statement without an answer or an error. ' +
  'Its stack is much smaller than a server’s: JSON nested more than about 6,000 levels deep is one known cause. ' +
  'The demo may not answer further queries until it is restarted (Developer: Reload Window; the CLI restarts it each run).';
