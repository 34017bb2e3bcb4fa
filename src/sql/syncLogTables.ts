import type { Dialect } from './dialect';

export const SYNC_LOG_TABLES = ['sync_changelog', 'sync_snapshot', 'sync_runs'] as const;
export type SyncLogTable = (typeof SYNC_LOG_TABLES)[number];
/** Related tables some deployments have (ARCHITECTURE.md, "The sync-log tables"): detected, never required. */
export const OPTIONAL_TABLES = ['audience_holdout'] as const;
/** Every table the catalog read looks for. */
export const CATALOG_TABLES = [...SYNC_LOG_TABLES, ...OPTIONAL_TABLES] as const;

/**
 * What a deployment's sync-log tables really hold. Hightouch does not promise schema stability
 * (ARCHITECTURE.md, "The sync-log tables"), so builders follow the catalog rather than the
 * documentation where they differ.
 */
export interface SyncLogShape {
  /** Required tables the catalog does not have. */
  missingTables: SyncLogTable[];
  /** The failure-text column: `failure_reason` everywhere we know of; `failed_reason` if a deployment really uses the vendor page's name. */
  failureReason: 'failure_reason' | 'failed_reason';
  /** The changelog has `fields` (every warehouse but Redshift). */
  hasFields: boolean;
  /** The snapshot has `sync_run_id` (some deployments). */
  snapshotHasRunId: boolean;
  /** sync_runs has the twelve num_{planned,attempted,succeeded,failed}_{add,change,remove} counters. */
  runCounters: boolean;
  /** `audience_holdout` exists next to the sync logs. */
  hasAudienceHoldout: boolean;
  /** Whether this came from a catalog read (false: the documented schema, assumed). */
  fromCatalog: boolean;
}

/** Where the sync-log tables live on a connection, and how to write their names in its dialect. */
export interface SyncLogLocation {
  dialect: Dialect;
  schema: string;
  /** Database (Redshift, Snowflake), project (BigQuery) or catalog (Databricks); omitted, the connection's default. */
  database?: string;
  /** What the catalog showed; omitted, the documented schema. */
  shape?: SyncLogShape;
}

export function tableName(loc: SyncLogLocation, table: SyncLogTable): string {
  return loc.database === undefined
    ? loc.dialect.table(loc.schema, table)
    : loc.dialect.table(loc.schema, table, loc.database);
}

const OPS = ['add', 'change', 'remove'] as const;

/** `a + b + c` over the three op kinds of one counter family, e.g. planned. */
export function counterSum(family: 'planned' | 'attempted' | 'succeeded' | 'failed', alias = ''): string {
  const prefix = alias ? `${alias}.` : '';
  return OPS.map((op) => `coalesce(${prefix}num_${family}_${op}, 0)`).join(' + ');
}

/** The failure-text column as this deployment names it. */
export function failureReasonColumn(loc: SyncLogLocation): string {
  return loc.shape?.failureReason ?? 'failure_reason';
}

/** Whether the changelog has `fields` here: never on Redshift, and not where the catalog lacks it. */
export function hasFields(loc: SyncLogLocation): boolean {
  return loc.dialect.hasFieldsColumn && (loc.shape?.hasFields ?? true);
}

/**
 * Whether sync_runs has all twelve num_* counters here (assumed where the catalog was not read).
 * Without them, per-run figures are counted in the changelog instead.
 */
export function hasRunCounters(loc: SyncLogLocation): boolean {
  return loc.shape?.runCounters ?? true;
}
