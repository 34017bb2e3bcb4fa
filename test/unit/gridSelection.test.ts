import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  initialSelection,
  moveTo,
  navigate,
  rangeOf,
  selectAll,
  selectColumn,
  selectRows,
  type Selection,
} from '../../webview/grid/selection';
import { initialLayout, moveColumn, resize, widenToFit, MIN_WIDTH, MAX_WIDTH } from '../../webview/grid/columnLayout';

const size = { rows: 1000, cols: 5 };
const key = (k: string, shift = false, ctrl = false) => ({ key: k, shift, ctrl });
const at = (row: number, col: number): Selection => ({ anchor: { row, col }, active: { row, col } });

describe('grid selection: keyboard', () => {
  it('moves with the arrows and stops at the edges', () => {
    let s = initialSelection();
    s = navigate(s, key('ArrowUp'), size, 10)!;
    assert.deepEqual(s.active, { row: 0, col: 0 });
    s = navigate(s, key('ArrowDown'), size, 10)!;
    s = navigate(s, key('ArrowRight'), size, 10)!;
    assert.deepEqual(s, at(1, 1));
    assert.deepEqual(navigate(at(3, 4), key('ArrowRight'), size, 10)!.active, { row: 3, col: 4 });
  });

  it('extends a range with shift and keeps the anchor', () => {
    let s = at(2, 1);
    s = navigate(s, key('ArrowDown', true), size, 10)!;
    s = navigate(s, key('ArrowRight', true), size, 10)!;
    assert.deepEqual(rangeOf(s), { top: 2, bottom: 3, left: 1, right: 2 });
    s = navigate(s, key('ArrowUp', true), size, 10)!;
    s = navigate(s, key('ArrowUp', true), size, 10)!;
    assert.deepEqual(rangeOf(s), { top: 1, bottom: 2, left: 1, right: 2 }, 'the range flips over the anchor');
  });

  it('Home/End go along the row, Ctrl+Home/End to the corners, Ctrl+arrows to the edges', () => {
    assert.deepEqual(navigate(at(7, 2), key('Home'), size, 10)!.active, { row: 7, col: 0 });
    assert.deepEqual(navigate(at(7, 2), key('End'), size, 10)!.active, { row: 7, col: 4 });
    assert.deepEqual(navigate(at(7, 2), key('Home', false, true), size, 10)!.active, { row: 0, col: 0 });
    assert.deepEqual(navigate(at(7, 2), key('End', false, true), size, 10)!.active, { row: 999, col: 4 });
    assert.deepEqual(navigate(at(7, 2), key('ArrowDown', false, true), size, 10)!.active, { row: 999, col: 2 });
    assert.deepEqual(
      rangeOf(navigate(at(7, 2), key('End', true, true), size, 10)!),
      { top: 7, bottom: 999, left: 2, right: 4 },
      'Ctrl+Shift+End selects to the last cell',
    );
  });

  it('pages by the rows on screen, clamped', () => {
    assert.equal(navigate(at(5, 0), key('PageDown'), size, 30)!.active.row, 35);
    assert.equal(navigate(at(5, 0), key('PageUp'), size, 30)!.active.row, 0);
    assert.equal(navigate(at(990, 0), key('PageDown'), size, 30)!.active.row, 999);
  });

  it('Ctrl+A selects everything; other keys are not navigation', () => {
    assert.deepEqual(rangeOf(navigate(at(3, 3), key('a', false, true), size, 10)!), {
      top: 0,
      bottom: 999,
      left: 0,
      right: 4,
    });
    assert.equal(navigate(at(3, 3), key('a'), size, 10), undefined);
    assert.equal(navigate(at(3, 3), key('x'), size, 10), undefined);
    assert.equal(navigate(at(0, 0), key('ArrowDown'), { rows: 0, cols: 3 }, 10), undefined);
  });
});

describe('grid selection: mouse', () => {
  it('click moves, shift+click extends from the anchor', () => {
    let s = moveTo(initialSelection(), { row: 4, col: 1 }, false, size);
    s = moveTo(s, { row: 9, col: 3 }, true, size);
    assert.deepEqual(rangeOf(s), { top: 4, bottom: 9, left: 1, right: 3 });
    assert.deepEqual(moveTo(s, { row: 2000, col: -1 }, false, size).active, { row: 999, col: 0 });
  });

  it('row headers select whole rows, shift extends; a column selects top to bottom', () => {
    let s = selectRows(initialSelection(), 10, false, size);
    assert.deepEqual(rangeOf(s), { top: 10, bottom: 10, left: 0, right: 4 });
    s = selectRows(s, 14, true, size);
    assert.deepEqual(rangeOf(s), { top: 10, bottom: 14, left: 0, right: 4 });
    assert.deepEqual(rangeOf(selectColumn(2, size)), { top: 0, bottom: 999, left: 2, right: 2 });
    assert.deepEqual(rangeOf(selectAll(at(1, 1), size)), { top: 0, bottom: 999, left: 0, right: 4 });
  });
});

describe('grid column layout', () => {
  const layout = { order: [0, 1, 2, 3], widths: [100, 100, 100, 100] };

  it('moves a column to another display position', () => {
    assert.deepEqual(moveColumn(layout, 0, 2).order, [1, 2, 0, 3]);
    assert.deepEqual(moveColumn(layout, 3, 0).order, [3, 0, 1, 2]);
    assert.deepEqual(moveColumn(layout, 1, 99).order, [0, 2, 3, 1]);
    assert.equal(moveColumn(layout, 1, 1), layout);
  });

  it('resizes within bounds', () => {
    assert.equal(resize(layout, 1, 5).widths[1], MIN_WIDTH);
    assert.equal(resize(layout, 1, 1e9).widths[1], MAX_WIDTH);
    assert.equal(resize(layout, 1, 150.4).widths[1], 150);
    assert.deepEqual(layout.widths, [100, 100, 100, 100], 'the layout is not mutated');
  });

  it('starts wide enough for the header and its controls, and widens (never narrows) for a new view', () => {
    const cols = [
      { name: 'n', type: 'int4' },
      { name: 'label', type: 'text' },
    ];
    const start = initialLayout(
      cols,
      [
        [1, 'a'],
        [2, 'b'],
      ],
      10,
      0,
    );
    assert.ok(
      start.widths[0] >= 4 * 10 + 30,
      `room for "int4", the sort arrow and the filter button: ${start.widths[0]}`,
    );
    const sorted = widenToFit(start, cols, [[12345678901, 'a']], 10, 0, new Set());
    assert.equal(sorted.widths[0], 110, 'eleven digits at 10 px each');
    assert.equal(sorted.widths[1], start.widths[1]);
    assert.equal(widenToFit(sorted, cols, [[1, 'a']], 10, 0, new Set()), sorted, 'shorter values change nothing');
    assert.equal(
      widenToFit(start, cols, [[12345678901, 'a']], 10, 0, new Set([0])),
      start,
      'a hand-sized column stays',
    );
  });
});
