/**
 * Row timeline: every operation on one row (in one sync or all), oldest first, with the field
 * diff between operations when the changelog has `fields`. Every warehouse string is text.
 */
import '../shared/base.css';
import '../shared/panel.css';
import './timeline.css';
import type { TimelineParams, PanelContext } from '../../src/shared/analysisProtocol';
import type { FieldChange, TimelineData, TimelineEvent } from '../../src/shared/analysisData';
import { badge, el, fmtDate, fmtNumber, isolate, sortableTable, summaryCard, valueText } from '../shared/dom';
import { send, startPanel, syncLabel, syncOptions } from '../shared/panelShell';

let draft: string | undefined;
let draftFor: string | undefined;

startPanel({
  panel: 'timeline',
  scope: (p, ctx) => (p.rowId ? `Row ${isolate(p.rowId)} · ${syncLabel(ctx, p.syncId)}` : 'No row chosen'),
  toolbar(p, ctx, update) {
    const input = el('input', { testid: 'row-input', attrs: { type: 'text', name: 'rowId', placeholder: 'Row id (the primary key value)', 'aria-label': 'Row id', 'data-ctl': 'row', maxlength: '1000', spellcheck: 'false' } });
    // A re-render (e.g. the host's next state) keeps what the user is typing for the same search.
    input.value = draft !== undefined && draftFor === p.rowId ? draft : p.rowId;
    draftFor = p.rowId;
    input.addEventListener('input', () => (draft = input.value));
    const sync = el('select', { testid: 'sync-select', attrs: { 'aria-label': 'Sync', 'data-ctl': 'sync' } });
    for (const o of syncOptions(ctx, { all: 'All syncs', current: p.syncId })) {
      const option = el('option', { text: o.label });
      option.value = o.value;
      sync.append(option);
    }
    sync.value = p.syncId ?? '';
    const submit = el('button', { className: 'primary', text: 'Search', testid: 'search', attrs: { type: 'submit', 'data-ctl': 'search' } });
    const form = el(
      'form',
      { className: 'search-form', testid: 'search-form', attrs: { role: 'search' } },
      el('label', { className: 'field' }, el('span', { className: 'field-label', text: 'Row id' }), input),
      el('label', { className: 'field' }, el('span', { className: 'field-label', text: 'Sync' }), sync),
      submit,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const rowId = input.value.trim();
      if (!rowId) {
        input.focus();
        return;
      }
      draft = undefined;
      update({ rowId, syncId: sync.value || null });
    });
    return [form];
  },
  preamble: (p) =>
    p.rowId
      ? []
      : [el('p', { className: 'box hint', testid: 'hint', text: 'Enter a row id (the value of the model\'s primary key) and press Search to see every operation the syncs performed on that row, oldest first, with the field changes between them. Row ids are compared as text.' })],
  renderReady(content, data, m) {
    render(content, data, m.params, m.context);
  },
});

const MOVEMENT_LABEL: Record<TimelineEvent['movement'], string> = { entered: 'entered', changed: 'changed', exited: 'exited', other: 'other' };

function render(content: HTMLElement, data: TimelineData, p: TimelineParams, ctx: PanelContext): void {
  if (!p.rowId) return;
  const failures = data.events.filter((e) => e.status === 'failed').length;
  const syncs = new Set(data.events.map((e) => e.syncId));
  const cards = el(
    'div',
    { className: 'cards', testid: 'summary' },
    summaryCard('events', 'Operations', data.events.length),
    summaryCard('failures', 'Failed', failures, { emphasis: failures ? 'error' : undefined }),
    summaryCard('syncs', 'Syncs', syncs.size),
  );
  const snapshot = el(
    'section',
    { className: 'snapshot', testid: 'snapshot' },
    el('h2', { text: 'Now (the snapshot)' }),
    data.snapshot.length
      ? el(
          'ul',
          { className: 'snapshot-list' },
          ...data.snapshot.map((s) =>
            el(
              'li',
              { attrs: { 'data-key': s.syncId } },
              valueText(syncLabel(ctx, s.syncId), 'sync-name'),
              ' ',
              s.status === 'absent' || (s.status === null && s.opType === null)
                ? badge('absent: not in the model', 'subtle')
                : el('span', {}, badge(s.status ?? 'unknown', s.status === 'failed' ? 'failed' : s.status === 'succeeded' ? 'succeeded' : 'subtle'), ' ', el('span', { className: 'muted' }, 'last op ', valueText(s.opType ?? '—'))),
            ) as HTMLElement,
          ),
        )
      : el('p', { className: 'muted', text: 'The row is in no snapshot.' }),
  );
  const notes: HTMLElement[] = [];
  if (!data.hasFields) notes.push(el('div', { className: 'box', testid: 'fields-note' }, el('div', { className: 'title', text: 'No field changes' }), el('div', { text: data.fieldsNote ?? 'The changelog has no fields column on this connection, so the values of the row are not known.' })));
  if (data.truncated) notes.push(el('div', { className: 'box warning', testid: 'events-truncated', text: `Showing the latest ${fmtNumber(data.events.length)} operations; older ones are left out.` }));

  const list = el('ol', { className: 'timeline', testid: 'timeline-events', attrs: { 'aria-label': `Operations on row ${isolate(data.rowId)}, oldest first` } }, ...data.events.map((e) => eventItem(e, data, ctx)));
  content.append(
    cards,
    snapshot,
    ...notes,
    el('h2', {}, 'Operations', el('span', { className: 'count-note', text: 'oldest first' })),
    data.events.length ? list : el('p', { className: 'muted', text: 'No operation on this row in the changelog.' }),
  );
}

function eventItem(e: TimelineEvent, data: TimelineData, ctx: PanelContext): HTMLElement {
  const failed = e.status === 'failed';
  const head = el(
    'div',
    { className: 'event-head' },
    el('time', { className: 'event-time', text: fmtDate(e.startedAt), attrs: { datetime: e.startedAt ?? undefined } }),
    badge(MOVEMENT_LABEL[e.movement], e.movement),
    valueText(e.opType, 'op mono'),
    badge(e.status, failed ? 'failed' : e.status === 'aborted' ? 'aborted' : e.status === 'succeeded' ? 'succeeded' : 'subtle'),
    el('span', { className: 'muted' }, valueText(syncLabel(ctx, e.syncId)), ' · run ', valueText(e.syncRunId)),
  );
  const item = el('li', { className: `event ${e.movement}${failed ? ' failed' : ''}`, attrs: { 'data-key': `${e.syncId}:${e.syncRunId}` } }, el('span', { className: 'dot', attrs: { 'aria-hidden': 'true' } }), head);
  if (e.failureReason) item.append(el('pre', { className: 'text-block failure error-text', testid: 'failure-text', text: e.failureReason }));
  if (e.changes && e.changes.length) {
    item.append(diffTable(e.changes));
  } else if (e.changes && data.hasFields) {
    item.append(el('div', { className: 'muted small', text: 'No field changed.' }));
  }
  if (e.fields) item.append(el('details', { className: 'fields' }, el('summary', { className: 'muted', text: 'Fields after this operation' }), el('pre', { className: 'text-block', text: e.fields })));
  return item;
}

function diffTable(changes: FieldChange[]): HTMLElement {
  const table = sortableTable<FieldChange>(
    {
      testid: 'diff-table',
      label: 'Field changes',
      key: (c) => c.field,
      columns: [
        { id: 'field', label: 'Field', sortValue: (c) => c.field, className: 'mono' },
        { id: 'before', label: 'Before', render: (c) => value(c.before), className: 'mono before' },
        { id: 'after', label: 'After', render: (c) => value(c.after), className: 'mono after' },
        { id: 'kind', label: 'Kind', sortValue: (c) => c.kind, render: (c) => badge(c.kind, c.kind === 'added' ? 'entered' : c.kind === 'removed' ? 'exited' : 'changed') },
      ],
    },
    changes,
  );
  table.element.classList.add('diff');
  return table.element;
}

function value(v: string | undefined): HTMLElement {
  return v === undefined ? el('span', { className: 'muted absent', text: '(absent)' }) : valueText(v, 'value');
}

void send;
