/**
 * Run explained: one run's waterfall per op type (planned, then attempted and aborted, then
 * succeeded and failed), each bar a button listing its rows; beside it what changed against the
 * sync's previous run. Bars are plain DOM (buttons, keyboard reachable) with a Table toggle for
 * the exact figures; every warehouse string goes in as text.
 */
import '../shared/base.css';
import '../shared/panel.css';
import './run.css';
import { isAnalysisHostMessage, type RunParams, type RunRowsMessage } from '../../src/shared/analysisProtocol';
import type {
  RunComparison,
  RunExplainedData,
  RunHeader,
  RunOpFigures,
  RunRow,
  RunRowsSelector,
} from '../../src/shared/runExplainedData';
import {
  append,
  badge,
  button,
  clearChildren,
  el,
  fmtDate,
  fmtMs,
  fmtNumber,
  isolate,
  linkButton,
  sortableTable,
  valueText,
} from '../shared/dom';
import { onMessage } from '../shared/messaging';
import { send, startPanel, vendorLink } from '../shared/panelShell';
import { chartTable } from '../shared/chartTable';

const OP_LABELS: Record<RunOpFigures['opType'], string> = { added: 'Added', changed: 'Changed', removed: 'Removed' };
const COMPARE_LABELS: Record<'newlyFailing' | 'recovered' | 'stillFailing', string> = {
  newlyFailing: 'Newly failing',
  recovered: 'Recovered',
  stillFailing: 'Still failing',
};
const COMPARE_HINTS: Record<'newlyFailing' | 'recovered' | 'stillFailing', string> = {
  newlyFailing:
    'Rows that failed in this run and did not fail in the previous one (they succeeded, were aborted or were not in it)',
  recovered: 'Rows that failed in the previous run and succeeded in this one',
  stillFailing: 'Rows that failed in both runs',
};

/** Where the rows of the last clicked bar go; replaced with the content on every render. */
let rowsArea: HTMLElement | undefined;
let asked: string | undefined;
let params: RunParams | undefined;

const shell = startPanel({
  panel: 'run',
  scope: (p) => `Sync ${isolate(p.syncId)} · run ${isolate(p.syncRunId)}`,
  toolbar(p, context) {
    return [
      button(
        'Error breakdown of this run',
        () => send({ type: 'open', target: { panel: 'breakdown', syncId: p.syncId, syncRunId: p.syncRunId } }),
        { ctl: 'breakdown', title: 'The failures of this run by category and template' },
      ),
      button('Model over time', () => send({ type: 'open', target: { panel: 'model', syncId: p.syncId } }), {
        ctl: 'model',
        title: 'Adds, changes and removes per run of this sync',
      }),
      vendorLink(context, { kind: 'run', syncId: p.syncId, syncRunId: p.syncRunId }, 'Run in Hightouch'),
      vendorLink(context, { kind: 'debugger', syncId: p.syncId, syncRunId: p.syncRunId }, 'Live debugger'),
    ];
  },
  onState(m) {
    params = m.params;
    asked = undefined;
  },
  renderReady(content, data) {
    render(content, data);
  },
});

// startPanel routes state, chart and drill only: the rows of a bar are heard here.
onMessage(isAnalysisHostMessage, (m) => {
  if (m.type === 'runRows') showRows(m);
});

const selectorKey = (s: RunRowsSelector) => JSON.stringify(s);

function ask(selector: RunRowsSelector, label: string): void {
  if (!rowsArea) return;
  asked = selectorKey(selector);
  rowsArea.setAttribute('data-selector', asked);
  clearChildren(
    rowsArea,
    el('h2', { text: label }),
    el('p', { className: 'muted', attrs: { role: 'status' }, text: 'Loading rows…' }),
  );
  rowsArea.dataset.label = label;
  send({ type: 'runRows', selector });
  rowsArea.scrollIntoView({ block: 'nearest' });
}

function showRows(m: RunRowsMessage): void {
  // A reply to an earlier click (or to a panel drawn since) is dropped: the newest click wins.
  if (!rowsArea || selectorKey(m.selector) !== asked) return;
  const heading = el('h2', { text: rowsArea.dataset.label ?? 'Rows' });
  const v = m.view;
  if (v.phase !== 'ready') {
    const text = v.phase === 'empty' ? v.reason : v.message;
    clearChildren(
      rowsArea,
      heading,
      el(
        'div',
        {
          className: v.phase === 'error' ? 'box error' : 'box',
          attrs: { role: v.phase === 'error' ? 'alert' : 'status' },
        },
        el('pre', { text }),
      ),
    );
    return;
  }
  const { rows, truncated } = v.data;
  const compare = m.selector.kind === 'compare';
  const syncId = params?.syncId ?? shell.current()?.params.syncId ?? null;
  const table = sortableTable<RunRow>(
    {
      testid: 'run-rows-table',
      label: rowsArea.dataset.label ?? 'Rows',
      key: (r) => `${r.rowId}\u0000${r.opType ?? ''}`,
      sort: { column: 'row', descending: false },
      columns: [
        {
          id: 'row',
          label: 'Row',
          sortValue: (r) => r.rowId,
          render: (r) =>
            linkButton(r.rowId, () => send({ type: 'open', target: { panel: 'timeline', rowId: r.rowId, syncId } }), {
              className: 'mono',
              title: 'Open the row\u2019s timeline',
            }),
        },
        { id: 'op', label: 'Operation', sortValue: (r) => r.opType, render: (r) => valueText(r.opType ?? '—') },
        {
          id: 'status',
          label: 'Status',
          sortValue: (r) => r.status,
          render: (r) =>
            badge(
              r.status ?? 'unknown',
              r.status === 'failed' ? 'failed' : r.status === 'succeeded' ? 'succeeded' : 'aborted',
            ),
        },
        {
          id: 'reason',
          label: 'Failure reason',
          sortValue: (r) => r.failureReason,
          render: (r) =>
            r.failureReason === null ? '' : el('span', { className: 'text-block error-text', text: r.failureReason }),
        },
        ...(compare
          ? [
              {
                id: 'previous',
                label: 'Failure in the previous run',
                sortValue: (r: RunRow) => r.previousFailureReason,
                render: (r: RunRow) =>
                  r.previousFailureReason === null
                    ? ''
                    : el('span', { className: 'text-block error-text', text: r.previousFailureReason }),
              },
            ]
          : []),
      ],
      empty: 'No rows',
    },
    rows,
  );
  clearChildren(
    rowsArea,
    heading,
    el('p', {
      className: 'muted',
      testid: 'run-rows-count',
      text: truncated
        ? `The first ${fmtNumber(rows.length)} rows by row id (there are more).`
        : `${fmtNumber(rows.length)} ${rows.length === 1 ? 'row' : 'rows'}.`,
    }),
    el('div', { className: 'table-scroll' }, table.element),
  );
}

function duration(run: RunHeader): string {
  if (!run.startedAt || !run.finishedAt) return '—';
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? fmtMs(ms) : '—';
}

const statusBadge = (status: string | null) =>
  badge(status ?? 'unknown', status === 'failed' ? 'failed' : status === 'succeeded' ? 'succeeded' : 'subtle');

function header(run: RunHeader): HTMLElement {
  return el(
    'section',
    { className: 'run-header', testid: 'run-header' },
    el(
      'dl',
      { className: 'run-facts' },
      el('dt', { text: 'Started' }),
      el('dd', { text: fmtDate(run.startedAt), testid: 'run-started' }),
      el('dt', { text: 'Status' }),
      el('dd', { testid: 'run-status' }, statusBadge(run.status)),
      el('dt', { text: 'Duration' }),
      el('dd', { text: duration(run), testid: 'run-duration' }),
      el('dt', { text: 'Run' }),
      el('dd', { className: 'mono' }, valueText(run.syncRunId)),
    ),
    run.error
      ? el(
          'div',
          { className: 'box error', testid: 'run-error', attrs: { role: 'note' } },
          el('div', { className: 'title', text: 'The run stopped with an error' }),
          el('pre', { className: 'text-block', text: run.error }),
        )
      : undefined,
  );
}

/**
 * One bar of the waterfall: a button from `from` to `from + value` on a scale of `scale` rows.
 * Widths go through the CSSOM (the CSP refuses style attributes, not element.style).
 */
function bar(
  label: string,
  value: number,
  from: number,
  scale: number,
  kind: string,
  selector: RunRowsSelector | null,
  listLabel: string,
): HTMLElement {
  const track = el('div', { className: 'bar-track' });
  const fill = el(selector ? 'button' : 'div', {
    className: `bar-fill ${kind}${value === 0 ? ' zero' : ''}`,
    attrs: selector ? { type: 'button', 'aria-label': `${label}: ${fmtNumber(value)} rows. List them` } : undefined,
  });
  fill.style.marginLeft = `${scale ? (from / scale) * 100 : 0}%`;
  fill.style.width = `${scale ? (value / scale) * 100 : 0}%`;
  if (selector) {
    if (value === 0) fill.setAttribute('disabled', '');
    fill.addEventListener('click', () => ask(selector, listLabel));
  }
  track.append(fill);
  return el(
    'div',
    { className: `bar-line ${kind}`, testid: `bar-${kind}` },
    el('span', { className: 'bar-label', text: label }),
    track,
    el('span', { className: 'bar-value', text: fmtNumber(value) }),
  );
}

function waterfall(f: RunOpFigures, scale: number): HTMLElement {
  const op = OP_LABELS[f.opType];
  const sel = (status: 'planned' | 'succeeded' | 'failed' | 'aborted'): RunRowsSelector => ({
    kind: 'op',
    opType: f.opType,
    status,
  });
  return el(
    'div',
    {
      className: 'waterfall',
      testid: `waterfall-${f.opType}`,
      attrs: { role: 'group', 'aria-label': `${op}: waterfall` },
    },
    el(
      'h3',
      {},
      op,
      f.operations !== f.planned
        ? el('span', { className: 'count-note', text: `${fmtNumber(f.operations)} operations` })
        : undefined,
    ),
    bar('Planned', f.planned, 0, scale, 'planned', sel('planned'), `${op}: planned rows`),
    bar('Attempted', f.attempted, 0, scale, 'attempted', null, ''),
    bar('Succeeded', f.succeeded, 0, scale, 'succeeded', sel('succeeded'), `${op}: succeeded rows`),
    bar('Failed', f.failed, f.succeeded, scale, 'failed', sel('failed'), `${op}: failed rows`),
    bar(
      'Aborted',
      f.aborted,
      f.attempted,
      scale,
      'aborted',
      sel('aborted'),
      `${op}: aborted rows (planned, never attempted)`,
    ),
  );
}

function comparison(c: RunComparison | null, syncId: string): HTMLElement {
  const box = el(
    'section',
    { className: 'comparison', testid: 'comparison', attrs: { 'aria-label': 'Against the previous run' } },
    el('h2', { text: 'Against the previous run' }),
  );
  if (c === null) {
    append(
      box,
      el('p', {
        className: 'muted',
        testid: 'first-run',
        text: 'This is the sync\u2019s first run in the log: there is nothing to compare it with.',
      }),
    );
    return box;
  }
  append(
    box,
    el(
      'p',
      { className: 'muted' },
      `Previous run: ${fmtDate(c.previous.startedAt)} `,
      statusBadge(c.previous.status),
      ' ',
      linkButton(
        'Explain it',
        () => send({ type: 'open', target: { panel: 'run', syncId, syncRunId: c.previous.syncRunId } }),
        { testid: 'open-previous', title: 'Open Run explained for the previous run' },
      ),
    ),
  );
  const figures = el('div', { className: 'cards' });
  for (const which of ['newlyFailing', 'recovered', 'stillFailing'] as const) {
    const value = c[which];
    const card = el(
      'button',
      {
        className: `card figure${which === 'newlyFailing' && value ? ' error' : ''}`,
        testid: `compare-${which}`,
        attrs: {
          type: 'button',
          title: COMPARE_HINTS[which],
          'aria-label': `${COMPARE_LABELS[which]}: ${fmtNumber(value)} rows. List them`,
        },
      },
      el('div', { className: 'card-value', text: fmtNumber(value) }),
      el('div', { className: 'card-label', text: `${COMPARE_LABELS[which]} rows` }),
    );
    if (value === 0) card.setAttribute('disabled', '');
    card.addEventListener('click', () => ask({ kind: 'compare', which }, `${COMPARE_LABELS[which]} rows`));
    figures.append(card);
  }
  append(box, figures, el('h3', { text: 'New failure templates' }));
  if (c.newTemplates.length === 0) {
    append(
      box,
      el('p', {
        className: 'muted',
        testid: 'no-new-templates',
        text: 'None: every failure of this run was seen in an earlier run of the sync.',
      }),
    );
  } else {
    const list = el('ul', { className: 'new-templates', testid: 'new-templates' });
    for (const t of c.newTemplates) {
      list.append(
        el(
          'li',
          { attrs: { title: isolate(t.example) } },
          el('span', { className: 'text-block error-text', text: t.template }),
          el('span', { className: 'muted', text: ` ${fmtNumber(t.rows)} ${t.rows === 1 ? 'row' : 'rows'}` }),
        ),
      );
    }
    append(box, list);
  }
  if (c.textsTruncated) {
    append(
      box,
      el('p', {
        className: 'box warning',
        text: 'This sync has more distinct failure texts than were read: a template listed as new may have appeared before.',
      }),
    );
  }
  return box;
}

function render(content: HTMLElement, data: RunExplainedData): void {
  const scale = Math.max(1, ...data.ops.map((o) => o.planned));
  const ops = data.ops.filter((o) => o.planned > 0);
  const bars = el(
    'section',
    { className: 'waterfalls', testid: 'waterfalls', attrs: { 'aria-label': 'Waterfall per op type' } },
    el(
      'h2',
      {},
      'Planned, attempted, succeeded, failed',
      el('span', { className: 'count-note', text: 'rows; click a bar for its rows' }),
    ),
    ...(ops.length
      ? ops.map((o) => waterfall(o, scale))
      : [el('p', { className: 'muted', text: 'This run planned no operations.' })]),
    chartTable({
      testid: 'waterfall-data',
      caption: 'Rows per op type',
      rowHeader: 'Op type',
      rows: data.ops.map((o) => OP_LABELS[o.opType]),
      series: (['planned', 'attempted', 'succeeded', 'failed', 'aborted', 'operations'] as const).map((k) => ({
        label: k === 'operations' ? 'Operations' : `${k[0].toUpperCase()}${k.slice(1)}`,
        values: data.ops.map((o) => o[k]),
      })),
    }),
  );
  rowsArea = el('section', { className: 'run-rows', testid: 'run-rows', attrs: { 'aria-live': 'polite' } });
  asked = undefined;
  append(
    content,
    header(data.run),
    el('div', { className: 'run-columns' }, bars, comparison(data.comparison, data.run.syncId)),
    rowsArea,
  );
}
