import type { Dialect, SqlQuery } from './dialect';
import type { Catalog, CatalogColumn, CatalogTable } from '../server/schemaModel';
import { binder } from './binds';
import { SYNC_LOG_TABLES } from './syncLogTables';
/** Far more than the sync-log tables hold; keeps the read bounded if the schema is odd. */
export const CATALOG_MAX_ROWS = 500;

/**
 * Columns of the sync-log tables from information_schema, for the language server's catalog.
 * Only for dialects whose information_schema.columns is database-wide (Postgres, Redshift);
 * others return undefined and the server keeps the documented schema.
 */
export function catalogColumnsQuery(dialect: Dialect, schema: string): SqlQuery | undefined {
  if (dialect.name !== 'postgres' && dialect.name !== 'redshift') return undefined;
  const b = binder(dialect);
  const schemaParam = b.bind(schema);
  const tables = SYNC_LOG_TABLES.map((t) => b.bind(t)).join(', ');
  return b.query(
    `select table_schema, table_name, column_name, data_type from information_schema.columns` +
      ` where table_schema = ${schemaParam} and table_name in (${tables})` +
      ` order by table_name, ordinal_position limit ${b.count(CATALOG_MAX_ROWS)}`,
  );
}

/** Groups the catalog query's rows (one per column) into tables; undefined when none was found. */
export function catalogFromRows(rows: readonly Record<string, unknown>[]): Catalog | undefined {
  const tables = new Map<string, CatalogTable & { columns: CatalogColumn[] }>();
  for (const row of rows) {
    const name = String(row.table_name);
    let table = tables.get(name);
    if (!table) tables.set(name, (table = { schema: String(row.table_schema), name, columns: [] }));
    table.columns.push({ name: String(row.column_name), type: String(row.data_type) });
  }
  return tables.size ? { tables: [...tables.values()] } : undefined;
}
