/**
 * The export's writers (src/cli/format.ts, used by Export Result and the CLI's --all) over each
 * cloud adapter's stream(), against the protocol fakes: every row reaches the CSV, with its
 * header, batch by batch (the export no longer falls back to one whole query for these kinds).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeBatches } from '../../src/cli/format';
import { openBigQueryWarehouse } from '../../src/warehouse/bigquery/bigqueryWarehouse';
import { openDatabricksWarehouse } from '../../src/warehouse/databricks/databricksWarehouse';
import { openSnowflakeWarehouse } from '../../src/warehouse/snowflake/snowflakeWarehouse';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { startBigQueryFake } from '../fakes/bigqueryServer';
import { startDatabricksFake } from '../fakes/databricksServer';
import { numberedRows } from '../fakes/lazyRows';
import { startSnowflakeFake, type WireCell } from '../fakes/snowflakeServer';

const ROWS = 100_000;
const closers: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

/** Writes the stream as CSV; returns the rows counted by the writer, the lines written and the batches seen. */
async function exportCsv(wh: Warehouse): Promise<{ rows: number; lines: string[]; batches: number }> {
  assert.ok(wh.stream, `${wh.kind} has no stream()`);
  let text = '';
  let batches = 0;
  const counted = async function* () {
    for await (const batch of wh.stream!('select * from big', [], { jsonAsText: true, batchRows: 10_000 })) {
      batches++;
      yield batch;
    }
  };
  const written = await writeBatches(counted(), 'csv', (chunk) => {
    text += chunk;
    return Promise.resolve();
  });
  return { rows: written.rows, lines: text.trimEnd().split(/\r?\n/), batches };
}

function assertWhole(out: { rows: number; lines: string[]; batches: number }): void {
  assert.equal(out.rows, ROWS);
  assert.equal(out.lines.length, ROWS + 1);
  assert.equal(out.lines[0], 'n,label');
  assert.equal(out.lines[1], '1,row 1');
  assert.equal(out.lines[ROWS], `${ROWS},row ${ROWS}`);
  assert.ok(out.batches >= 10, `${out.batches} batches`);
}

test('Snowflake: every row is exported from the stream', async () => {
  const fake = await startSnowflakeFake({ password: 'pw' });
  closers.push(() => fake.close());
  fake.setHandler(() => ({
    columns: [
      { name: 'N', type: 'fixed' },
      { name: 'LABEL', type: 'text' },
    ],
    rows: numberedRows<WireCell>(ROWS, (n, t) => [String(n), t]),
    firstChunkRows: 1000,
    chunkRows: 10_000,
  }));
  const wh = await openSnowflakeWarehouse({
    account: 'a',
    username: 'u',
    auth: 'password',
    password: 'pw',
    accessUrl: fake.url,
  });
  closers.push(() => wh.close());
  assertWhole(await exportCsv(wh));
});

test('BigQuery: every row is exported from the stream', async () => {
  const token = 'ya29.fake-export-token-0123456789';
  const fake = await startBigQueryFake({
    token,
    handler: (q) =>
      q.sql === 'SELECT 1'
        ? { fields: [{ name: 'f0_', type: 'INTEGER' }], rows: [['1']] }
        : {
            fields: [
              { name: 'n', type: 'INTEGER' },
              { name: 'label', type: 'STRING' },
            ],
            rows: numberedRows(ROWS, (n, t) => [String(n), t]),
          },
  });
  closers.push(() => fake.close());
  const wh = await openBigQueryWarehouse({ projectId: 'p', auth: 'oauthToken', token, apiEndpoint: fake.url });
  assertWhole(await exportCsv(wh));
});

test('Databricks: every row is exported from the stream', async () => {
  const fake = await startDatabricksFake();
  closers.push(() => fake.close());
  fake.setHandler(() => ({
    columns: [
      { name: 'n', type: 'BIGINT' },
      { name: 'label', type: 'STRING' },
    ],
    rows: numberedRows(ROWS, (n, t) => [n, t]),
  }));
  const wh = await openDatabricksWarehouse({
    host: fake.host,
    port: fake.port,
    path: fake.path,
    auth: 'personalAccessToken',
    token: fake.token,
    insecureTls: true,
  });
  closers.push(() => wh.close());
  assertWhole(await exportCsv(wh));
});
