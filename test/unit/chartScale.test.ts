import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clippedAxis, niceCeil } from '../../src/shared/chartScale';

test('a first load of 50,000 among runs of 20-80: the axis is cut just above the typical runs', () => {
  const values = [50_000, ...Array.from({ length: 27 }, (_, i) => 20 + ((i * 37) % 61))];
  const axis = clippedAxis(values);
  assert.ok(axis);
  assert.deepEqual(axis.clipped, [0]);
  assert.equal(axis.largestKept, Math.max(...values.slice(1)));
  assert.equal(axis.max, 100);
  // Every typical run is at least a fifth of the axis, not a sliver of 1/600.
  for (const v of values.slice(1)) assert.ok(v / axis.max >= 0.2, `${v} of ${axis.max}`);
});

test('few runs: the median still finds the outlier that Q3 + 3 IQR would not', () => {
  assert.deepEqual(clippedAxis([5, 6, 7, 50_000])?.clipped, [3]);
  assert.deepEqual(clippedAxis([30, 50_000, 40])?.clipped, [1]);
});

test('runs with 0 operations do not pull the median down to 0', () => {
  const axis = clippedAxis([0, 0, 0, 0, 0, 0, 0, 0, 5, 6, 7, 8, 50_000]);
  assert.deepEqual(axis?.clipped, [12]);
  assert.equal(axis?.max, 10);
});

test('no outlier, or nothing worth cutting: the axis stays whole', () => {
  assert.equal(clippedAxis([]), null);
  assert.equal(clippedAxis([0, 0, 0]), null);
  assert.equal(clippedAxis([10, 50_000]), null, 'two values have no typical one');
  assert.equal(clippedAxis([100, 100, 100, 100, 130]), null, 'a flat series with a bump');
  assert.equal(clippedAxis(Array.from({ length: 30 }, (_, i) => 1 + i * 30)), null, 'an even spread');
  // 11x the median, but the tallest kept run is 9x: cutting would not double anyone's height.
  assert.equal(clippedAxis([10, 10, 10, 10, 10, 10, 10, 90, 110]), null);
});

test('when a third of the runs are big, that is the data, not an outlier', () => {
  const values = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 5_000 : 50));
  assert.equal(clippedAxis(values), null);
  // A fifth are big: those are cut and labelled.
  const fewer = Array.from({ length: 30 }, (_, i) => (i % 5 === 0 ? 5_000 : 50));
  assert.equal(clippedAxis(fewer)?.clipped.length, 6);
});

test('non-finite values are ignored, and indexes refer to the input', () => {
  const axis = clippedAxis([NaN, 40, 50, Infinity, 60, 9_000]);
  assert.deepEqual(axis?.clipped, [5]);
});

test('niceCeil: 1, 2, 2.5, 5 times a power of ten', () => {
  assert.deepEqual(
    [0, -3, 0.3, 1, 1.2, 2.2, 3, 7, 88, 101, 250, 251].map(niceCeil),
    [0, 0, 0.5, 1, 2, 2.5, 5, 10, 100, 200, 250, 500],
  );
});
