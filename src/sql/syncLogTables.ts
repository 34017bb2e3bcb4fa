import type { Dialect } from './dialect';

export const SYNC_LOG_TABLES = ['sync_changelog', 'sync_snapshot', 'sync_runs'] as const;
export type SyncLogTable = (typeof SYNC_LOG_TABLES)[number];

/** Where the sync-log tables live on a connection, and how to write their names in its dialect. */
export interface SyncLogLocation {
  dialect: Dialect;
  schema: string;
  /** Database (Redshift, Snowflake), project (BigQuery) or catalog (Databricks); omitted, the connection's default. */
  database?: string;
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
