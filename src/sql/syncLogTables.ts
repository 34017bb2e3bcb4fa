import type { Dialect } from './dialect';
import type { SyncLogShape } from './syncLogShape';

export const SYNC_LOG_TABLES = ['sync_changelog', 'sync_snapshot', 'sync_runs'] as const;
export type SyncLogTable = (typeof SYNC_LOG_TABLES)[number];
/** Related tables some deployments have (schema.md): detected, never required. */
export const OPTIONAL_TABLES = ['audience_holdout'] as const;
/** Every table the catalog read looks for. */
export const CATALOG_TABLES = [...SYNC_LOG_TABLES, ...OPTIONAL_TABLES] as const;

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
  return loc.database === undefined ? loc.dialect.table(loc.schema, table) : loc.dialect.table(loc.schema, table, loc.database);
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
