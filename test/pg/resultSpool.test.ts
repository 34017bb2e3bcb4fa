/**
 * Run Query's read path (src/results/readResult.ts) on a real Postgres: a result larger than the
 * memory budget streams through the adapter's cursor into a spool file, and every row reads back
 * as query() gives it (timestamps, JSON, numerics, NULLs, text with quotes and newlines); the cap
 * stops the fetch with an "at least" count.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type PostgresServer } from '../support/postgresServer';
import { openPostgresWarehouse } from '../../src/warehouse/postgres/postgresWarehouse';
import { readResult } from '../../src/results/readResult';
import type { RowSpool } from '../../src/results/rowSpool';
import type { Warehouse } from '../../src/warehouse/warehouse';

const ROWS = 40_000;
const SQL = `select n,
  timestamptz '2026-10-01 00:00:00+00' + n * interval '1 minute' as at,
  case when n % 4 = 0 then null else jsonb_build_object('id', n, 'tags', jsonb_build_array('a', n::text)) end as doc,
  (n / 7.0)::numeric(12, 4) as ratio,
  case when n % 9 = 0 then '' else 'line "' || n || E'"\\nnext' end as text
from generate_series(1, ${ROWS}) as n order by n`;

let server: PostgresServer;
let warehouse: Warehouse;
let dir: string;

before(async () => {
  server = await startPostgres();
  warehouse = await openPostgresWarehouse({ connectionString: server.url }, { poolSize: 1 });
  dir = mkdtempSync(join(tmpdir(), 'spool-pg-'));
});

after(async () => {
  await warehouse?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a result past the budget is spooled and reads back as query() gives it', async () => {
  const direct = await warehouse.query(SQL, [], { maxRows: ROWS });
  const held = await readResult(warehouse, SQL, [], { maxRows: ROWS, budgetBytes: 256 * 1024, spoolDir: dir });
  const spool = held.rows as RowSpool;
  assert.equal(held.rowCount, ROWS);
  assert.equal(held.rowCountExact, undefined);
  assert.deepEqual(held.columns, direct.columns);
  assert.equal(spool.inMemory, false, 'the budget was exceeded');
  assert.ok(spool.rowsInMemory < ROWS / 10, `rows in memory: ${spool.rowsInMemory}`);
  for (let i = 0; i < ROWS; i += 997) assert.deepEqual(spool.row(i), direct.rows[i], `row ${i}`);
  assert.deepEqual(spool.slice(ROWS - 500, ROWS), direct.rows.slice(ROWS - 500));
  const folder = spool.path as string;
  assert.ok(existsSync(folder));
  spool.dispose();
  assert.equal(existsSync(folder), false);
});

test('the cap stops the fetch: at least cap + 1 rows, and the connection serves the next query', async () => {
  const held = await readResult(warehouse, SQL, [], { maxRows: 1_234, budgetBytes: 64 * 1024, spoolDir: dir });
  assert.equal(held.rows.count, 1_234);
  assert.equal(held.rowCount, 1_235);
  assert.equal(held.rowCountExact, false);
  assert.deepEqual(held.rows.row(1_233)[0], 1_234);
  held.rows.dispose();
  const next = await warehouse.query('select 1 as one');
  assert.deepEqual(next.rows, [[1]]);
});
