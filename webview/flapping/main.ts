/**
 * Flapping rows: the rows of one sync that flap most (succeeded changes and enter/exit cycles,
 * retries counted apart), with a sparkline of their activity; then the Stuck Rows section.
 * Every warehouse string is shown as text; the sparkline is SVG built with createElementNS.
 */
import '../shared/base.css';
import '../shared/panel.css';
import './flapping.css';
import type { FlappingParams } from '../../src/shared/analysisProtocol';
import type {
  FlappingData,
  FlappingOrder,
  FlappingRow,
  RecoveredRow,
  StuckRow,
  StuckRowsData,
} from '../../src/shared/analysisData';
import {
  button,
  el,
  fmtBucket,
  fmtDate,
  fmtNumber,
  isolate,
  linkButton,
  select,
  sortableTable,
  summaryCard,
  valueText,
} from '../shared/dom';
import { send, startPanel, syncAndWindowPickers, syncWindowScope } from '../shared/panelShell';
import { chartTable } from '../shared/chartTable';
import { exactLabel, numberTick, themedChart } from '../shared/charts';

const ORDERS: { value: FlappingOrder; label: string }[] = [
  { value: 'flapping', label: 'Flapping' },
  { value: 'changes', label: 'Changes' },
  { value: 'cycles', label: 'Enter/exit cycles' },
  { value: 'retries', label: 'Retries' },
  { value: 'operations', label: 'Operations' },
];

startPanel({
  panel: 'flapping',
  scope: syncWindowScope,
  toolbar(p, ctx, update) {
    return [
      ...syncAndWindowPickers(p, ctx, update),
      select(
        'Order by',
        ORDERS,
        p.orderBy,
        (v) => update({ ...p, orderBy: ORDERS.find((o) => o.value === v)?.value ?? 'flapping' }),
        { ctl: 'order', testid: 'order-select' },
      ),
      p.syncId
        ? button('Model over time', () => send({ type: 'openPanel', panel: 'model', syncId: p.syncId }), {
            ctl: 'model',
            title: 'Adds, changes and removes per run of this sync',
          })
        : undefined,
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
      el(
        'p',
        {},
        'Flapping counts a row’s succeeded changes and its enter/exit cycles (a succeeded add and a succeeded remove make one), retries excluded. ',
        'A retry is an operation whose previous operation on the row, in this sync, failed or was aborted: a rejected row is retried on every run until it succeeds, so retries are counted apart (their own column and order) and a row that only retries flaps 0. ',
        'A stuck row is one whose latest operations (3 or more) all failed: see Stuck rows below.',
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
    summaryCard('rows-with-operations', 'Rows with operations', data.rowsWithOperations ?? '…', {
      hint: data.rowsWithOperations === null ? 'Counting, with the sparklines' : undefined,
    }),
    summaryCard('rows-shown', 'Rows shown', data.rows.length),
    summaryCard('top-rate', 'Top flapping per run', top ? fmtNumber(top.ratePerRun, 2) : '—', {
      emphasis: top && top.ratePerRun >= 0.9 ? 'error' : undefined,
      hint: 'Flapping (changes + cycles) per run of the first row: near 1 means it flaps every run',
    }),
    summaryCard('stuck-rows', 'Stuck rows', data.stuck ? data.stuck.stuckRows : '…', {
      emphasis: data.stuck && data.stuck.stuckRows > 0 ? 'warning' : undefined,
      hint: data.stuck ? `Rows whose latest ${data.stuck.minFailures} or more operations all failed` : 'Counting',
    }),
  );
  const open = (rowId: string) => send({ type: 'openTimeline', syncId: p.syncId, rowId });
  const bucketLabel = data.buckets.length
    ? `${fmtBucket(data.buckets[0].start, data.unit)} – ${fmtBucket(data.buckets[data.buckets.length - 1].start, data.unit)}`
    : '';
  const table = sortableTable<FlappingRow>(
    {
      testid: 'flapping-table',
      label: 'Flapping rows',
      key: (r) => r.rowId,
      sort: { column: data.orderBy, descending: true },
      columns: [
        {
          id: 'row',
          label: 'Row id',
          sortValue: (r) => r.rowId,
          render: (r) =>
            linkButton(r.rowId, () => open(r.rowId), {
              className: 'mono',
              title: `Open the timeline of row ${isolate(r.rowId)}`,
            }),
        },
        {
          id: 'operations',
          label: 'Ops',
          numeric: true,
          sortValue: (r) => r.operations,
          title: 'Operations (attempts) in the window, retries included',
        },
        {
          id: 'flapping',
          label: 'Flapping',
          numeric: true,
          sortValue: (r) => r.flapping,
          title: 'Changes + enter/exit cycles, retries excluded',
        },
        {
          id: 'changes',
          label: 'Changes',
          numeric: true,
          sortValue: (r) => r.changes,
          title: 'Succeeded changes that were not retries',
        },
        {
          id: 'entries',
          label: 'Entries',
          numeric: true,
          sortValue: (r) => r.entries,
          title: 'Succeeded adds that were not retries',
        },
        {
          id: 'exits',
          label: 'Exits',
          numeric: true,
          sortValue: (r) => r.exits,
          title: 'Succeeded removes that were not retries',
        },
        {
          id: 'cycles',
          label: 'Cycles',
          numeric: true,
          sortValue: (r) => r.cycles,
          title: 'Enter/exit cycles: min(entries, exits)',
        },
        {
          id: 'retries',
          label: 'Retries',
          numeric: true,
          sortValue: (r) => r.retries,
          title: 'Operations whose previous operation on the row failed or was aborted',
        },
        {
          id: 'failures',
          label: 'Failures',
          numeric: true,
          sortValue: (r) => r.failures,
          render: (r) =>
            r.failures === null
              ? '…'
              : r.failures
                ? el('span', { className: 'status-failed', text: fmtNumber(r.failures) })
                : '0',
          title: 'Failed operations (counted with the sparklines)',
        },
        {
          id: 'rate',
          label: 'Per run',
          numeric: true,
          sortValue: (r) => r.ratePerRun,
          render: (r) => fmtNumber(r.ratePerRun, 2),
          title: 'Flapping per run in the window',
        },
        {
          id: 'first',
          label: 'First',
          sortValue: (r) => r.firstRunAt,
          render: (r) => fmtDate(r.firstRunAt),
          className: 'nowrap',
        },
        {
          id: 'last',
          label: 'Last',
          sortValue: (r) => r.lastRunAt,
          render: (r) => fmtDate(r.lastRunAt),
          className: 'nowrap',
        },
        {
          id: 'activity',
          label: 'Activity',
          title: `Operations per ${data.unit}${bucketLabel ? ` (${bucketLabel})` : ''}`,
          render: (r) => sparkline(r.activity, data.unit),
        },
      ],
      onRowClick: (r) => open(r.rowId),
      empty: 'No row had an operation in this window',
    },
    data.rows,
  );
  // The chart follows the table's order: the top rows, what they did, retries apart.
  const chartRows = data.rows.slice(0, 20);
  const orderLabel = ORDERS.find((o) => o.value === data.orderBy)?.label.toLowerCase() ?? data.orderBy;
  const chartSection = chartRows.length
    ? el(
        'details',
        { className: 'chart-details', attrs: { open: '' } },
        el('summary', { text: `Top ${chartRows.length} by ${orderLabel}` }),
        el(
          'div',
          { className: 'chart-box', testid: 'flapping-chart-box' },
          el('canvas', { testid: 'flapping-chart', attrs: { role: 'img', 'aria-label': `Top rows by ${orderLabel}` } }),
        ),
      )
    : undefined;
  content.append(
    cards,
    el('h2', {}, 'Rows', el('span', { className: 'count-note', text: `ordered by ${orderLabel}` })),
    table.element,
  );
  if (chartSection) {
    chartSection.append(
      chartTable({
        testid: 'flapping-chart-data',
        caption: `Top ${chartRows.length} rows by ${orderLabel}`,
        rowHeader: 'Row id',
        rows: chartRows.map((r) => r.rowId),
        series: [
          { label: 'Changes', values: chartRows.map((r) => r.changes) },
          { label: 'Entries', values: chartRows.map((r) => r.entries) },
          { label: 'Exits', values: chartRows.map((r) => r.exits) },
          { label: 'Retries', values: chartRows.map((r) => r.retries) },
          { label: 'Operations', values: chartRows.map((r) => r.operations) },
        ],
      }),
    );
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
          { label: 'Entries', data: chartRows.map((r) => r.entries), backgroundColor: t.green, stack: 'ops' },
          { label: 'Exits', data: chartRows.map((r) => r.exits), backgroundColor: t.orange, stack: 'ops' },
          { label: 'Retries', data: chartRows.map((r) => r.retries), backgroundColor: t.red, stack: 'ops' },
        ],
      },
      options: {
        indexAxis: 'y',
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { stacked: true, beginAtZero: true, ticks: { callback: numberTick, precision: 0 } },
          y: { stacked: true, grid: { display: false } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              title: (items) => isolate(chartRows[items[0]?.dataIndex ?? 0]?.rowId ?? ''),
              label: (ctx) => exactLabel(ctx),
              footer: (items) => {
                const r = chartRows[items[0]?.dataIndex ?? 0];
                return r
                  ? `${fmtNumber(r.flapping)} flapping · ${fmtNumber(r.operations)} operations · ${fmtNumber(r.ratePerRun, 2)} per run`
                  : '';
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
  const stuck = stuckSection(data.stuck, open);
  content.append(stuck);
  // Opened for its stuck rows (the health overview's figure): shown once they are counted, once.
  if (p.focus === 'stuck' && data.stuck && !focused) {
    focused = true;
    requestAnimationFrame(() => stuck.scrollIntoView({ block: 'start' }));
  }
}

let focused = false;

/** "12 min", "5 h 10 min", "3 d 4 h": how long a row took to recover. */
function fmtDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  const d = Math.floor(h / 24);
  return `${d} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

/** Stuck rows (the latest K operations all failed) and rows that recovered from such a streak; row ids open the timeline. */
function stuckSection(stuck: StuckRowsData | null, open: (rowId: string) => void): HTMLElement {
  const section = el('section', { className: 'stuck', testid: 'stuck-section', attrs: { 'aria-label': 'Stuck rows' } });
  if (stuck === null) {
    section.append(
      el('h2', {}, 'Stuck rows'),
      el('p', {
        className: 'muted',
        testid: 'stuck-loading',
        text: 'Finding rows whose latest operations all failed…',
      }),
    );
    return section;
  }
  const rowLink = (rowId: string) =>
    linkButton(rowId, () => open(rowId), { className: 'mono', title: `Open the timeline of row ${isolate(rowId)}` });
  const shown = (n: number, all: number) =>
    n < all ? `${fmtNumber(n)} of ${fmtNumber(all)} shown` : `${fmtNumber(all)} ${all === 1 ? 'row' : 'rows'}`;
  const stuckTable = sortableTable<StuckRow>(
    {
      testid: 'stuck-table',
      label: 'Stuck rows',
      key: (r) => r.rowId,
      sort: { column: 'streak', descending: true },
      columns: [
        { id: 'row', label: 'Row id', sortValue: (r) => r.rowId, render: (r) => rowLink(r.rowId) },
        {
          id: 'streak',
          label: 'Failures in a row',
          numeric: true,
          sortValue: (r) => r.consecutiveFailures,
          title: 'consecutive_failures: the latest operations that all failed',
        },
        {
          id: 'since',
          label: 'Failing since',
          sortValue: (r) => r.failingSince,
          render: (r) => fmtDate(r.failingSince),
          className: 'nowrap',
          title: 'Start of the run of the streak’s first failure',
        },
        {
          id: 'last',
          label: 'Last failure',
          sortValue: (r) => r.lastFailedAt,
          render: (r) => fmtDate(r.lastFailedAt),
          className: 'nowrap',
        },
        {
          id: 'template',
          label: 'Latest error',
          sortValue: (r) => r.template,
          render: (r) => (r.template === null ? '—' : valueText(r.template, 'mono template')),
          title: 'The latest failure, templated',
        },
      ],
      onRowClick: (r) => open(r.rowId),
      empty: `No stuck rows: no row’s latest ${stuck.minFailures} operations all failed`,
    },
    stuck.stuck,
  );
  const recoveredTable = sortableTable<RecoveredRow>(
    {
      testid: 'recovered-table',
      label: 'Recovered rows',
      key: (r) => r.rowId,
      sort: { column: 'recovered', descending: true },
      columns: [
        { id: 'row', label: 'Row id', sortValue: (r) => r.rowId, render: (r) => rowLink(r.rowId) },
        {
          id: 'failures',
          label: 'Failures in a row',
          numeric: true,
          sortValue: (r) => r.failures,
          title: 'Length of the streak it recovered from',
        },
        {
          id: 'since',
          label: 'Failing since',
          sortValue: (r) => r.failingSince,
          render: (r) => fmtDate(r.failingSince),
          className: 'nowrap',
        },
        {
          id: 'recovered',
          label: 'Recovered',
          sortValue: (r) => r.recoveredAt,
          render: (r) => fmtDate(r.recoveredAt),
          className: 'nowrap',
          title: 'Start of the run whose success ended the streak',
        },
        {
          id: 'ttr',
          label: 'Time to recover',
          numeric: true,
          sortValue: (r) => r.recoverMs,
          render: (r) => fmtDuration(r.recoverMs),
          title: 'From the streak’s first failure to the success',
        },
      ],
      onRowClick: (r) => open(r.rowId),
      empty: 'No row recovered from such a streak in this window',
    },
    stuck.recovered,
  );
  section.append(
    el(
      'h2',
      {},
      'Stuck rows',
      el('span', {
        className: 'count-note',
        testid: 'stuck-count',
        text: `${shown(stuck.stuck.length, stuck.stuckRows)} · latest ${stuck.minFailures} or more operations all failed (whole log)`,
      }),
    ),
    stuckTable.element,
    el(
      'h2',
      {},
      'Recovered rows',
      el('span', {
        className: 'count-note',
        testid: 'recovered-count',
        text: `${shown(stuck.recovered.length, stuck.recoveredRows)} · latest operation succeeded after ${stuck.minFailures} or more failures in a row (recovered in the window)`,
      }),
    ),
    recoveredTable.element,
  );
  return section;
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
  svg.setAttribute(
    'aria-label',
    `${fmtNumber(total)} operations in ${fmtNumber(active)} of ${fmtNumber(values.length)} ${unit}s`,
  );
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
    line.setAttribute(
      'points',
      values.map((v, i) => `${(i * step + step / 2).toFixed(2)},${(h - 1 - (v / max) * (h - 3)).toFixed(2)}`).join(' '),
    );
    line.setAttribute('class', 'spark-line');
    svg.append(line);
  }
  return svg;
}
