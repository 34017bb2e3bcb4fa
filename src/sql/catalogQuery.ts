import type { Dialect, SqlQuery } from './dialect';
import type { Catalog, CatalogColumn, CatalogTable } from '../shared/catalog';
import { binder } from './binds';
import { validateBigQueryProject, validateIdent } from './ident';
import { CATALOG_TABLES } from './syncLogTables';

/** Far more than the sync-log tables hold; keeps the read bounded if the schema is odd. */
export const CATALOG_MAX_ROWS = 500;

/**
 * Where each warehouse lists columns (see ARCHITECTURE.md, "Dialects"). Each view has
 * table_schema, table_name, column_name and data_type; scoping differs:
 * Snowflake and Databricks per database/catalog, BigQuery per dataset.
 */
function columnsView(dialect: Dialect, schema: string, database?: string): string {
  switch (dialect.name) {
    case 'postgres':
      return 'information_schema.columns';
    case 'redshift':
      // information_schema misses late-binding views and external tables; SVV_COLUMNS lists them all.
      return 'svv_columns';
    case 'snowflake':
      return database === undefined
        ? 'INFORMATION_SCHEMA.COLUMNS'
        : `${dialect.quoteIdent(database)}.INFORMATION_SCHEMA.COLUMNS`;
    case 'bigquery': {
      const dataset = validateIdent(schema, 'dataset');
      return database === undefined
        ? `\`${dataset}\`.INFORMATION_SCHEMA.COLUMNS`
        : `\`${validateBigQueryProject(database)}\`.${dataset}.INFORMATION_SCHEMA.COLUMNS`;
    }
    case 'databricks':
      return database === undefined
        ? 'information_schema.columns'
        : `${dialect.quoteIdent(database)}.information_schema.columns`;
  }
}

/**
 * Columns of the sync-log tables (and the optional related ones) in the connection's catalog.
 * Snowflake stores unquoted names in UPPER case, so the names are compared that way there.
 */
export function catalogColumnsQuery(dialect: Dialect, schema: string, database?: string): SqlQuery {
  const b = binder(dialect);
  const fold = (name: string) => (dialect.unquotedCase === 'upper' ? name.toUpperCase() : name);
  const view = columnsView(dialect, validateIdent(schema, 'schema'), database);
  // A BigQuery dataset's view only lists that dataset, so its schema needs no filter.
  const schemaFilter = dialect.name === 'bigquery' ? '' : `table_schema = ${b.bind(fold(schema))} and `;
  const tables = CATALOG_TABLES.map((t) => b.bind(fold(t))).join(', ');
  return b.query(
    `select table_schema, table_name, column_name, data_type from ${view}` +
      ` where ${schemaFilter}table_name in (${tables})` +
      ` order by table_name, ordinal_position limit ${b.count(CATALOG_MAX_ROWS)}`,
  );
}

/**
 * Groups the catalog query's rows (one per column) into tables; undefined when none was found.
 * Names are lower-cased (Snowflake answers in UPPER case) and so are types, for one spelling everywhere.
 */
export function catalogFromRows(rows: readonly Record<string, unknown>[]): Catalog | undefined {
  const tables = new Map<string, CatalogTable & { columns: CatalogColumn[] }>();
  for (const row of rows) {
    const name = String(row.table_name).toLowerCase();
    let table = tables.get(name);
    if (!table) tables.set(name, (table = { schema: String(row.table_schema).toLowerCase(), name, columns: [] }));
    table.columns.push({ name: String(row.column_name).toLowerCase(), type: String(row.data_type).toLowerCase() });
  }
  return tables.size ? { tables: [...tables.values()] } : undefined;
}
