/**
 * The results panel's tabs, one per statement of the run it shows: which tab a message updates,
 * which tab is on screen, and what each tab's label says. Pure, so the webview and the unit tests
 * share it.
 */
import type { ResultTabView } from './resultsProtocol';

export interface TabsState {
  /** One per statement, in order; an index not yet heard of is empty. */
  views: (ResultTabView | undefined)[];
  active: number;
  /** The user picked a tab: later statements no longer take the screen as they start. */
  chosen: boolean;
}

export const NO_TABS: TabsState = Object.freeze({ views: [], active: 0, chosen: false }) as TabsState;

const batchOf = (v: ResultTabView): string => v.batch?.id ?? v.runId;

/**
 * The tabs after a view message: a message of another run starts the tabs afresh (the run that
 * replaced it); one of the same run updates its statement's tab. While the user has not picked a
 * tab, the latest statement that started is on screen, so the last one run stays shown (a failed
 * one too: the statements after it do not run). It is read from the tabs, not from the order of
 * messages: a webview that was hidden during the run gets only each tab's last view.
 */
export function receiveTabView(state: TabsState, view: ResultTabView): TabsState {
  const index = view.batch?.index ?? 0;
  const count = view.batch?.count ?? 1;
  const first = state.views.find((v) => v !== undefined);
  const sameRun = first !== undefined && batchOf(first) === batchOf(view) && state.views.length === count;
  const views = sameRun ? [...state.views] : new Array<ResultTabView | undefined>(count).fill(undefined);
  views[index] = view;
  const chosen = sameRun && state.chosen;
  return { views, active: chosen ? state.active : latestStarted(views), chosen };
}

function started(v: ResultTabView | undefined): boolean {
  return v !== undefined && v.type !== 'showWaiting' && !(v.type === 'showCancelled' && v.notRun);
}

function latestStarted(views: readonly (ResultTabView | undefined)[]): number {
  for (let i = views.length - 1; i >= 0; i--) if (started(views[i])) return i;
  return 0;
}

/** The user picks a tab. */
export function chooseTab(state: TabsState, index: number): TabsState {
  if (index < 0 || index >= state.views.length || !state.views[index]) return state;
  return { ...state, active: index, chosen: true };
}

export interface TabLabel {
  /** E.g. `2 select sync_id, status…`. */
  text: string;
  /** What happened, e.g. `1,000 rows`, `failed`, `running`. */
  status: string;
  state: 'waiting' | 'running' | 'ok' | 'error' | 'cancelled';
}

const LABEL_CHARS = 28;

/** A tab's label: its number, the start of its SQL on one line, and how it ended. */
export function tabLabel(view: ResultTabView, index: number, format: (n: number) => string): TabLabel {
  const oneLine = view.sql.replace(/\s+/g, ' ').trim();
  const sql = oneLine.length > LABEL_CHARS ? `${oneLine.slice(0, LABEL_CHARS - 1)}…` : oneLine;
  const text = `${index + 1} ${sql}`;
  switch (view.type) {
    case 'showWaiting':
      return { text, status: 'waiting', state: 'waiting' };
    case 'showRunning':
      return { text, status: 'running', state: 'running' };
    case 'showError':
      return { text, status: 'failed', state: 'error' };
    case 'showCancelled':
      return { text, status: view.notRun ? 'not run' : 'cancelled', state: 'cancelled' };
    case 'showResult': {
      if (view.columns.length === 0) return { text, status: `${format(view.rowCount)} affected`, state: 'ok' };
      const atLeast = view.rowCountExact === false ? '≥ ' : '';
      return {
        text,
        status: `${atLeast}${format(view.rowCount)} ${view.rowCount === 1 ? 'row' : 'rows'}`,
        state: 'ok',
      };
    }
  }
}
