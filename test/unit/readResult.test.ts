/**
 * readResult (src/results/readResult.ts): a statement's rows read from the warehouse's stream
 * into a spool, up to the cap and one row more (then the fetch stops), with the counts Run Query
 * shows; a stop by the user after rows came keeps them; a warehouse without a stream still works.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResult } from '../../src/results/readResult';
import { QueryCancelledError, type RowBatch, type Warehouse } from '../../src/warehouse/warehouse';
import { postgresDialect } from '../../src/sql/dialect';

const COLUMNS = [{ name: 'n', type: 'int4' }];

/** A warehouse streaming `total` rows in batches of `batch`, recording how far the consumer pulled. */
function streaming(total: number, batch: number, opts: { failAt?: number; abortAt?: AbortController } = {}) {
  const seen = { batches: 0, closed: false, queried: false };
  const warehouse: Warehouse = {
    kind: 'postgres',
    dialect: postgresDialect,
    async query() {
      seen.queried = true;
      throw new Error('query() must not be used when there is a stream');
    },
    async *stream(_sql, _values, options): AsyncGenerator<RowBatch, void, undefined> {
      try {
        for (let at = 0; at < total; at += batch) {
          if (options?.signal?.aborted) throw new QueryCancelledError();
          if (opts.failAt !== undefined && at >= opts.failAt) throw new Error('relation "nope" does not exist');
          seen.batches++;
          yield { columns: COLUMNS, rows: Array.from({ length: Math.min(batch, total - at) }, (_, i) => [at + i]) };
          if (opts.abortAt && seen.batches === 2) opts.abortAt.abort();
        }
      } finally {
        seen.closed = true;
      }
    },
    async close() {},
  };
  return { warehouse, seen };
}

function options(extra: Partial<Parameters<typeof readResult>[3]> = {}) {
  return { maxRows: 1_000, budgetBytes: 1_000_000, spoolDir: tmpdir(), ...extra };
}

test('a result under the cap is read to the end, with an exact count', async () => {
  const { warehouse, seen } = streaming(250, 100);
  const progress: number[] = [];
  const r = await readResult(warehouse, 'select', [], options({ onRows: (n) => progress.push(n) }));
  assert.equal(r.rows.count, 250);
  assert.equal(r.rowCount, 250);
  assert.equal(r.rowCountExact, undefined);
  assert.equal(r.truncated, false);
  assert.deepEqual(r.rows.row(249), [249]);
  assert.deepEqual(progress, [100, 200, 250]);
  assert.equal(seen.closed, true);
  r.rows.dispose();
});

test('past the cap: the cap is kept, the count is "at least cap + 1", and the fetch stops', async () => {
  const { warehouse, seen } = streaming(1_000_000, 100);
  const r = await readResult(warehouse, 'select', [], options({ maxRows: 250 }));
  assert.equal(r.rows.count, 250);
  assert.equal(r.rowCount, 251);
  assert.equal(r.rowCountExact, false);
  assert.equal(r.truncated, true);
  assert.equal(seen.batches, 3, 'three batches hold 251 rows: no fourth was fetched');
  assert.equal(seen.closed, true, 'the statement was closed');
  r.rows.dispose();
});

test('a cap that ends exactly with the result is exact', async () => {
  const { warehouse } = streaming(300, 100);
  const r = await readResult(warehouse, 'select', [], options({ maxRows: 300 }));
  assert.equal(r.rowCount, 300);
  assert.equal(r.rowCountExact, undefined);
  assert.equal(r.truncated, false);
  r.rows.dispose();
});

test('a stop by the user after rows came keeps them; before, or without keepRowsOnStop, it is a cancel', async () => {
  const stop = new AbortController();
  const kept = await readResult(
    streaming(10_000, 100, { abortAt: stop }).warehouse,
    'select',
    [],
    options({ signal: stop.signal, keepRowsOnStop: true }),
  );
  assert.equal(kept.stopped, true);
  assert.equal(kept.rows.count, 200);
  assert.equal(kept.rowCountExact, false);
  kept.rows.dispose();

  const stop2 = new AbortController();
  await assert.rejects(
    readResult(streaming(10_000, 100, { abortAt: stop2 }).warehouse, 'select', [], options({ signal: stop2.signal })),
    QueryCancelledError,
  );
  const early = new AbortController();
  early.abort();
  await assert.rejects(
    readResult(streaming(10_000, 100).warehouse, 'select', [], options({ signal: early.signal, keepRowsOnStop: true })),
    QueryCancelledError,
  );
});

test('an error mid-stream is thrown and the spool is deleted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'read-result-'));
  try {
    await assert.rejects(
      readResult(streaming(10_000, 100, { failAt: 5_000 }).warehouse, 'select', [], {
        maxRows: 100_000,
        budgetBytes: 10_000,
        spoolDir: dir,
      }),
      /does not exist/,
    );
    assert.deepEqual(readdirSync(dir), [], 'no spool folder is left');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a statement without rows gives its command and affected count', async () => {
  const warehouse: Warehouse = {
    kind: 'postgres',
    dialect: postgresDialect,
    query: () => Promise.reject(new Error('unused')),
    async *stream() {
      yield { columns: [], rows: [], command: 'UPDATE', affected: 42 };
    },
    async close() {},
  };
  const r = await readResult(warehouse, 'update t set x = 1', [], options());
  assert.equal(r.command, 'UPDATE');
  assert.equal(r.rowCount, 42);
  assert.equal(r.rows.count, 0);
});

test('a warehouse without a stream answers through query()', async () => {
  const warehouse: Warehouse = {
    kind: 'postgres',
    dialect: postgresDialect,
    async query(_sql, _values, opts) {
      assert.equal(opts?.maxRows, 2);
      return { columns: COLUMNS, rows: [[1], [2]], rowCount: 3, rowCountExact: false, truncated: true, elapsedMs: 1 };
    },
    async close() {},
  };
  const r = await readResult(warehouse, 'select', [], options({ maxRows: 2 }));
  assert.equal(r.rows.count, 2);
  assert.equal(r.rows.inMemory, true);
  assert.equal(r.rowCount, 3);
  assert.equal(r.rowCountExact, false);
});
