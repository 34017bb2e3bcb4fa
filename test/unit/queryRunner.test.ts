import { test } from 'node:test';
import assert from 'node:assert/strict';
import { warehouseRunner } from '../../src/loaders/queryRunner';
import { failureTextsQuery, failuresPerRunQuery } from '../../src/sql/errorBreakdownQueries';
import { postgresDialect } from '../../src/sql/dialects/index';
import type { SyncLogLocation } from '../../src/sql/syncLogTables';
import type { QueryOptions, Warehouse } from '../../src/warehouse/warehouse';

const loc: SyncLogLocation = { dialect: postgresDialect, schema: 'hightouch_audit' };

/** A warehouse that only records the options each query came with. */
function recording(): { warehouse: Warehouse; options: QueryOptions[] } {
  const options: QueryOptions[] = [];
  const warehouse = {
    kind: 'postgres',
    dialect: postgresDialect,
    query: async (_sql: string, _values: readonly unknown[] = [], o: QueryOptions = {}) => {
      options.push(o);
      return { columns: [{ name: 'N', type: 'int4' }], rows: [[1]], rowCount: 1, elapsedMs: 0 };
    },
  } as unknown as Warehouse;
  return { warehouse, options };
}

test("the runner runs every query read-only, with the query's own hashGrouping and the panel's signal", async () => {
  const { warehouse, options } = recording();
  const signal = new AbortController().signal;
  const run = warehouseRunner(warehouse, loc, signal);
  assert.deepEqual(await run.rows(failureTextsQuery(loc, {}, 10)), [{ n: 1 }]);
  await run.rows(failuresPerRunQuery(loc, {}, 10), 7);
  assert.equal(options.length, 2);
  assert.equal(options[0].readOnly, true);
  assert.equal(options[0].hashGrouping, true, "the breakdown's grouping by text and row asks for room to hash");
  assert.equal(options[0].signal, signal);
  assert.equal(options[1].readOnly, true);
  assert.notEqual(options[1].hashGrouping, true);
  assert.equal(options[1].maxRows, 7);
});
