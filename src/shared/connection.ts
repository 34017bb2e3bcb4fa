/** The SQL dialects: how a warehouse's SQL is written and lexed (the Demo's is Postgres). */
export type DialectKind = 'postgres' | 'redshift' | 'snowflake' | 'bigquery' | 'databricks';

/** Kinds of warehouse connections. `demo` is the embedded PGlite sync log. */
export type WarehouseKind = 'demo' | DialectKind;

/** How a connection proves who it is; which ones apply depends on the kind. */
export type AuthMethod =
  | 'password' // Postgres, Redshift, Snowflake
  | 'keyPair' // Snowflake: a PKCS#8 private key (PEM), optionally encrypted
  | 'oauthToken' // Snowflake, BigQuery, Databricks: a bearer token obtained elsewhere
  | 'serviceAccountKey' // BigQuery: a service-account JSON key
  | 'applicationDefault' // BigQuery: gcloud's application-default credentials on this machine
  | 'personalAccessToken'; // Databricks

/**
 * A connection as stored in settings (`syncLogs.connections`): never holds a secret. Secrets
 * (password, private key, token, key file contents) live in VS Code's SecretStorage.
 */
export interface ConnectionSettings {
  name: string;
  kind: WarehouseKind;
  /** Postgres/Redshift host, or the Databricks server hostname. */
  host?: string;
  port?: number;
  /**
   * Postgres/Redshift/Snowflake database, BigQuery project of the sync-log dataset, Databricks
   * catalog. For Snowflake, BigQuery and Databricks it also qualifies every table name.
   */
  database?: string;
  user?: string;
  /** `disable` | `require` | `verify-full` for Postgres-protocol connections. */
  ssl?: 'disable' | 'require' | 'verify-full';
  /** Schema (BigQuery: dataset) holding the sync-log tables; defaults to `syncLogs.schema`. */
  schema?: string;
  auth?: AuthMethod;
  /** Snowflake account identifier, e.g. `myorg-myaccount` or `xy12345.us-east-1`. */
  account?: string;
  /** Snowflake virtual warehouse. */
  warehouse?: string;
  /** Snowflake role. */
  role?: string;
  /** BigQuery project that runs (and pays for) the queries; defaults to `database`. */
  project?: string;
  /** BigQuery location (e.g. `US`, `EU`, `europe-west1`). */
  location?: string;
  /** Databricks SQL warehouse HTTP path, e.g. `/sql/1.0/warehouses/abc123`. */
  httpPath?: string;
  /**
   * Overrides the service address (Snowflake access URL, BigQuery API endpoint), for private
   * links and proxies; the tests point it at a local fake.
   */
  endpoint?: string;
}

/** The secrets a connection can hold in SecretStorage, by name. */
export type SecretName = 'password' | 'privateKey' | 'privateKeyPassphrase' | 'token' | 'serviceAccountKey';

export const DEMO_CONNECTION_NAME = 'Demo';
export const DEFAULT_SCHEMA = 'hightouch_audit';
