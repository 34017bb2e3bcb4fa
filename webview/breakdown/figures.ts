/**
 * The breakdown's figures as a person reads them: rows first (distinct row ids), failures
 * (attempts) beside them, "at most" where overlaps were not all read, the `new` badge and the
 * definitions. Text only: every warehouse value goes in through el()'s text.
 */
import type { BreakdownData } from '../../src/shared/analysisData';
import { el, fmtDate, fmtNumber } from '../shared/dom';

const plural = (n: number, one: string, many: string) => `${fmtNumber(n)} ${n === 1 ? one : many}`;

/** "N rows · M failures", rows bold; `atMost` marks an upper bound (≤, said in words for screen readers). */
export function rowsAndFailures(rows: number, failures: number, atMost = false): HTMLElement {
  const rowsText = plural(rows, 'row', 'rows');
  return el(
    'span',
    {
      className: 'figure',
      attrs: atMost
        ? { title: 'At most: some rows that failed with several texts were not read, so a row may be counted twice' }
        : {},
    },
    el('strong', {
      className: 'rows',
      text: atMost ? `≤ ${rowsText}` : rowsText,
      attrs: atMost ? { 'aria-label': `at most ${rowsText}` } : {},
    }),
    ` · ${plural(failures, 'failure', 'failures')}`,
  );
}

/** The `new` badge: a word, not a colour alone; its title says what new means. */
export function newBadge(windowStart: string | null): HTMLElement {
  return el('span', {
    className: 'badge new',
    testid: 'new-badge',
    text: 'new',
    attrs: {
      title: `New: first seen in the whole log at or after the window's start${windowStart ? ` (${fmtDate(windowStart)})` : ''}`,
    },
  });
}

/** A first or last seen for a table cell: the whole log's, "…" while the history is read. */
export function seenCell(iso: string | null, data: BreakdownData): string {
  if (data.history === null) return '…';
  return iso === null ? '—' : fmtDate(iso);
}

/** Where the history stands, for the line above the templates (undefined: nothing to say). */
export function historyNote(data: BreakdownData): HTMLElement | undefined {
  const h = data.history;
  if (h === null)
    return el('p', {
      className: 'muted',
      testid: 'history-note',
      attrs: { role: 'status' },
      text: 'Reading first and last seen over the whole log…',
    });
  if (h.error)
    return el('p', {
      className: 'box warning',
      testid: 'history-note',
      text: `First and last seen over the whole log could not be read: ${h.error}`,
    });
  if (h.truncated) {
    return el('p', {
      className: 'box warning',
      testid: 'history-note',
      text: 'The whole log holds more distinct failure texts than are read for first seen: the oldest were left out, so a template may have first appeared earlier than shown, and one marked new may be older.',
    });
  }
  return undefined;
}

/** The panel's definitions, for its help box. */
export function definitions(): HTMLElement {
  return el(
    'details',
    { className: 'box explain', testid: 'definitions' },
    el('summary', { className: 'title', text: 'What the figures count' }),
    el(
      'ul',
      {},
      el(
        'li',
        {},
        'Rows are distinct row ids (with All syncs, a row is its sync and row id: one id in two syncs is two rows). Failures are failed operations: a rejected row is retried on every run, so one stuck row makes many failures but stays one row.',
      ),
      el(
        'li',
        {},
        'A row that failed with several texts (its error changed, or the text carries a request id) counts once in its template, its category and the total. When more such rows failed than the panel reads, template and category rows are marked ≤ (at most); the total stays exact.',
      ),
      el(
        'li',
        {},
        'First and last seen are over the whole retained log of the sync (or all syncs), not only the window.',
      ),
      el(
        'li',
        {},
        'A new template is one whose first appearance in the whole log falls inside the window. The window ends at the newest run start of the whole sync log. With All runs there is no window, so nothing is new.',
      ),
      el(
        'li',
        {},
        'From the latest snapshot, each failing row has one text: rows and failures are the rows failing now.',
      ),
    ),
  );
}
