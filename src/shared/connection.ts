/** Kinds of warehouse connections. `demo` is the embedded PGlite sync log. */
export type WarehouseKind = 'demo' | 'postgres' | 'redshift' | 'snowflake' | 'bigquery' | 'databricks';

/** A connection as stored in settings (`syncLogs.connections`): never holds a secret. */
export interface ConnectionSettings {
  name: string;
  kind: WarehouseKind;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  /** `disable` | `require` | `verify-full` for Postgres-protocol connections. */
  ssl?: 'disable' | 'require' | 'verify-full';
  /** Schema holding the sync-log tables; defaults to `syncLogs.schema`. */
  schema?: string;
}

export const DEMO_CONNECTION_NAME = 'Demo';
export const DEFAULT_SCHEMA = 'hightouch_audit';
