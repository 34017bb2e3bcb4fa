import type { AuthMethod, ConnectionSettings, SecretName, WarehouseKind } from '../shared/connection';
import type { FieldSpec } from './kindSpec';
import { KIND_SPECS, specOf } from './kinds';

export type { FieldSpec } from './kindSpec';

/** Kinds a user can add (the demo is built in). */
export type UserKind = Exclude<WarehouseKind, 'demo'>;
/** In the order the Add Connection picker offers them. */
export const USER_KINDS: readonly UserKind[] = ['snowflake', 'bigquery', 'redshift', 'databricks', 'postgres'];

const byUserKind = <T>(pick: (kind: UserKind) => T): Record<UserKind, T> =>
  Object.fromEntries(USER_KINDS.map((k) => [k, pick(k)])) as Record<UserKind, T>;

export const KIND_LABELS: Record<UserKind, string> = byUserKind((k) => KIND_SPECS[k].label);

export const AUTH_LABELS: Record<AuthMethod, string> = {
  password: 'Password',
  keyPair: 'Key pair (private key file)',
  oauthToken: 'OAuth access token',
  serviceAccountKey: 'Service-account key file (JSON)',
  applicationDefault: 'Application-default credentials (gcloud)',
  personalAccessToken: 'Personal access token',
};

/** Authentication methods per kind, the first being the default. */
export const AUTH_METHODS: Record<UserKind, readonly AuthMethod[]> = byUserKind((k) => KIND_SPECS[k].authMethods);

/** The plain fields the Add Connection flow asks for, per kind, in order. */
export const FIELDS: Record<UserKind, readonly FieldSpec[]> = byUserKind((k) => KIND_SPECS[k].fields);

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
  const methods = KIND_SPECS[settings.kind]?.authMethods ?? [];
  if (methods.length === 0) return 'password';
  return settings.auth && methods.includes(settings.auth) ? settings.auth : methods[0];
}

/** The one-line description the Select Connection picker and the tree show. */
export function describeConnection(c: ConnectionSettings): string {
  return specOf(c.kind).describe(c);
}
