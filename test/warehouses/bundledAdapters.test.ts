import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { startSnowflakeFake } from '../fakes/snowflakeServer';
import { startBigQueryFake } from '../fakes/bigqueryServer';
import { startDatabricksFake } from '../fakes/databricksServer';

// The extension loads each adapter from its own bundle (dist/adapters/<kind>.js, built by
// `node esbuild.mjs`) with the driver inside: these prove the shipped bundles, not the sources,
// log in, bind and read through the real driver code.
const bundle = (kind: string) => {
  const file = join(__dirname, '..', '..', 'dist', 'adapters', `${kind}.js`);
  assert.ok(existsSync(file), `${file} is missing: run "node esbuild.mjs" first`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file);
};

const closers: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

async function roundTrip(warehouse: Warehouse, sql: string): Promise<unknown[][]> {
  closers.push(() => warehouse.close());
  const result = await warehouse.query(sql, ['hello']);
  return result.rows;
}

test('the Snowflake bundle logs in and binds', async () => {
  const fake = await startSnowflakeFake({ password: 'pw-123456' });
  closers.push(() => fake.close());
  fake.setHandler((q) => ({ columns: [{ name: 'V', type: 'text' }], rows: [[String(q.bindings?.['1']?.value)]] }));
  const wh: Warehouse = await bundle('snowflake').openSnowflakeWarehouse({
    account: 'acct',
    username: 'u',
    auth: 'password',
    password: 'pw-123456',
    accessUrl: fake.url,
  });
  assert.deepEqual(await roundTrip(wh, 'select ? as v'), [['hello']]);
});

test('the BigQuery bundle authenticates with a token and binds', async () => {
  const fake = await startBigQueryFake({
    token: 'tok-123456',
    handler: (q) =>
      q.sql === 'SELECT 1'
        ? { fields: [{ name: 'f0_', type: 'INTEGER' }], rows: [['1']] }
        : { fields: [{ name: 'v', type: 'STRING' }], rows: [[String(q.params.p1?.value)]] },
  });
  closers.push(() => fake.close());
  const wh: Warehouse = await bundle('bigquery').openBigQueryWarehouse({
    projectId: 'my-project',
    auth: 'oauthToken',
    token: 'tok-123456',
    apiEndpoint: fake.url,
  });
  assert.deepEqual(await roundTrip(wh, 'select @p1 as v'), [['hello']]);
});

test('the Databricks bundle opens a session over TLS and binds', async () => {
  const fake = await startDatabricksFake();
  closers.push(() => fake.close());
  fake.setHandler((s) => ({ columns: [{ name: 'v', type: 'STRING' }], rows: [[s.params[0]?.value ?? null]] }));
  const wh: Warehouse = await bundle('databricks').openDatabricksWarehouse({
    host: fake.host,
    port: fake.port,
    path: fake.path,
    auth: 'personalAccessToken',
    token: fake.token,
    insecureTls: true,
  });
  assert.deepEqual(await roundTrip(wh, 'select :p1 as v'), [['hello']]);
});
