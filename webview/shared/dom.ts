/**
 * DOM helpers shared by the panels, the grid and the notebook renderer. Every string that may come
 * from the warehouse goes in as textContent (or a non-event attribute value), never as HTML:
 * failure texts are written by third parties and can contain markup. No toolkit element is
 * registered here: the renderer's page is shared with other renderers (panelShell.ts registers).
 */
import { isolate } from '../../src/shared/displayText';

/** For warehouse text inside a string (option labels, titles, chart labels): FSI ... PDI around it. */
export { isolate };

/** Called with a container before its content is replaced (charts.ts destroys its charts there). */
export const beforeClear: ((root: Node) => void)[] = [];

export function clearChildren(root: HTMLElement, ...children: Child[]): void {
  for (const f of beforeClear) f(root);
  root.replaceChildren();
  append(root, ...children);
}

export type Child = Node | string | undefined | null | false;

export interface ElProps {
  className?: string;
  /** Set as textContent, never parsed. */
  text?: string;
  /** Attribute values (never event handlers: names starting with "on" are refused). */
  attrs?: Record<string, string | undefined>;
  testid?: string;
}

/** Creates an element; text is always set as textContent, children strings become text nodes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: ElProps,
  ...children: Child[]
): HTMLElementTagNameMap[K];
export function el(tag: string, props?: ElProps, ...children: Child[]): HTMLElement;
export function el(tag: string, props: ElProps = {}, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  if (props.className) e.className = props.className;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.testid) e.setAttribute('data-testid', props.testid);
  for (const [k, v] of Object.entries(props.attrs ?? {})) setAttr(e, k, v);
  append(e, ...children);
  return e;
}

/** Sets a non-event attribute (event handler attributes would run code from a string). */
export function setAttr(e: Element, name: string, value: string | undefined): void {
  if (/^on/i.test(name) || name.toLowerCase() === 'style') throw new Error(`refused attribute ${name}`);
  if (value !== undefined) e.setAttribute(name, value);
}

/**
 * A warehouse value among our own words, as a <bdi>: an override (U+202E) or right-to-left text
 * inside it stops at its edge instead of reordering the words around it (base.css isolates it).
 */
export function valueText(text: string, className?: string): HTMLElement {
  return el('bdi', { className, text });
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** A toolkit button (toolbar actions). */
export function button(
  label: string,
  onClick: () => void,
  opts: { appearance?: 'primary' | 'secondary'; testid?: string; title?: string; ctl?: string } = {},
): HTMLElement {
  const b = el('vscode-button', {
    text: label,
    testid: opts.testid,
    attrs: { appearance: opts.appearance ?? 'secondary', title: opts.title, 'data-ctl': opts.ctl },
  });
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}

/** A light native button that looks like a link (row ids in tables: many of them, so no custom element). */
export function linkButton(
  label: string,
  onClick: () => void,
  opts: { title?: string; testid?: string; className?: string } = {},
): HTMLButtonElement {
  const b = el('button', {
    className: `link${opts.className ? ` ${opts.className}` : ''}`,
    text: label,
    testid: opts.testid,
    attrs: { type: 'button', title: opts.title },
  });
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}

export interface SelectOption {
  value: string;
  label: string;
}

/** A native <select> with a visible label, styled by panel.css with the theme's dropdown colours. */
export function select(
  label: string,
  options: readonly SelectOption[],
  value: string,
  onChange: (value: string) => void,
  opts: { disabled?: boolean; ctl?: string; title?: string; testid?: string } = {},
): HTMLElement {
  const s = el('select', { attrs: { 'data-ctl': opts.ctl ?? label, title: opts.title }, testid: opts.testid });
  for (const o of options) {
    const option = el('option', { text: o.label });
    option.value = o.value;
    s.append(option);
  }
  s.value = value;
  s.disabled = opts.disabled ?? false;
  s.addEventListener('change', () => onChange(s.value));
  return el('label', { className: 'field' }, el('span', { className: 'field-label', text: label }), s);
}

// ------------------------------------------------------------------ formatting (en-US)

const integer = new Intl.NumberFormat('en-US');
const decimals = new Map<number, Intl.NumberFormat>();

/** 12,345 (or with `digits` fraction digits). */
export function fmtNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (digits === 0) return integer.format(n);
  let f = decimals.get(digits);
  if (!f)
    decimals.set(
      digits,
      (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })),
    );
  return f.format(n);
}

/** 12.5% of a total. */
export function fmtPercent(part: number, total: number): string {
  if (!total) return '—';
  return `${fmtNumber((part / total) * 100, 1)}%`;
}

const dateTime = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const dateTimeNoYear = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' });

function parse(iso: string | null | undefined): Date | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Local time, short: "Nov 24, 2026, 09:30 AM"; '—' when unknown. */
export function fmtDate(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? dateTime.format(d) : iso ? iso : '—';
}

/** Shorter labels for chart axes: by unit. */
export function fmtBucket(iso: string, unit: 'run' | 'hour' | 'day'): string {
  const d = parse(iso);
  if (!d) return iso;
  return unit === 'day' ? dateOnly.format(d) : dateTimeNoYear.format(d);
}

/** 850 ms, 2.4 s, 3 min 5 s. */
export function fmtMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

// ------------------------------------------------------------------ summary cards

/** A summary card: a big number with a label; the number carries data-testid="summary-<name>". */
/** `compact`: a value that is a phrase (a date range), set at the label's size so it does not outshout the figures. */
export function summaryCard(
  name: string,
  label: string,
  value: number | string,
  opts: { emphasis?: 'error' | 'warning' | 'ok'; hint?: string; compact?: boolean } = {},
): HTMLElement {
  return el(
    'div',
    { className: `card${opts.emphasis ? ` ${opts.emphasis}` : ''}`, attrs: { title: opts.hint } },
    el('div', {
      className: `card-value${opts.compact ? ' compact' : ''}`,
      text: typeof value === 'number' ? fmtNumber(value) : value,
      testid: `summary-${name}`,
    }),
    el('div', { className: 'card-label', text: label }),
  );
}

export function badge(text: string, kind?: string): HTMLElement {
  return el('span', { className: `badge${kind ? ` ${kind}` : ''}`, text });
}

// ------------------------------------------------------------------ a small sortable table

export interface Column<T> {
  /** Stable id (used for the sort state). */
  id: string;
  label: string;
  /** The value to sort by (null sorts last). */
  sortValue?: (row: T) => number | string | null;
  /** The cell's content (text or nodes); defaults to the sort value as text. */
  render?: (row: T) => Child | Child[];
  numeric?: boolean;
  title?: string;
  className?: string;
}

export interface TableOptions<T> {
  testid: string;
  label: string;
  columns: Column<T>[];
  key: (row: T) => string;
  /** Called on click or Enter on a row (not on buttons or links inside it). */
  onRowClick?: (row: T) => void;
  sort?: { column: string; descending: boolean };
  empty?: string;
  rowClass?: (row: T) => string | undefined;
}

export interface TableHandle<T> {
  element: HTMLElement;
  setRows(rows: readonly T[]): void;
  /** Marks the row with this key as selected (or none). */
  select(key: string | undefined): void;
}

/** A table with clickable headers for sorting; rows carry data-key. */
export function sortableTable<T>(opts: TableOptions<T>, initialRows: readonly T[]): TableHandle<T> {
  let rows = [...initialRows];
  let sort = opts.sort;
  let selected: string | undefined;
  const table = el('table', { className: 'data', testid: opts.testid, attrs: { 'aria-label': opts.label } });
  const thead = el('thead');
  const tbody = el('tbody');
  table.append(thead, tbody);

  const compare = (col: Column<T>, a: T, b: T): number => {
    const va = col.sortValue?.(a) ?? null;
    const vb = col.sortValue?.(b) ?? null;
    if (va === vb) return 0;
    if (va === null) return 1;
    if (vb === null) return -1;
    const c =
      typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb), 'en-US');
    return sort?.descending ? -c : c;
  };

  const renderHead = () => {
    const tr = el('tr');
    for (const col of opts.columns) {
      const th = el('th', { className: col.numeric ? 'num' : undefined, attrs: { scope: 'col', title: col.title } });
      if (col.sortValue) {
        const active = sort?.column === col.id;
        th.setAttribute('aria-sort', active ? (sort?.descending ? 'descending' : 'ascending') : 'none');
        const b = el(
          'button',
          { className: 'sort', attrs: { type: 'button' } },
          col.label,
          el('span', {
            className: 'arrow',
            text: active ? (sort?.descending ? ' ▼' : ' ▲') : '',
            attrs: { 'aria-hidden': 'true' },
          }),
        );
        b.addEventListener('click', () => {
          sort = { column: col.id, descending: active ? !sort?.descending : !!col.numeric };
          renderHead();
          renderBody();
        });
        th.append(b);
      } else {
        th.textContent = col.label;
      }
      tr.append(th);
    }
    thead.replaceChildren(tr);
  };

  const renderBody = () => {
    const col = opts.columns.find((c) => c.id === sort?.column);
    const sorted = col ? [...rows].sort((a, b) => compare(col, a, b)) : rows;
    const trs = sorted.map((r) => {
      const key = opts.key(r);
      const extra = opts.rowClass?.(r);
      const tr = el('tr', { className: extra, attrs: { 'data-key': key } });
      if (opts.onRowClick) {
        tr.classList.add('clickable');
        tr.tabIndex = 0;
        if (key === selected) tr.setAttribute('aria-selected', 'true');
        const go = (e: Event) => {
          const t = e.target as Element | null;
          if (t && t !== tr && t.closest('button, a, summary, input, select, vscode-button')) return;
          opts.onRowClick?.(r);
        };
        tr.addEventListener('click', go);
        tr.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            if (e.target !== tr) return;
            e.preventDefault();
            go(e);
          }
        });
      }
      for (const c of opts.columns) {
        const td = el('td', { className: [c.numeric ? 'num' : '', c.className ?? ''].join(' ').trim() || undefined });
        const content = c.render ? c.render(r) : c.sortValue ? formatValue(c.sortValue(r)) : '';
        append(td, ...(Array.isArray(content) ? content : [content]));
        tr.append(td);
      }
      return tr;
    });
    if (trs.length === 0) {
      const td = el('td', {
        className: 'empty muted',
        text: opts.empty ?? 'Nothing to show',
        attrs: { colspan: String(opts.columns.length) },
      });
      tbody.replaceChildren(el('tr', {}, td));
    } else {
      tbody.replaceChildren(...trs);
    }
  };

  renderHead();
  renderBody();
  return {
    element: el('div', { className: 'table-scroll' }, table),
    setRows(next) {
      rows = [...next];
      renderBody();
    },
    select(key) {
      selected = key;
      for (const tr of Array.from(tbody.querySelectorAll('tr[data-key]'))) {
        if (tr.getAttribute('data-key') === key) tr.setAttribute('aria-selected', 'true');
        else tr.removeAttribute('aria-selected');
      }
    },
  };
}

function formatValue(v: number | string | null): string {
  if (v === null) return '—';
  return typeof v === 'number' ? fmtNumber(v) : v;
}
