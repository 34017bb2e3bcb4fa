/**
 * Model over time: per run of one sync, the rows added, changed and removed, the failures, and the
 * rows in the model after the run. Failed runs and runs with aborted operations are marked.
 */
import '../shared/base.css';
import '../shared/panel.css';
import './model.css';
import type { ModelOverTimeData, ModelRunPoint } from '../../src/shared/analysisData';
import { badge, button, el, fmtBucket, fmtDate, fmtNumber, isolate, sortableTable, summaryCard } from '../shared/dom';
import { send, startPanel, syncAndWindowPickers, syncWindowScope } from '../shared/panelShell';
import { exactLabel, numberTick, themedChart, withAlpha } from '../shared/charts';

startPanel({
  panel: 'model',
  scope: syncWindowScope,
  toolbar(p, ctx, update) {
    return [
      ...syncAndWindowPickers(p, ctx, update),
      p.syncId ? button('Flapping rows', () => send({ type: 'openPanel', panel: 'flapping', syncId: p.syncId }), { ctl: 'flapping', title: 'The rows of this sync that change most often' }) : undefined,
      p.syncId ? button('Error breakdown', () => send({ type: 'openPanel', panel: 'breakdown', syncId: p.syncId }), { ctl: 'breakdown', title: 'The failures of this sync by category' }) : undefined,
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
    summaryCard('adds', 'Added', sum((r) => r.added)),
    summaryCard('changes', 'Changed', sum((r) => r.changed)),
    summaryCard('removes', 'Removed', sum((r) => r.removed)),
    summaryCard('failures', 'Failed operations', failures, { emphasis: failures ? 'error' : undefined }),
    summaryCard('failed-runs', 'Failed runs', failedRuns, { emphasis: failedRuns ? 'error' : undefined, hint: 'Runs whose status is failed (the sync stopped early)' }),
  );
  const canvas = el('canvas', { testid: 'model-chart', attrs: { role: 'img', 'aria-label': 'Added, changed, removed and failed rows per run, and rows in the model' } });
  const note = el(
    'p',
    { className: 'muted chart-note' },
    'Bars: operations per run (left axis). Line: rows in the model after the run (right axis). ',
    failedRuns || abortedRuns ? el('span', { className: 'error-text', text: '✕ ' }) : undefined,
    failedRuns || abortedRuns ? `marks ${fmtNumber(failedRuns)} failed ${failedRuns === 1 ? 'run' : 'runs'} and ${fmtNumber(abortedRuns)} with aborted operations.` : 'No run failed or aborted operations.',
  );
  const table = sortableTable<ModelRunPoint>(
    {
      testid: 'runs-table',
      label: 'Runs',
      key: (r) => r.syncRunId,
      sort: { column: 'start', descending: true },
      rowClass: (r) => (isFailedRun(r) ? 'failed-run' : undefined),
      columns: [
        { id: 'start', label: 'Started', sortValue: (r) => r.startedAt, render: (r) => fmtDate(r.startedAt), className: 'nowrap' },
        { id: 'run', label: 'Run', sortValue: (r) => r.syncRunId, className: 'mono nowrap' },
        {
          id: 'status',
          label: 'Status',
          sortValue: (r) => r.status,
          render: (r) => [
            badge(r.status ?? 'unknown', r.status === 'failed' ? 'failed' : r.status === 'succeeded' ? 'succeeded' : 'subtle'),
            r.error ? el('details', { className: 'run-error' }, el('summary', { className: 'muted', text: 'error' }), el('pre', { className: 'text-block error-text', text: r.error })) : undefined,
          ],
        },
        { id: 'added', label: 'Added', numeric: true, sortValue: (r) => r.added },
        { id: 'changed', label: 'Changed', numeric: true, sortValue: (r) => r.changed },
        { id: 'removed', label: 'Removed', numeric: true, sortValue: (r) => r.removed },
        { id: 'failed', label: 'Failed', numeric: true, sortValue: (r) => r.failed, render: (r) => (r.failed ? el('span', { className: 'status-failed', text: fmtNumber(r.failed) }) : '0') },
        { id: 'aborted', label: 'Aborted', numeric: true, sortValue: (r) => r.aborted, render: (r) => (r.aborted ? badge(fmtNumber(r.aborted), 'aborted') : '0') },
        { id: 'membership', label: 'Rows after', numeric: true, sortValue: (r) => r.membership, title: 'Rows in the model after this run' },
      ],
      empty: 'No runs in this window',
    },
    pts,
  );
  content.append(cards, el('h2', { text: 'Per run' }), el('div', { className: 'chart-box tall' }, canvas), note, el('h2', {}, 'Runs', el('span', { className: 'count-note', text: 'newest first' })), table.element);

  // One x label per run; the same start time twice gets the run id to stay distinct.
  const labels = pts.map((r) => (r.startedAt ? fmtBucket(r.startedAt, 'run') : `run ${isolate(r.syncRunId)}`));
  const maxBar = Math.max(1, ...pts.map((r) => r.added + r.changed + r.removed));
  themedChart(canvas, (t) => ({
    type: 'bar',
    data: {
      labels,
      datasets: [
        { type: 'bar', label: 'Added', data: pts.map((r) => r.added), backgroundColor: t.green, stack: 'ops', yAxisID: 'y', order: 3 },
        { type: 'bar', label: 'Changed', data: pts.map((r) => r.changed), backgroundColor: t.blue, stack: 'ops', yAxisID: 'y', order: 3 },
        { type: 'bar', label: 'Removed', data: pts.map((r) => r.removed), backgroundColor: t.orange, stack: 'ops', yAxisID: 'y', order: 3 },
        { type: 'line', label: 'Failed', data: pts.map((r) => r.failed), borderColor: t.red, backgroundColor: t.red, pointRadius: 2, borderWidth: 2, yAxisID: 'y', stack: 'failed', order: 1 },
        {
          type: 'line',
          label: 'Rows in model',
          data: pts.map((r) => r.membership),
          borderColor: t.purple,
          backgroundColor: withAlpha(t.purple, 0.15),
          borderDash: [5, 3],
          pointRadius: 0,
          borderWidth: 2,
          yAxisID: 'y1',
          stack: 'membership',
          order: 0,
        },
        {
          type: 'line',
          label: 'Failed / aborted run',
          data: pts.map((r) => (isFailedRun(r) || r.aborted > 0 ? r.added + r.changed + r.removed + maxBar * 0.05 : null)),
          showLine: false,
          pointStyle: 'crossRot',
          pointRadius: 7,
          pointHoverRadius: 8,
          borderWidth: 2,
          pointBorderColor: pts.map((r) => (isFailedRun(r) ? t.red : t.yellow)),
          pointBackgroundColor: pts.map((r) => (isFailedRun(r) ? t.red : t.yellow)),
          borderColor: t.red,
          backgroundColor: t.red,
          yAxisID: 'y',
          stack: 'marker',
          order: 0,
        },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 50, autoSkip: true } },
        y: { stacked: true, beginAtZero: true, position: 'left', title: { display: true, text: 'Operations' }, ticks: { callback: numberTick, precision: 0 } },
        y1: { beginAtZero: false, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'Rows in model' }, ticks: { callback: numberTick, precision: 0 } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12, filter: (item) => item.text !== 'Failed / aborted run' || failedRuns + abortedRuns > 0 } },
        tooltip: {
          filter: (item) => item.dataset.label !== 'Failed / aborted run',
          callbacks: {
            title: (items) => {
              const r = pts[items[0]?.dataIndex ?? 0];
              return r ? `${fmtDate(r.startedAt)} · run ${isolate(r.syncRunId)}` : '';
            },
            label: (ctx) => exactLabel(ctx),
            footer: (items) => {
              const r = pts[items[0]?.dataIndex ?? 0];
              if (!r) return '';
              const lines = [`Status: ${isolate(r.status ?? 'unknown')}`];
              if (r.aborted) lines.push(`✕ ${fmtNumber(r.aborted)} aborted operations`);
              if (r.error) lines.push(`Error: ${isolate(r.error.length > 160 ? `${r.error.slice(0, 160)}…` : r.error)}`);
              return lines;
            },
          },
        },
      },
    },
  }));
}
