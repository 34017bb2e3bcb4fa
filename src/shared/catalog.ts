/**
 * What a live connection's catalog (information_schema) shows of the sync-log tables: read by
 * the warehouse layer, followed by the query builders, sent to the language server.
 */

export interface CatalogColumn {
  name: string;
  /** The warehouse's own type name, shown as-is in hovers. */
  type: string;
}

export interface CatalogTable {
  schema: string;
  name: string;
  columns: readonly CatalogColumn[];
}

/** What a live connection reports from information_schema (names in any case). */
export interface Catalog {
  tables: readonly CatalogTable[];
}
