import type { AuthMethod, ConnectionSettings, SecretName, WarehouseKind } from '../shared/connection';

/** Kinds a user can add (the demo is built in). */
export type UserKind = Exclude<WarehouseKind, 'demo'>;
export const USER_KINDS: readonly UserKind[] = ['snowflake', 'bigquery', 'redshift', 'databricks', 'postgres'];

export const KIND_LABELS: Record<UserKind, string> = {
  postgres: 'PostgreSQL',
  redshift: 'Amazon Redshift',
  snowflake: 'Snowflake',
  bigquery: 'Google BigQuery',
  databricks: 'Databricks SQL',
};

export const AUTH_LABELS: Record<AuthMethod, string> = {
  password: 'Password',
  keyPair: 'Key pair (private key file)',
  oauthToken: 'OAuth access token',
  serviceAccountKey: 'Service-account key file (JSON)',
  applicationDefault: 'Application-default credentials (gcloud)',
  personalAccessToken: 'Personal access token',
};

/** Authentication methods per kind, the first being the default. */
export const AUTH_METHODS: Record<UserKind, readonly AuthMethod[]> = {
  postgres: ['password'],
  redshift: ['password'],
  snowflake: ['password', 'keyPair', 'oauthToken'],
  bigquery: ['serviceAccountKey', 'oauthToken', 'applicationDefault'],
  databricks: ['personalAccessToken', 'oauthToken'],
};

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
}

const SCHEMA_FIELD: FieldSpec = {
  key: 'schema',
  prompt: 'Schema (dataset) holding the sync-log tables',
  default: 'hightouch_audit',
};

export const FIELDS: Record<UserKind, readonly FieldSpec[]> = {
  postgres: [
    { key: 'host', prompt: 'Host', default: 'localhost' },
    { key: 'port', prompt: 'Port', default: '5432' },
    { key: 'database', prompt: 'Database', placeholder: 'analytics' },
    { key: 'user', prompt: 'User' },
    { key: 'ssl', prompt: 'SSL', default: 'disable' },
    SCHEMA_FIELD,
  ],
  redshift: [
    {
      key: 'host',
      prompt: 'Host (cluster or workgroup endpoint)',
      placeholder: 'examplecluster.abc123.us-west-2.redshift.amazonaws.com',
    },
    { key: 'port', prompt: 'Port', default: '5439' },
    { key: 'database', prompt: 'Database', default: 'dev' },
    { key: 'user', prompt: 'User' },
    { key: 'ssl', prompt: 'SSL', default: 'require' },
    SCHEMA_FIELD,
  ],
  snowflake: [
    { key: 'account', prompt: 'Account identifier', placeholder: 'myorg-myaccount' },
    { key: 'user', prompt: 'User' },
    { key: 'warehouse', prompt: "Virtual warehouse (empty: the user's default)", optional: true },
    { key: 'role', prompt: "Role (empty: the user's default)", optional: true },
    { key: 'database', prompt: 'Database holding the sync logs', placeholder: 'ANALYTICS' },
    SCHEMA_FIELD,
  ],
  bigquery: [
    { key: 'database', prompt: 'Project holding the sync-log dataset', placeholder: 'my-project' },
    { key: 'project', prompt: 'Project that runs the queries (empty: the same project)', optional: true },
    { key: 'location', prompt: 'Location (empty: detected by BigQuery)', placeholder: 'US', optional: true },
    { ...SCHEMA_FIELD, prompt: 'Dataset holding the sync-log tables' },
  ],
  databricks: [
    { key: 'host', prompt: 'Server hostname', placeholder: 'dbc-a1b2c3d4-e5f6.cloud.databricks.com' },
    { key: 'httpPath', prompt: 'HTTP path of the SQL warehouse', placeholder: '/sql/1.0/warehouses/abc123' },
    { key: 'database', prompt: 'Catalog (empty: the workspace default)', placeholder: 'main', optional: true },
    SCHEMA_FIELD,
  ],
};

/** The secrets an auth method needs, in the order they are asked for. Optional ones may be left empty. */
export function secretsFor(
  auth: AuthMethod,
): { name: SecretName; prompt: string; optional?: boolean; fromFile?: boolean }[] {
  switch (auth) {
    case 'password':
      return [{ name: 'password', prompt: 'Password' }];
    case 'keyPair':
      return [
        { name: 'privateKey', prompt: 'Private key file (PKCS#8 .p8 or .pem)', fromFile: true },
        {
          name: 'privateKeyPassphrase',
          prompt: 'Passphrase of the private key (empty if it is not encrypted)',
          optional: true,
        },
      ];
    case 'oauthToken':
      return [{ name: 'token', prompt: 'OAuth access token' }];
    case 'personalAccessToken':
      return [{ name: 'token', prompt: 'Personal access token' }];
    case 'serviceAccountKey':
      return [{ name: 'serviceAccountKey', prompt: 'Service-account key file (JSON)', fromFile: true }];
    case 'applicationDefault':
      return [];
  }
}

/** A connection's auth method: the stored one if it is valid for the kind, else the kind's default. */
export function authOf(settings: ConnectionSettings): AuthMethod {
  const kind = settings.kind as UserKind;
  const methods = AUTH_METHODS[kind] ?? ['password'];
  return settings.auth && methods.includes(settings.auth) ? settings.auth : methods[0];
}

/** The one-line description the Select Connection picker and the tree show. */
export function describeConnection(c: ConnectionSettings): string {
  switch (c.kind) {
    case 'demo':
      return 'embedded demo sync log';
    case 'postgres':
    case 'redshift':
      return `${c.user ?? '?'}@${c.host ?? 'localhost'}:${c.port ?? (c.kind === 'redshift' ? 5439 : 5432)}/${c.database ?? ''}`;
    case 'snowflake':
      return `${c.user ?? '?'}@${c.account ?? '?'}${c.database ? ` · ${c.database}` : ''}`;
    case 'bigquery':
      return `${c.database ?? c.project ?? '?'}${c.location ? ` (${c.location})` : ''}`;
    case 'databricks':
      return `${c.host ?? '?'}${c.database ? ` · ${c.database}` : ''}`;
  }
}
