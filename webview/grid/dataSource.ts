/**
 * Where the grid's rows come from. The grid asks for the rows it shows and draws placeholders
 * for those not yet there; sort, filter and find go through the source, which computes them
 * where the rows are. Two sources: InMemorySource (every row given, e.g. a notebook output) and
 * WindowedSource (rows asked of a host by offset and count, cached in blocks). No DOM here.
 */
import { findInRows, type FindResult } from '../../src/shared/grid/find';
import type { CellPos } from './selection';
import {
  EMPTY_VIEW,
  isEmptyView,
  viewOrder,
  type RowAccess,
  type ViewSpec,
  type ViewWhere,
} from '../../src/shared/grid/viewModel';

export interface GridColumn {
  name: string;
  type: string;
}

export interface ViewResult {
  rowCount: number;
  where: ViewWhere;
  /** Said beside the grid, e.g. that the warehouse's result was capped. */
  note?: string;
  /** The view could not be applied (`note` says why); the rows are arranged as before. */
  failed?: boolean;
}

export interface GridDataSource {
  readonly columns: readonly GridColumn[];
  /** Rows in the current view (after filters). */
  readonly rowCount: number;
  /** The view's row `index`, or undefined while it loads. */
  row(index: number): readonly unknown[] | undefined;
  /** Makes rows [start, end) available; `onChange` fires when some arrive. */
  ensure(start: number, end: number): void;
  /** Registers the grid's redraw; one listener. */
  onChange(listener: () => void): void;
  /** Applies a sort and filter; resolves with the view's size once the rows are there. */
  setView(spec: ViewSpec): Promise<ViewResult>;
  /** Finds `query` in the view; `columns` are result column indices in display order. */
  find(
    query: string,
    columns: readonly number[],
    from: CellPos,
    backwards: boolean,
    inclusive: boolean,
  ): Promise<FindResult>;
  /** Rows [start, end) of the view, for a copy. */
  rows(start: number, end: number): Promise<readonly (readonly unknown[])[]>;
}

/** Every row in memory; sort, filter and find run here. */
export class InMemorySource implements GridDataSource {
  private order: Uint32Array | undefined;
  private listener: () => void = () => {};

  constructor(
    readonly columns: readonly GridColumn[],
    private readonly all: readonly (readonly unknown[])[],
  ) {}

  get rowCount(): number {
    return this.order ? this.order.length : this.all.length;
  }

  row(index: number): readonly unknown[] | undefined {
    return this.all[this.order ? this.order[index] : index];
  }

  ensure(): void {}

  onChange(listener: () => void): void {
    this.listener = listener;
  }

  setView(spec: ViewSpec): Promise<ViewResult> {
    const access: RowAccess = { count: this.all.length, row: (i) => this.all[i] };
    this.order = viewOrder(
      access,
      this.columns.map((c) => c.type),
      spec,
    );
    this.listener();
    return Promise.resolve({ rowCount: this.rowCount, where: 'memory' });
  }

  find(query: string, columns: readonly number[], from: CellPos, backwards: boolean, inclusive: boolean) {
    const view: RowAccess = { count: this.rowCount, row: (i) => this.row(i) ?? [] };
    return Promise.resolve(findInRows(view, columns, query, from, backwards, inclusive));
  }

  rows(start: number, end: number): Promise<readonly (readonly unknown[])[]> {
    const out: (readonly unknown[])[] = [];
    for (let i = start; i < Math.min(end, this.rowCount); i++) out.push(this.row(i) ?? []);
    return Promise.resolve(out);
  }
}

/** What a WindowedSource asks of its host; the answers come back through its `receive…` methods. */
export interface WindowHost {
  requestRows(view: number, offset: number, count: number): void;
  requestView(view: number, spec: ViewSpec): void;
  requestFind(
    seq: number,
    view: number,
    query: string,
    columns: readonly number[],
    from: CellPos,
    backwards: boolean,
    inclusive: boolean,
  ): void;
}

/** Rows per cached block and per request. */
export const BLOCK_ROWS = 100;
/** Blocks kept; the least recently used go first (about 20,000 rows). */
export const MAX_BLOCKS = 200;

/**
 * Rows asked of a host a block at a time, kept in an LRU cache. Each view (a sort or filter the
 * host applied) has a number; replies for an older view are dropped, so a late page of the
 * unsorted rows never lands in the sorted grid.
 */
export class WindowedSource implements GridDataSource {
  private blocks = new Map<number, readonly (readonly unknown[])[]>();
  private pending = new Set<number>();
  private count: number;
  private view = 0;
  private where: ViewWhere = 'memory';
  private listener: () => void = () => {};
  private viewWaiters = new Map<number, (r: ViewResult) => void>();
  private findSeq = 0;
  private findWaiters = new Map<number, (r: FindResult) => void>();
  private rowWaiters: { start: number; end: number; done: (rows: (readonly unknown[])[]) => void }[] = [];

  constructor(
    readonly columns: readonly GridColumn[],
    rowCount: number,
    private readonly host: WindowHost,
    firstPage?: { offset: number; rows: readonly (readonly unknown[])[] },
  ) {
    this.count = rowCount;
    if (firstPage) this.store(firstPage.offset, firstPage.rows);
  }

  get rowCount(): number {
    return this.count;
  }

  /** The current view's number, sent with every request. */
  get viewId(): number {
    return this.view;
  }

  row(index: number): readonly unknown[] | undefined {
    const b = Math.floor(index / BLOCK_ROWS);
    const block = this.blocks.get(b);
    if (!block) return undefined;
    // Touch: most recently used last.
    this.blocks.delete(b);
    this.blocks.set(b, block);
    return block[index - b * BLOCK_ROWS];
  }

  ensure(start: number, end: number): void {
    const last = Math.min(end, this.count);
    for (let b = Math.floor(start / BLOCK_ROWS); b * BLOCK_ROWS < last; b++) {
      if (this.blocks.has(b) || this.pending.has(b)) continue;
      this.pending.add(b);
      this.host.requestRows(this.view, b * BLOCK_ROWS, BLOCK_ROWS);
    }
  }

  onChange(listener: () => void): void {
    this.listener = listener;
  }

  /** A page from the host; stale views are dropped. */
  receiveRows(view: number, offset: number, rows: readonly (readonly unknown[])[]): void {
    if (view !== this.view) return;
    this.store(offset, rows);
    this.listener();
    this.rowWaiters = this.rowWaiters.filter((w) => !this.tryRows(w));
  }

  setView(spec: ViewSpec): Promise<ViewResult> {
    const view = ++this.view;
    this.blocks.clear();
    this.pending.clear();
    return new Promise((resolve) => {
      this.viewWaiters.set(view, resolve);
      this.host.requestView(view, isEmptyView(spec) ? EMPTY_VIEW : spec);
    });
  }

  /** The host applied view `view`: its size; rows are asked afresh. */
  receiveView(view: number, result: ViewResult, firstRows?: readonly (readonly unknown[])[]): void {
    if (view !== this.view) return;
    this.count = result.rowCount;
    this.where = result.where;
    // Rows asked while the host worked on the view were not answered (they named the new view early).
    this.pending.clear();
    if (firstRows) this.store(0, firstRows);
    this.viewWaiters.get(view)?.(result);
    this.viewWaiters.delete(view);
    this.listener();
  }

  /** The host could not apply the view (e.g. the warehouse refused the query): the previous stays. */
  rejectView(view: number, message: string): void {
    if (view !== this.view) return;
    this.pending.clear();
    this.viewWaiters.get(view)?.({ rowCount: this.count, where: this.where, note: message, failed: true });
    this.viewWaiters.delete(view);
    this.listener();
  }

  find(query: string, columns: readonly number[], from: CellPos, backwards: boolean, inclusive: boolean) {
    const seq = ++this.findSeq;
    return new Promise<FindResult>((resolve) => {
      this.findWaiters.set(seq, resolve);
      this.host.requestFind(seq, this.view, query, columns, from, backwards, inclusive);
    });
  }

  receiveFind(seq: number, result: FindResult): void {
    this.findWaiters.get(seq)?.(result);
    this.findWaiters.delete(seq);
  }

  rows(start: number, end: number): Promise<readonly (readonly unknown[])[]> {
    return new Promise((done) => {
      const w = { start, end: Math.min(end, this.count), done };
      if (this.tryRows(w)) return;
      this.rowWaiters.push(w);
      this.ensure(w.start, w.end);
    });
  }

  private tryRows(w: { start: number; end: number; done: (rows: (readonly unknown[])[]) => void }): boolean {
    const out: (readonly unknown[])[] = [];
    for (let i = w.start; i < w.end; i++) {
      const r = this.row(i);
      if (!r) return false;
      out.push(r);
    }
    w.done(out);
    return true;
  }

  private store(offset: number, rows: readonly (readonly unknown[])[]): void {
    // Pages start on block edges (the source asks so); a first page of any size is split into blocks.
    for (let at = 0; at < rows.length; at += BLOCK_ROWS) {
      const b = Math.floor((offset + at) / BLOCK_ROWS);
      this.blocks.set(b, rows.slice(at, at + BLOCK_ROWS));
      this.pending.delete(b);
    }
    while (this.blocks.size > MAX_BLOCKS) {
      const oldest = this.blocks.keys().next().value as number;
      this.blocks.delete(oldest);
    }
  }
}
