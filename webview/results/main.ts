/**
 * The results panel: the last run's SQL, connection and state, its rows a page at a time,
 * or its error. Every value from the warehouse goes in as textContent, never as HTML.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
} from '@vscode/webview-ui-toolkit';
import '../shared/base.css';
import '../grid/grid.css';
import './results.css';
import { Grid } from '../grid/grid';
import { WindowedSource } from '../grid/dataSource';
import { FORMAT_LABELS } from '../../src/shared/grid/rangeCopy';
import { getState, onMessage, post, setState } from '../shared/messaging';
import { el } from '../shared/dom';
import {
  isResultsHostMessage,
  savedTabs,
  type ResultsHostMessage,
  type ResultsWebviewMessage,
  type ResultTabView,
  type RowsPage,
  type ShowResultMessage,
} from '../../src/shared/resultsProtocol';
import { chooseTab, receiveTabView, tabLabel, type TabsState } from '../../src/shared/resultTabs';
import { RANGE_COPY_FORMATS, type RangeCopyFormat } from '../../src/shared/cellText';
import { isolate } from '../../src/shared/displayText';

// The toolkit's badge is left out: its template binds a style attribute, which the CSP refuses.
provideVSCodeDesignSystem().register(
  vsCodeButton(),
  vsCodeCheckbox(),
  vsCodeDropdown(),
  vsCodeOption(),
  vsCodeProgressRing(),
);

type View = ResultTabView;

const app = document.getElementById('app') ?? document.body;
/** One tab per statement of the run, shown when the run has several. */
const strip = el('div', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Statements of the run' } });
/** The tab on screen. */
const content = el('div', { className: 'tab-content', attrs: { role: 'tabpanel' } });
app.replaceChildren(strip, content);
const send = (m: ResultsWebviewMessage) => post(m);
const numberFormat = new Intl.NumberFormat();
const fmt = (n: number) => numberFormat.format(n);

const saved = savedTabs(getState((_s): _s is unknown => true));
let tabs: TabsState = { views: saved.views, active: saved.active, chosen: saved.chosen };
let pinned = saved.pinned;
let timer: ReturnType<typeof setInterval> | undefined;
/** The result on screen: its grid and the source the host's rows go into. */
let shown: { runId: string; source: WindowedSource; grid: Grid } | undefined;
/** The run shown as running and the rows it has read so far. */
let running: { runId: string; rows: number } | undefined;

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

/** Pin / Unpin: one button, moved into each view's toolbar. */
const pinButton = button('Pin', () => send({ type: 'pin', pinned: !pinned }));
pinButton.setAttribute('data-testid', 'pin');

function showPinned(): void {
  pinButton.textContent = pinned ? 'Unpin' : 'Pin';
  pinButton.setAttribute(
    'title',
    pinned
      ? 'Pinned: these results stay, and the next run opens a new panel. Unpin to show the next run here.'
      : 'Keep these results: the next run opens a new panel.',
  );
  pinButton.setAttribute('aria-pressed', String(pinned));
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
    pinButton,
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
  running = undefined;
  shown?.grid.dispose();
  shown = undefined;
  switch (view.type) {
    case 'showWaiting': {
      const before = view.batch ? view.batch.index : 0;
      content.replaceChildren(
        ...header(view, []),
        el('div', {
          className: 'muted running',
          attrs: { role: 'status' },
          text: `Waiting: runs after statement ${before} finishes.`,
        }),
      );
      return;
    }
    case 'showRunning': {
      const status = el('span', { text: 'Running…', attrs: { role: 'status' } });
      const started = performance.now();
      running = { runId: view.runId, rows: 0 };
      const cancel = button('Cancel', () => {
        cancel.setAttribute('disabled', '');
        status.textContent = running?.rows ? 'Stopping: the rows read so far will be shown…' : 'Cancelling…';
        stopTimer();
        send({ type: 'cancel', runId: view.runId });
      });
      timer = setInterval(() => {
        const rows = running?.runId === view.runId ? running.rows : 0;
        status.textContent = `Running… ${formatMs(performance.now() - started)}${rows ? ` · ${fmt(rows)} rows read` : ''}`;
        // Once rows have come, stopping keeps them: the button says what it will do.
        if (rows && cancel.textContent === 'Cancel') cancel.textContent = 'Stop and show rows read';
      }, 200);
      content.replaceChildren(
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
      content.replaceChildren(...header(view, []), box, ...(after ? [after] : []));
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
      content.replaceChildren(...header(view, []), box);
      return;
    }
    case 'showResult':
      renderResult(view, view.page);
      return;
  }
}

function renderResult(view: ShowResultMessage, page: RowsPage): void {
  const hasGrid = view.columns.length > 0;
  const copyAll = (format: 'csv' | 'tsv') => () => send({ type: 'copy', runId: view.runId, format });
  const exportAll = () => send({ type: 'export', runId: view.runId });
  const copyControls = hasGrid && view.keptRows > 0 ? copySelectionControls() : undefined;
  const actions =
    hasGrid && view.keptRows > 0
      ? [
          ...(copyControls ? [copyControls.element] : []),
          button('Copy all as CSV', copyAll('csv')),
          button('Copy all as TSV', copyAll('tsv')),
          button('Export all rows…', exportAll),
        ]
      : [];
  const summary = el('div', { className: 'summary', attrs: { role: 'status' } });
  if (!hasGrid) {
    const what = view.command ? `${view.command} finished` : 'Statement finished';
    summary.append(
      el('span', { text: `${what}: ${fmt(view.rowCount)} rows affected, in ${formatMs(view.elapsedMs)}.` }),
    );
    content.replaceChildren(...header(view, actions), summary);
    return;
  }
  const atLeast = view.rowCountExact === false;
  summary.append(
    ...(atLeast ? [el('span', { text: 'at least' })] : []),
    el('span', { className: 'count', text: fmt(view.rowCount), attrs: { 'data-testid': 'row-count' } }),
    el('span', { text: `${view.rowCount === 1 ? 'row' : 'rows'} in ${formatMs(view.elapsedMs)}` }),
  );
  if (view.restored) {
    summary.append(
      el('span', {
        className: 'note muted',
        text: `Restored after a window reload: showing ${fmt(view.keptRows)} of ${fmt(view.rowCount)} rows. Run the query again to see them all.`,
      }),
    );
  } else if (view.stopped) {
    summary.append(
      el('span', {
        className: 'note',
        text: `You stopped the read: showing the ${fmt(view.keptRows)} rows read by then; the query has more. Sorting or filtering re-runs the query in the warehouse.`,
      }),
    );
  } else if (atLeast) {
    summary.append(
      el('span', {
        className: 'note',
        text: `Showing the first ${fmt(view.keptRows)} rows; the query has more, which were not read (the syncLogs.maxResultRows setting, ${fmt(view.maxRows)}, caps what is fetched). Sorting or filtering re-runs the query in the warehouse.`,
      }),
    );
  } else if (view.truncated || view.keptRows < view.rowCount) {
    summary.append(
      el('span', {
        className: 'note',
        text: `Showing ${fmt(view.keptRows)} of ${fmt(view.rowCount)} rows: the syncLogs.maxResultRows setting (${fmt(view.maxRows)}) caps the rows kept. Sorting or filtering re-runs the query in the warehouse.`,
      }),
    );
  }
  if (view.spooled && !view.restored) {
    summary.append(
      el('span', {
        className: 'note muted',
        text: `Rows past the memory budget (syncLogs.resultMemoryBudgetMB) are kept in a temporary file, deleted when this result closes; sorting or filtering re-runs the query in the warehouse.`,
      }),
    );
  }
  const runId = view.runId;
  const source = new WindowedSource(
    view.columns,
    view.keptRows,
    {
      requestRows: (v, offset, count) => send({ type: 'requestRows', runId, offset, count, view: v }),
      requestView: (v, spec) => send({ type: 'setView', runId, view: v, ...spec }),
      requestFind: (seq, v, query, columns, from, backwards, inclusive) =>
        send({ type: 'find', runId, seq, view: v, query, columns: [...columns], from, backwards, inclusive }),
    },
    page,
  );
  const grid = new Grid({
    source,
    label: 'Query results',
    // The host holds every row a range covers, and VS Code's clipboard: it builds and writes the copy.
    copyRange: (r) => send({ type: 'copyRange', runId, view: source.viewId, ...r }),
  });
  shown = { runId, source, grid };
  copyControls?.bind(grid);
  content.replaceChildren(...header(view, actions), summary, grid.element);
}

/**
 * Copy selection: the toolkit's dropdown for the format, its checkbox for headers, its button.
 * (The toolkit's data grid is what this panel no longer uses: it renders every row it is given,
 * without virtualization, and its keyboard model selects cells but not ranges.)
 */
function copySelectionControls(): { element: HTMLElement; bind: (grid: Grid) => void } {
  const format = el('vscode-dropdown', { attrs: { 'aria-label': 'Copy format', 'data-testid': 'copy-format' } });
  for (const f of RANGE_COPY_FORMATS)
    format.append(el('vscode-option', { text: FORMAT_LABELS[f], attrs: { value: f } }));
  const headers = el('vscode-checkbox', { text: 'headers', attrs: { 'data-testid': 'copy-headers' } });
  let grid: Grid | undefined;
  const copy = button('Copy selection', () => {
    const f = (format as HTMLElement & { value?: string }).value as RangeCopyFormat | undefined;
    const withHeaders = (headers as HTMLElement & { checked?: boolean }).checked === true;
    grid?.copy(f && RANGE_COPY_FORMATS.includes(f) ? f : 'tsv', withHeaders);
  });
  copy.setAttribute('data-testid', 'copy-selection');
  return {
    element: el('span', { className: 'copy-controls' }, format, headers, copy),
    bind: (g) => (grid = g),
  };
}

function show(message: ResultsHostMessage): void {
  switch (message.type) {
    case 'rows':
      if (shown?.runId === message.runId) shown.source.receiveRows(message.view ?? 0, message.offset, message.rows);
      return;
    case 'viewApplied':
      if (shown?.runId === message.runId)
        shown.source.receiveView(
          message.view,
          { rowCount: message.rowCount, where: message.where, note: message.note },
          message.rows,
        );
      return;
    case 'viewFailed':
      if (shown?.runId === message.runId) shown.source.rejectView(message.view, message.message);
      return;
    case 'found':
      if (shown?.runId === message.runId) shown.source.receiveFind(message.seq, message);
      return;
    case 'readProgress':
      if (running?.runId === message.runId) running.rows = message.rows;
      return;
    case 'pinned':
      pinned = message.pinned;
      showPinned();
      save();
      return;
    default: {
      const before = tabs.views[tabs.active];
      tabs = receiveTabView(tabs, message);
      save();
      renderTabs();
      // Only the tab on screen is drawn: a message for another tab only changes its label.
      const now = tabs.views[tabs.active];
      if (now && now !== before) render(now);
    }
  }
}

function save(): void {
  setState({
    views: tabs.views.filter((v): v is View => v !== undefined),
    active: tabs.active,
    chosen: tabs.chosen,
    pinned,
  });
}

/** The tab strip: hidden for a single statement; arrow keys, Home and End move between tabs. */
function renderTabs(): void {
  const views = tabs.views;
  strip.hidden = views.length < 2;
  if (strip.hidden) {
    strip.replaceChildren();
    return;
  }
  const items = views.map((view, index) => {
    const selected = index === tabs.active;
    const label = view
      ? tabLabel(view, index, fmt)
      : { text: String(index + 1), status: '', state: 'waiting' as const };
    const tab = el(
      'button',
      {
        className: `tab ${label.state}`,
        attrs: {
          role: 'tab',
          type: 'button',
          'aria-selected': String(selected),
          tabindex: selected ? '0' : '-1',
          title:
            view?.sql
              .split('\n')
              .find((l) => l.trim())
              ?.trim() ?? '',
          'data-testid': `tab-${index + 1}`,
        },
      },
      el('span', { className: 'tab-sql', text: label.text }),
      el('span', { className: 'tab-status', text: label.status }),
    );
    tab.addEventListener('click', () => pick(index));
    return tab;
  });
  strip.replaceChildren(...items);
}

function pick(index: number, focus = false): void {
  const next = chooseTab(tabs, index);
  if (next === tabs) return;
  const changed = next.active !== tabs.active;
  tabs = next;
  save();
  renderTabs();
  const view = tabs.views[tabs.active];
  if (changed && view) render(view);
  if (focus) (strip.children[tabs.active] as HTMLElement | undefined)?.focus();
}

strip.addEventListener('keydown', (e) => {
  const n = tabs.views.length;
  const to =
    e.key === 'ArrowRight'
      ? (tabs.active + 1) % n
      : e.key === 'ArrowLeft'
        ? (tabs.active - 1 + n) % n
        : e.key === 'Home'
          ? 0
          : e.key === 'End'
            ? n - 1
            : undefined;
  if (to === undefined) return;
  e.preventDefault();
  pick(to, true);
});

onMessage(isResultsHostMessage, show);
showPinned();
renderTabs();
const first = tabs.views[tabs.active];
if (first) render(first);
else
  content.replaceChildren(
    el('p', { className: 'muted', text: 'Run a query with "Sync Logs: Run Query" (Ctrl+Enter in a SQL editor).' }),
  );
