import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readConnectionSettings } from '../../src/warehouse/connectionSettings';

test('valid connections pass, bad ones are skipped with a message that says how to fix them', () => {
  const { connections, problems } = readConnectionSettings([
    { name: 'Prod', kind: 'postgres', host: 'db', port: 5432 },
    { name: 'Prod', kind: 'postgres' },
    { name: 'Demo', kind: 'postgres' },
    { kind: 'postgres' },
    { name: 'X', kind: 'oracle' },
    { name: 'Y', kind: 'postgres', port: 70000 },
    42,
  ]);
  assert.deepEqual(
    connections.map((c) => c.name),
    ['Prod'],
  );
  assert.equal(problems.length, 6);
  assert.match(problems[0], /"Prod" is used twice/);
  assert.match(problems[1], /built-in Demo/);
  assert.match(problems[2], /no "name"/);
  assert.match(problems[3], /kind must be one of snowflake, bigquery, redshift, databricks, postgres/);
  assert.match(problems[4], /port must be a whole number/);
  assert.match(problems[5], /not an object/);
});

test('a non-list setting is reported', () => {
  assert.deepEqual(readConnectionSettings(undefined), { connections: [], problems: [] });
  assert.match(readConnectionSettings({}).problems[0], /must be a list/);
});

test('each kind names the settings it cannot connect without', () => {
  const { connections, problems } = readConnectionSettings([
    { name: 'SF', kind: 'snowflake', account: 'org-acct' },
    { name: 'BQ', kind: 'bigquery' },
    { name: 'DBX', kind: 'databricks', host: 'h' },
    { name: 'RS', kind: 'redshift', host: 'rs.example.com' },
    { name: 'SF2', kind: 'snowflake', account: 'a', user: 'u', auth: 'personalAccessToken' },
  ]);
  assert.deepEqual(
    connections.map((c) => c.name),
    ['RS'],
  );
  assert.match(problems[0], /"SF"\): set "user"/);
  assert.match(problems[1], /"BQ"\): set "database" \(the project holding the sync-log dataset\)/);
  assert.match(problems[2], /"DBX"\): set "httpPath"/);
  assert.match(problems[3], /auth must be one of password, keyPair, oauthToken for snowflake/);
});

test('a secret written into settings is dropped and the user told where it belongs', () => {
  const { connections, problems } = readConnectionSettings([{ name: 'P', kind: 'postgres', password: 'hunter22' }]);
  assert.equal(connections.length, 1);
  assert.ok(!('password' in connections[0]));
  assert.match(problems[0], /secret storage/);
  assert.ok(!problems[0].includes('hunter22'));
});
