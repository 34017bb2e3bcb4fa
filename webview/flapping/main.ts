/**
 * Flapping rows: the rows of one sync that change most often, with a sparkline of their activity.
 * Every warehouse string is shown as text; the sparkline is SVG built with createElementNS.
 */
import '../shared/base.css';
import '../shared/panel.css';
import './flapping.css';
import type { FlappingParams } from '../../src/shared/analysisProtocol';
import type { FlappingData, FlappingOrder, FlappingRow } from '../../src/shared/analysisData';
import { button, el, fmtBucket, fmtDate, fmtNumber, isolate, linkButton, select, sortableTable, summaryCard } from '../shared/dom';
import { send, startPanel, syncAndWindowPickers, syncWindowScope } from '../shared/panelShell';
import { exactLabel, numberTick, themedChart } from '../shared/charts';

const ORDERS: { value: FlappingOrder; label: string }[] = [
  { value: 'operations', label: 'Operations' },
  { value: 'changes', label: 'Changes' },
  { value: 'cycles', label: 'Enter/exit cycles' },
];

startPanel({
  panel: 'flapping',
  scope: syncWindowScope,
  toolbar(p, ctx, update) {
    return [
      ...syncAndWindowPickers(p, ctx, update),
      select('Order by', ORDERS, p.orderBy, (v) => update({ ...p, orderBy: (ORDERS.find((o) => o.value === v)?.value ?? 'operations') }), { ctl: 'order', testid: 'order-select' }),
      p.syncId ? button('Model over time', () => send({ type: 'openPanel', panel: 'model', syncId: p.syncId }), { ctl: 'model', title: 'Adds, changes and removes per run of this sync' }) : undefined,
    ];
  },
  preamble: () => [
    el(
      'details',
      { className: 'box explain', testid: 'explanation', attrs: { open: '' } },
      el('summary', { className: 'title', text: 'Why flapping matters' }),
      el(
        'p',
        {},
        'A row that changes on every run usually means the model is not deterministic: a timestamp or a random value in the query (now(), random(), a load time), duplicates on the primary key so a different duplicate wins each run, or two sources fighting over a field. ',
        'Rows that keep entering and leaving the model point at a filter on a moving value. Each change costs API calls and rate limit in the destination, and hides the real changes.',
      ),
    ),
  ],
  renderReady(content, data, m) {
    render(content, data, m.params);
  },
});

function render(content: HTMLElement, data: FlappingData, p: FlappingParams): void {
  const top = data.rows[0];
  const cards = el(
    'div',
    { className: 'cards', testid: 'summary' },
    summaryCard('runs', 'Runs in window', data.runsInWindow),
    summaryCard('rows-with-operations', 'Rows with operations', data.rowsWithOperations ?? '…', { hint: data.rowsWithOperations === null ? 'Counting, with the sparklines' : undefined }),
    summaryCard('rows-shown', 'Rows shown', data.rows.length),
    summaryCard('top-rate', 'Top rate per run', top ? fmtNumber(top.ratePerRun, 2) : '—', { emphasis: top && top.ratePerRun >= 0.9 ? 'error' : undefined, hint: 'Operations per run of the first row: near 1 means it changes every run' }),
  );
  const open = (rowId: string) => send({ type: 'openTimeline', syncId: p.syncId, rowId });
  const bucketLabel = data.buckets.length ? `${fmtBucket(data.buckets[0].start, data.unit)} – ${fmtBucket(data.buckets[data.buckets.length - 1].start, data.unit)}` : '';
  const table = sortableTable<FlappingRow>(
    {
      testid: 'flapping-table',
      label: 'Flapping rows',
      key: (r) => r.rowId,
      sort: { column: data.orderBy, descending: true },
      columns: [
        { id: 'row', label: 'Row id', sortValue: (r) => r.rowId, render: (r) => linkButton(r.rowId, () => open(r.rowId), { className: 'mono', title: `Open the timeline of row ${isolate(r.rowId)}` }) },
        { id: 'operations', label: 'Ops', numeric: true, sortValue: (r) => r.operations, title: 'Operations in the window' },
        { id: 'changes', label: 'Changes', numeric: true, sortValue: (r) => r.changes },
        { id: 'adds', label: 'Adds', numeric: true, sortValue: (r) => r.adds },
        { id: 'removes', label: 'Removes', numeric: true, sortValue: (r) => r.removes },
        { id: 'cycles', label: 'Cycles', numeric: true, sortValue: (r) => r.cycles, title: 'Enter/exit cycles: min(adds, removes)' },
        { id: 'failures', label: 'Failures', numeric: true, sortValue: (r) => r.failures, render: (r) => (r.failures === null ? '…' : r.failures ? el('span', { className: 'status-failed', text: fmtNumber(r.failures) }) : '0'), title: 'Failed operations (counted with the sparklines)' },
        { id: 'rate', label: 'Per run', numeric: true, sortValue: (r) => r.ratePerRun, render: (r) => fmtNumber(r.ratePerRun, 2), title: 'Operations per run in the window' },
        { id: 'first', label: 'First', sortValue: (r) => r.firstRunAt, render: (r) => fmtDate(r.firstRunAt), className: 'nowrap' },
        { id: 'last', label: 'Last', sortValue: (r) => r.lastRunAt, render: (r) => fmtDate(r.lastRunAt), className: 'nowrap' },
        { id: 'activity', label: 'Activity', title: `Operations per ${data.unit}${bucketLabel ? ` (${bucketLabel})` : ''}`, render: (r) => sparkline(r.activity, data.unit) },
      ],
      onRowClick: (r) => open(r.rowId),
      empty: 'No row had an operation in this window',
    },
    data.rows,
  );
  const chartRows = [...data.rows].sort((a, b) => b.operations - a.operations).slice(0, 20);
  const chartSection = chartRows.length
    ? el('details', { className: 'chart-details', attrs: { open: '' } }, el('summary', { text: `Top ${chartRows.length} by operations` }), el('div', { className: 'chart-box', testid: 'flapping-chart-box' }, el('canvas', { testid: 'flapping-chart', attrs: { role: 'img', 'aria-label': 'Top rows by operations' } })))
    : undefined;
  content.append(cards, el('h2', {}, 'Rows', el('span', { className: 'count-note', text: `ordered by ${ORDERS.find((o) => o.value === data.orderBy)?.label.toLowerCase() ?? data.orderBy}` })), table.element);
  if (chartSection) {
    content.append(chartSection);
    const box = chartSection.querySelector('.chart-box') as HTMLElement;
    box.style.height = `${Math.max(160, chartRows.length * 22 + 60)}px`;
    const canvas = chartSection.querySelector('canvas') as HTMLCanvasElement;
    themedChart<'bar'>(canvas, (t) => ({
      type: 'bar',
      data: {
        // Drawn on the canvas: isolated in the string, as no element can hold them.
        labels: chartRows.map((r) => (r.rowId.length > 28 ? `${isolate(r.rowId.slice(0, 27))}…` : isolate(r.rowId))),
        datasets: [
          { label: 'Changes', data: chartRows.map((r) => r.changes), backgroundColor: t.blue, stack: 'ops' },
          { label: 'Adds', data: chartRows.map((r) => r.adds), backgroundColor: t.green, stack: 'ops' },
          { label: 'Removes', data: chartRows.map((r) => r.removes), backgroundColor: t.orange, stack: 'ops' },
        ],
      },
      options: {
        indexAxis: 'y',
        interaction: { mode: 'index', intersect: false },
        scales: { x: { stacked: true, beginAtZero: true, ticks: { callback: numberTick, precision: 0 } }, y: { stacked: true, grid: { display: false } } },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              title: (items) => isolate(chartRows[items[0]?.dataIndex ?? 0]?.rowId ?? ''),
              label: (ctx) => exactLabel(ctx),
              footer: (items) => {
                const r = chartRows[items[0]?.dataIndex ?? 0];
                return r ? `${fmtNumber(r.operations)} operations · ${fmtNumber(r.ratePerRun, 2)} per run` : '';
              },
            },
          },
        },
        onClick: (_e, els) => {
          const r = els[0] ? chartRows[els[0].index] : undefined;
          if (r) open(r.rowId);
        },
      },
    }));
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/** Operations per bucket as a tiny bar chart (rects) with a polyline over it. */
function sparkline(values: number[], unit: string): SVGSVGElement {
  const w = 120;
  const h = 22;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(h));
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('role', 'img');
  const total = values.reduce((a, b) => a + b, 0);
  const active = values.filter((v) => v > 0).length;
  svg.setAttribute('aria-label', `${fmtNumber(total)} operations in ${fmtNumber(active)} of ${fmtNumber(values.length)} ${unit}s`);
  const title = document.createElementNS(SVG, 'title');
  title.textContent = `${fmtNumber(total)} operations, active in ${fmtNumber(active)} of ${fmtNumber(values.length)} ${unit}s`;
  svg.append(title);
  if (!values.length) return svg;
  const max = Math.max(1, ...values);
  const step = w / values.length;
  const base = document.createElementNS(SVG, 'line');
  base.setAttribute('x1', '0');
  base.setAttribute('x2', String(w));
  base.setAttribute('y1', String(h - 0.5));
  base.setAttribute('y2', String(h - 0.5));
  base.setAttribute('class', 'spark-base');
  svg.append(base);
  values.forEach((v, i) => {
    if (v <= 0) return;
    const rect = document.createElementNS(SVG, 'rect');
    const bh = Math.max(1.5, (v / max) * (h - 3));
    rect.setAttribute('x', (i * step + step * 0.15).toFixed(2));
    rect.setAttribute('width', Math.max(1, step * 0.7).toFixed(2));
    rect.setAttribute('y', (h - bh).toFixed(2));
    rect.setAttribute('height', bh.toFixed(2));
    rect.setAttribute('class', 'spark-bar');
    svg.append(rect);
  });
  if (values.length > 1) {
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', values.map((v, i) => `${(i * step + step / 2).toFixed(2)},${(h - 1 - (v / max) * (h - 3)).toFixed(2)}`).join(' '));
    line.setAttribute('class', 'spark-line');
    svg.append(line);
  }
  return svg;
}
