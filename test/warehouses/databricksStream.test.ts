/**
 * Databricks' stream() through the real @databricks/sql driver against the Thrift fake: a
 * million-row result fetched with FetchResults and maxRows (rows made as they are fetched).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDatabricksFake, type DatabricksFake, type FakeAnswer } from '../fakes/databricksServer';
import { numberedRows } from '../fakes/lazyRows';
import { openDatabricksWarehouse } from '../../src/warehouse/databricks/databricksWarehouse';
import { QueryCancelledError, type Warehouse } from '../../src/warehouse/warehouse';
import { WarehouseError } from '../../src/warehouse/warehouseError';
import { cancelAfter, drain, firstBatch, readUntilError } from './streamChecks';

const MILLION = 1_000_000;
const BATCH = 10_000;
const rows = numberedRows(MILLION, (n, text) => [n, text]);
const big = (extra: { dropAtRow?: number } = {}): FakeAnswer => ({
  columns: [
    { name: 'n', type: 'BIGINT' },
    { name: 'label', type: 'STRING' },
  ],
  rows,
  ...extra,
});

let fake: DatabricksFake;
let wh: Warehouse;

before(async () => {
  fake = await startDatabricksFake();
  fake.setHandler(() => big());
  wh = await openDatabricksWarehouse({
    host: fake.host,
    port: fake.port,
    path: fake.path,
    auth: 'personalAccessToken',
    token: fake.token,
    insecureTls: true,
  });
});
after(async () => {
  await wh?.close().catch(() => undefined);
  await fake?.close();
});

test('the first batch arrives without the rest of a million rows being fetched', async () => {
  const before = fake.rowsServed;
  const batch = await firstBatch(wh, 'select * from big', BATCH);
  assert.deepEqual(
    batch.columns.map((c) => c.name),
    ['n', 'label'],
  );
  assert.equal(batch.rows.length, BATCH);
  assert.deepEqual(batch.rows[0], [1, 'row 1']);
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(fake.rowsServed - before <= BATCH, `served ${fake.rowsServed - before} rows for the first batch`);
  assert.ok(fake.methods().includes('CloseOperation'), 'the operation was closed when the consumer stopped');
});

test('a full stream yields every row once, in order, and the count is exact', async () => {
  const before = fake.rowsServed;
  const { count, last } = await drain(wh, 'select * from big', 50_000);
  assert.equal(count, MILLION);
  assert.equal(last, MILLION);
  assert.equal(fake.rowsServed - before, MILLION, 'each row fetched once');
});

test('a cancel mid-stream ends it within a second, stops fetching and cancels the operation', async () => {
  const cancelsBefore = fake.methods().filter((m) => m === 'CancelOperation').length;
  let servedAtAbort = 0;
  const { error, ms, rowsRead } = await cancelAfter(wh, 'select * from big', 3, BATCH, () => {
    servedAtAbort = fake.rowsServed;
  });
  assert.ok(error instanceof QueryCancelledError, String(error));
  assert.ok(ms < 1000, `took ${ms} ms`);
  assert.equal(rowsRead, 3 * BATCH, 'an "at least" count of what was read');
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(fake.rowsServed <= servedAtAbort + BATCH, 'nothing fetched after the cancel but the batch in flight');
  assert.equal(fake.methods().filter((m) => m === 'CancelOperation').length, cancelsBefore + 1, 'CancelOperation sent');
});

test('a connection dropped mid-stream fails with a WarehouseError, not a hang', async () => {
  fake.setHandler(() => big({ dropAtRow: 500_000 }));
  try {
    const { error, ms } = await readUntilError(wh, 'select * from big', 50_000);
    assert.ok(error instanceof WarehouseError, String(error));
    assert.match(error.message, /connection to 127\.0\.0\.1:\d+ was lost/);
    assert.ok(ms < 40_000, `took ${ms} ms`);
  } finally {
    fake.setHandler(() => big());
  }
});

test('a capped query reads the cap and one row more, not the million, and says "at least"', async () => {
  const before = fake.rowsServed;
  const result = await wh.query('select * from big', [], { maxRows: 1000 });
  assert.equal(result.rows.length, 1000);
  assert.equal(result.rowCount, 1001);
  assert.equal(result.rowCountExact, false);
  assert.ok(fake.rowsServed - before <= 1001, `served ${fake.rowsServed - before}`);
});
