import type { LoadProgress } from '../demo/loaderContract';
import type { AuthMethod, ConnectionSettings, SecretName, WarehouseKind } from '../shared/connection';
import type { Warehouse } from './warehouse';

/**
 * What opening a connection may use besides its settings. Lives here, not in registry.ts: every
 * kind's spec takes it, and the registry imports the specs.
 */
export interface OpenContext {
  /** Folder for the embedded demo's data directory (the extension's global storage). */
  demoStorageDir: string;
  /**
   * A secret of the connection from secret storage, or asked for when it may be typed (password,
   * token); undefined when there is none and the user gave none.
   */
  getSecret(settings: ConnectionSettings, secret: SecretName): Promise<string | undefined>;
  statementTimeoutMs?: number;
  /** BigQuery: every job's maximumBytesBilled (syncLogs.bigquery.maximumBytesBilled); undefined: no limit. */
  maximumBytesBilled?: number;
  onDemoProgress?(progress: LoadProgress): void;
  log?(line: string): void;
}

/** The secrets the connection's auth method needs, as read by the registry before `open`. */
export type Secrets = Partial<Record<SecretName, string>>;

/** A plain (non-secret) field the Add Connection flow asks for, in order. */
export interface FieldSpec {
  key:
    | 'host'
    | 'port'
    | 'database'
    | 'user'
    | 'account'
    | 'warehouse'
    | 'role'
    | 'project'
    | 'location'
    | 'httpPath'
    | 'schema'
    | 'ssl';
  prompt: string;
  placeholder?: string;
  /** Offered as the initial value (a new connection) when set. */
  default?: string;
  optional?: boolean;
  /** What is wrong with a non-empty value, for checks only this kind makes (its identifier rules). */
  validate?(value: string): string | undefined;
}

/** A setting a kind cannot connect without, with what it is (for the settings problem message). */
export type RequiredSetting = readonly [keyof ConnectionSettings, string];

/**
 * Everything about one kind of warehouse that the shared parts read: the registry (open), the
 * connection form (label, fields, auth methods), settings validation (required, auth methods),
 * secret identity, and esbuild (bundle). One per kind, in src/warehouse/<kind>/spec.ts.
 */
export interface KindSpec<K extends WarehouseKind = WarehouseKind> {
  kind: K;
  label: string;
  /** Authentication methods, the first being the default; empty for the demo. */
  authMethods: readonly AuthMethod[];
  fields: readonly FieldSpec[];
  required: readonly RequiredSetting[];
  defaultPort?: number;
  /** Whether `database` qualifies every table name (Snowflake, BigQuery, Databricks). */
  qualifiesTables: boolean;
  /**
   * Where the adapter ships. `extension`: inside dist/extension.js. Otherwise esbuild builds
   * dist/adapters/<kind>.js with the driver from `entry` (a path under src/warehouse, without .ts),
   * and the dynamic import of that file in `open` loads the bundle on first use.
   */
  bundle: 'extension' | { entry: string };
  /** The one-line description the Select Connection picker and the tree show. */
  describe(c: ConnectionSettings): string;
  /** Where the connection goes, in words, for the question asked before a workspace's connection is used. */
  describeTarget(c: ConnectionSettings): string;
  /** The fields that choose the server and the principal, with the defaults `open` applies (see connectionIdentity.ts). */
  identity(c: ConnectionSettings): string;
  /** Loads the adapter (and so its driver) and opens it with the driver's configuration. */
  open(settings: ConnectionSettings, secrets: Secrets, ctx: OpenContext): Promise<Warehouse>;
}

export const SCHEMA_FIELD: FieldSpec = {
  key: 'schema',
  prompt: 'Schema (dataset) holding the sync-log tables',
  default: 'hightouch_audit',
};

/** Trimmed and lower-cased, for identity fields that the server compares without case. */
export const lower = (v: string | undefined): string => (v ?? '').trim().toLowerCase();

/** Runs a throwing identifier check as a validator. */
export function checked(check: (value: string) => unknown): (value: string) => string | undefined {
  return (value) => {
    try {
      check(value);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  };
}
