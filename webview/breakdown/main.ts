/**
 * Error breakdown: failed rows and failures grouped into templates and categories (first
 * matching regular expression wins; the rest are "unexpected"), each template's first and last
 * seen over the whole log with a `new` badge, a chart of categories over time, and a drill-down
 * to the failed rows. Every warehouse string is shown as text.
 */
import '../shared/base.css';
import '../shared/panel.css';
import './breakdown.css';
import {
  WINDOW_CHOICES,
  windowLabel,
  type BreakdownParams,
  type ChartMessage,
  type DrillMessage,
  type DrillSelector,
  type PanelContext,
  type StateMessage,
} from '../../src/shared/analysisProtocol';
import {
  UNEXPECTED,
  type BreakdownData,
  type CategoryChart,
  type CategoryRow,
  type FailedRow,
  type TemplateRow,
} from '../../src/shared/analysisData';
import {
  badge,
  button,
  el,
  fmtBucket,
  fmtDate,
  fmtNumber,
  fmtPercent,
  isolate,
  linkButton,
  select,
  sortableTable,
  summaryCard,
  valueText,
  type Child,
  type TableHandle,
} from '../shared/dom';
import { send, startPanel, syncLabel, syncOptions, vendorLink } from '../shared/panelShell';
import { definitions, historyNote, newBadge, rowsAndFailures, seenCell } from './figures';
import { categoryColor, destroyChartsIn, exactLabel, numberTick, themedChart } from '../shared/charts';
import { chartTable } from '../shared/chartTable';

let lastChart: ChartMessage | undefined;
let lastDrill: DrillMessage | undefined;
let chartSlot: HTMLElement | undefined;
let drillSlot: HTMLElement | undefined;
let current: StateMessage<'breakdown'> | undefined;
/**
 * The reader's filter choices, kept while the parameters stay: a load's follow-ups (first and
 * last seen over the whole log) redraw the panel, and must not undo a click made meanwhile.
 */
let choices: { category?: string; newOnly: boolean } = { newOnly: false };

const categoryLabel = (name: string) => (name === UNEXPECTED ? 'Unexpected (no category matches)' : name);

const shell = startPanel({
  panel: 'breakdown',
  scope(p, ctx) {
    const where = p.syncRunId ? `${syncLabel(ctx, p.syncId)} · run ${isolate(p.syncRunId)}` : syncLabel(ctx, p.syncId);
    const when =
      p.source === 'snapshot' ? 'latest snapshot' : p.syncRunId ? 'changelog' : `changelog · ${windowLabel(p.days)}`;
    return `${where} · ${when}`;
  },
  toolbar(p, ctx, update) {
    const scope = select(
      'Scope',
      syncOptions(ctx, { all: 'All syncs', current: p.syncId }),
      p.syncId ?? '',
      (v) => update({ ...p, syncId: v || null, syncRunId: null }),
      { ctl: 'scope', testid: 'scope-select' },
    );
    const run = p.syncRunId
      ? el(
          'span',
          { className: 'chip', testid: 'run-chip' },
          'Run ',
          valueText(p.syncRunId),
          linkButton(p.syncId ? 'whole sync' : 'all runs', () => update({ ...p, syncRunId: null }), {
            title: 'Back to every run in the window',
          }),
        )
      : undefined;
    const source = select(
      'Source',
      [
        { value: 'changelog', label: 'Changelog history' },
        { value: 'snapshot', label: 'Latest snapshot' },
      ],
      p.source,
      (v) => update({ ...p, source: v === 'snapshot' ? 'snapshot' : 'changelog' }),
      { ctl: 'source', testid: 'source-select' },
    );
    const windowSelect = select(
      'Window',
      WINDOW_CHOICES.map((d) => ({ value: d === null ? '' : String(d), label: windowLabel(d) })),
      p.days === null ? '' : String(p.days),
      (v) => update({ ...p, days: v ? Number(v) : null }),
      {
        ctl: 'window',
        testid: 'window-select',
        disabled: p.source === 'snapshot' || p.syncRunId !== null,
        title:
          p.source === 'snapshot'
            ? 'The snapshot has no history: it is the latest state of each row'
            : p.syncRunId
              ? 'One run is shown'
              : undefined,
      },
    );
    const edit = button('Edit categories…', () => send({ type: 'openCategories' }), {
      ctl: 'categories',
      testid: 'edit-categories',
    });
    // Links to the vendor's pages where the scope names them (and a workspace is set).
    const sync = p.syncId ? vendorLink(ctx, { kind: 'sync', syncId: p.syncId }, 'Sync in Hightouch') : undefined;
    const runLink =
      p.syncId && p.syncRunId
        ? vendorLink(ctx, { kind: 'run', syncId: p.syncId, syncRunId: p.syncRunId }, 'Run in Hightouch')
        : undefined;
    return [scope, run, source, windowSelect, edit, sync, runLink];
  },
  preamble: () => [definitions()],
  onState(m) {
    const paramsChanged = current !== undefined && JSON.stringify(current.params) !== JSON.stringify(m.params);
    current = m;
    if (paramsChanged) {
      lastChart = undefined;
      lastDrill = undefined;
      choices = { newOnly: false };
    }
    if (m.view.phase !== 'ready') {
      // A new query: the old chart and drill-down belong to the old parameters.
      if (m.view.phase === 'loading') lastChart = undefined;
      lastDrill = undefined;
    }
  },
  renderReady(content, data, m, update) {
    renderBreakdown(content, data, m, update);
  },
  onChart(m) {
    lastChart = m;
    if (chartSlot?.isConnected) renderChart(chartSlot, m);
  },
  onDrill(m) {
    lastDrill = m;
    if (drillSlot?.isConnected) renderDrill(drillSlot, m);
  },
});

function renderBreakdown(
  content: HTMLElement,
  data: BreakdownData,
  m: StateMessage<'breakdown'>,
  update: (p: BreakdownParams) => void,
): void {
  const p = m.params;
  const unexpected = data.categories.find((c) => c.unexpected || c.name === UNEXPECTED);
  const unexpectedRows = unexpected?.rows ?? 0;

  // Category definitions that could not be used.
  const problems = data.problems.length
    ? el(
        'div',
        { className: 'box warning', testid: 'category-problems', attrs: { role: 'alert' } },
        el('div', {
          className: 'title',
          text: `${data.problems.length === 1 ? 'A category was' : `${data.problems.length} categories were`} skipped`,
        }),
        el(
          'ul',
          {},
          ...data.problems.map((pr) =>
            el(
              'li',
              {},
              el('strong', {}, valueText(pr.name || '(no name)')),
              ` from ${pr.origin}: `,
              valueText(pr.message),
              pr.pattern ? el('code', { className: 'pattern' }, ' /', valueText(pr.pattern), '/') : undefined,
            ),
          ),
        ),
      )
    : undefined;

  // User patterns that may backtrack badly: they still run (in a worker, under a time budget).
  const risky = data.warnings ?? [];
  const warnings = risky.length
    ? el(
        'div',
        { className: 'box warning', testid: 'category-warnings' },
        el('div', {
          className: 'title',
          text: `${risky.length === 1 ? 'A category pattern' : `${risky.length} category patterns`} may be slow`,
        }),
        el(
          'ul',
          {},
          ...risky.map((w) =>
            el(
              'li',
              {},
              el('strong', {}, valueText(w.name)),
              ` from ${w.origin}: `,
              valueText(w.message),
              el('code', { className: 'pattern' }, ' /', valueText(w.pattern), '/'),
            ),
          ),
        ),
      )
    : undefined;

  // Results depend on the user's categories too: say which, so a changed count has a visible cause.
  const custom = data.customCategories ?? [];
  const where = { workspace: 'workspace file', settings: 'settings', default: 'default' } as const;
  const customLine = custom.length
    ? el(
        'div',
        { className: 'box', testid: 'custom-categories' },
        `${custom.length === 1 ? 'A custom category is' : `${custom.length} custom categories are`} tried before the defaults: `,
        ...custom.flatMap((c, i) => [i ? ', ' : '', el('strong', {}, valueText(c.name)), ` (${where[c.source]})`]),
        '.',
      )
    : undefined;

  const truncated = data.truncated
    ? el(
        'div',
        { className: 'box warning', testid: 'truncated' },
        'The warehouse returned more distinct failure texts than the panel reads: the least frequent were left out, so the figures of categories and templates are lower bounds.',
      )
    : undefined;
  const upperBound = data.rowsUpperBound
    ? el(
        'div',
        { className: 'box warning', testid: 'rows-upper-bound' },
        'More rows failed with several texts than the panel reads: the rows of templates and categories are at most the figure shown (≤), as a row may be counted twice. The total is exact.',
      )
    : undefined;

  const atMost = data.rowsUpperBound;
  const noWindow = data.windowStart === null;
  const newTemplates = data.templates.filter((t) => t.isNew === true);
  const cards = el(
    'div',
    { className: 'cards', testid: 'summary' },
    summaryCard('total-rows', data.source === 'snapshot' ? 'Rows failing now' : 'Rows failed', data.totalRows, {
      hint: 'Distinct row ids with a failure in scope',
    }),
    summaryCard('total-failures', 'Failures', data.totalFailures, {
      hint: 'Failed operations (attempts): a row retried on every run counts once per run',
    }),
    summaryCard('templates', 'Templates', data.templates.length),
    summaryCard('categories', 'Categories', data.categories.filter((c) => !c.unexpected).length),
    summaryCard('unexpected', 'Unexpected rows', unexpectedRows, {
      emphasis: unexpectedRows > 0 ? 'error' : 'ok',
      hint: 'Rows whose failures no category matches: new kinds of error worth a look',
    }),
    summaryCard('new-templates', 'New templates', noWindow ? '—' : data.history === null ? '…' : newTemplates.length, {
      hint: noWindow ? 'No window: nothing is new' : 'Templates first seen in the whole log inside the window',
    }),
    summaryCard('distinct-texts', 'Distinct texts', data.distinctTexts),
  );

  // The chart (its own phase: it comes from a second query).
  chartSlot = el('section', {
    className: 'chart-section',
    testid: 'chart-section',
    attrs: { 'aria-label': 'Failures per category over time' },
  });
  const chartHeading = el('h2', { text: 'Failures per category over time' });
  renderChart(chartSlot, lastChart, p);

  // The unexpected bucket, first-class.
  const unexpectedTemplates = data.templates.filter((t) => t.category === UNEXPECTED);
  const unexpectedSection = el(
    'section',
    {
      className: `unexpected-section${unexpectedTemplates.length ? ' has-failures' : ''}`,
      testid: 'unexpected-section',
    },
    el(
      'h2',
      {},
      'Unexpected: no category matches',
      el(
        'span',
        { className: 'count-note' },
        rowsAndFailures(unexpectedRows, unexpected?.failures ?? 0, atMost),
        ` in ${fmtNumber(unexpectedTemplates.length)} templates`,
      ),
    ),
  );
  if (!unexpectedTemplates.length) {
    unexpectedSection.append(el('p', { className: 'muted', text: 'Every failure matches a category.' }));
  } else {
    unexpectedSection.append(
      el('p', {
        className: 'muted',
        text: 'New kinds of error land here. Add a category for the ones you expect with "Edit categories…".',
      }),
      el('div', { className: 'unexpected-list' }, ...unexpectedTemplates.map((t) => unexpectedCard(t, p, data))),
    );
  }

  // Categories table: click filters the templates and drills down. "New only" narrows them further.
  let filter = data.categories.some((c) => c.name === choices.category) ? choices.category : undefined;
  const newOnlyPossible = !noWindow && data.history !== null && newTemplates.length > 0;
  let newOnly = choices.newOnly && newOnlyPossible;
  const templatesHeading = el('h2', { text: 'Templates' });
  const filterNote = el('span', { className: 'count-note' });
  const newToggle = el('button', {
    className: 'link new-toggle',
    testid: 'new-only',
    text: noWindow
      ? 'New only: no window'
      : data.history === null
        ? 'New only (…)'
        : `New only (${fmtNumber(newTemplates.length)})`,
    attrs: {
      type: 'button',
      'aria-pressed': String(newOnly),
      title: noWindow
        ? 'All runs: there is no window, so no template is new'
        : 'Show only templates first seen (in the whole log) inside the window',
    },
  });
  if (!newOnlyPossible) newToggle.setAttribute('disabled', '');
  newToggle.addEventListener('click', () => {
    newOnly = !newOnly;
    newToggle.setAttribute('aria-pressed', String(newOnly));
    applyFilter();
  });
  templatesHeading.append(filterNote, newToggle);
  const templates = templatesTable(data.templates, p, data);
  const categories = sortableTable<CategoryRow>(
    {
      testid: 'categories-table',
      label: 'Categories',
      key: (c) => c.name,
      // No initial sort: the data's order (UNEXPECTED first, then by rows).
      rowClass: (c) => (c.unexpected ? 'unexpected-row' : undefined),
      columns: [
        {
          id: 'name',
          label: 'Category',
          sortValue: (c) => c.name,
          render: (c) => [
            c.unexpected ? badge('unexpected', 'unexpected') : valueText(c.name, 'cat-name'),
            c.source && c.source !== 'default' ? ' ' : undefined,
            c.source && c.source !== 'default' ? badge(c.source, 'subtle') : undefined,
          ],
        },
        {
          id: 'rows',
          label: 'Rows · failures',
          numeric: true,
          sortValue: (c) => c.rows,
          render: (c) => rowsAndFailures(c.rows, c.failures, atMost),
          title: 'Distinct rows, then failed operations',
        },
        {
          id: 'share',
          label: 'Share of rows',
          numeric: true,
          sortValue: (c) => c.rows,
          render: (c) => fmtPercent(c.rows, data.totalRows),
          title: 'Of the rows that failed (a row can fail in two categories)',
        },
        { id: 'templates', label: 'Templates', numeric: true, sortValue: (c) => c.templates },
        {
          id: 'texts',
          label: 'Texts',
          numeric: true,
          sortValue: (c) => c.distinctTexts,
          title: 'Distinct failure texts',
        },
        {
          id: 'first',
          label: 'First seen',
          sortValue: (c) => c.firstSeen,
          render: (c) => seenCell(c.firstSeen, data),
          className: 'nowrap',
          title: 'Over the whole log',
        },
        {
          id: 'last',
          label: 'Last seen',
          sortValue: (c) => c.lastSeen,
          render: (c) => seenCell(c.lastSeen, data),
          className: 'nowrap',
          title: 'Over the whole log',
        },
      ],
      onRowClick: (c) => {
        filter = filter === c.name ? undefined : c.name;
        applyFilter();
        if (filter) drill({ category: c.name });
      },
      empty: 'No failures',
    },
    data.categories,
  );
  const clear = linkButton('show all templates', () => {
    filter = undefined;
    applyFilter();
  });
  const applyFilter = () => {
    choices = { category: filter, newOnly };
    categories.select(filter);
    const shown = data.templates.filter((t) => (!filter || t.category === filter) && (!newOnly || t.isNew === true));
    templates.setRows(shown);
    const what = newOnly ? `${fmtNumber(shown.length)} new` : fmtNumber(shown.length);
    filterNote.replaceChildren(
      ...(filter ? [`${what} in `, valueText(categoryLabel(filter)), ' · ', clear] : [`${what}, most rows first`]),
    );
  };
  applyFilter();

  drillSlot = el('section', { className: 'drill', testid: 'drill', attrs: { 'aria-live': 'polite' } });
  if (lastDrill) renderDrill(drillSlot, lastDrill);
  else
    drillSlot.append(
      el('p', { className: 'muted', text: 'Click a category or a template to see the rows that failed that way.' }),
    );

  content.append(
    ...([
      problems,
      warnings,
      customLine,
      truncated,
      upperBound,
      cards,
      historyNote(data),
      chartHeading,
      chartSlot,
      unexpectedSection,
      el('h2', { text: 'Categories' }),
      categories.element,
      templatesHeading,
      templates.element,
      el('h2', { text: 'Failed rows' }),
      drillSlot,
    ].filter(Boolean) as HTMLElement[]),
  );
  void update;
}

function drill(selector: DrillSelector): void {
  send({ type: 'drill', selector });
  if (drillSlot) {
    const what =
      'template' in selector
        ? `template in ${isolate(categoryLabel(selector.category))}`
        : isolate(categoryLabel(selector.category));
    drillSlot.replaceChildren(
      el(
        'div',
        { className: 'loading', attrs: { role: 'status' } },
        el('vscode-progress-ring'),
        el('span', { text: `Loading the failed rows of ${what}…` }),
      ),
    );
    drillSlot.setAttribute('data-phase', 'loading');
  }
}

function openTimeline(syncId: string | null, rowId: string): void {
  send({ type: 'openTimeline', syncId, rowId });
}

function sampleButtons(t: TemplateRow, p: BreakdownParams): Child {
  if (!t.sampleRowIds.length) return undefined;
  return el(
    'div',
    { className: 'samples' },
    el('span', { className: 'muted', text: 'Sample rows: ' }),
    ...t.sampleRowIds.map((id) =>
      linkButton(id, () => openTimeline(p.syncId, id), {
        className: 'mono sample',
        title: `Open the timeline of row ${isolate(id)}`,
      }),
    ),
  );
}

function unexpectedCard(t: TemplateRow, p: BreakdownParams, data: BreakdownData): HTMLElement {
  return el(
    'article',
    { className: 'unexpected-card', attrs: { 'data-key': t.template } },
    el('pre', { className: 'text-block template', text: t.template }),
    el(
      'div',
      { className: 'meta' },
      el(
        'span',
        {},
        rowsAndFailures(t.rows, t.failures, data.rowsUpperBound),
        ` · ${fmtNumber(t.distinctTexts)} distinct ${t.distinctTexts === 1 ? 'text' : 'texts'}`,
      ),
      t.isNew ? newBadge(data.windowStart) : undefined,
      el('span', {
        className: 'muted',
        text: `first ${seenCell(t.firstSeen, data)} · last ${seenCell(t.lastSeen, data)}`,
      }),
      linkButton('show failed rows', () => drill({ category: t.category, template: t.template })),
    ),
    t.example && t.example !== t.template
      ? el(
          'details',
          {},
          el('summary', { text: 'Example text' }),
          el('pre', { className: 'text-block', text: t.example }),
        )
      : undefined,
    sampleButtons(t, p),
  );
}

function templatesTable(rows: TemplateRow[], p: BreakdownParams, data: BreakdownData): TableHandle<TemplateRow> {
  return sortableTable<TemplateRow>(
    {
      testid: 'templates-table',
      label: 'Failure templates',
      key: (t) => t.template,
      sort: { column: 'rows', descending: true },
      columns: [
        {
          id: 'template',
          label: 'Template',
          sortValue: (t) => t.template,
          className: 'template-cell',
          render: (t) =>
            el(
              'details',
              { className: 'template-details' },
              el(
                'summary',
                { attrs: { title: t.example ? `Example: ${isolate(t.example.slice(0, 1000))}` : undefined } },
                valueText(t.template, 'mono'),
                t.isNew ? ' ' : undefined,
                t.isNew ? newBadge(data.windowStart) : undefined,
              ),
              el('div', { className: 'muted', text: 'Most frequent text:' }),
              el('pre', { className: 'text-block', text: t.example }),
              sampleButtons(t, p),
            ),
        },
        {
          id: 'category',
          label: 'Category',
          sortValue: (t) => t.category,
          render: (t) => (t.category === UNEXPECTED ? badge('unexpected', 'unexpected') : t.category),
        },
        {
          id: 'rows',
          label: 'Rows · failures',
          numeric: true,
          sortValue: (t) => t.rows,
          render: (t) => rowsAndFailures(t.rows, t.failures, data.rowsUpperBound),
          title: 'Distinct rows, then failed operations',
        },
        {
          id: 'texts',
          label: 'Texts',
          numeric: true,
          sortValue: (t) => t.distinctTexts,
          title: 'Distinct failure texts',
        },
        {
          id: 'first',
          label: 'First seen',
          sortValue: (t) => t.firstSeen,
          render: (t) => seenCell(t.firstSeen, data),
          className: 'nowrap',
          title: 'Over the whole log, not only the window',
        },
        {
          id: 'last',
          label: 'Last seen',
          sortValue: (t) => t.lastSeen,
          render: (t) => seenCell(t.lastSeen, data),
          className: 'nowrap',
          title: 'Over the whole log',
        },
      ],
      onRowClick: (t) => drill({ category: t.category, template: t.template }),
      empty: 'No failure templates',
    },
    rows,
  );
}

// ------------------------------------------------------------------ chart

function renderChart(slot: HTMLElement, m: ChartMessage | undefined, params?: BreakdownParams): void {
  destroyChartsIn(slot);
  const p = params ?? current?.params;
  if (!m) {
    slot.setAttribute('data-phase', 'loading');
    slot.replaceChildren(
      el(
        'div',
        { className: 'loading chart-state', attrs: { role: 'status' } },
        el('vscode-progress-ring'),
        el('span', { text: 'Loading the chart…' }),
      ),
    );
    return;
  }
  const view = m.view;
  slot.setAttribute('data-phase', view.phase);
  switch (view.phase) {
    case 'loading':
    case 'idle':
      slot.replaceChildren(
        el(
          'div',
          { className: 'loading chart-state', attrs: { role: 'status' } },
          el('vscode-progress-ring'),
          el('span', { text: view.message || 'Loading the chart…' }),
        ),
      );
      return;
    case 'error':
      slot.replaceChildren(
        el(
          'div',
          { className: 'box error chart-state', attrs: { role: 'alert' } },
          el('div', { className: 'title', text: 'The chart failed' }),
          el('pre', { text: view.message }),
        ),
      );
      return;
    case 'cancelled':
      slot.replaceChildren(el('p', { className: 'muted chart-state', text: `Chart cancelled: ${view.message}` }));
      return;
    case 'empty':
      slot.replaceChildren(el('p', { className: 'muted chart-state', testid: 'chart-empty', text: view.reason }));
      return;
    case 'ready':
      drawChart(slot, view.data, p);
      return;
  }
}

function drawChart(slot: HTMLElement, chart: CategoryChart, p: BreakdownParams | undefined): void {
  const canvas = el('canvas', {
    testid: 'breakdown-chart',
    attrs: { role: 'img', 'aria-label': `Failures per category per ${chart.unit}` },
  });
  const failedBuckets = chart.buckets.filter((b) => b.failedRuns > 0).length;
  const note = el(
    'p',
    { className: 'muted chart-note' },
    `One bar per ${chart.unit}. `,
    failedBuckets ? el('span', { text: '▲ ' }) : undefined,
    failedBuckets
      ? `marks ${chart.unit === 'run' ? 'runs that' : `${chart.unit}s with runs that`} failed (the sync stopped early).`
      : 'No run failed in this window.',
    chart.unit === 'run' && p?.syncId ? ' Click a bar to break one run down.' : '',
  );
  const capped = [
    chart.capped.runs !== null ? `covers only the newest ${fmtNumber(chart.capped.runs)} runs` : '',
    chart.capped.pairs !== null
      ? `leaves out the smallest (run, failure text) pairs past the largest ${fmtNumber(chart.capped.pairs)}, so its bars may be a little low`
      : '',
  ].filter(Boolean);
  const box = el('div', { className: 'chart-box tall' }, canvas);
  const labels = chart.buckets.map((b) => fmtBucket(b.start, chart.unit));
  const totals = chart.buckets.map((_, i) => chart.series.reduce((s, x) => s + (x.counts[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  // Keep the UNEXPECTED series first (bottom of the stack, red), the others in the data's order.
  const series = [...chart.series].sort(
    (a, b) => Number(b.category === UNEXPECTED) - Number(a.category === UNEXPECTED),
  );
  const table = chartTable({
    testid: 'breakdown-chart-data',
    caption: `Failures per category per ${chart.unit}, oldest first`,
    rowHeader: chart.unit === 'run' ? 'Run' : chart.unit === 'hour' ? 'Hour' : 'Day',
    rows: chart.buckets.map((b) =>
      b.syncRunId ? `${fmtDate(b.start)} · ${isolate(b.syncRunId)}` : fmtBucket(b.start, chart.unit),
    ),
    series: [
      ...series.map((s) => ({ label: categoryLabel(s.category), values: s.counts })),
      { label: 'Total', values: totals },
      { label: 'Failed runs', values: chart.buckets.map((b) => b.failedRuns) },
    ],
  });
  if (capped.length === 0) slot.replaceChildren(box, note, table);
  else
    slot.replaceChildren(
      box,
      note,
      el('p', {
        className: 'box warning chart-capped',
        testid: 'chart-capped',
        attrs: { role: 'note' },
        text: `This chart ${capped.join(', and ')}. Narrow the window or pick one sync for all of it.`,
      }),
      table,
    );
  themedChart<'bar'>(canvas, (t) => {
    // A category has the same colour here as in every other chart and panel (from its name).
    const colors = series.map((s) => categoryColor(s.category, t));
    return {
      type: 'bar',
      data: {
        labels,
        datasets: [
          ...series.map((s, i) => ({
            type: 'bar' as const,
            label: isolate(categoryLabel(s.category)),
            data: s.counts,
            backgroundColor: colors[i],
            borderColor: t.highContrast ? t.foreground : colors[i],
            borderWidth: t.highContrast ? 1 : 0,
            stack: 'failures',
            order: 2,
          })),
          {
            type: 'line' as const,
            label: 'Failed runs',
            data: chart.buckets.map((b, i) => (b.failedRuns > 0 ? totals[i] + max * 0.04 : null)) as (number | null)[],
            showLine: false,
            pointStyle: 'triangle',
            pointRadius: 6,
            pointHoverRadius: 7,
            // The foreground, not red: red already means the unexpected bucket.
            pointBackgroundColor: t.foreground,
            pointBorderColor: t.foreground,
            backgroundColor: t.foreground,
            borderColor: t.foreground,
            stack: 'marker',
            order: 1,
          } as never,
        ],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 50, autoSkip: true } },
          y: {
            stacked: true,
            beginAtZero: true,
            ticks: { callback: numberTick, precision: 0 },
            title: { display: true, text: 'Failures' },
          },
        },
        plugins: {
          legend: {
            position: 'bottom',
            labels: { boxWidth: 12, filter: (item) => item.text !== 'Failed runs' || failedBuckets > 0 },
          },
          tooltip: {
            filter: (item) => item.dataset.label !== 'Failed runs' && (item.parsed.y ?? 0) > 0,
            callbacks: {
              title: (items) => {
                const b = chart.buckets[items[0]?.dataIndex ?? 0];
                return b ? `${fmtDate(b.start)}${b.syncRunId ? ` · run ${isolate(b.syncRunId)}` : ''}` : '';
              },
              label: (ctx) => exactLabel(ctx),
              footer: (items) => {
                const i = items[0]?.dataIndex ?? 0;
                const b = chart.buckets[i];
                if (!b) return '';
                const lines = [
                  `Total: ${fmtNumber(totals[i])} failures`,
                  `${fmtNumber(b.runs)} ${b.runs === 1 ? 'run' : 'runs'}`,
                ];
                if (b.failedRuns > 0)
                  lines.push(
                    `▲ ${fmtNumber(b.failedRuns)} failed ${b.failedRuns === 1 ? 'run' : 'runs'} (stopped early)`,
                  );
                return lines;
              },
            },
          },
        },
        onClick: (_e, elements) => {
          const i = elements[0]?.index;
          const b = i === undefined ? undefined : chart.buckets[i];
          if (b?.syncRunId && p?.syncId) shell.update({ ...p, syncRunId: b.syncRunId });
        },
      },
    };
  });
}

// ------------------------------------------------------------------ drill-down

function renderDrill(slot: HTMLElement, m: DrillMessage): void {
  const s = m.selector;
  const what =
    'template' in s
      ? el('span', {}, 'Template ', el('code', { text: s.template }), ' in ', valueText(categoryLabel(s.category)))
      : el('span', {}, 'Category ', valueText(categoryLabel(s.category)));
  const view = m.view;
  slot.setAttribute('data-phase', view.phase);
  const heading = el('div', { className: 'drill-heading' }, what);
  switch (view.phase) {
    case 'loading':
    case 'idle':
      slot.replaceChildren(
        heading,
        el(
          'div',
          { className: 'loading', attrs: { role: 'status' } },
          el('vscode-progress-ring'),
          el('span', { text: view.message || 'Loading…' }),
        ),
      );
      return;
    case 'error':
      slot.replaceChildren(
        heading,
        el(
          'div',
          { className: 'box error', attrs: { role: 'alert' } },
          el('div', { className: 'title', text: 'The drill-down failed' }),
          el('pre', { text: view.message }),
        ),
      );
      return;
    case 'cancelled':
      slot.replaceChildren(heading, el('p', { className: 'muted', text: `Cancelled: ${view.message}` }));
      return;
    case 'empty':
      slot.replaceChildren(heading, el('p', { className: 'muted', text: view.reason }));
      return;
    case 'ready': {
      const d = view.data;
      const ctx = current?.context;
      const notes: Child[] = [];
      if (d.textsUsed < d.textsTotal)
        notes.push(
          el('p', {
            className: 'muted',
            testid: 'drill-texts',
            text: `Showing rows for ${fmtNumber(d.textsUsed)} of ${fmtNumber(d.textsTotal)} texts (the most frequent).`,
          }),
        );
      if (d.truncated)
        notes.push(
          el('p', {
            className: 'muted',
            testid: 'drill-truncated',
            text: `Showing the first ${fmtNumber(d.rows.length)} rows; there are more.`,
          }),
        );
      const table = sortableTable<FailedRow>(
        {
          testid: 'drill-table',
          label: 'Failed rows',
          key: (r) => `${r.syncId}\u0000${r.syncRunId ?? ''}\u0000${r.rowId}`,
          columns: [
            {
              id: 'row',
              label: 'Row id',
              sortValue: (r) => r.rowId,
              render: (r) =>
                linkButton(r.rowId, () => openTimeline(r.syncId, r.rowId), {
                  className: 'mono',
                  title: `Open the timeline of row ${isolate(r.rowId)}`,
                }),
            },
            {
              id: 'sync',
              label: 'Sync',
              sortValue: (r) => r.syncId,
              render: (r) => (ctx ? syncLabelShort(ctx, r.syncId) : r.syncId),
            },
            { id: 'run', label: 'Run', sortValue: (r) => r.syncRunId, className: 'mono nowrap' },
            {
              id: 'started',
              label: 'Started',
              sortValue: (r) => r.startedAt,
              render: (r) => fmtDate(r.startedAt),
              className: 'nowrap',
            },
            { id: 'op', label: 'Op', sortValue: (r) => r.opType },
            {
              id: 'text',
              label: 'Failure',
              className: 'failure-cell',
              render: (r) => el('pre', { className: 'text-block', text: r.failureReason }),
            },
          ],
          empty: 'No rows',
        },
        d.rows,
      );
      slot.replaceChildren(heading, drillSummary(s, d.rows, d.truncated), ...(notes as Node[]), table.element);
      return;
    }
  }
}

/**
 * What the drill-down lists, in rows: its lines are failed operations (one row may fail in many
 * runs), so it says how many distinct rows they hold, and the selection's own figures in all.
 */
function drillSummary(s: DrillSelector, listed: readonly FailedRow[], truncated: boolean): HTMLElement {
  const rows = new Set(listed.map((r) => `${r.syncId}\u0000${r.rowId}`)).size;
  const data = current?.view.phase === 'ready' ? current.view.data : undefined;
  const figures =
    data &&
    ('template' in s
      ? data.templates.find((t) => t.template === s.template && t.category === s.category)
      : data.categories.find((c) => c.name === s.category));
  return el(
    'p',
    { className: 'muted', testid: 'drill-summary' },
    `${truncated ? 'The latest ' : ''}${fmtNumber(listed.length)} failed ${listed.length === 1 ? 'operation' : 'operations'} of `,
    el('strong', { text: `${fmtNumber(rows)} ${rows === 1 ? 'row' : 'rows'}` }),
    ' (distinct row ids)',
    figures
      ? el('span', {}, '; in all ', rowsAndFailures(figures.rows, figures.failures, data?.rowsUpperBound))
      : undefined,
    '.',
  );
}

function syncLabelShort(ctx: PanelContext, syncId: string): string {
  const s = ctx.syncs.find((x) => x.syncId === syncId);
  return s ? `${isolate(s.label)} (${isolate(syncId)})` : syncId;
}
