/**
 * A virtualized results grid: only the rows and columns in view are in the DOM, under a fixed
 * header and beside fixed row numbers. Rows come from a GridDataSource (in memory, or windowed
 * from a host); the grid adds selection, copy, find, sort, filter, column resize and reorder,
 * and a cell inspector. Every value is set as textContent. Nothing here knows the results
 * panel: a notebook renderer mounts it with an InMemorySource.
 *
 * Layout: the scroller holds a sizer as large as all rows and columns; its first child, the
 * layer, is sticky at the scroller's top-left and as large as the viewport, and the visible
 * rows are positioned in it from the scroll offsets on each scroll. Scroll offsets past what a
 * browser can scroll are scaled (virtualizer.ts).
 */
import { cellText, type RangeCopyFormat } from '../../src/shared/cellText';
import { copySummary, formatRange, FORMAT_LABELS } from '../../src/shared/grid/rangeCopy';
import {
  displayWidths,
  initialLayout,
  widenToFit,
  KEY_RESIZE_STEP,
  moveColumn,
  resize,
  type ColumnLayout,
} from './columnLayout';
import type { GridDataSource, ViewResult } from './dataSource';
import { el as h } from '../shared/dom';
import { FindBar } from './findBar';
import { cellMatches } from '../../src/shared/grid/find';
import { openFilterPopover } from './filterPopover';
import { openInspector } from './inspector';
import { openMenu, type MenuItem } from './menu';
import {
  clampPos,
  inRange,
  initialSelection,
  moveTo,
  navigate,
  rangeOf,
  selectColumn,
  selectRows,
  type CellPos,
  type Selection,
} from './selection';
import {
  columnEdges,
  columnWindow,
  contentOffset,
  rowWindow,
  scrollExtent,
  scrollIntoView,
  scrollTopFor,
  type Span,
} from './virtualizer';
import {
  EMPTY_VIEW,
  isNumericType,
  nextSort,
  viewStatus,
  type ColumnFilter,
  type ViewSpec,
} from '../../src/shared/grid/viewModel';

/** A copy the grid asks for: view rows top..bottom (inclusive), result columns in display order. */
export interface CopyRequest {
  top: number;
  bottom: number;
  columns: number[];
  format: RangeCopyFormat;
  withHeaders: boolean;
}

export interface GridOptions {
  source: GridDataSource;
  /** The grid's accessible name. */
  label: string;
  /**
   * Copies a range: the default builds the text from the source's rows and writes it with
   * `writeClipboard`. A host that holds the rows (and a clipboard of its own) passes its own.
   */
  copyRange?: (request: CopyRequest) => void;
  /** Writes text to the clipboard (the default: navigator.clipboard). */
  writeClipboard?: (text: string) => Promise<void> | void;
  /** Called after a sort or filter was applied, with what the status line says. */
  onView?: (spec: ViewSpec, result: ViewResult) => void;
}

/** Exported so a host sizing the grid to its rows (a notebook output) uses the same measures. */
export const ROW_HEIGHT = 22;
export const HEADER_HEIGHT = 38;
const CELL_PAD = 16;
const OVERSCAN_ROWS = 6;
/** Width of one character of the editor font (the cells' font), for column widths. */
const CHAR_PX = editorCharWidth();

function editorCharWidth(): number {
  const css = getComputedStyle(document.documentElement);
  const family = css.getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
  const size = css.getPropertyValue('--vscode-editor-font-size').trim() || '12px';
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return 8;
  ctx.font = `${/^\d+(\.\d+)?$/.test(size) ? `${size}px` : size} ${family}`;
  const w = ctx.measureText('0123456789abcdefghij').width / 20;
  // Names and types are in the UI font, often wider than a narrow monospace; never under 7.5.
  return Number.isFinite(w) && w > 0 ? Math.max(7.5, w) : 8;
}

interface RowEl {
  el: HTMLElement;
  head: HTMLElement;
  strip: HTMLElement;
  cells: HTMLElement[];
  key: string;
}

export class Grid {
  readonly element: HTMLElement;
  private readonly gridEl: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly sizer: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly headerRow: HTMLElement;
  private readonly headerStrip: HTMLElement;
  private readonly status: HTMLElement;
  private readonly quick: HTMLInputElement;
  private readonly findBar: FindBar;
  private readonly source: GridDataSource;
  private layout: ColumnLayout;
  private edges: number[] = [0];
  private rowHeaderWidth = 48;
  private selection: Selection = initialSelection();
  /** Display position of the header cell with focus, or undefined when focus is in the cells. */
  private headerFocus: number | undefined;
  private spec: ViewSpec = EMPTY_VIEW;
  private version = 0;
  private pool: RowEl[] = [];
  private shown = new Map<number, RowEl>();
  private headerCells: HTMLElement[] = [];
  private frame = 0;
  private rows: Span = { start: 0, end: 0 };
  private cols: Span = { start: 0, end: 0 };
  private findQuery = '';
  private findCurrent: CellPos | undefined;
  private overlayOpen = false;
  private dragSelect: 'cells' | 'rows' | undefined;
  private resizeObserver: ResizeObserver;
  /** Columns the user resized: a new view does not widen them. */
  private resizedByHand = new Set<number>();

  constructor(private readonly options: GridOptions) {
    this.source = options.source;
    this.layout = initialLayout(this.source.columns, this.sampleRows(), CHAR_PX, CELL_PAD + 6);

    this.quick = h('input', {
      className: 'sg-input sg-quick',
      attrs: {
        type: 'search',
        placeholder: 'Filter rows…',
        'aria-label': 'Filter rows (any column contains)',
        'data-testid': 'grid-quick-filter',
      },
    }) as HTMLInputElement;
    this.status = h('span', { className: 'sg-status', attrs: { role: 'status', 'data-testid': 'grid-status' } });
    this.findBar = new FindBar({
      onQuery: (q) => this.setFindQuery(q),
      onStep: (back) => void this.findStep(back, false),
      onClose: () => this.closeFind(),
    });
    this.headerStrip = h('div', { className: 'sg-strip' });
    this.headerRow = h(
      'div',
      { className: 'sg-row sg-header', attrs: { role: 'row', 'aria-rowindex': '1' } },
      h('div', { className: 'sg-corner', attrs: { role: 'columnheader', 'aria-colindex': '1', 'aria-label': 'Row' } }),
      this.headerStrip,
    );
    this.layer = h('div', { className: 'sg-layer' }, this.headerRow);
    this.sizer = h('div', { className: 'sg-sizer' }, this.layer);
    this.scroller = h('div', { className: 'sg-scroller', attrs: { 'data-testid': 'grid-scroller' } }, this.sizer);
    this.gridEl = h(
      'div',
      {
        className: 'sg-grid',
        attrs: {
          role: 'grid',
          'aria-label': options.label,
          'aria-multiselectable': 'true',
          tabindex: '0',
          'data-testid': 'grid',
        },
      },
      this.scroller,
    );
    this.element = h(
      'div',
      { className: 'sg-root' },
      h('div', { className: 'sg-bar' }, this.quick, this.status),
      this.findBar.element,
      this.gridEl,
    );

    this.quick.addEventListener('input', () => this.applyQuickSoon());
    this.scroller.addEventListener('scroll', () => this.render());
    this.gridEl.addEventListener('keydown', (e) => this.onKey(e));
    this.gridEl.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.gridEl.addEventListener('dblclick', (e) => this.onDoubleClick(e));
    this.gridEl.addEventListener('contextmenu', (e) => this.onContextMenu(e));
    this.source.onChange(() => this.invalidate());
    this.resizeObserver = new ResizeObserver(() => this.invalidate());
    this.resizeObserver.observe(this.scroller);
    this.relayout();
  }

  /** Stops observing; the element can be dropped after. */
  dispose(): void {
    this.resizeObserver.disconnect();
    cancelAnimationFrame(this.frame);
  }

  /** The current selection, as view rows and result columns (for hosts and tests). */
  get selectedRange() {
    const r = rangeOf(this.selection);
    return { ...r, columns: this.layout.order.slice(r.left, r.right + 1) };
  }

  get view(): ViewSpec {
    return this.spec;
  }

  focus(): void {
    this.focusActive(true);
  }

  // ---- layout and drawing ----

  /** The view's first rows (those loaded), which column widths are fitted to. */
  private sampleRows(): (readonly unknown[] | undefined)[] {
    const sample: (readonly unknown[] | undefined)[] = [];
    for (let i = 0; i < Math.min(100, this.source.rowCount); i++) sample.push(this.source.row(i));
    return sample;
  }

  private get colCount() {
    return this.layout.order.length;
  }

  private size() {
    return { rows: this.source.rowCount, cols: this.colCount };
  }

  private relayout(): void {
    this.edges = columnEdges(displayWidths(this.layout));
    const digits = String(Math.max(1, this.source.rowCount)).length;
    this.rowHeaderWidth = Math.max(40, digits * 8 + 18);
    this.gridEl.setAttribute('aria-rowcount', String(this.source.rowCount + 1));
    this.gridEl.setAttribute('aria-colcount', String(this.colCount + 1));
    this.buildHeader();
    this.invalidate();
  }

  /** Redraws every shown row on the next frame (data, selection or layout changed). */
  private invalidate(): void {
    this.version++;
    this.scheduleRender();
  }

  private scheduleRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    // Recycling the focused cell's row would drop focus to the body (and the keys with it).
    const hadFocus = this.gridEl.contains(document.activeElement);
    const count = this.source.rowCount;
    const viewW = Math.max(0, this.scroller.clientWidth - this.rowHeaderWidth);
    const viewH = Math.max(0, this.scroller.clientHeight - HEADER_HEIGHT);
    const extent = scrollExtent(count, ROW_HEIGHT);
    const totalW = this.edges[this.edges.length - 1];
    this.sizer.style.height = `${HEADER_HEIGHT + extent.height}px`;
    this.sizer.style.width = `${this.rowHeaderWidth + totalW}px`;
    this.layer.style.height = `${this.scroller.clientHeight}px`;
    this.layer.style.width = `${this.scroller.clientWidth}px`;
    const offset = contentOffset(this.scroller.scrollTop, viewH, count, ROW_HEIGHT);
    const left = this.scroller.scrollLeft;
    this.rows = rowWindow(offset, viewH, count, ROW_HEIGHT, OVERSCAN_ROWS);
    this.cols = columnWindow(this.edges, left, viewW, 1);
    this.source.ensure(this.rows.start, this.rows.end);

    const shift = `translateX(${-left}px)`;
    this.headerStrip.style.transform = shift;
    this.headerStrip.style.left = `${this.rowHeaderWidth}px`;
    this.renderHeaderWindow();

    // Rows that left the window go back to the pool; rows still in it keep their content.
    for (const [index, row] of this.shown) {
      if (index < this.rows.start || index >= this.rows.end) {
        this.shown.delete(index);
        row.el.remove();
        this.pool.push(row);
      }
    }
    const sel = rangeOf(this.selection);
    for (let i = this.rows.start; i < this.rows.end; i++) {
      let row = this.shown.get(i);
      if (!row) {
        row = this.pool.pop() ?? this.makeRow();
        row.key = '';
        this.shown.set(i, row);
        this.layer.append(row.el);
      }
      row.el.style.transform = `translateY(${HEADER_HEIGHT + i * ROW_HEIGHT - offset}px)`;
      row.strip.style.transform = shift;
      const data = this.source.row(i);
      const key = `${this.version}:${this.cols.start}-${this.cols.end}:${data ? 1 : 0}`;
      if (row.key !== key) {
        this.fillRow(row, i, data, sel);
        row.key = key;
      }
    }
    this.focusActive(hadFocus);
  }

  private makeRow(): RowEl {
    const head = h('div', { className: 'sg-rowhead', attrs: { role: 'rowheader', 'aria-colindex': '1' } });
    const strip = h('div', { className: 'sg-strip' });
    const el = h('div', { className: 'sg-row', attrs: { role: 'row' } }, head, strip);
    head.style.width = `${this.rowHeaderWidth}px`;
    return { el, head, strip, cells: [], key: '' };
  }

  private fillRow(row: RowEl, index: number, data: readonly unknown[] | undefined, sel: ReturnType<typeof rangeOf>) {
    row.el.setAttribute('aria-rowindex', String(index + 2));
    row.el.dataset.row = String(index);
    row.head.textContent = String(index + 1);
    row.head.style.width = `${this.rowHeaderWidth}px`;
    row.strip.style.left = `${this.rowHeaderWidth}px`;
    const rowSelected = sel.left === 0 && sel.right === this.colCount - 1 && index >= sel.top && index <= sel.bottom;
    row.head.classList.toggle('sg-selected', rowSelected);
    const n = this.cols.end - this.cols.start;
    while (row.cells.length < n) {
      const c = h('div', { attrs: { role: 'gridcell' } });
      row.cells.push(c);
      row.strip.append(c);
    }
    while (row.cells.length > n) row.cells.pop()?.remove();
    const lowered = this.findQuery.toLowerCase();
    for (let k = 0; k < n; k++) {
      const pos = this.cols.start + k;
      const column = this.layout.order[pos];
      const c = row.cells[k];
      c.style.left = `${this.edges[pos]}px`;
      c.style.width = `${this.layout.widths[column]}px`;
      c.dataset.col = String(pos);
      c.setAttribute('aria-colindex', String(pos + 2));
      const selected = inRange(sel, index, pos);
      c.setAttribute('aria-selected', String(selected));
      const active = this.selection.active.row === index && this.selection.active.col === pos;
      c.tabIndex = active && this.headerFocus === undefined ? 0 : -1;
      let cls = isNumericType(this.source.columns[column].type) ? 'sg-cell sg-num' : 'sg-cell';
      if (selected) cls += ' sg-selected';
      if (active) cls += ' sg-active';
      if (!data) {
        c.className = `${cls} sg-loading`;
        c.textContent = '…';
        c.removeAttribute('aria-label');
        continue;
      }
      const value = data[column];
      const text = cellText(value);
      if (lowered && cellMatches(value, lowered)) {
        cls += ' sg-match';
        if (this.findCurrent?.row === index && this.findCurrent.col === pos) cls += ' sg-match-current';
      }
      if (text === undefined) {
        c.className = `${cls} sg-null`;
        c.textContent = 'NULL';
        c.setAttribute('aria-label', 'null');
      } else {
        c.className = typeof value === 'object' ? `${cls} sg-json` : text === '' ? `${cls} sg-empty` : cls;
        // A long value is cut for the cell, and its line breaks and tabs shown as marks; the inspector shows it whole.
        const line = text.length > 500 ? `${text.slice(0, 500)}…` : text;
        c.textContent = /[\r\n\t]/.test(line) ? line.replace(/\r\n|\r|\n/g, '↵').replace(/\t/g, '→') : line;
        if (text === '') c.setAttribute('aria-label', 'empty');
        else c.removeAttribute('aria-label');
      }
    }
  }

  private buildHeader(): void {
    this.headerStrip.replaceChildren();
    this.headerCells = this.source.columns.map((col, column) => {
      const sortBtn = h('span', { className: 'sg-sort', attrs: { 'aria-hidden': 'true' } });
      const filter = h('button', {
        className: 'sg-filter-btn',
        text: '⋯',
        attrs: { type: 'button', tabindex: '-1', 'aria-label': 'Filter this column', title: 'Filter' },
      });
      const cell = h(
        'div',
        {
          className: `sg-colhead${isNumericType(col.type) ? ' sg-num' : ''}`,
          attrs: { role: 'columnheader', tabindex: '-1', 'data-column': String(column) },
        },
        h(
          'div',
          { className: 'sg-colhead-text' },
          h('bdi', { className: 'col-name', text: col.name }),
          h('bdi', { className: 'col-type', text: col.type }),
        ),
        sortBtn,
        filter,
        h('div', { className: 'sg-resize', attrs: { 'aria-hidden': 'true' } }),
      );
      return cell;
    });
    (this.headerRow.firstElementChild as HTMLElement).style.width = `${this.rowHeaderWidth}px`;
    this.renderHeaderState();
  }

  private renderHeaderWindow(): void {
    const want = new Set<HTMLElement>();
    for (let pos = this.cols.start; pos < this.cols.end; pos++) {
      const column = this.layout.order[pos];
      const cell = this.headerCells[column];
      cell.style.left = `${this.edges[pos]}px`;
      cell.style.width = `${this.layout.widths[column]}px`;
      cell.setAttribute('aria-colindex', String(pos + 2));
      cell.dataset.pos = String(pos);
      cell.tabIndex = this.headerFocus === pos ? 0 : -1;
      want.add(cell);
      if (cell.parentElement !== this.headerStrip) this.headerStrip.append(cell);
    }
    for (const child of [...this.headerStrip.children]) if (!want.has(child as HTMLElement)) child.remove();
  }

  private renderHeaderState(): void {
    this.source.columns.forEach((_, column) => {
      const cell = this.headerCells[column];
      const at = this.spec.sort.findIndex((s) => s.column === column);
      const s = this.spec.sort[at];
      cell.setAttribute('aria-sort', s ? (s.dir === 'asc' ? 'ascending' : 'descending') : 'none');
      const mark = cell.querySelector('.sg-sort');
      if (mark)
        mark.textContent = s ? `${s.dir === 'asc' ? '▲' : '▼'}${this.spec.sort.length > 1 ? String(at + 1) : ''}` : '';
      const filtered = this.spec.filters.some((f) => f.column === column);
      cell.classList.toggle('sg-filtered', filtered);
    });
  }

  // ---- focus and scrolling ----

  private focusActive(force: boolean): void {
    const within = this.gridEl.contains(document.activeElement);
    if (!force && !within) return;
    if (this.overlayOpen) return;
    let target: HTMLElement | undefined;
    if (this.headerFocus !== undefined) {
      target = this.headerCells[this.layout.order[this.headerFocus]];
      if (!target?.isConnected) target = undefined;
    } else {
      const row = this.shown.get(this.selection.active.row);
      target = row?.cells[this.selection.active.col - this.cols.start];
    }
    this.gridEl.tabIndex = target ? -1 : 0;
    const t = target ?? this.gridEl;
    if (document.activeElement !== t) t.focus({ preventScroll: true });
  }

  /** Scrolls so the active cell (or the focused header) is in view. */
  private reveal(pos: CellPos): void {
    const count = this.source.rowCount;
    const viewH = Math.max(ROW_HEIGHT, this.scroller.clientHeight - HEADER_HEIGHT);
    const viewW = Math.max(0, this.scroller.clientWidth - this.rowHeaderWidth);
    const offset = contentOffset(this.scroller.scrollTop, viewH, count, ROW_HEIGHT);
    const want = scrollIntoView(offset, viewH, pos.row * ROW_HEIGHT, (pos.row + 1) * ROW_HEIGHT);
    if (want !== offset) this.scroller.scrollTop = scrollTopFor(want, viewH, count, ROW_HEIGHT);
    const left = this.scroller.scrollLeft;
    const x = scrollIntoView(left, viewW, this.edges[pos.col] ?? 0, this.edges[pos.col + 1] ?? 0);
    if (x !== left) this.scroller.scrollLeft = x;
  }

  private select(next: Selection): void {
    this.selection = next;
    this.headerFocus = undefined;
    this.reveal(next.active);
    this.version++;
    this.render();
  }

  private pageRows(): number {
    return Math.max(1, Math.floor((this.scroller.clientHeight - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
  }

  // ---- keyboard ----

  private onKey(e: KeyboardEvent): void {
    if (this.overlayOpen) return;
    const ctrl = e.ctrlKey || e.metaKey;
    if (ctrl && (e.key === 'f' || e.key === 'F')) {
      e.preventDefault();
      this.findBar.open(this.findQuery);
      return;
    }
    if (this.headerFocus !== undefined) {
      this.onHeaderKey(e, ctrl);
      return;
    }
    if (ctrl && (e.key === 'c' || e.key === 'C')) {
      e.preventDefault();
      this.copy('tsv', e.shiftKey);
      return;
    }
    if (e.key === 'Enter' || e.key === 'F2') {
      e.preventDefault();
      this.inspect(this.selection.active);
      return;
    }
    if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
      e.preventDefault();
      const cell = this.shown.get(this.selection.active.row)?.cells[this.selection.active.col - this.cols.start];
      const box = (cell ?? this.gridEl).getBoundingClientRect();
      this.showMenu(box.left + 8, box.bottom);
      return;
    }
    if (e.key === ' ' && (ctrl || e.shiftKey)) {
      e.preventDefault();
      const size = this.size();
      this.select(
        ctrl
          ? selectColumn(this.selection.active.col, size)
          : selectRows(this.selection, this.selection.active.row, false, size),
      );
      return;
    }
    if (e.key === 'ArrowUp' && !ctrl && !e.shiftKey && this.selection.active.row === 0) {
      e.preventDefault();
      this.focusHeader(this.selection.active.col);
      return;
    }
    const next = navigate(this.selection, { key: e.key, shift: e.shiftKey, ctrl }, this.size(), this.pageRows());
    if (!next) return;
    e.preventDefault();
    this.select(next);
  }

  private focusHeader(pos: number): void {
    this.headerFocus = Math.max(0, Math.min(this.colCount - 1, pos));
    this.reveal({ row: this.selection.active.row, col: this.headerFocus });
    this.render();
    this.focusActive(true);
  }

  /** Keys on a column header: sort, resize, move, filter, and back to the cells. */
  private onHeaderKey(e: KeyboardEvent, ctrl: boolean): void {
    const pos = this.headerFocus ?? 0;
    const column = this.layout.order[pos];
    const done = () => e.preventDefault();
    if (e.altKey && e.shiftKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      done();
      const to = pos + (e.key === 'ArrowLeft' ? -1 : 1);
      this.setLayout(moveColumn(this.layout, pos, to));
      this.focusHeader(to);
    } else if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      done();
      const step = e.key === 'ArrowLeft' ? -KEY_RESIZE_STEP : KEY_RESIZE_STEP;
      this.resizedByHand.add(column);
      this.setLayout(resize(this.layout, column, this.layout.widths[column] + step));
      this.focusHeader(pos);
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      done();
      this.focusHeader(pos + (e.key === 'ArrowLeft' ? -1 : 1));
    } else if (e.key === 'Home' || e.key === 'End') {
      done();
      this.focusHeader(e.key === 'Home' ? 0 : this.colCount - 1);
    } else if (e.key === 'ArrowDown' && e.altKey) {
      done();
      this.openFilter(column);
    } else if (e.key === 'ArrowDown' || e.key === 'Escape') {
      done();
      this.select(moveTo(this.selection, { row: 0, col: pos }, false, this.size()));
    } else if (ctrl && e.key === ' ') {
      done();
      this.select(selectColumn(pos, this.size()));
    } else if (e.key === 'Enter' || e.key === ' ') {
      done();
      this.sortBy(column, e.shiftKey);
    } else if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
      done();
      this.openFilter(column);
    }
  }

  private setLayout(layout: ColumnLayout): void {
    this.layout = layout;
    this.edges = columnEdges(displayWidths(layout));
    this.invalidate();
  }

  // ---- mouse ----

  private cellAt(clientX: number, clientY: number): CellPos {
    const box = this.scroller.getBoundingClientRect();
    const count = this.source.rowCount;
    const viewH = Math.max(0, this.scroller.clientHeight - HEADER_HEIGHT);
    const offset = contentOffset(this.scroller.scrollTop, viewH, count, ROW_HEIGHT);
    const row = Math.floor((clientY - box.top - HEADER_HEIGHT + offset) / ROW_HEIGHT);
    const x = clientX - box.left - this.rowHeaderWidth + this.scroller.scrollLeft;
    let col = 0;
    while (col < this.colCount - 1 && this.edges[col + 1] <= x) col++;
    return clampPos({ row, col }, this.size());
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    const target = e.target as HTMLElement;
    if (target.closest('.sg-resize')) return this.startResize(e, target.closest('.sg-colhead') as HTMLElement);
    if (target.closest('.sg-filter-btn')) {
      e.preventDefault();
      const head = target.closest('.sg-colhead') as HTMLElement;
      return this.openFilter(Number(head.dataset.column));
    }
    const head = target.closest('.sg-colhead') as HTMLElement | null;
    if (head) return this.startHeaderDrag(e, head);
    const rowHead = target.closest('.sg-rowhead');
    const cell = target.closest('.sg-cell');
    if (!rowHead && !cell) return;
    e.preventDefault();
    const at = this.cellAt(e.clientX, e.clientY);
    this.dragSelect = rowHead ? 'rows' : 'cells';
    this.select(
      rowHead
        ? selectRows(this.selection, at.row, e.shiftKey, this.size())
        : moveTo(this.selection, at, e.shiftKey, this.size()),
    );
    this.focusActive(true);
    const move = (ev: PointerEvent) => {
      const p = this.cellAt(ev.clientX, ev.clientY);
      const next =
        this.dragSelect === 'rows'
          ? selectRows(this.selection, p.row, true, this.size())
          : moveTo(this.selection, p, true, this.size());
      if (next.active.row !== this.selection.active.row || next.active.col !== this.selection.active.col)
        this.select(next);
    };
    const up = () => {
      this.dragSelect = undefined;
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      this.focusActive(true);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }

  private startResize(e: PointerEvent, head: HTMLElement): void {
    e.preventDefault();
    e.stopPropagation();
    const column = Number(head.dataset.column);
    const startX = e.clientX;
    const startW = this.layout.widths[column];
    this.resizedByHand.add(column);
    const move = (ev: PointerEvent) => this.setLayout(resize(this.layout, column, startW + ev.clientX - startX));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }

  /** A click on a header sorts; a drag of more than a few pixels moves the column. */
  private startHeaderDrag(e: PointerEvent, head: HTMLElement): void {
    e.preventDefault();
    const column = Number(head.dataset.column);
    const from = this.layout.order.indexOf(column);
    const startX = e.clientX;
    let dragging = false;
    const move = (ev: PointerEvent) => {
      if (!dragging && Math.abs(ev.clientX - startX) < 5) return;
      dragging = true;
      head.classList.add('sg-dragging');
    };
    const up = (ev: PointerEvent) => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      head.classList.remove('sg-dragging');
      if (!dragging) {
        this.headerFocus = from;
        this.sortBy(column, ev.shiftKey);
        this.focusActive(true);
        return;
      }
      const to = this.cellAt(ev.clientX, ev.clientY + HEADER_HEIGHT).col;
      this.setLayout(moveColumn(this.layout, from, to));
      this.focusHeader(to);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }

  private onDoubleClick(e: MouseEvent): void {
    if (!(e.target as HTMLElement).closest('.sg-cell')) return;
    this.inspect(this.cellAt(e.clientX, e.clientY));
  }

  private onContextMenu(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    if (!target.closest('.sg-cell, .sg-rowhead')) return;
    e.preventDefault();
    const at = this.cellAt(e.clientX, e.clientY);
    if (!inRange(rangeOf(this.selection), at.row, at.col)) this.select(moveTo(this.selection, at, false, this.size()));
    this.showMenu(e.clientX, e.clientY);
  }

  private showMenu(x: number, y: number): void {
    const items: MenuItem[] = [];
    for (const format of ['tsv', 'csv', 'json', 'markdown'] as const) {
      items.push({
        label: `Copy as ${FORMAT_LABELS[format]}`,
        run: () => this.copy(format, false),
        testid: `copy-${format}`,
      });
      items.push({
        label: `Copy as ${FORMAT_LABELS[format]} with headers`,
        run: () => this.copy(format, true),
        testid: `copy-${format}-headers`,
      });
    }
    items.push({ label: 'Inspect value', run: () => this.inspect(this.selection.active), testid: 'inspect' });
    const active = this.selection.active;
    const column = this.layout.order[active.col];
    const value = this.source.row(active.row)?.[column];
    const text = cellText(value);
    items.push({
      label: text === undefined ? 'Filter: only NULL here' : 'Filter: only this value',
      run: () =>
        this.setFilter(
          column,
          text === undefined ? { column, op: 'isNull', value: '' } : { column, op: 'equals', value: text },
        ),
      testid: 'filter-value',
    });
    if (this.spec.filters.length || this.spec.quick || this.spec.sort.length)
      items.push({ label: 'Clear sort and filters', run: () => this.clearView(), testid: 'clear-view' });
    this.overlayOpen = true;
    openMenu(this.element, x, y, items, () => {
      this.overlayOpen = false;
      this.focusActive(true);
    });
  }

  // ---- copy, inspect ----

  copy(format: RangeCopyFormat, withHeaders: boolean): void {
    const r = rangeOf(this.selection);
    if (this.source.rowCount === 0) return;
    const columns = this.layout.order.slice(r.left, r.right + 1);
    const request: CopyRequest = { top: r.top, bottom: r.bottom, columns, format, withHeaders };
    if (this.options.copyRange) {
      this.options.copyRange(request);
      return;
    }
    void this.source.rows(r.top, r.bottom + 1).then(async (rows) => {
      const picked = rows.map((row) => columns.map((c) => row[c]));
      const text = formatRange(
        columns.map((c) => this.source.columns[c]),
        picked,
        format,
        withHeaders,
      );
      await this.writeClipboard(text);
      this.setStatus(copySummary(picked.length, columns.length, format, withHeaders));
    });
  }

  private async writeClipboard(text: string): Promise<void> {
    if (this.options.writeClipboard) await this.options.writeClipboard(text);
    else await navigator.clipboard.writeText(text);
  }

  private inspect(pos: CellPos): void {
    const column = this.layout.order[pos.col];
    const row = this.source.row(pos.row);
    if (!row || column === undefined) return;
    this.overlayOpen = true;
    const col = this.source.columns[column];
    openInspector(this.element, {
      columnName: col.name,
      columnType: col.type,
      value: row[column],
      copy: (text) => void this.writeClipboard(text).then(() => this.setStatus('Copied the value')),
      onClose: () => {
        this.overlayOpen = false;
        this.focusActive(true);
      },
    });
  }

  // ---- sort and filter ----

  private sortBy(column: number, additive: boolean): void {
    void this.applyView({ ...this.spec, sort: nextSort(this.spec.sort, column, additive) });
  }

  private setFilter(column: number, filter: ColumnFilter | undefined): void {
    const others = this.spec.filters.filter((f) => f.column !== column);
    void this.applyView({ ...this.spec, filters: filter ? [...others, filter] : others });
  }

  private clearView(): void {
    this.quick.value = '';
    void this.applyView(EMPTY_VIEW);
  }

  private openFilter(column: number): void {
    const head = this.headerCells[column];
    const box = head.getBoundingClientRect();
    this.overlayOpen = true;
    openFilterPopover(this.element, box.left, box.bottom, {
      columnName: this.source.columns[column].name,
      current: this.spec.filters.find((f) => f.column === column),
      apply: (f) => this.setFilter(column, f ? { ...f, column } : undefined),
      onClose: () => {
        this.overlayOpen = false;
        this.focusActive(true);
      },
    });
  }

  private quickTimer: ReturnType<typeof setTimeout> | undefined;

  private applyQuickSoon(): void {
    clearTimeout(this.quickTimer);
    this.quickTimer = setTimeout(() => void this.applyView({ ...this.spec, quick: this.quick.value }), 250);
  }

  /** Applies a view through the source; the status line says what was done and where. */
  async applyView(spec: ViewSpec): Promise<ViewResult> {
    const previous = this.spec;
    this.spec = spec;
    this.renderHeaderState();
    this.setStatus(spec.sort.length || spec.filters.length || spec.quick ? 'Applying…' : '');
    this.gridEl.setAttribute('aria-busy', 'true');
    const result = await this.source.setView(spec);
    if (this.spec !== spec) return result;
    this.gridEl.removeAttribute('aria-busy');
    if (result.failed) {
      this.spec = previous;
      this.quick.value = previous.quick;
      this.renderHeaderState();
      this.setStatus(result.note ?? 'The sort or filter could not be applied.');
      this.invalidate();
      return result;
    }
    const names = this.source.columns.map((c) => c.name);
    const said = viewStatus(spec, result.where, result.rowCount, names);
    this.setStatus([said, result.note].filter(Boolean).join(' — '));
    this.selection = {
      anchor: clampPos(this.selection.anchor, this.size()),
      active: clampPos(this.selection.active, this.size()),
    };
    // Values a sort brings to the top (the largest ids) may be wider than the first page's.
    this.layout = widenToFit(
      this.layout,
      this.source.columns,
      this.sampleRows(),
      CHAR_PX,
      CELL_PAD + 6,
      this.resizedByHand,
    );
    this.relayout();
    this.options.onView?.(spec, result);
    if (this.findQuery) void this.findStep(false, true);
    return result;
  }

  private setStatus(text: string): void {
    this.status.textContent = text;
    this.status.title = text;
  }

  // ---- find ----

  private setFindQuery(q: string): void {
    this.findQuery = q;
    this.findCurrent = undefined;
    this.invalidate();
    void this.findStep(false, true);
  }

  private async findStep(backwards: boolean, inclusive: boolean): Promise<void> {
    const q = this.findQuery;
    if (!q) {
      this.findBar.showCount(undefined);
      return;
    }
    const from = this.findCurrent ?? this.selection.active;
    const found = await this.source.find(q, this.layout.order, from, backwards, inclusive);
    if (q !== this.findQuery) return;
    this.findBar.showCount(found);
    if (!found.match) return;
    this.findCurrent = found.match;
    this.selection = { anchor: found.match, active: found.match };
    this.reveal(found.match);
    this.invalidate();
  }

  private closeFind(): void {
    this.findQuery = '';
    this.findCurrent = undefined;
    this.invalidate();
    this.focusActive(true);
  }
}
