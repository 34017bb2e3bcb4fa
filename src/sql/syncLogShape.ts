import type { Catalog, CatalogTable } from '../shared/catalog';
import { SYNC_LOG_TABLES, type SyncLogShape } from './syncLogTables';

// Declared with the tables it describes (syncLogTables.ts imports nothing from here); kept importable from here.
export type { SyncLogShape };

/** sync_runs' per-run counters (ARCHITECTURE.md, "The sync-log tables"). */
export const RUN_COUNTERS = (['planned', 'attempted', 'succeeded', 'failed'] as const).flatMap((family) =>
  (['add', 'change', 'remove'] as const).map((op) => `num_${family}_${op}` as const),
);

/** The documented schema, for when the catalog cannot be read. */
export function documentedShape(hasFields = true): SyncLogShape {
  return {
    missingTables: [],
    failureReason: 'failure_reason',
    hasFields,
    snapshotHasRunId: false,
    runCounters: true,
    hasAudienceHoldout: false,
    fromCatalog: false,
  };
}

/** The shape a catalog shows; `undefined` (no table found at all) means every required table is missing. */
export function shapeFromCatalog(catalog: Catalog | undefined): SyncLogShape {
  const table = (name: string): CatalogTable | undefined => catalog?.tables.find((t) => t.name.toLowerCase() === name);
  const has = (t: CatalogTable | undefined, column: string) =>
    t?.columns.some((c) => c.name.toLowerCase() === column) ?? false;
  const changelog = table('sync_changelog');
  const runs = table('sync_runs');
  const snapshot = table('sync_snapshot');
  const failureTable = changelog ?? snapshot;
  return {
    missingTables: SYNC_LOG_TABLES.filter((t) => !table(t)),
    failureReason:
      failureTable && !has(failureTable, 'failure_reason') && has(failureTable, 'failed_reason')
        ? 'failed_reason'
        : 'failure_reason',
    hasFields: changelog ? has(changelog, 'fields') : true,
    snapshotHasRunId: has(snapshot, 'sync_run_id'),
    runCounters: RUN_COUNTERS.every((c) => has(runs, c)),
    hasAudienceHoldout: table('audience_holdout') !== undefined,
    fromCatalog: true,
  };
}

export interface ShapeContext {
  connectionName: string;
  schema: string;
  /** Database, project or catalog, when the connection names one. */
  database?: string;
}

const HOW_TO_ENABLE =
  'To enable warehouse sync logs in Hightouch: make sure Warehouse Planning is enabled for the source, ' +
  'open the sync\'s "Sync Logs" tab and enable the history tables; they appear after the sync\'s next run.';

/**
 * A message for people when sync-log tables are missing, saying where we looked and what to do;
 * undefined when all three are there.
 */
export function missingTablesMessage(shape: SyncLogShape, ctx: ShapeContext): string | undefined {
  if (shape.missingTables.length === 0) return undefined;
  const where = `${ctx.database ? `${ctx.database}.` : ''}${ctx.schema}`;
  const elsewhere = `If they live in another schema, set "schema" on the connection or the syncLogs.schema setting.`;
  if (shape.missingTables.length === SYNC_LOG_TABLES.length) {
    return `No Hightouch sync logs in ${where} on "${ctx.connectionName}" (looked for ${SYNC_LOG_TABLES.join(', ')}). ${elsewhere} ${HOW_TO_ENABLE}`;
  }
  const missing = shape.missingTables.join(' and ');
  return `${where} on "${ctx.connectionName}" has no ${missing} table. Enable that history table in the sync's "Sync Logs" tab in Hightouch; it appears after the next run.`;
}
