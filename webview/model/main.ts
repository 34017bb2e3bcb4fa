/**
 * Model over time: per run of one sync, the rows added, changed and removed, the failures, and the
 * rows in the model after the run. Operations and membership are two charts (their scales have
 * nothing in common); failed runs and runs with aborted operations are marked.
 */
import '../shared/base.css';
import '../shared/panel.css';
import './model.css';
import type { ModelOverTimeData, ModelRunPoint } from '../../src/shared/analysisData';
import {
  append,
  badge,
  button,
  el,
  fmtBucket,
  fmtDate,
  fmtNumber,
  isolate,
  sortableTable,
  summaryCard,
} from '../shared/dom';
import { send, startPanel, syncAndWindowPickers, syncWindowScope } from '../shared/panelShell';
import { clippedBarsPlugin, exactLabel, numberTick, themedChart, withAlpha } from '../shared/charts';
import { chartTable } from '../shared/chartTable';
import { clippedAxis } from '../../src/shared/chartScale';

startPanel({
  panel: 'model',
  scope: syncWindowScope,
  toolbar(p, ctx, update) {
    return [
      ...syncAndWindowPickers(p, ctx, update),
      p.syncId
        ? button('Flapping rows', () => send({ type: 'openPanel', panel: 'flapping', syncId: p.syncId }), {
            ctl: 'flapping',
            title: 'The rows of this sync that change most often',
          })
        : undefined,
      p.syncId
        ? button('Error breakdown', () => send({ type: 'openPanel', panel: 'breakdown', syncId: p.syncId }), {
            ctl: 'breakdown',
            title: 'The failures of this sync by category',
          })
        : undefined,
    ];
  },
  renderReady(content, data) {
    render(content, data);
  },
});

const isFailedRun = (r: ModelRunPoint) => r.status === 'failed';

function render(content: HTMLElement, data: ModelOverTimeData): void {
  const pts = [...data.points].sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
  const sum = (f: (r: ModelRunPoint) => number) => pts.reduce((s, r) => s + f(r), 0);
  const failures = sum((r) => r.failed);
  const failedRuns = pts.filter(isFailedRun).length;
  const abortedRuns = pts.filter((r) => r.aborted > 0).length;
  const cards = el(
    'div',
    { className: 'cards', testid: 'summary' },
    summaryCard('membership', 'Rows in the model now', data.currentMembership),
    summaryCard('runs', 'Runs', pts.length),
    summaryCard(
      'adds',
      'Added',
      sum((r) => r.added),
    ),
    summaryCard(
      'changes',
      'Changed',
      sum((r) => r.changed),
    ),
    summaryCard(
      'removes',
      'Removed',
      sum((r) => r.removed),
    ),
    summaryCard('failures', 'Failed operations', failures, { emphasis: failures ? 'error' : undefined }),
    summaryCard('failed-runs', 'Failed runs', failedRuns, {
      emphasis: failedRuns ? 'error' : undefined,
      hint: 'Runs whose status is failed (the sync stopped early)',
    }),
  );
  const table = sortableTable<ModelRunPoint>(
    {
      testid: 'runs-table',
      label: 'Runs',
      key: (r) => r.syncRunId,
      sort: { column: 'start', descending: true },
      rowClass: (r) => (isFailedRun(r) ? 'failed-run' : undefined),
      columns: [
        {
          id: 'start',
          label: 'Started',
          sortValue: (r) => r.startedAt,
          render: (r) => fmtDate(r.startedAt),
          className: 'nowrap',
        },
        { id: 'run', label: 'Run', sortValue: (r) => r.syncRunId, className: 'mono nowrap' },
        {
          id: 'status',
          label: 'Status',
          sortValue: (r) => r.status,
          render: (r) => [
            badge(
              r.status ?? 'unknown',
              r.status === 'failed' ? 'failed' : r.status === 'succeeded' ? 'succeeded' : 'subtle',
            ),
            r.error
              ? el(
                  'details',
                  { className: 'run-error' },
                  el('summary', { className: 'muted', text: 'error' }),
                  el('pre', { className: 'text-block error-text', text: r.error }),
                )
              : undefined,
          ],
        },
        { id: 'added', label: 'Added', numeric: true, sortValue: (r) => r.added },
        { id: 'changed', label: 'Changed', numeric: true, sortValue: (r) => r.changed },
        { id: 'removed', label: 'Removed', numeric: true, sortValue: (r) => r.removed },
        {
          id: 'failed',
          label: 'Failed',
          numeric: true,
          sortValue: (r) => r.failed,
          render: (r) => (r.failed ? el('span', { className: 'status-failed', text: fmtNumber(r.failed) }) : '0'),
        },
        {
          id: 'aborted',
          label: 'Aborted',
          numeric: true,
          sortValue: (r) => r.aborted,
          render: (r) => (r.aborted ? badge(fmtNumber(r.aborted), 'aborted') : '0'),
        },
        {
          id: 'membership',
          label: 'Rows after',
          numeric: true,
          sortValue: (r) => r.membership,
          title: 'Rows in the model after this run',
        },
      ],
      empty: 'No runs in this window',
    },
    pts,
  );
  const opsCanvas = el('canvas', {
    testid: 'model-chart',
    attrs: {
      role: 'img',
      'aria-label':
        'Operations per run: added, changed and removed (stacked), and failed operations; failed runs and runs with aborted operations marked',
    },
  });
  const membershipCanvas = el('canvas', {
    testid: 'membership-chart',
    attrs: { role: 'img', 'aria-label': 'Rows in the model after each run' },
  });

  // One x label per run.
  const labels = pts.map((r) => (r.startedAt ? fmtBucket(r.startedAt, 'run') : `run ${isolate(r.syncRunId)}`));
  const rowLabels = pts.map((r) => `${fmtDate(r.startedAt)} · ${isolate(r.syncRunId)}`);
  const totals = pts.map((r) => r.added + r.changed + r.removed);
  // A backfill or the first load would set a linear axis and flatten every other run: cut the
  // axis above the typical runs and label the cut ones (failed operations count too: they are drawn on it).
  const clip = clippedAxis(pts.map((r, i) => Math.max(totals[i], r.failed)));
  const top = clip?.max ?? Math.max(1, ...totals, ...pts.map((r) => r.failed));
  const markerAt = (i: number) => Math.min(totals[i], top * 0.88) + top * 0.06;
  const clipNote = clip
    ? el(
        'p',
        { className: 'muted chart-note', testid: 'clip-note' },
        `The axis stops at ${fmtNumber(clip.max)} so the typical runs stay readable; ${fmtNumber(clip.clipped.length)} ${clip.clipped.length === 1 ? 'run above it is' : 'runs above it are'} drawn cut off and labelled with the real number: `,
        clip.clipped.map((i) => `${fmtDate(pts[i].startedAt)} (${fmtNumber(totals[i])} operations)`).join(', '),
        '.',
      )
    : undefined;
  const note = el(
    'p',
    { className: 'muted chart-note' },
    'Operations per run, stacked: added, changed, removed; the line is failed operations. ',
    failedRuns ? '✕ marks a failed run (the sync stopped early). ' : '',
    abortedRuns ? '◆ marks a run with aborted operations. ' : '',
    failedRuns || abortedRuns ? '' : 'No run failed or aborted operations.',
  );
  const opsTable = chartTable({
    testid: 'model-chart-data',
    caption: 'Operations per run, oldest first',
    rowHeader: 'Run',
    rows: rowLabels,
    series: [
      { label: 'Added', values: pts.map((r) => r.added) },
      { label: 'Changed', values: pts.map((r) => r.changed) },
      { label: 'Removed', values: pts.map((r) => r.removed) },
      { label: 'Failed operations', values: pts.map((r) => r.failed) },
      { label: 'Aborted operations', values: pts.map((r) => r.aborted) },
      { label: 'Status', values: pts.map((r) => r.status ?? 'unknown') },
    ],
  });
  const membershipTable = chartTable({
    testid: 'membership-chart-data',
    caption: 'Rows in the model after each run, oldest first',
    rowHeader: 'Run',
    rows: rowLabels,
    series: [{ label: 'Rows in model', values: pts.map((r) => r.membership) }],
  });
  append(
    content,
    cards,
    el('h2', { text: 'Operations per run' }),
    el('div', { className: 'chart-box tall' }, opsCanvas),
    note,
    clipNote,
    opsTable,
    el('h2', { text: 'Rows in the model' }),
    el('div', { className: 'chart-box' }, membershipCanvas),
    el('p', {
      className: 'muted chart-note',
      text: 'Rows in the model after each run; the axis starts at zero, so a change of a few rows in a large model looks as small as it is.',
    }),
    membershipTable,
    el('h2', {}, 'Runs', el('span', { className: 'count-note', text: 'newest first' })),
    table.element,
  );

  const tooltip = {
    title: (items: { dataIndex: number }[]) => {
      const r = pts[items[0]?.dataIndex ?? 0];
      return r ? `${fmtDate(r.startedAt)} · run ${isolate(r.syncRunId)}` : '';
    },
    footer: (items: { dataIndex: number }[]) => {
      const r = pts[items[0]?.dataIndex ?? 0];
      if (!r) return '';
      const lines = [`Status: ${isolate(r.status ?? 'unknown')}`];
      if (r.aborted) lines.push(`◆ ${fmtNumber(r.aborted)} aborted operations`);
      if (r.error) lines.push(`Error: ${isolate(r.error.length > 160 ? `${r.error.slice(0, 160)}…` : r.error)}`);
      return lines;
    },
  };
  const markers = new Set(['Failed run', 'Run with aborted operations']);

  themedChart(opsCanvas, (t) => ({
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          type: 'bar',
          label: 'Added',
          data: pts.map((r) => r.added),
          backgroundColor: t.green,
          pointStyle: 'rect',
          stack: 'ops',
          order: 3,
        },
        {
          type: 'bar',
          label: 'Changed',
          data: pts.map((r) => r.changed),
          backgroundColor: t.blue,
          pointStyle: 'rect',
          stack: 'ops',
          order: 3,
        },
        {
          type: 'bar',
          label: 'Removed',
          data: pts.map((r) => r.removed),
          backgroundColor: t.orange,
          pointStyle: 'rect',
          stack: 'ops',
          order: 3,
        },
        // Failed operations: a red line with round points. The run markers below are another
        // colour and shape, so "an operation failed" and "the run failed" never read alike.
        {
          type: 'line',
          label: 'Failed operations',
          data: pts.map((r) => r.failed),
          borderColor: t.red,
          backgroundColor: t.red,
          pointBackgroundColor: t.red,
          pointStyle: 'circle',
          pointRadius: 3,
          borderWidth: 2,
          stack: 'failed',
          order: 1,
        },
        {
          type: 'line',
          label: 'Failed run',
          data: pts.map((r, i) => (isFailedRun(r) ? markerAt(i) : null)),
          showLine: false,
          pointStyle: 'crossRot',
          pointRadius: 8,
          pointHoverRadius: 9,
          borderWidth: 3,
          pointBorderColor: t.foreground,
          pointBackgroundColor: t.foreground,
          borderColor: t.foreground,
          backgroundColor: t.foreground,
          stack: 'marker-failed',
          order: 0,
        },
        {
          type: 'line',
          label: 'Run with aborted operations',
          data: pts.map((r, i) => (r.aborted > 0 ? markerAt(i) + (isFailedRun(r) ? top * 0.05 : 0) : null)),
          showLine: false,
          pointStyle: 'rectRot',
          pointRadius: 6,
          pointHoverRadius: 7,
          borderWidth: 1,
          pointBorderColor: t.highContrast ? t.foreground : t.yellow,
          pointBackgroundColor: t.yellow,
          borderColor: t.yellow,
          backgroundColor: t.yellow,
          stack: 'marker-aborted',
          order: 0,
        },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      layout: { padding: { top: clip ? 30 : 0 } },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 50, autoSkip: true } },
        y: {
          stacked: true,
          beginAtZero: true,
          min: 0,
          max: clip?.max,
          title: { display: true, text: clip ? 'Operations (axis cut, see labels)' : 'Operations' },
          ticks: { callback: numberTick, precision: 0 },
        },
      },
      plugins: {
        legend: {
          position: 'bottom',
          labels: {
            boxWidth: 12,
            usePointStyle: true,
            filter: (item) =>
              item.text === 'Failed run'
                ? failedRuns > 0
                : item.text === 'Run with aborted operations'
                  ? abortedRuns > 0
                  : true,
          },
        },
        tooltip: {
          filter: (item) => !markers.has(item.dataset.label ?? ''),
          callbacks: { title: tooltip.title, label: (ctx) => exactLabel(ctx), footer: tooltip.footer },
        },
      },
    },
    plugins: [clippedBarsPlugin(clip, totals, t)],
  }));

  themedChart(membershipCanvas, (t) => ({
    type: 'line',
    data: {
      labels,
      datasets: [
        {
          type: 'line',
          label: 'Rows in model',
          data: pts.map((r) => r.membership),
          borderColor: t.purple,
          backgroundColor: withAlpha(t.purple, 0.15),
          pointBackgroundColor: t.purple,
          fill: 'origin',
          pointRadius: pts.length > 60 ? 0 : 2,
          borderWidth: 2,
        },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 50, autoSkip: true } },
        y: {
          beginAtZero: true,
          min: 0,
          title: { display: true, text: 'Rows in model' },
          ticks: { callback: numberTick, precision: 0 },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { title: tooltip.title, label: (ctx) => exactLabel(ctx), footer: tooltip.footer } },
      },
    },
  }));
}
