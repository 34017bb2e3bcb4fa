import type { Catalog } from '../shared/catalog';
import { resultObjects } from '../shared/queryResult';
import { CATALOG_MAX_ROWS, catalogColumnsQuery, catalogFromRows } from '../sql/catalogQuery';
import { RUN_COUNTERS, documentedShape, missingTablesMessage, shapeFromCatalog } from '../sql/syncLogShape';
import type { SyncLogLocation } from '../sql/syncLogTables';
import type { Warehouse } from './warehouse';

/** What the extension knows about one connection's sync logs after connecting. */
export interface SyncLogInfo {
  location: SyncLogLocation;
  /** The sync-log tables' columns as the warehouse lists them; undefined when the read failed or found nothing. */
  catalog?: Catalog;
  /** Why the sync logs cannot be browsed here (missing tables), for people. */
  problem?: string;
}

export interface DiscoveryTarget {
  connectionName: string;
  schema: string;
  database?: string;
  log?(level: 'info' | 'warn', line: string): void;
}

/** Catalogs answer quickly; a stuck one must not hold up the tree. */
const CATALOG_TIMEOUT_MS = 30_000;

/**
 * Reads the catalog once per connection and adapts to it (failure_reason vs failed_reason, no
 * `fields`, optional columns and tables). A catalog that cannot be read (permissions, an old
 * server) is not fatal: the documented schema is assumed and the queries themselves will say more.
 */
export async function discoverSyncLog(warehouse: Warehouse, target: DiscoveryTarget): Promise<SyncLogInfo> {
  const base: SyncLogLocation = { dialect: warehouse.dialect, schema: target.schema, database: target.database };
  const query = catalogColumnsQuery(warehouse.dialect, target.schema, target.database);
  let catalog: Catalog | undefined;
  try {
    const result = await warehouse.query(query.text, query.values, {
      readOnly: true,
      maxRows: CATALOG_MAX_ROWS,
      signal: AbortSignal.timeout(CATALOG_TIMEOUT_MS),
    });
    catalog = catalogFromRows(resultObjects(result));
  } catch (err) {
    target.log?.(
      'warn',
      `Could not read the catalog of "${target.connectionName}" (${(err as Error).message}); assuming the documented sync-log schema.`,
    );
    return { location: { ...base, shape: documentedShape(warehouse.dialect.hasFieldsColumn) } };
  }
  const shape = shapeFromCatalog(catalog);
  const problem = missingTablesMessage(shape, target);
  const tables = catalog?.tables.map((t) => t.name).join(', ') || 'none';
  const runs = catalog?.tables.find((t) => t.name.toLowerCase() === 'sync_runs');
  const missingCounters = runs
    ? RUN_COUNTERS.filter((c) => !runs.columns.some((col) => col.name.toLowerCase() === c))
    : [];
  // Said once here, so a deployment whose tree figures come from the changelog can be told from the log.
  const counters = missingCounters.length
    ? `; sync_runs lacks ${missingCounters.join(', ')}: per-run figures are counted in the changelog`
    : '';
  target.log?.(
    'info',
    `Catalog of "${target.connectionName}": sync-log tables found: ${tables}; failure column ${shape.failureReason}${counters}.`,
  );
  return { location: { ...base, shape }, catalog, problem };
}
