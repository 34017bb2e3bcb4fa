/**
 * Row timeline: where the row stands now (in the destination or not, since when, failing since
 * when), then its operations newest first (the latest state is what an on-call engineer needs;
 * a toggle reads them oldest first), repeated ones folded into one expandable entry, with the
 * field diff between operations when the changelog has `fields`. Every warehouse string is text.
 */
import '../shared/base.css';
import '../shared/panel.css';
import './timeline.css';
import type { TimelineParams, PanelContext } from '../../src/shared/analysisProtocol';
import type {
  FieldChange,
  TimelineData,
  TimelineEntry,
  TimelineEvent,
  TimelineOutcome,
  TimelineSummary,
} from '../../src/shared/analysisData';
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
} from '../shared/dom';
import { send, startPanel, syncLabel, syncOptions, vendorLink } from '../shared/panelShell';

let draft: string | undefined;
let draftFor: string | undefined;
/** Kept across re-renders of the panel (not a parameter: the order needs no reload). */
let oldestFirst = false;

startPanel({
  panel: 'timeline',
  scope: (p, ctx) => (p.rowId ? `Row ${isolate(p.rowId)} · ${syncLabel(ctx, p.syncId)}` : 'No row chosen'),
  toolbar(p, ctx, update) {
    const input = el('input', {
      testid: 'row-input',
      attrs: {
        type: 'text',
        name: 'rowId',
        placeholder: 'Row id (the primary key value)',
        'aria-label': 'Row id',
        'data-ctl': 'row',
        maxlength: '1000',
        spellcheck: 'false',
      },
    });
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
    const submit = el('button', {
      className: 'primary',
      text: 'Search',
      testid: 'search',
      attrs: { type: 'submit', 'data-ctl': 'search' },
    });
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
      : [
          el('p', {
            className: 'box hint',
            testid: 'hint',
            text: "Enter a row id (the value of the model's primary key) and press Search to see whether the row is in the destination now, and every operation the syncs performed on it, newest first, repeated attempts folded into one entry, with the field changes between them. Row ids are compared as text.",
          }),
        ],
  renderReady(content, data, m) {
    render(content, data, m.params, m.context);
  },
});

/** Dot colour and badge kind of an outcome (the classes panel.css already styles). */
const OUTCOME_KIND: Record<TimelineOutcome, string> = {
  added: 'entered',
  'add-failed': 'failed',
  changed: 'changed',
  'change-failed': 'failed',
  removed: 'exited',
  'remove-failed': 'failed',
  aborted: 'aborted',
  other: 'subtle',
};

const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });
const dayYearFormat = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' });

/** "Sep 20" (with the year when it is not the year of `ref`). */
function fmtDay(iso: string | null, ref?: string | null): string {
  const d = iso ? new Date(iso) : undefined;
  if (!d || Number.isNaN(d.getTime())) return iso ?? 'an unknown time';
  const r = ref ? new Date(ref) : d;
  return (r.getFullYear() === d.getFullYear() ? dayFormat : dayYearFormat).format(d);
}

/** A label built from an unknown op_type or status holds warehouse text: shown apart, isolated, beside the op. */
function outcomeBadge(outcome: TimelineOutcome, label: string): HTMLElement {
  return badge(outcome === 'other' ? 'other operation' : label, OUTCOME_KIND[outcome]);
}

function times(n: number): string {
  return n === 1 ? 'once' : `${fmtNumber(n)} times`;
}

/** "failed 245 times, Sep 20 to Oct 31, same error". */
function entryCountText(e: TimelineEntry): string {
  const st = e.status.toLowerCase();
  const verb =
    st === 'failed'
      ? 'failed'
      : st === 'aborted'
        ? 'not attempted'
        : st === 'succeeded'
          ? 'succeeded'
          : isolate(e.status);
  const span =
    e.firstStartedAt && e.lastStartedAt && fmtDay(e.firstStartedAt) !== fmtDay(e.lastStartedAt)
      ? `${fmtDay(e.firstStartedAt, e.lastStartedAt)} to ${fmtDay(e.lastStartedAt)}`
      : `on ${fmtDay(e.lastStartedAt)}`;
  const parts = [`${verb} ${times(e.count)}`, span];
  if (e.distinctReasons === 1) parts.push('same error');
  else if (e.distinctReasons > 1) parts.push(`same kind of error, ${fmtNumber(e.distinctReasons)} different texts`);
  if (e.fieldChanges > 0) parts.push(`values changed in ${fmtNumber(e.fieldChanges)}`);
  return parts.join(', ');
}

/** "In the destination since Sep 3 (added) · in the model · failing since Sep 20 (245 attempts, same error)". */
function summaryParts(s: TimelineSummary, data: TimelineData): string[] {
  const parts: string[] = [];
  const cutFrom = data.oldestLoadedAt ? fmtDate(data.oldestLoadedAt) : 'the oldest operation loaded';
  if (s.inDestination === true) {
    parts.push(
      s.since
        ? `In the destination since ${fmtDate(s.since)} (added)`
        : s.cut
          ? `In the destination since before ${cutFrom} (history cut)`
          : 'In the destination (its add is not in the log)',
    );
  } else if (s.inDestination === false) {
    if (s.since) parts.push(`Not in the destination since ${fmtDate(s.since)} (removed)`);
    else if (s.neverAdded)
      parts.push(
        s.cut
          ? `Not in the destination: never added since ${cutFrom} (history cut)`
          : 'Not in the destination: never added',
      );
    else parts.push('Not in the destination');
  } else {
    parts.push('Not known whether it is in the destination');
  }
  parts.push(s.inModel ? 'in the model (the snapshot)' : 'not in the model (not in the snapshot)');
  if (s.failing) {
    const f = s.failing;
    const errors = f.templates === 1 ? 'same error' : `${fmtNumber(f.templates)} kinds of error`;
    const attempts = `${fmtNumber(f.attempts)} ${f.attempts === 1 ? 'attempt' : 'attempts'}`;
    parts.push(`failing since ${s.cut ? 'at least ' : ''}${fmtDate(f.since)} (${attempts}, ${errors})`);
  }
  return parts;
}

function render(content: HTMLElement, data: TimelineData, p: TimelineParams, ctx: PanelContext): void {
  if (!p.rowId) return;
  const failures = data.events.filter((e) => e.status === 'failed').length;
  const syncs = new Set(data.events.map((e) => e.syncId));
  const cards = el(
    'div',
    { className: 'cards', testid: 'summary' },
    summaryCard('events', 'Operations', data.events.length),
    summaryCard('entries', 'Entries', data.entries.length, {
      hint: 'Repeated operations (same op, status and error) are folded into one entry.',
    }),
    summaryCard('failures', 'Failed', failures, { emphasis: failures ? 'error' : undefined }),
    summaryCard('syncs', 'Syncs', syncs.size),
  );
  const snapshotBySync = new Map(data.snapshot.map((s) => [s.syncId, s]));
  const now = el(
    'section',
    { className: 'snapshot', testid: 'snapshot' },
    el('h2', { text: 'Now' }),
    data.summaries.length
      ? el(
          'ul',
          { className: 'snapshot-list' },
          ...data.summaries.map((s) => {
            const snap = snapshotBySync.get(s.syncId);
            const state = s.failing ? 'failed' : s.inDestination === true ? 'succeeded' : 'subtle';
            return el(
              'li',
              { className: `summary-line ${state}`, testid: 'summary-line', attrs: { 'data-key': s.syncId } },
              valueText(syncLabel(ctx, s.syncId), 'sync-name'),
              ' ',
              badge(
                s.inDestination === true
                  ? 'in the destination'
                  : s.inDestination === false
                    ? 'not in the destination'
                    : 'unknown',
                state,
              ),
              ' ',
              el('span', {
                className: 'summary-text',
                testid: 'summary-text',
                text: summaryParts(s, data).join(' · '),
              }),
              snap && s.inModel
                ? el(
                    'span',
                    { className: 'muted' },
                    ' · snapshot ',
                    valueText(snap.status ?? '—'),
                    ', last op ',
                    valueText(snap.opType ?? '—'),
                  )
                : null,
            ) as HTMLElement;
          }),
        )
      : el('p', { className: 'muted', text: 'The row is in no snapshot.' }),
  );
  const notes: HTMLElement[] = [];
  if (!data.hasFields)
    notes.push(
      el(
        'div',
        { className: 'box', testid: 'fields-note' },
        el('div', { className: 'title', text: 'No field changes' }),
        el('div', {
          text:
            data.fieldsNote ??
            'The changelog has no fields column on this connection, so the values of the row are not known.',
        }),
      ),
    );
  if (data.truncated) {
    const from = data.oldestLoadedAt ? `, back to ${fmtDate(data.oldestLoadedAt)}` : '';
    notes.push(
      el('div', {
        className: 'box warning',
        testid: 'events-truncated',
        text: `History cut: showing the latest ${fmtNumber(data.events.length)} operations${from}; older ones are left out, so what happened before is not known here.`,
      }),
    );
  }

  const list = el('ol', { className: 'timeline', testid: 'timeline-events' });
  const fillList = () => {
    const entries = oldestFirst ? [...data.entries].reverse() : data.entries;
    list.setAttribute(
      'aria-label',
      `Operations on row ${isolate(data.rowId)}, ${oldestFirst ? 'oldest' : 'newest'} first`,
    );
    list.replaceChildren(...entries.map((e) => entryItem(e, data, ctx)));
    orderNote.textContent = oldestFirst ? 'oldest first' : 'newest first';
    toggle.textContent = oldestFirst ? 'Newest first' : 'Oldest first';
  };
  const orderNote = el('span', { className: 'count-note', testid: 'order-note' });
  const toggle = linkButton(
    '',
    () => {
      oldestFirst = !oldestFirst;
      fillList();
    },
    { testid: 'order-toggle', className: 'order-toggle', title: 'Reverse the order of the operations' },
  );
  fillList();
  content.append(
    cards,
    now,
    ...notes,
    el('h2', {}, 'Operations', orderNote, data.events.length ? toggle : null),
    data.events.length ? list : el('p', { className: 'muted', text: 'No operation on this row in the changelog.' }),
  );
}

function entryItem(e: TimelineEntry, data: TimelineData, ctx: PanelContext): HTMLElement {
  if (e.count === 1) return eventItem(data.events[e.events[0]], data, ctx);
  const members = e.events.map((i) => data.events[i]);
  const first = members[0];
  const last = members[members.length - 1];
  const failed = e.status === 'failed';
  const head = el(
    'div',
    { className: 'event-head' },
    el('time', {
      className: 'event-time',
      text: fmtDate(e.lastStartedAt),
      attrs: { datetime: e.lastStartedAt ?? undefined },
    }),
    outcomeBadge(e.outcome, e.label),
    e.outcome === 'other' ? valueText(e.opType, 'op mono') : null,
    el('span', { className: 'entry-count', testid: 'entry-count', text: entryCountText(e) }),
    el('span', { className: 'muted' }, valueText(syncLabel(ctx, e.syncId)), ` · ${fmtNumber(e.count)} runs`),
  );
  const item = el(
    'li',
    {
      className: `entry group ${OUTCOME_KIND[e.outcome]}${failed ? ' failed' : ''}`,
      testid: 'timeline-entry',
      attrs: { 'data-key': `${e.syncId}:${first.syncRunId}..${last.syncRunId}`, 'data-count': String(e.count) },
    },
    el('span', { className: 'dot stacked', attrs: { 'aria-hidden': 'true' } }),
    head,
  );
  // The latest text stands for the entry; the others differ only in their variable parts.
  if (last.failureReason)
    item.append(
      el('pre', { className: 'text-block failure error-text', testid: 'failure-text', text: last.failureReason }),
    );
  const ordered = oldestFirst ? members : [...members].reverse();
  item.append(
    el(
      'details',
      { className: 'members', testid: 'entry-members' },
      el('summary', { className: 'muted', text: `Show the ${fmtNumber(e.count)} operations` }),
      el('ol', { className: 'timeline nested' }, ...ordered.map((m) => eventItem(m, data, ctx, last.failureReason))),
    ),
  );
  return item;
}

/** One operation; inside a folded entry its failure text shows only where it differs from the entry's. */
function eventItem(e: TimelineEvent, data: TimelineData, ctx: PanelContext, shownReason?: string | null): HTMLElement {
  const failed = e.status === 'failed';
  const head = el(
    'div',
    { className: 'event-head' },
    el('time', { className: 'event-time', text: fmtDate(e.startedAt), attrs: { datetime: e.startedAt ?? undefined } }),
    outcomeBadge(e.outcome, e.label),
    valueText(e.opType, 'op mono'),
    badge(
      e.status,
      failed ? 'failed' : e.status === 'aborted' ? 'aborted' : e.status === 'succeeded' ? 'succeeded' : 'subtle',
    ),
    el('span', { className: 'muted' }, valueText(syncLabel(ctx, e.syncId)), ' · run ', valueText(e.syncRunId)),
    // The debugger has this operation's request and response, which the changelog does not (for 7 days).
    vendorLink(ctx, { kind: 'debugger', syncId: e.syncId, syncRunId: e.syncRunId }, 'Debugger'),
  );
  const item = el(
    'li',
    {
      className: `event ${OUTCOME_KIND[e.outcome]}${failed ? ' failed' : ''}`,
      attrs: { 'data-key': `${e.syncId}:${e.syncRunId}` },
    },
    el('span', { className: 'dot', attrs: { 'aria-hidden': 'true' } }),
    head,
  );
  if (e.failureReason && e.failureReason !== shownReason)
    item.append(
      el('pre', { className: 'text-block failure error-text', testid: 'failure-text', text: e.failureReason }),
    );
  if (e.changes && e.changes.length) {
    item.append(diffTable(e.changes));
  } else if (e.changes && data.hasFields) {
    item.append(el('div', { className: 'muted small', text: 'No field changed.' }));
  }
  if (e.fields)
    item.append(
      el(
        'details',
        { className: 'fields' },
        el('summary', { className: 'muted', text: 'Fields after this operation' }),
        el('pre', { className: 'text-block', text: e.fields }),
      ),
    );
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
        {
          id: 'kind',
          label: 'Kind',
          sortValue: (c) => c.kind,
          render: (c) => badge(c.kind, c.kind === 'added' ? 'entered' : c.kind === 'removed' ? 'exited' : 'changed'),
        },
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
