/**
 * The "table" toggle under a chart: a button that shows the chart's numbers as a plain table, for
 * screen readers (a canvas is one image to them), for exact figures, and for copying. Text only:
 * labels may be warehouse values, so they go in as text inside <bdi>.
 */
import './chartTable.css';
import { el, fmtNumber, valueText } from './dom';

export interface ChartTableSeries {
  label: string;
  /** One per row; null shows as "—" (no value, not zero); text (a status) shows as is. */
  values: readonly (number | string | null)[];
}

export interface ChartTableOptions {
  /** data-testid of the wrapper; the button is `${testid}-toggle`, the table `${testid}-table`. */
  testid: string;
  /** The table's caption, e.g. "Operations per run". */
  caption: string;
  /** The header of the first column, e.g. "Run". */
  rowHeader: string;
  rows: readonly string[];
  series: readonly ChartTableSeries[];
  /** How numbers are written (default: whole en-US numbers); a notebook's values may have fractions. */
  formatNumber?: (n: number | null) => string;
}

function cell(v: number | string | null | undefined, format: (n: number | null) => string): HTMLElement {
  return typeof v === 'string' ? el('td', {}, valueText(v)) : el('td', { className: 'num', text: format(v ?? null) });
}

// Open tables stay open when the panel draws again (a refresh, a theme change).
const open = new Set<string>();
let ids = 0;

export function chartTable(opts: ChartTableOptions): HTMLElement {
  const id = `chart-table-${++ids}`;
  const table = el(
    'table',
    { className: 'data', testid: `${opts.testid}-table` },
    el('caption', { text: opts.caption }),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { attrs: { scope: 'col' }, text: opts.rowHeader }),
        ...opts.series.map((s) => el('th', { attrs: { scope: 'col' } }, valueText(s.label))),
      ),
    ),
    el(
      'tbody',
      {},
      ...opts.rows.map((label, i) =>
        el(
          'tr',
          {},
          el('th', { className: 'nowrap', attrs: { scope: 'row' } }, valueText(label)),
          ...opts.series.map((s) => cell(s.values[i], opts.formatNumber ?? ((n) => fmtNumber(n)))),
        ),
      ),
    ),
  );
  const region = el('div', { className: 'table-scroll chart-table-body', attrs: { id } }, table);
  const toggle = el('button', {
    className: 'link chart-table-toggle',
    testid: `${opts.testid}-toggle`,
    attrs: { type: 'button', 'aria-controls': id },
  });
  const show = (on: boolean) => {
    region.hidden = !on;
    toggle.setAttribute('aria-expanded', String(on));
    toggle.textContent = on ? 'Hide table' : 'Table';
    if (on) open.add(opts.testid);
    else open.delete(opts.testid);
  };
  toggle.addEventListener('click', () => show(region.hidden));
  show(open.has(opts.testid));
  return el('div', { className: 'chart-table', testid: opts.testid }, toggle, region);
}
