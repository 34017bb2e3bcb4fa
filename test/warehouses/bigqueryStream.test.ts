/**
 * BigQuery's stream() through the real @google-cloud/bigquery client against the REST fake: a
 * million-row result paged with maxResults and pageToken (rows made as pages are read).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBigQueryFake, type BigQueryFake, type FakeAnswer } from '../fakes/bigqueryServer';
import { numberedRows } from '../fakes/lazyRows';
import { openBigQueryWarehouse } from '../../src/warehouse/bigquery/bigqueryWarehouse';
import { QueryCancelledError, type Warehouse } from '../../src/warehouse/warehouse';
import { WarehouseError } from '../../src/warehouse/warehouseError';
import { cancelAfter, drain, firstBatch, readUntilError } from './streamChecks';

const TOKEN = 'ya29.fake-stream-token-0123456789';
const MILLION = 1_000_000;
const PAGE = 10_000;
const FIELDS = [
  { name: 'n', type: 'INTEGER' },
  { name: 'label', type: 'STRING' },
];
const rows = numberedRows(MILLION, (n, text) => [String(n), text]);
const big = (extra: Partial<Extract<FakeAnswer, { fields: unknown }>> = {}): FakeAnswer => ({
  fields: FIELDS,
  rows,
  ...extra,
});

let fake: BigQueryFake;
let wh: Warehouse;

before(async () => {
  fake = await startBigQueryFake({
    token: TOKEN,
    handler: (q) => (q.sql === 'SELECT 1' ? { fields: [{ name: 'f0_', type: 'INTEGER' }], rows: [['1']] } : big()),
  });
  wh = await openBigQueryWarehouse({ projectId: 'proj', auth: 'oauthToken', token: TOKEN, apiEndpoint: fake.url });
});
after(async () => {
  await wh?.close();
  await fake?.close();
});

test('the first page arrives without the rest of a million rows being read', async () => {
  const before = fake.rowsServed;
  const batch = await firstBatch(wh, 'select * from big', PAGE);
  assert.deepEqual(
    batch.columns.map((c) => c.name),
    ['n', 'label'],
  );
  assert.equal(batch.rows.length, PAGE);
  assert.deepEqual(batch.rows[0], [1, 'row 1']);
  await new Promise((r) => setTimeout(r, 200));
  const served = fake.rowsServed - before;
  // The first page and the one asked ahead: not the million.
  assert.ok(served <= 2 * PAGE, `served ${served} rows for the first page`);
});

test('a full stream yields every row once, in order, and the count is exact', async () => {
  const before = fake.rowsServed;
  const { count, last } = await drain(wh, 'select * from big', 50_000);
  assert.equal(count, MILLION);
  assert.equal(last, MILLION);
  assert.equal(fake.rowsServed - before, MILLION, 'each row read once');
});

test('a cancel mid-stream ends it within a second, stops the paging and cancels the job', async () => {
  const cancelsBefore = fake.cancels.length;
  let servedAtAbort = 0;
  const { error, ms, rowsRead } = await cancelAfter(wh, 'select * from big', 3, PAGE, () => {
    servedAtAbort = fake.rowsServed;
  });
  assert.ok(error instanceof QueryCancelledError, String(error));
  assert.ok(ms < 1000, `took ${ms} ms`);
  assert.equal(rowsRead, 3 * PAGE, 'an "at least" count of what was read');
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(fake.rowsServed <= servedAtAbort + PAGE, 'no page read after the cancel but the one in flight');
  assert.equal(fake.cancels.length, cancelsBefore + 1, 'jobs.cancel reached BigQuery');
});

test('a connection dropped mid-stream fails with a WarehouseError, not a hang', async () => {
  fake.setHandler(() => big({ dropAtRow: 500_000 }));
  try {
    const { error, ms } = await readUntilError(wh, 'select * from big', 50_000);
    assert.ok(error instanceof WarehouseError, String(error));
    assert.match(error.message, /connection to the BigQuery API .* was lost/);
    assert.ok(ms < 15_000, `took ${ms} ms`);
  } finally {
    fake.setHandler(() => big());
  }
});
