import type { Dialect, SqlQuery } from './dialect';
import { binder } from './binds';

export const CATALOG_TABLES = ['sync_changelog', 'sync_snapshot', 'sync_runs'] as const;
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
  const tables = CATALOG_TABLES.map((t) => b.bind(t)).join(', ');
  return b.query(
    `select table_schema, table_name, column_name, data_type from information_schema.columns` +
      ` where table_schema = ${schemaParam} and table_name in (${tables})` +
      ` order by table_name, ordinal_position limit ${b.count(CATALOG_MAX_ROWS)}`,
  );
}
