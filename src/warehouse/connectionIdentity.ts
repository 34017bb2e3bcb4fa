import { createHash } from 'node:crypto';
import type { ConnectionSettings, SecretName } from '../shared/connection';
import { specOf } from './kinds';

/**
 * Who a connection's secret is handed to, as the fields that choose the server and the principal
 * (kind, host/account/endpoint, port, database where the server authenticates per database, user,
 * TLS mode). A stored secret belongs to an identity, not to a name: a settings entry that keeps a
 * connection's name but points elsewhere (a cloned workspace, a typo) never receives it. Pure.
 */
export function connectionIdentity(c: ConnectionSettings): string {
  return specOf(c.kind).identity(c);
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
  return specOf(c.kind).describeTarget(c);
}
