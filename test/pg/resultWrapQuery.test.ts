/**
 * The grid's sort and filter pushed into the warehouse (src/sql/resultWrapQuery.ts) against a real
 * Postgres, compared with the same view computed in memory (src/shared/grid/viewModel.ts) over
 * the same rows: a view reads alike wherever it was computed (NULLs last both ways, contains
 * case-insensitive on the text, equals exact, NULL matching neither, the quick filter over every
 * column). Filter values are bound: a hostile value is text, not SQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPostgres, type PostgresServer } from '../support/postgresServer';
import { openPostgresWarehouse } from '../../src/warehouse/postgres/postgresWarehouse';
import { resultWrapQuery, WrapRefusedError } from '../../src/sql/resultWrapQuery';
import { dialectFor } from '../../src/sql/dialects';
import { viewOrder, type ViewSpec } from '../../src/shared/grid/viewModel';
import type { Warehouse } from '../../src/warehouse/warehouse';

const SQL = `select n, case when n % 5 = 0 then null when n % 5 = 1 then '' else 'Row-' || n end as "Label",
  case when n % 3 = 0 then null else n % 7 end as "weird ""name"""
from generate_series(1, 300) as n`;

let server: PostgresServer;
let warehouse: Warehouse;
let all: unknown[][];
let columns: { name: string; type: string }[];

before(async () => {
  server = await startPostgres();
  warehouse = await openPostgresWarehouse({ connectionString: server.url }, { poolSize: 1 });
  const r = await warehouse.query(SQL, [], { maxRows: 10_000 });
  all = r.rows;
  columns = r.columns;
});

after(async () => {
  await warehouse?.close();
  await server?.stop();
});

async function both(spec: ViewSpec) {
  const q = resultWrapQuery(dialectFor('postgres'), { sql: SQL, columns: columns.map((c) => c.name), ...spec });
  const fromWarehouse = (await warehouse.query(q.text, q.values, { maxRows: 10_000 })).rows;
  const order = viewOrder(
    { count: all.length, row: (i) => all[i] },
    columns.map((c) => c.type),
    spec,
  );
  const inMemory = order ? [...order].map((i) => all[i]) : all;
  return { fromWarehouse, inMemory };
}

const views: [string, ViewSpec][] = [
  ['sort by a nullable column, descending, NULLs last', { sort: [{ column: 2, dir: 'desc' }], filters: [], quick: '' }],
  [
    'two keys, ascending then descending',
    {
      sort: [
        { column: 2, dir: 'asc' },
        { column: 0, dir: 'desc' },
      ],
      filters: [],
      quick: '',
    },
  ],
  ['contains, case-insensitive', { sort: [], filters: [{ column: 1, op: 'contains', value: 'ROW-2' }], quick: '' }],
  ['equals is exact on the text', { sort: [], filters: [{ column: 1, op: 'equals', value: 'Row-12' }], quick: '' }],
  ['is NULL is not empty', { sort: [], filters: [{ column: 1, op: 'isNull', value: '' }], quick: '' }],
  [
    'not NULL keeps empty text',
    { sort: [{ column: 0, dir: 'asc' }], filters: [{ column: 1, op: 'notNull', value: '' }], quick: '' },
  ],
  ['the quick filter looks in every column', { sort: [{ column: 0, dir: 'asc' }], filters: [], quick: '29' }],
];

for (const [name, spec] of views) {
  test(`wrapped in the warehouse = computed in memory: ${name}`, async () => {
    const { fromWarehouse, inMemory } = await both(spec);
    assert.ok(inMemory.length > 0, 'the view is not empty');
    // Ties may come in any order from the warehouse (the grid keeps them stable in memory): the
    // sort keys must read alike row by row, and the rows be the same set.
    const keys = (rows: unknown[][]) => rows.map((r) => JSON.stringify(spec.sort.map((k) => r[k.column])));
    assert.deepEqual(keys(fromWarehouse), keys(inMemory));
    const byId = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
    assert.deepEqual(byId(fromWarehouse), byId(inMemory));
  });
}

test('a hostile filter value is bound as text', async () => {
  const { fromWarehouse } = await both({
    sort: [],
    filters: [{ column: 1, op: 'contains', value: "x') or 1=1 --" }],
    quick: '',
  });
  assert.deepEqual(fromWarehouse, []);
});

test('two statements, a non-query and duplicate column names are refused with a reason', () => {
  const d = dialectFor('postgres');
  const spec = { columns: ['a'], sort: [{ column: 0, dir: 'asc' as const }], filters: [], quick: '' };
  assert.throws(() => resultWrapQuery(d, { ...spec, sql: 'select 1 as a; select 2 as a' }), WrapRefusedError);
  assert.throws(() => resultWrapQuery(d, { ...spec, sql: 'delete from t returning a' }), /Only a query/);
  assert.throws(() => resultWrapQuery(d, { ...spec, columns: ['a', 'a'], sql: 'select 1 a, 2 a' }), /distinct aliases/);
});
