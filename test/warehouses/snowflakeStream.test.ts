/**
 * Snowflake's stream() through the real snowflake-sdk against the fake service: a million-row
 * result in chunks (made as they are fetched), read batch by batch.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSnowflakeFake, type SnowflakeFake, type WireCell } from '../fakes/snowflakeServer';
import { numberedRows } from '../fakes/lazyRows';
import { openSnowflakeWarehouse } from '../../src/warehouse/snowflake/snowflakeWarehouse';
import { QueryCancelledError, type Warehouse } from '../../src/warehouse/warehouse';
import { WarehouseError } from '../../src/warehouse/warehouseError';
import { cancelAfter, drain, firstBatch, readUntilError } from './streamChecks';

const MILLION = 1_000_000;
const CHUNK = 10_000;
const COLUMNS = [
  { name: 'N', type: 'fixed' },
  { name: 'LABEL', type: 'text' },
];
const rows = numberedRows<WireCell>(MILLION, (n, text) => [String(n), text]);

let fake: SnowflakeFake;
let wh: Warehouse;

before(async () => {
  fake = await startSnowflakeFake({ password: 'pw' });
  fake.setHandler(() => ({ columns: COLUMNS, rows, firstChunkRows: 1000, chunkRows: CHUNK }));
  wh = await openSnowflakeWarehouse(
    {
      account: 'acct',
      username: 'u',
      auth: 'password',
      password: 'pw',
      accessUrl: fake.url,
    },
    // The driver retries a failed chunk for about two minutes; the stream's own limit ends it sooner.
    { resultStallMs: 3000 },
  );
});
after(async () => {
  await wh?.close();
  await fake?.close();
});

test('the first batch arrives without the rest of a million rows being downloaded', async () => {
  const before = fake.rowsServed;
  const batch = await firstBatch(wh, 'select * from big', 1000);
  assert.deepEqual(
    batch.columns.map((c) => c.name),
    ['n', 'label'],
  );
  assert.equal(batch.rows.length, 1000);
  assert.deepEqual(batch.rows[0], [1, 'row 1']);
  await new Promise((r) => setTimeout(r, 200));
  const served = fake.rowsServed - before;
  // The inline rows and at most the driver's few prefetched chunks: not the million.
  assert.ok(served <= 1000 + 4 * CHUNK, `served ${served} rows for the first batch`);
});

test('a full stream yields every row once, in order, and the count is exact', async () => {
  const before = fake.rowsServed;
  const { count, last } = await drain(wh, 'select * from big', 20_000);
  assert.equal(count, MILLION);
  assert.equal(last, MILLION);
  const served = fake.rowsServed - before;
  // Every row, and nothing more than a chunk or two of an earlier stream's prefetch landing late.
  assert.ok(served >= MILLION && served <= MILLION + 4 * CHUNK, `served ${served}`);
});

test('a cancel mid-stream ends it within a second, stops the download and reaches Snowflake', async () => {
  const abortsBefore = fake.aborts.length;
  let fetchesAtAbort = 0;
  const { error, ms, rowsRead } = await cancelAfter(wh, 'select * from big', 3, 5000, () => {
    fetchesAtAbort = fake.chunkFetches.length;
  });
  assert.ok(error instanceof QueryCancelledError, String(error));
  assert.ok(ms < 1000, `took ${ms} ms`);
  assert.ok(rowsRead >= 15_000 && rowsRead < MILLION, `read ${rowsRead}`);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(fake.chunkFetches.length <= fetchesAtAbort + 2, 'no chunks fetched after the cancel but those in flight');
  assert.ok(fake.aborts.length > abortsBefore, 'Snowflake was told');
});

test('a connection dropped mid-stream fails with a WarehouseError, not a hang', async () => {
  fake.setHandler(() => ({ columns: COLUMNS, rows, firstChunkRows: 1000, chunkRows: CHUNK, dropAtRow: 500_000 }));
  try {
    const { error, ms } = await readUntilError(wh, 'select * from big', 20_000);
    assert.ok(error instanceof WarehouseError, String(error));
    assert.match(error.message, /stopped sending the result/);
    assert.ok(ms < 15_000, `took ${ms} ms`);
  } finally {
    fake.setHandler(() => ({ columns: COLUMNS, rows, firstChunkRows: 1000, chunkRows: CHUNK }));
  }
});
