import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionIdentity, describeTarget, legacySecretKey, secretKey } from '../../src/warehouse/connectionIdentity';
import { listConnections } from '../../src/warehouse/connectionSources';
import type { ConnectionSettings } from '../../src/shared/connection';

const pg: ConnectionSettings = {
  name: 'Analytics',
  kind: 'postgres',
  host: 'db.internal',
  port: 5432,
  database: 'analytics',
  user: 'reader',
};

test('a secret key belongs to the target, not the name', () => {
  assert.equal(
    secretKey({ ...pg, name: 'Renamed' }, 'password'),
    secretKey(pg, 'password'),
    'renaming keeps the secret',
  );
  assert.equal(
    secretKey({ ...pg, schema: 'other', name: 'x' }, 'password'),
    secretKey(pg, 'password'),
    'the schema is no target',
  );
  for (const changed of [
    { host: 'evil.example' },
    { port: 6543 },
    { database: 'other' },
    { user: 'admin' },
    { ssl: 'require' as const },
    { kind: 'redshift' as const },
  ]) {
    const other: ConnectionSettings = { ...pg, ...changed };
    assert.notEqual(
      secretKey(other, 'password'),
      secretKey(pg, 'password'),
      `changing ${Object.keys(changed).join(', ')} changes the key`,
    );
  }
  assert.notEqual(secretKey(pg, 'password'), secretKey(pg, 'token'), 'one key per secret');
  assert.ok(!secretKey(pg, 'password').includes('Analytics'), 'the key does not depend on the name');
});

test('defaults written out or left to the registry reach the same target', () => {
  const bare: ConnectionSettings = { name: 'a', kind: 'postgres', user: 'me' };
  const full: ConnectionSettings = {
    name: 'b',
    kind: 'postgres',
    host: 'LOCALHOST',
    port: 5432,
    database: 'me',
    user: 'me',
    ssl: 'disable',
  };
  assert.equal(connectionIdentity(bare), connectionIdentity(full));
  assert.equal(
    connectionIdentity({ name: 'r', kind: 'redshift', host: 'rs', user: 'u' }),
    connectionIdentity({
      name: 'r2',
      kind: 'redshift',
      host: 'rs',
      port: 5439,
      user: 'u',
      ssl: 'require',
      database: 'u',
    }),
  );
});

test('each kind keys on what chooses its server and principal', () => {
  const sf: ConnectionSettings = { name: 's', kind: 'snowflake', account: 'org-acct', user: 'HT' };
  assert.equal(connectionIdentity({ ...sf, warehouse: 'W', role: 'R', database: 'D' }), connectionIdentity(sf));
  assert.notEqual(connectionIdentity({ ...sf, endpoint: 'https://127.0.0.1:9' }), connectionIdentity(sf));
  assert.notEqual(connectionIdentity({ ...sf, account: 'other' }), connectionIdentity(sf));
  const bq: ConnectionSettings = { name: 'b', kind: 'bigquery', database: 'proj' };
  assert.notEqual(connectionIdentity({ ...bq, endpoint: 'http://127.0.0.1:9' }), connectionIdentity(bq));
  const dbx: ConnectionSettings = {
    name: 'd',
    kind: 'databricks',
    host: 'dbc.cloud.databricks.com',
    httpPath: '/sql/1.0/warehouses/a',
  };
  assert.equal(
    connectionIdentity({ ...dbx, httpPath: '/sql/1.0/warehouses/b', database: 'main' }),
    connectionIdentity(dbx),
  );
  assert.notEqual(connectionIdentity({ ...dbx, host: 'evil.example' }), connectionIdentity(dbx));
});

test('the target is described in words for the question and the password prompt', () => {
  assert.equal(describeTarget(pg), 'user reader at db.internal:5432, database analytics, TLS disable');
  assert.match(
    describeTarget({ name: 's', kind: 'snowflake', account: 'a', user: 'u', endpoint: 'https://127.0.0.1:1' }),
    /account a through https:\/\/127\.0\.0\.1:1/,
  );
  assert.equal(legacySecretKey('X', 'password'), 'syncLogs.password.X');
  assert.equal(legacySecretKey('X', 'token'), 'syncLogs.token.X');
});

test("a workspace lists its connections beside the user's, never in place of one", () => {
  const user = [pg, { name: 'Local', kind: 'postgres', user: 'me' }];
  const workspace = [
    { ...pg, host: '127.0.0.1', port: 6000 },
    { name: 'Team', kind: 'snowflake', account: 'team-acct', user: 'ht' },
  ];
  const listed = listConnections({ user, workspace, workspaceTrusted: true });
  assert.deepEqual(
    listed.connections.map((c) => [c.name, c.host ?? c.account]),
    [
      ['Analytics', 'db.internal'],
      ['Local', undefined],
      ['Team', 'team-acct'],
    ],
  );
  assert.equal(listed.origins.get('Analytics'), 'user');
  assert.equal(listed.origins.get('Team'), 'workspace');
  assert.equal(listed.problems.length, 1);
  assert.match(listed.problems[0], /workspace's settings define a connection named "Analytics".*ignored/);
});

test('in Restricted Mode a workspace defines no connection', () => {
  const listed = listConnections({
    user: [pg],
    workspace: [{ name: 'Team', kind: 'postgres', host: 'x' }],
    workspaceTrusted: false,
  });
  assert.deepEqual(
    listed.connections.map((c) => c.name),
    ['Analytics'],
  );
  assert.equal(listed.origins.get('Team'), undefined);
  assert.match(listed.problems[0], /Restricted Mode/);
  assert.deepEqual(
    listConnections({ user: [pg], workspace: undefined, workspaceTrusted: false }).problems,
    [],
    'nothing to say when the workspace defines none',
  );
});

test('problems say which settings level they are in', () => {
  const listed = listConnections({
    user: [{ name: 'A', kind: 'oracle' }],
    workspace: [{ name: 'B', kind: 'postgres', port: 0 }],
    workspaceTrusted: true,
  });
  assert.match(listed.problems[0], /syncLogs\.connections\[0\] \(user settings\)/);
  assert.match(listed.problems[1], /syncLogs\.connections\[0\] \(workspace settings\)/);
});
