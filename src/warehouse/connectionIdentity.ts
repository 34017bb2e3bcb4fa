import { createHash } from 'node:crypto';
import type { ConnectionSettings, SecretName } from '../shared/connection';

/**
 * Who a connection's secret is handed to, as the fields that choose the server and the principal
 * (kind, host/account/endpoint, port, database where the server authenticates per database, user,
 * TLS mode). A stored secret belongs to an identity, not to a name: a settings entry that keeps a
 * connection's name but points elsewhere (a cloned workspace, a typo) never receives it. Pure.
 */
export function connectionIdentity(c: ConnectionSettings): string {
  const lower = (v: string | undefined) => (v ?? '').trim().toLowerCase();
  switch (c.kind) {
    case 'demo':
      return 'demo';
    case 'postgres':
    case 'redshift': {
      const user = (c.user ?? '').trim();
      // The defaults the registry opens with: an entry written out in full and one that relies on
      // them reach the same server, so they share the secret.
      return JSON.stringify([
        c.kind,
        lower(c.host) || 'localhost',
        c.port ?? (c.kind === 'redshift' ? 5439 : 5432),
        // Postgres authenticates per database (pg_hba.conf); the driver's default is the user name.
        (c.database ?? '').trim() || user,
        user,
        // A weaker TLS mode on the same host is another way to reach the secret (in clear on the wire).
        c.ssl ?? (c.kind === 'redshift' ? 'require' : 'disable'),
      ]);
    }
    case 'snowflake':
      return JSON.stringify([c.kind, lower(c.account), lower(c.user), lower(c.endpoint)]);
    case 'bigquery':
      return JSON.stringify([c.kind, lower(c.endpoint), (c.project || c.database || '').trim()]);
    case 'databricks':
      return JSON.stringify([c.kind, lower(c.host), c.port ?? 443]);
  }
}

/** A short digest of the identity: the SecretStorage keys and remembered approvals use it. */
export function identityDigest(c: ConnectionSettings): string {
  return createHash('sha256').update(connectionIdentity(c)).digest('hex').slice(0, 32);
}

/** The SecretStorage key of one secret of a connection's identity. */
export function secretKey(c: ConnectionSettings, secret: SecretName): string {
  return `syncLogs.secret.${identityDigest(c)}.${secret}`;
}

/**
 * The key secrets had when they were stored by connection name (before 0.2). Read once, for a
 * connection defined in user settings only, and moved to the identity key.
 */
export function legacySecretKey(name: string, secret: SecretName): string {
  return secret === 'password' ? `syncLogs.password.${name}` : `syncLogs.${secret}.${name}`;
}

/** Where a connection goes, in words, for the question asked before a workspace's connection is used. */
export function describeTarget(c: ConnectionSettings): string {
  switch (c.kind) {
    case 'demo':
      return 'the embedded demo';
    case 'postgres':
    case 'redshift':
      return `${c.user ? `user ${c.user} at ` : ''}${c.host ?? 'localhost'}:${c.port ?? (c.kind === 'redshift' ? 5439 : 5432)}${c.database ? `, database ${c.database}` : ''}, TLS ${c.ssl ?? (c.kind === 'redshift' ? 'require' : 'disable')}`;
    case 'snowflake':
      return `${c.user ? `user ${c.user} at ` : ''}Snowflake account ${c.account ?? '?'}${c.endpoint ? ` through ${c.endpoint}` : ''}`;
    case 'bigquery':
      return `BigQuery project ${c.project || c.database || '?'}${c.endpoint ? ` through ${c.endpoint}` : ''}`;
    case 'databricks':
      return `Databricks host ${c.host ?? '?'}${c.port ? `:${c.port}` : ''}`;
  }
}
