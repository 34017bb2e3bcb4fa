import type { ConnectionSettings } from '../../shared/connection';
import { validateIdent } from '../../sql/ident';
import { checked, lower, SCHEMA_FIELD, type FieldSpec, type KindSpec } from '../kindSpec';

type PgKind = 'postgres' | 'redshift';

const SSL = (ssl: ConnectionSettings['ssl']) =>
  ssl === 'require' ? { rejectUnauthorized: false } : ssl === 'verify-full' ? true : undefined;

const SCHEMA: FieldSpec = { ...SCHEMA_FIELD, validate: checked((v) => validateIdent(v, 'schema')) };
const validDatabase = checked((v) => validateIdent(v, 'database'));

/** Postgres and Redshift share the protocol, the driver and the adapter; they differ in defaults. */
function pgSpec<K extends PgKind>(
  kind: K,
  label: string,
  port: number,
  ssl: 'disable' | 'require',
  fields: FieldSpec[],
): KindSpec<K> {
  const portOf = (c: ConnectionSettings) => c.port ?? port;
  const sslOf = (c: ConnectionSettings) => c.ssl ?? ssl;
  return {
    kind,
    label,
    authMethods: ['password'],
    fields,
    required: kind === 'redshift' ? [['host', 'the cluster endpoint']] : [],
    defaultPort: port,
    qualifiesTables: false,
    bundle: 'extension',
    describe: (c) => `${c.user ?? '?'}@${c.host ?? 'localhost'}:${portOf(c)}/${c.database ?? ''}`,
    describeTarget: (c) =>
      `${c.user ? `user ${c.user} at ` : ''}${c.host ?? 'localhost'}:${portOf(c)}${c.database ? `, database ${c.database}` : ''}, TLS ${sslOf(c)}`,
    identity: (c) => {
      const user = (c.user ?? '').trim();
      return JSON.stringify([
        kind,
        lower(c.host) || 'localhost',
        portOf(c),
        // Postgres authenticates per database (pg_hba.conf); the driver's default is the user name.
        (c.database ?? '').trim() || user,
        user,
        // A weaker TLS mode on the same host is another way to reach the secret (in clear on the wire).
        sslOf(c),
      ]);
    },
    async open(settings, secrets, ctx) {
      const { openPostgresWarehouse } = await import('./postgresWarehouse');
      return openPostgresWarehouse(
        {
          host: settings.host ?? 'localhost',
          port: portOf(settings),
          database: settings.database,
          user: settings.user,
          password: secrets.password,
          // Redshift requires TLS by default; Postgres follows the setting.
          ssl: SSL(settings.ssl ?? (kind === 'redshift' ? 'require' : undefined)),
        },
        { statementTimeoutMs: ctx.statementTimeoutMs, flavor: kind },
      );
    },
  };
}

export const postgresSpec = pgSpec('postgres', 'PostgreSQL', 5432, 'disable', [
  { key: 'host', prompt: 'Host', default: 'localhost' },
  { key: 'port', prompt: 'Port', default: '5432' },
  { key: 'database', prompt: 'Database', placeholder: 'analytics', validate: validDatabase },
  { key: 'user', prompt: 'User' },
  { key: 'ssl', prompt: 'SSL', default: 'disable' },
  SCHEMA,
]);

export const redshiftSpec = pgSpec('redshift', 'Amazon Redshift', 5439, 'require', [
  {
    key: 'host',
    prompt: 'Host (cluster or workgroup endpoint)',
    placeholder: 'examplecluster.abc123.us-west-2.redshift.amazonaws.com',
  },
  { key: 'port', prompt: 'Port', default: '5439' },
  { key: 'database', prompt: 'Database', default: 'dev', validate: validDatabase },
  { key: 'user', prompt: 'User' },
  { key: 'ssl', prompt: 'SSL', default: 'require' },
  SCHEMA,
]);
