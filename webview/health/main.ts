/**
 * Sync health: one line per sync of the connection, worst first, answering the on-call questions
 * in one look: which sync is broken, since when, how many rows (not attempts), what is new. Every
 * figure opens the panel that explains it, scoped to that sync. Warehouse text is set as text.
 */
import '../shared/base.css';
import '../shared/panel.css';
import './health.css';
import { windowLabel, type PanelContext, type PanelTarget } from '../../src/shared/analysisProtocol';
import type { HealthData, HealthRun, SyncHealth, SyncState } from '../../src/shared/healthData';
import {
  badge,
  el,
  fmtDate,
  fmtNumber,
  isolate,
  linkButton,
  sortableTable,
  summaryCard,
  valueText,
  type Child,
} from '../shared/dom';
import { send, startPanel, vendorLink, windowPicker } from '../shared/panelShell';

const STATE_LABELS: Record<SyncState, string> = {
  failing: 'Failing',
  stuckRising: 'Stuck rows rising',
  stale: 'Stale',
  healthy: 'Healthy',
  noRuns: 'No runs',
};

const STATE_RANK: Record<SyncState, number> = { failing: 0, stuckRising: 1, stale: 2, healthy: 3, noRuns: 4 };

const open = (target: PanelTarget) => send({ type: 'open', target });

startPanel({
  panel: 'health',
  scope: (p) => `All syncs · ${windowLabel(p.days)} before the newest run`,
  toolbar(p, _ctx, update) {
    return [windowPicker(p, update)];
  },
  preamble: () => [
    el(
      'details',
      { className: 'box explain', testid: 'definitions' },
      el('summary', { className: 'title', text: 'What the figures count' }),
      el(
        'ul',
        {},
        el(
          'li',
          {},
          'Rows are distinct row ids; operations (attempts) are counted apart. A rejected row is retried on every run, so one stuck row makes many failed operations but stays one row.',
        ),
        el(
          'li',
          {},
          'The window ends at the newest run start of the whole sync log, not at the clock, so an old log still shows its last day.',
        ),
        el(
          'li',
          {},
          'Rows failing now: rows whose latest operation failed (the snapshot). Rows failed: rows with a failed operation in the window, out of the rows attempted in it.',
        ),
        el(
          'li',
          {},
          'Stuck rows: rows whose latest K operations all failed (K is the setting syncLogs.stuckRowMinFailures); the arrow compares with the window’s first run.',
        ),
        el(
          'li',
          {},
          'New templates: failure templates whose first appearance in the whole retained log falls inside the window.',
        ),
      ),
    ),
  ],
  renderReady(content, data, m) {
    render(content, data, m.params.days, m.context);
  },
});

function render(content: HTMLElement, data: HealthData, days: number | null, ctx: PanelContext): void {
  const count = (s: SyncState) => data.syncs.filter((x) => x.state === s).length;
  if (data.logStale) {
    content.append(
      el(
        'div',
        { className: 'box warning', testid: 'log-stale', attrs: { role: 'status' } },
        el(
          'p',
          {},
          `The newest run in this sync log started ${fmtDate(data.windowEnd)}, longer ago than the window (${windowLabel(days).toLowerCase()}). The figures show the log’s last ${days === 1 ? 'day' : 'window'}, not today: check that the syncs still run and that warehouse sync logs are still enabled.`,
        ),
      ),
    );
  }
  content.append(
    el(
      'div',
      { className: 'cards', testid: 'summary' },
      summaryCard('failing', 'Failing', count('failing'), {
        emphasis: count('failing') ? 'error' : 'ok',
        hint: data.rules.failing,
      }),
      summaryCard('stuck-rising', 'Stuck rows rising', count('stuckRising'), {
        emphasis: count('stuckRising') ? 'warning' : undefined,
        hint: data.rules.stuckRising,
      }),
      summaryCard('stale', 'Stale', count('stale'), {
        emphasis: count('stale') ? 'warning' : undefined,
        hint: data.rules.stale,
      }),
      summaryCard('healthy', 'Healthy', count('healthy'), { hint: data.rules.healthy }),
      summaryCard(
        'window',
        'Window',
        data.windowStart ? `${fmtDate(data.windowStart)} – ${fmtDate(data.windowEnd)}` : 'All runs',
        { hint: 'The window ends at the newest run start of the whole sync log', compact: true },
      ),
    ),
  );
  const table = sortableTable<SyncHealth>(
    {
      testid: 'health-table',
      label: 'Syncs, worst first',
      key: (s) => s.syncId,
      columns: [
        {
          id: 'state',
          label: 'State',
          sortValue: (s) => STATE_RANK[s.state],
          render: (s) =>
            el(
              'span',
              {
                className: `state state-${s.state}`,
                attrs: { title: `${data.rules[s.state]}\n${s.stateReason}` },
                testid: 'state',
              },
              STATE_LABELS[s.state],
            ),
        },
        {
          id: 'sync',
          label: 'Sync',
          sortValue: (s) => s.modelName,
          render: (s) => [
            linkButton(s.modelName, () => open({ panel: 'breakdown', syncId: s.syncId, days }), {
              title: `Error breakdown of ${isolate(s.modelName)}`,
            }),
            el('div', { className: 'muted small' }, valueText(s.destination), ` · sync ${isolate(s.syncId)}`),
            el('div', { className: 'reason small', text: s.stateReason }),
          ],
        },
        {
          id: 'last',
          label: 'Last run',
          sortValue: (s) => s.lastRun?.startedAt ?? null,
          render: (s) => lastRunCell(s),
          className: 'nowrap',
        },
        {
          id: 'failingNow',
          label: 'Rows failing now',
          numeric: true,
          sortValue: (s) => s.rowsFailingNow,
          title: 'Rows whose latest operation failed (the snapshot)',
          render: (s) =>
            figure(
              s.rowsFailingNow,
              () => open({ panel: 'breakdown', syncId: s.syncId, source: 'snapshot' }),
              'The failing rows of the snapshot, by error',
              'failing-now',
            ),
        },
        {
          id: 'failed',
          label: 'Rows failed',
          numeric: true,
          sortValue: (s) => s.rowsFailedInWindow,
          title: 'Rows with a failed operation in the window, of the rows attempted',
          render: (s) => [
            figure(
              s.rowsFailedInWindow,
              () => open({ panel: 'breakdown', syncId: s.syncId, days }),
              'The window’s failures, by error',
              'rows-failed',
            ),
            el('div', {
              className: 'muted small',
              text:
                s.failureRate === null
                  ? 'nothing attempted'
                  : `${fmtNumber(s.failureRate * 100, 1)}% of ${fmtNumber(s.rowsAttemptedInWindow)}`,
            }),
          ],
        },
        {
          id: 'runs',
          label: 'Failed rows per run',
          render: (s) => sparkline(s.runs),
          title:
            'Failed / attempted operations of each run in the window (a run has at most one per row); red: the run failed',
        },
        {
          id: 'stuck',
          label: 'Stuck rows',
          numeric: true,
          sortValue: (s) => s.stuckRows,
          title: `Rows whose latest ${data.minFailures} or more operations all failed; the arrow compares with the window’s first run`,
          render: (s) => [
            figure(
              s.stuckRows,
              () => open({ panel: 'flapping', syncId: s.syncId, days, focus: 'stuck' }),
              'Stuck rows of this sync',
              'stuck',
            ),
            trend(s.stuckRows, s.stuckRowsBefore),
          ],
        },
        {
          id: 'new',
          label: 'New templates',
          numeric: true,
          sortValue: (s) => s.newTemplateCount,
          title: 'Failure templates first seen in the window (over the whole log)',
          render: (s) =>
            figure(
              s.newTemplateCount,
              () => open({ panel: 'breakdown', syncId: s.syncId, days }),
              s.newTemplates.map((t) => `${t.template} (${fmtNumber(t.rows)} rows)`).join('\n') || 'No new template',
              'new-templates',
            ),
        },
        {
          id: 'aborted',
          label: 'Aborted runs',
          numeric: true,
          sortValue: (s) => s.abortedRuns,
          title: 'Runs of the window with operations planned but never attempted',
          render: (s) =>
            s.abortedRuns ? el('span', { className: 'status-warning', text: fmtNumber(s.abortedRuns) }) : '0',
        },
        {
          id: 'more',
          label: 'Open',
          render: (s) => [
            linkButton('Flapping', () => open({ panel: 'flapping', syncId: s.syncId, days }), {
              title: 'Rows that flap, and stuck rows',
            }),
            ' · ',
            linkButton('Model', () => open({ panel: 'model', syncId: s.syncId, days }), {
              title: 'The model over time',
            }),
            ...vendorLinks(ctx, s),
          ],
        },
      ],
      onRowClick: (s) => open({ panel: 'breakdown', syncId: s.syncId, days }),
      rowClass: (s) => `row-${s.state}`,
      empty: 'No syncs in this sync log',
    },
    data.syncs,
  );
  content.append(
    el('h2', {}, 'Syncs', el('span', { className: 'count-note', text: 'worst first' })),
    el('div', { className: 'table-scroll' }, table.element),
  );
  content.append(
    el(
      'details',
      { className: 'box rules', testid: 'rules' },
      el('summary', { className: 'title', text: 'How a state is decided' }),
      el(
        'dl',
        {},
        ...(Object.keys(STATE_LABELS) as SyncState[]).flatMap((s) => [
          el('dt', { text: STATE_LABELS[s] }),
          el('dd', { text: data.rules[s] }),
        ]),
      ),
    ),
  );
}

/** The sync's page and its last run's page in Hightouch, when a workspace is set. */
function vendorLinks(ctx: PanelContext, s: SyncHealth): Child[] {
  const sync = vendorLink(ctx, { kind: 'sync', syncId: s.syncId }, 'Hightouch');
  const run = s.lastRun
    ? vendorLink(ctx, { kind: 'run', syncId: s.syncId, syncRunId: s.lastRun.syncRunId }, 'Last run in Hightouch')
    : undefined;
  return [sync, run].flatMap((link) => (link ? [' · ', link] : []));
}

function lastRunCell(s: SyncHealth): Child[] {
  const r = s.lastRun;
  if (!r) return ['—'];
  const status = r.status ?? 'unknown';
  return [
    linkButton(fmtDate(r.startedAt), () => open({ panel: 'run', syncId: s.syncId, syncRunId: r.syncRunId }), {
      title: 'Explain this run',
      testid: 'last-run',
    }),
    el(
      'div',
      { className: 'small' },
      badge(status, status === 'failed' ? 'error' : status === 'succeeded' ? 'ok' : undefined),
      ` ${fmtNumber(r.failed)} of ${fmtNumber(r.attempted)} failed${r.aborted ? `, ${fmtNumber(r.aborted)} aborted` : ''}`,
    ),
  ];
}

function figure(n: number, onClick: () => void, title: string, testid: string): HTMLElement {
  if (n === 0) return el('span', { className: 'muted', text: '0', testid });
  return linkButton(fmtNumber(n), onClick, { title, testid });
}

function trend(now: number, before: number): Child {
  if (now === before) return undefined;
  const up = now > before;
  return el('span', {
    className: up ? 'trend up' : 'trend down',
    text: `${up ? '▲' : '▼'} ${fmtNumber(Math.abs(now - before))}`,
    attrs: { title: `${fmtNumber(before)} at the window’s first run` },
  });
}

const SVG = 'http://www.w3.org/2000/svg';

/** Bars of failed / attempted per run, oldest first; a failed run is a red bar to the top. */
function sparkline(runs: readonly HealthRun[]): Child {
  if (runs.length === 0) return el('span', { className: 'muted', text: 'no runs' });
  const w = 120;
  const h = 22;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'health-spark');
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(h));
  svg.setAttribute('role', 'img');
  const worst = runs.reduce((m, r) => Math.max(m, r.attempted ? r.failed / r.attempted : 0), 0);
  svg.setAttribute('aria-label', `${runs.length} runs, worst ${fmtNumber(worst * 100, 0)}% failed`);
  const step = w / runs.length;
  runs.forEach((r, i) => {
    const rate = r.status === 'failed' ? 1 : r.attempted ? r.failed / r.attempted : 0;
    const bar = document.createElementNS(SVG, 'rect');
    const bh = Math.max(rate > 0 ? 2 : 1, rate * (h - 1));
    bar.setAttribute('x', String(i * step));
    bar.setAttribute('y', String(h - bh));
    bar.setAttribute('width', String(Math.max(1, step - (step > 3 ? 1 : 0))));
    bar.setAttribute('height', String(bh));
    bar.setAttribute('class', r.status === 'failed' ? 'bar run-failed' : rate > 0 ? 'bar has-failures' : 'bar ok');
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${fmtDate(r.startedAt)}: ${r.status === 'failed' ? 'run failed' : `${fmtNumber(r.failed)} of ${fmtNumber(r.attempted)} failed`}${r.aborted ? `, ${fmtNumber(r.aborted)} aborted` : ''}`;
    bar.append(title);
    svg.append(bar);
  });
  return svg as unknown as Node;
}
