/**
 * The results panel: the last run's SQL, connection and state, its rows a page at a time,
 * or its error. Every value from the warehouse goes in as textContent, never as HTML.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDataGrid,
  vsCodeDataGridCell,
  vsCodeDataGridRow,
  vsCodeProgressRing,
} from '@vscode/webview-ui-toolkit';
import '../shared/base.css';
import './results.css';
import { getState, onMessage, post, setState } from '../shared/messaging';
import {
  RESULT_PAGE_SIZE,
  isResultsHostMessage,
  isRestorableView,
  type ResultsHostMessage,
  type ResultsWebviewMessage,
  type ResultsWebviewState,
  type RowsPage,
  type ShowResultMessage,
} from '../../src/shared/resultsProtocol';
import { cellText } from '../../src/shared/cellText';
import { isolate } from '../../src/shared/displayText';
import type { ResultColumn } from '../../src/shared/queryResult';

// The toolkit's badge is left out: its template binds a style attribute, which the CSP refuses.
provideVSCodeDesignSystem().register(
  vsCodeButton(),
  vsCodeDataGrid(),
  vsCodeDataGridCell(),
  vsCodeDataGridRow(),
  vsCodeProgressRing(),
);

type View = NonNullable<ResultsWebviewState['view']>;

const app = document.getElementById('app') ?? document.body;
const send = (m: ResultsWebviewMessage) => post(m);
const numberFormat = new Intl.NumberFormat();
const fmt = (n: number) => numberFormat.format(n);

let state: ResultsWebviewState = getState(isSavedState) ?? {};
let timer: ReturnType<typeof setInterval> | undefined;
let shownResult: ShowResultMessage | undefined;

function isSavedState(s: unknown): s is ResultsWebviewState {
  if (typeof s !== 'object' || s === null) return false;
  const { view, pageOffset } = s as ResultsWebviewState;
  return (view === undefined || isRestorableView(view)) && (pageOffset === undefined || Number.isInteger(pageOffset));
}

/** Creates an element; text is always set as textContent. */
function el(
  tag: string,
  props: { className?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: (Node | undefined)[]
): HTMLElement {
  const e = document.createElement(tag);
  if (props.className) e.className = props.className;
  if (props.text !== undefined) e.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) e.setAttribute(k, v);
  for (const c of children) if (c) e.append(c);
  return e;
}

function button(label: string, onClick: () => void, appearance: 'primary' | 'secondary' = 'secondary'): HTMLElement {
  const b = el('vscode-button', { text: label, attrs: { appearance } });
  b.addEventListener('click', onClick);
  return b;
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

function stopTimer(): void {
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
}

/** The connection, the collapsed SQL, and the actions that fit the view. */
function header(view: View, actions: (HTMLElement | undefined)[]): HTMLElement[] {
  const firstLine = view.sql.split('\n').find((l) => l.trim()) ?? '';
  const toolbar = el(
    'div',
    { className: 'toolbar' },
    el('span', { className: 'muted', text: 'Connection' }),
    el('bdi', { className: 'connection', text: view.connectionName }),
    el('span', { className: 'spacer' }),
    ...actions,
  );
  const sql = el(
    'details',
    { className: 'sql' },
    el('summary', {}, document.createTextNode('SQL '), el('span', { className: 'preview', text: firstLine.trim() })),
    el('pre', { text: view.sql }),
  );
  return [toolbar, sql];
}

function render(view: View): void {
  stopTimer();
  shownResult = undefined;
  switch (view.type) {
    case 'showRunning': {
      const status = el('span', { text: 'Running…', attrs: { role: 'status' } });
      const started = performance.now();
      timer = setInterval(() => (status.textContent = `Running… ${formatMs(performance.now() - started)}`), 200);
      const cancel = button('Cancel', () => {
        cancel.setAttribute('disabled', '');
        status.textContent = 'Cancelling…';
        stopTimer();
        send({ type: 'cancel', runId: view.runId });
      });
      app.replaceChildren(
        ...header(view, [cancel]),
        el('div', { className: 'running' }, el('vscode-progress-ring'), status),
      );
      return;
    }
    case 'showError': {
      const box = el(
        'div',
        { className: 'box error', attrs: { role: 'alert' } },
        el('div', {
          className: 'title',
          text: view.code ? `Query failed (code ${isolate(view.code)})` : 'Query failed',
        }),
        el('pre', { text: view.message }),
      );
      const after =
        view.elapsedMs !== undefined
          ? el('div', { className: 'muted', text: `after ${formatMs(view.elapsedMs)}` })
          : undefined;
      app.replaceChildren(...header(view, []), box, ...(after ? [after] : []));
      return;
    }
    case 'showCancelled': {
      const after = view.elapsedMs !== undefined ? ` (after ${formatMs(view.elapsedMs)})` : '';
      const box = el(
        'div',
        { className: 'box', attrs: { role: 'status' } },
        el('div', { className: 'title', text: 'Cancelled' }),
        el('div', { text: `${view.message}${after}` }),
      );
      app.replaceChildren(...header(view, []), box);
      return;
    }
    case 'showResult':
      renderResult(view, view.page);
      return;
  }
}

function renderResult(view: ShowResultMessage, page: RowsPage): void {
  shownResult = view;
  const hasGrid = view.columns.length > 0;
  const copy = (format: 'csv' | 'tsv') => () => send({ type: 'copy', runId: view.runId, format });
  const exportAll = () => send({ type: 'export', runId: view.runId });
  const actions =
    hasGrid && view.keptRows > 0
      ? [button('Copy as CSV', copy('csv')), button('Copy as TSV', copy('tsv')), button('Export all rows…', exportAll)]
      : [];
  const summary = el('div', { className: 'summary', attrs: { role: 'status' } });
  if (!hasGrid) {
    const what = view.command ? `${view.command} finished` : 'Statement finished';
    summary.append(
      el('span', { text: `${what}: ${fmt(view.rowCount)} rows affected, in ${formatMs(view.elapsedMs)}.` }),
    );
    app.replaceChildren(...header(view, actions), summary);
    return;
  }
  const atLeast = view.rowCountExact === false;
  summary.append(
    ...(atLeast ? [el('span', { text: 'at least' })] : []),
    el('span', { className: 'count', text: fmt(view.rowCount) }),
    el('span', { text: `${view.rowCount === 1 ? 'row' : 'rows'} in ${formatMs(view.elapsedMs)}` }),
  );
  if (view.keptRows > RESULT_PAGE_SIZE) summary.append(pager(view, page));
  if (view.restored) {
    summary.append(
      el('span', {
        className: 'note muted',
        text: `Restored after a window reload: showing ${fmt(view.keptRows)} of ${fmt(view.rowCount)} rows. Run the query again to see them all.`,
      }),
    );
  } else if (atLeast) {
    summary.append(
      el('span', {
        className: 'note',
        text: `Showing the first ${fmt(view.keptRows)} rows; the query has more, which were not read (the syncLogs.maxResultRows setting, ${fmt(view.maxRows)}, caps what is fetched).`,
      }),
    );
  } else if (view.truncated || view.keptRows < view.rowCount) {
    summary.append(
      el('span', {
        className: 'note',
        text: `Showing ${fmt(view.keptRows)} of ${fmt(view.rowCount)} rows: the syncLogs.maxResultRows setting (${fmt(view.maxRows)}) caps the rows kept.`,
      }),
    );
  }
  app.replaceChildren(
    ...header(view, actions),
    summary,
    el('div', { className: 'grid-scroll' }, grid(view.columns, page)),
  );
}

function pager(view: ShowResultMessage, page: RowsPage): HTMLElement {
  const last = Math.min(page.offset + page.rows.length, view.keptRows);
  const go = (offset: number) => () =>
    send({ type: 'requestRows', runId: view.runId, offset, count: RESULT_PAGE_SIZE });
  const prev = button('Previous', go(Math.max(0, page.offset - RESULT_PAGE_SIZE)));
  const next = button('Next', go(page.offset + RESULT_PAGE_SIZE));
  if (page.offset === 0) prev.setAttribute('disabled', '');
  if (last >= view.keptRows) next.setAttribute('disabled', '');
  return el(
    'span',
    { className: 'pager' },
    el('span', { className: 'muted', text: `Rows ${fmt(page.offset + 1)}–${fmt(last)} of ${fmt(view.keptRows)}` }),
    prev,
    next,
  );
}

const NUMERIC_TYPE =
  /^(int|int2|int4|int8|smallint|integer|bigint|numeric|decimal|real|float|float4|float8|double|double precision|number|oid)\b/i;

/** Column widths in characters from the header and this page's values, within sensible bounds. */
function columnWidths(columns: readonly ResultColumn[], rows: readonly unknown[][]): string {
  return columns
    .map((c, i) => {
      let chars = Math.max(c.name.length, c.type.length, 4);
      for (const r of rows) chars = Math.max(chars, Math.min((cellText(r[i]) ?? 'NULL').length, 60));
      return `calc(${Math.min(chars, 60) + 1}ch + 26px)`;
    })
    .join(' ');
}

function grid(columns: readonly ResultColumn[], page: RowsPage): HTMLElement {
  const g = el('vscode-data-grid', {
    attrs: {
      'generate-header': 'none',
      'aria-label': 'Query results',
      'grid-template-columns': columnWidths(columns, page.rows),
    },
  });
  const numeric = columns.map((c) => NUMERIC_TYPE.test(c.type));
  const head = el('vscode-data-grid-row', { className: 'header', attrs: { 'row-type': 'sticky-header' } });
  columns.forEach((c, i) => {
    head.append(
      el(
        'vscode-data-grid-cell',
        {
          className: numeric[i] ? 'num' : undefined,
          attrs: {
            'cell-type': 'columnheader',
            'grid-column': String(i + 1),
            title: `${isolate(c.name)} (${isolate(c.type)})`,
          },
        },
        // A column name is warehouse text beside its type: a <bdi> each (base.css isolates them).
        el('bdi', { className: 'col-name', text: c.name }),
        el('bdi', { className: 'col-type', text: c.type }),
      ),
    );
  });
  g.append(head);
  for (const row of page.rows) {
    const r = el('vscode-data-grid-row');
    columns.forEach((_, i) => r.append(cell(row[i], i, numeric[i])));
    g.append(r);
  }
  if (page.rows.length === 0) {
    const r = el('vscode-data-grid-row');
    r.append(el('vscode-data-grid-cell', { className: 'empty muted', text: 'No rows', attrs: { 'grid-column': '1' } }));
    g.append(r);
  }
  return g;
}

function cell(value: unknown, index: number, numeric: boolean): HTMLElement {
  const c = el('vscode-data-grid-cell', {
    className: numeric ? 'num' : undefined,
    attrs: { 'grid-column': String(index + 1) },
  });
  const text = cellText(value);
  if (text === undefined) {
    c.append(el('span', { className: 'null', text: 'NULL' }));
    c.setAttribute('aria-label', 'null');
  } else if (typeof value === 'object') {
    c.append(el('span', { className: 'json', text }));
  } else {
    c.textContent = text;
  }
  if (text !== undefined && text.length > 20)
    c.setAttribute('title', text.length > 2000 ? `${text.slice(0, 2000)}…` : text);
  return c;
}

function show(message: ResultsHostMessage): void {
  if (message.type === 'rows') {
    if (shownResult && message.runId === shownResult.runId) {
      renderResult(shownResult, message);
      save({ view: state.view, pageOffset: message.offset });
    }
    return;
  }
  const returning = state.view?.runId === message.runId ? state.pageOffset : undefined;
  render(message);
  save({ view: message, pageOffset: 0 });
  // Shown again after the panel was hidden: go back to the page that was on screen.
  if (message.type === 'showResult' && returning && returning > 0 && returning < message.keptRows) {
    send({ type: 'requestRows', runId: message.runId, offset: returning, count: RESULT_PAGE_SIZE });
  }
}

function save(next: ResultsWebviewState): void {
  state = next;
  setState(state);
}

onMessage(isResultsHostMessage, show);
if (state.view) render(state.view);
else
  app.replaceChildren(
    el('p', { className: 'muted', text: 'Run a query with "Sync Logs: Run Query" (Ctrl+Enter in a SQL editor).' }),
  );
