import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_VIEW, nextSort, viewOrder, viewStatus, type ViewSpec } from '../../src/shared/grid/viewModel';
import { findInRows } from '../../src/shared/grid/find';
import { InMemorySource } from '../../webview/grid/dataSource';

const types = ['int8', 'text', 'numeric'];
const data: unknown[][] = [
  [3, 'beta', '10.5'],
  [1, null, '2'],
  [2, 'Alpha', null],
  [10, 'alphabet', '-1'],
  [2, 'gamma', '2'],
];
const rows = { count: data.length, row: (i: number) => data[i] };
const view = (over: Partial<ViewSpec>): ViewSpec => ({ ...EMPTY_VIEW, ...over });
const ids = (order: Uint32Array | undefined) => [...(order ?? [])].map((i) => data[i][0]);

describe('grid sort and filter model', () => {
  it('the empty view is every row as it came', () => {
    assert.equal(viewOrder(rows, types, EMPTY_VIEW), undefined);
  });

  it('sorts numbers as numbers (numeric strings too), text by code unit, NULLs last both ways', () => {
    assert.deepEqual(ids(viewOrder(rows, types, view({ sort: [{ column: 0, dir: 'asc' }] }))), [1, 2, 2, 3, 10]);
    assert.deepEqual(ids(viewOrder(rows, types, view({ sort: [{ column: 0, dir: 'desc' }] }))), [10, 3, 2, 2, 1]);
    assert.deepEqual(ids(viewOrder(rows, types, view({ sort: [{ column: 2, dir: 'asc' }] }))), [10, 1, 2, 3, 2]);
    assert.deepEqual(ids(viewOrder(rows, types, view({ sort: [{ column: 2, dir: 'desc' }] }))), [3, 1, 2, 10, 2]);
    assert.deepEqual(ids(viewOrder(rows, types, view({ sort: [{ column: 1, dir: 'asc' }] }))), [2, 10, 3, 2, 1]);
    assert.deepEqual(ids(viewOrder(rows, types, view({ sort: [{ column: 1, dir: 'desc' }] }))), [2, 3, 10, 2, 1]);
  });

  it('is stable and takes later keys for ties', () => {
    const byId = viewOrder(rows, types, view({ sort: [{ column: 0, dir: 'asc' }] }));
    assert.deepEqual([...byId!].slice(1, 3), [2, 4], 'ties keep the order they came in');
    const two = viewOrder(
      rows,
      types,
      view({
        sort: [
          { column: 0, dir: 'asc' },
          { column: 1, dir: 'desc' },
        ],
      }),
    );
    assert.deepEqual([...two!].slice(1, 3), [4, 2]);
  });

  it('filters: contains ignores case, equals is exact, NULL matches neither; quick looks in every column', () => {
    const contains = view({ filters: [{ column: 1, op: 'contains', value: 'ALPHA' }] });
    assert.deepEqual(ids(viewOrder(rows, types, contains)), [2, 10]);
    assert.deepEqual(ids(viewOrder(rows, types, view({ filters: [{ column: 1, op: 'equals', value: 'alpha' }] }))), []);
    assert.deepEqual(ids(viewOrder(rows, types, view({ filters: [{ column: 1, op: 'isNull', value: '' }] }))), [1]);
    assert.deepEqual(
      ids(viewOrder(rows, types, view({ filters: [{ column: 2, op: 'notNull', value: '' }] }))),
      [3, 1, 10, 2],
    );
    assert.deepEqual(ids(viewOrder(rows, types, view({ quick: '10' }))), [3, 10]);
    assert.deepEqual(
      ids(viewOrder(rows, types, view({ quick: 'a', sort: [{ column: 0, dir: 'desc' }] }))),
      [10, 3, 2, 2],
    );
  });

  it('a header click cycles none -> asc -> desc -> none; shift adds keys', () => {
    let s = nextSort([], 1, false);
    assert.deepEqual(s, [{ column: 1, dir: 'asc' }]);
    s = nextSort(s, 1, false);
    assert.deepEqual(s, [{ column: 1, dir: 'desc' }]);
    assert.deepEqual(nextSort(s, 1, false), []);
    assert.deepEqual(nextSort(s, 0, false), [{ column: 0, dir: 'asc' }], 'a plain click replaces');
    assert.deepEqual(nextSort(s, 0, true), [
      { column: 1, dir: 'desc' },
      { column: 0, dir: 'asc' },
    ]);
  });

  it('says what was done and where', () => {
    const names = ['id', 'reason', 'n'];
    assert.equal(
      viewStatus(view({ sort: [{ column: 0, dir: 'asc' }] }), 'memory', 5, names),
      'sorted by id ↑, in memory · 5 rows',
    );
    assert.match(
      viewStatus(view({ quick: 'x', sort: [{ column: 1, dir: 'desc' }] }), 'warehouse', 1, names),
      /^sorted by reason ↓, filtered \(1 filter\), by the warehouse \(the query re-ran\) · 1 row$/,
    );
    assert.equal(viewStatus(EMPTY_VIEW, 'memory', 5, names), '');
  });
});

describe('grid find', () => {
  const all = [0, 1, 2];

  it('counts matches and steps forwards and backwards, wrapping', () => {
    const first = findInRows(rows, all, 'ALP', { row: 0, col: 0 }, false);
    assert.equal(first.count, 2);
    assert.deepEqual(first.match, { row: 2, col: 1 });
    assert.equal(first.index, 1);
    const second = findInRows(rows, all, 'alp', first.match!, false);
    assert.deepEqual(second.match, { row: 3, col: 1 });
    assert.equal(second.index, 2);
    assert.deepEqual(findInRows(rows, all, 'alp', second.match!, false).match, { row: 2, col: 1 }, 'wraps');
    assert.deepEqual(findInRows(rows, all, 'alp', first.match!, true).match, { row: 3, col: 1 }, 'wraps back');
    assert.deepEqual(findInRows(rows, all, 'alp', first.match!, false, true).match, first.match, 'inclusive');
  });

  it('never matches NULL, follows the display order of columns, and an empty query finds nothing', () => {
    assert.equal(findInRows(rows, all, 'null', { row: 0, col: 0 }, false).count, 0);
    const reordered = findInRows(rows, [2, 0], '2', { row: 0, col: 0 }, false);
    assert.deepEqual(reordered.match, { row: 1, col: 0 }, 'column 0 of the display is result column 2');
    assert.equal(findInRows(rows, all, '', { row: 0, col: 0 }, false).count, 0);
  });

  it('the in-memory source sorts, filters and finds over its own rows', async () => {
    const source = new InMemorySource(
      types.map((t, i) => ({ name: `c${i}`, type: t })),
      data,
    );
    const r = await source.setView(
      view({ sort: [{ column: 0, dir: 'desc' }], filters: [{ column: 1, op: 'notNull', value: '' }] }),
    );
    assert.deepEqual(r, { rowCount: 4, where: 'memory' });
    assert.deepEqual(source.row(0), data[3]);
    assert.deepEqual(await source.rows(0, 2), [data[3], data[0]]);
    // Sorted by c0 descending: 10, 3, 2 (Alpha), 2 (gamma): ties keep their order, so gamma is 4th.
    const found = await source.find('gamma', all, { row: 0, col: 0 }, false, false);
    assert.deepEqual(found.match, { row: 3, col: 1 });
  });
});
