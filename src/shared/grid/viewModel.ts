/**
 * Sort and filter of a result, in memory: which source rows a view shows, in which order. The
 * same rules are written as SQL for the warehouse in src/sql/resultWrapQuery.ts, so a view reads
 * alike wherever it was computed: NULLs last in both directions, contains is case-insensitive on
 * the cell's text, equals is exact on it, NULL matches neither. Pure: the in-memory data source,
 * the results panel's host and the unit tests use it.
 */
import { cellText } from '../cellText';

export type SortDir = 'asc' | 'desc';
export type FilterOp = 'contains' | 'equals' | 'isNull' | 'notNull';
export const FILTER_OPS: readonly FilterOp[] = ['contains', 'equals', 'isNull', 'notNull'];

export interface SortKey {
  /** Column index in the result (not its display position). */
  column: number;
  dir: SortDir;
}

export interface ColumnFilter {
  column: number;
  op: FilterOp;
  /** The text to match; ignored by isNull and notNull. */
  value: string;
}

export interface ViewSpec {
  sort: SortKey[];
  filters: ColumnFilter[];
  /** Rows with any cell containing this (case-insensitive); empty: no quick filter. */
  quick: string;
}

/** Where a view was computed: over rows in memory, or by a wrapping query in the warehouse. */
export type ViewWhere = 'memory' | 'warehouse';

export const EMPTY_VIEW: ViewSpec = { sort: [], filters: [], quick: '' };

export const isEmptyView = (v: ViewSpec) => v.sort.length === 0 && v.filters.length === 0 && v.quick === '';

/** Whether a column holds numbers by its warehouse type name (drives alignment and sort order). */
export const NUMERIC_TYPE =
  /^(int|int2|int4|int8|int64|smallint|integer|bigint|tinyint|numeric|decimal|real|float|float4|float8|float64|double|double precision|number|oid|bignumeric)\b/i;

export const isNumericType = (type: string) => NUMERIC_TYPE.test(type);

/** The next direction of a header click: none → asc → desc → none. */
export function nextSort(sort: readonly SortKey[], column: number, additive: boolean): SortKey[] {
  const current = sort.find((s) => s.column === column);
  const others = additive ? sort.filter((s) => s.column !== column) : [];
  if (!current) return [...others, { column, dir: 'asc' }];
  if (current.dir === 'asc')
    return additive ? sort.map((s) => (s.column === column ? { column, dir: 'desc' } : s)) : [{ column, dir: 'desc' }];
  return others;
}

type Key = number | string | undefined;

/** A cell's sort key: a number for a numeric column (when it reads as one), else its text; NULL is undefined. */
function sortKey(value: unknown, numeric: boolean): Key {
  if (value === null || value === undefined) return undefined;
  if (numeric) {
    const n = typeof value === 'number' ? value : Number(value as string);
    if (!Number.isNaN(n)) return n;
  }
  return cellText(value);
}

function compareKeys(a: Key, b: Key): number {
  // NULLs last whichever the direction, as the wrapping query's NULLS LAST.
  if (a === undefined) return b === undefined ? 0 : 2;
  if (b === undefined) return -2;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  // Mixed (a number and text in one numeric column): numbers first.
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  // Code-unit order: fast, deterministic, and what a binary ("C") collation does.
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface RowAccess {
  count: number;
  row(index: number): readonly unknown[];
}

/** Whether one row passes the filters and the quick filter. `lowered` holds the filters' values lower-cased. */
function rowMatcher(spec: ViewSpec, columnCount: number): (row: readonly unknown[]) => boolean {
  const filters = spec.filters.map((f) => ({ ...f, lower: f.value.toLowerCase() }));
  const quick = spec.quick.toLowerCase();
  return (row) => {
    for (const f of filters) {
      const text = cellText(row[f.column]);
      switch (f.op) {
        case 'isNull':
          if (text !== undefined) return false;
          break;
        case 'notNull':
          if (text === undefined) return false;
          break;
        case 'equals':
          if (text !== f.value) return false;
          break;
        case 'contains':
          if (text === undefined || !text.toLowerCase().includes(f.lower)) return false;
          break;
      }
    }
    if (quick) {
      for (let c = 0; c < columnCount; c++) {
        const text = cellText(row[c]);
        if (text !== undefined && text.toLowerCase().includes(quick)) return true;
      }
      return false;
    }
    return true;
  };
}

/**
 * The source row indices a view shows, in order; undefined for the empty view (every row as it
 * came). Sorting is stable: ties keep the warehouse's order.
 */
export function viewOrder(rows: RowAccess, columnTypes: readonly string[], spec: ViewSpec): Uint32Array | undefined {
  if (isEmptyView(spec)) return undefined;
  const matches = rowMatcher(spec, columnTypes.length);
  const filtering = spec.filters.length > 0 || spec.quick !== '';
  let picked = new Uint32Array(rows.count);
  let n = 0;
  for (let i = 0; i < rows.count; i++) if (!filtering || matches(rows.row(i))) picked[n++] = i;
  picked = picked.slice(0, n);
  if (spec.sort.length === 0) return picked;
  // Keys read once per row and column, not once per comparison.
  const keys = spec.sort.map((s) => {
    const numeric = isNumericType(columnTypes[s.column] ?? '');
    const k: Key[] = new Array<Key>(n);
    for (let j = 0; j < n; j++) k[j] = sortKey(rows.row(picked[j])[s.column], numeric);
    return { k, sign: s.dir === 'asc' ? 1 : -1 };
  });
  const positions = Array.from({ length: n }, (_, j) => j);
  positions.sort((x, y) => {
    for (const { k, sign } of keys) {
      const c = compareKeys(k[x], k[y]);
      // A NULL (±2) stays last in both directions.
      if (c !== 0) return Math.abs(c) === 2 ? c : c * sign;
    }
    return x - y;
  });
  const out = new Uint32Array(n);
  for (let j = 0; j < n; j++) out[j] = picked[positions[j]];
  return out;
}

/** How a view reads in the panel, e.g. "sorted by status ↓, filtered: 2 filters". */
export function describeView(spec: ViewSpec, columnNames: readonly string[]): string {
  const parts: string[] = [];
  if (spec.sort.length)
    parts.push(
      `sorted by ${spec.sort.map((s) => `${columnNames[s.column] ?? '?'} ${s.dir === 'asc' ? '↑' : '↓'}`).join(', ')}`,
    );
  const n = spec.filters.length + (spec.quick ? 1 : 0);
  if (n) parts.push(`filtered (${n} ${n === 1 ? 'filter' : 'filters'})`);
  return parts.join(', ');
}

/**
 * The status line after a view is applied: what was done, where, and how many rows are left, e.g.
 * "sorted by status ↑, in memory · 1,204 rows" or "filtered (1 filter), by the warehouse (the
 * query re-ran) · 12 rows".
 */
export function viewStatus(
  spec: ViewSpec,
  where: 'memory' | 'warehouse',
  rowCount: number,
  columnNames: readonly string[],
): string {
  if (isEmptyView(spec)) return '';
  const place = where === 'memory' ? 'in memory' : 'by the warehouse (the query re-ran)';
  const rows = `${rowCount.toLocaleString('en-US')} ${rowCount === 1 ? 'row' : 'rows'}`;
  return `${describeView(spec, columnNames)}, ${place} · ${rows}`;
}
