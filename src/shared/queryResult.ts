/** A column as the warehouse described it: `type` is the warehouse's own type name (e.g. `timestamptz`, `int8`). */
export interface ResultColumn {
  name: string;
  type: string;
}

/**
 * A bounded query result. Rows are arrays in column order (compact to post to a webview).
 * Cells are plain JSON-able values after normalisation: numbers, strings, booleans, null,
 * ISO strings for timestamps (see `CellValue`), objects for JSON, and JSON nested deeper than
 * MAX_JSON_DEPTH as `{ $jsonText }` (its exact text: see jsonText.ts), which no recursive
 * serializer on the way (worker and webview postMessage) could carry.
 */
export interface QueryResult {
  columns: ResultColumn[];
  rows: unknown[][];
  /** Rows the statement produced; may exceed rows.length when `truncated`. */
  rowCount: number;
  /**
   * False when the warehouse was not read to the end (only the rows asked for, and one more):
   * then the statement produced at least `rowCount` rows. Absent or true: exact.
   */
  rowCountExact?: boolean;
  truncated: boolean;
  elapsedMs: number;
  /** The statement's command tag when it returned no rows (e.g. `INSERT`, `CREATE`). */
  command?: string;
}

export interface ResultObjectsOptions {
  /**
   * Key each object by the column name lower-cased, as the loaders read them (Snowflake answers
   * unquoted names in upper case). Off: the names exactly as the warehouse gave them.
   */
  lowerCaseNames?: boolean;
}

/** A result's rows as objects keyed by column name (a later column of the same name wins). */
export function resultObjects<T = Record<string, unknown>>(
  result: QueryResult,
  options: ResultObjectsOptions = {},
): T[] {
  // Names worked out once per result, not once per row: breakdowns read tens of thousands of rows.
  const names = result.columns.map((c) => (options.lowerCaseNames ? c.name.toLowerCase() : c.name));
  return result.rows.map((row) => {
    const obj: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) obj[names[i]] = row[i];
    return obj as T;
  });
}
