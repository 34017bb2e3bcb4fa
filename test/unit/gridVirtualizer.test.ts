import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_SCROLL_PX,
  columnAt,
  columnEdges,
  columnWindow,
  contentOffset,
  rowWindow,
  scrollExtent,
  scrollIntoView,
  scrollTopFor,
} from '../../webview/grid/virtualizer';

describe('grid virtualizer: rows', () => {
  it('shows the rows under the viewport plus overscan, clamped to the rows there are', () => {
    assert.deepEqual(rowWindow(0, 220, 1000, 22, 4), { start: 0, end: 14 });
    assert.deepEqual(rowWindow(2200, 220, 1000, 22, 4), { start: 96, end: 114 });
    assert.deepEqual(rowWindow(21_780, 220, 1000, 22, 4), { start: 986, end: 1000 });
    assert.deepEqual(rowWindow(0, 220, 0, 22), { start: 0, end: 0 });
    assert.deepEqual(rowWindow(0, 220, 3, 22), { start: 0, end: 3 });
  });

  it('keeps a small result unscaled, and scales a 10M-row one below what a browser can scroll', () => {
    assert.deepEqual(scrollExtent(1000, 22), { height: 22_000, ratio: 1 });
    const big = scrollExtent(10_000_000, 22);
    assert.equal(big.height, MAX_SCROLL_PX);
    assert.ok(big.ratio > 14 && big.ratio < 15);
  });

  it('maps the last scroll position to the last rows, and round-trips offsets', () => {
    const rows = 10_000_000;
    const view = 400;
    const maxScroll = MAX_SCROLL_PX - view;
    const end = contentOffset(maxScroll, view, rows, 22);
    assert.equal(end, rows * 22 - view);
    const w = rowWindow(end, view, rows, 22, 0);
    assert.equal(w.end, rows);
    assert.equal(contentOffset(0, view, rows, 22), 0);
    for (const offset of [0, 22 * 123_457, rows * 11, rows * 22 - view]) {
      const back = contentOffset(scrollTopFor(offset, view, rows, 22), view, rows, 22);
      assert.ok(Math.abs(back - offset) < 1e-3 * 22, `round trip of ${offset} gave ${back}`);
    }
  });
});

describe('grid virtualizer: columns', () => {
  const edges = columnEdges([100, 50, 200, 80]);

  it('sums widths into edges', () => {
    assert.deepEqual(edges, [0, 100, 150, 350, 430]);
  });

  it('finds the column under an x position', () => {
    assert.equal(columnAt(edges, 0), 0);
    assert.equal(columnAt(edges, 99.5), 0);
    assert.equal(columnAt(edges, 100), 1);
    assert.equal(columnAt(edges, 349), 2);
    assert.equal(columnAt(edges, 10_000), 3);
  });

  it('windows the columns a viewport intersects, with overscan', () => {
    assert.deepEqual(columnWindow(edges, 0, 120, 0), { start: 0, end: 2 });
    assert.deepEqual(columnWindow(edges, 160, 100, 0), { start: 2, end: 3 });
    assert.deepEqual(columnWindow(edges, 160, 100, 1), { start: 1, end: 4 });
    assert.deepEqual(columnWindow([0], 0, 100), { start: 0, end: 0 });
  });

  it('scrolls as little as needed to show a span', () => {
    assert.equal(scrollIntoView(100, 200, 150, 170), 100);
    assert.equal(scrollIntoView(100, 200, 50, 70), 50);
    assert.equal(scrollIntoView(100, 200, 290, 320), 120);
  });
});
