/**
 * The results panel's tabs (src/shared/resultTabs.ts): one per statement, the running statement
 * on screen until the user picks a tab, a new run starting afresh, and the labels; and the saved
 * state read back whichever version saved it (src/shared/resultsProtocol.ts savedTabs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseTab, NO_TABS, receiveTabView, tabLabel, type TabsState } from '../../src/shared/resultTabs';
import { savedTabs, type ResultTabView, type RunInfo } from '../../src/shared/resultsProtocol';

const fmt = (n: number) => n.toLocaleString('en-US');

function info(batch: string, index: number, count: number, sql = `select ${index}`): RunInfo {
  return {
    runId: `${batch}.${index + 1}`,
    sql,
    connectionName: 'Demo',
    startedAt: 1,
    ...(count > 1 ? { batch: { id: batch, index, count } } : {}),
  };
}

const waiting = (r: RunInfo): ResultTabView => ({ type: 'showWaiting', ...r });
const running = (r: RunInfo): ResultTabView => ({ type: 'showRunning', ...r });
const result = (r: RunInfo, rowCount: number, exact = true): ResultTabView => ({
  type: 'showResult',
  ...r,
  columns: [{ name: 'n', type: 'int4' }],
  rowCount,
  ...(exact ? {} : { rowCountExact: false }),
  keptRows: Math.min(rowCount, 1000),
  truncated: rowCount > 1000,
  maxRows: 1000,
  elapsedMs: 5,
  page: { offset: 0, rows: [] },
});

function run(views: ResultTabView[], from: TabsState = NO_TABS): TabsState {
  return views.reduce(receiveTabView, from);
}

test('each statement has its tab, and the statement that starts running is on screen', () => {
  const a = [0, 1, 2].map((i) => info('b1', i, 3));
  let tabs = run(a.map(waiting));
  assert.equal(tabs.views.length, 3);
  assert.equal(tabs.active, 0);
  tabs = run([running(a[0]), result(a[0], 5), running(a[1])], tabs);
  assert.equal(tabs.active, 1, 'the second statement took the screen when it started');
  tabs = run([result(a[1], 7), running(a[2]), result(a[2], 9)], tabs);
  assert.equal(tabs.active, 2, 'the last statement stays on screen');
  assert.deepEqual(
    tabs.views.map((v) => v?.type),
    ['showResult', 'showResult', 'showResult'],
  );
});

test('a tab the user picked stays on screen while later statements run', () => {
  const a = [0, 1, 2].map((i) => info('b2', i, 3));
  let tabs = run([...a.map(waiting), running(a[0]), result(a[0], 5), running(a[1])]);
  tabs = chooseTab(tabs, 0);
  assert.equal(tabs.active, 0);
  tabs = run([result(a[1], 1), running(a[2])], tabs);
  assert.equal(tabs.active, 0, 'the pick holds');
  assert.equal(chooseTab(tabs, 5), tabs, 'a tab that does not exist is not picked');
});

test("a webview that missed the run gets each tab's last view: the last statement that ran is on screen", () => {
  const a = [0, 1, 2, 3].map((i) => info('replay', i, 4));
  const notRun: ResultTabView = {
    type: 'showCancelled',
    ...a[3],
    message: 'Not run: statement 3 failed.',
    notRun: true,
  };
  const tabs = run([result(a[0], 1), result(a[1], 2), { type: 'showError', ...a[2], message: 'x' }, notRun]);
  assert.equal(tabs.active, 2);
});

test('a new run replaces the tabs and shows its first statement', () => {
  const a = [0, 1].map((i) => info('old', i, 2));
  let tabs = chooseTab(run([...a.map(waiting), running(a[0]), result(a[0], 3), running(a[1])]), 1);
  const single = info('new', 0, 1);
  tabs = run([waiting(single), running(single)], tabs);
  assert.equal(tabs.views.length, 1);
  assert.equal(tabs.active, 0);
  assert.equal(tabs.chosen, false);
  assert.equal(tabs.views[0]?.runId, single.runId);
});

test('labels say the statement, shortened, and how it ended', () => {
  const long = info('b', 0, 2, 'select sync_id,\n   status, count(*) from hightouch_audit.sync_runs group by 1, 2');
  const label = tabLabel(result(long, 1234), 0, fmt);
  assert.equal(label.text, '1 select sync_id, status, cou…', 'whitespace folded, cut at 28 characters');
  assert.equal(label.status, '1,234 rows');
  assert.equal(tabLabel(result(long, 1001, false), 0, fmt).status, '≥ 1,001 rows');
  assert.equal(tabLabel({ ...running(long) }, 1, fmt).status, 'running');
  assert.equal(tabLabel({ type: 'showError', ...long, message: 'boom' }, 0, fmt).state, 'error');
  assert.equal(
    tabLabel({ type: 'showCancelled', ...long, message: 'Not run: statement 1 failed.', notRun: true }, 1, fmt).status,
    'not run',
  );
});

test('saved state: tabs come back; an older single-view state and junk are read safely', () => {
  const a = [0, 1].map((i) => info('s', i, 2));
  const views = [result(a[0], 3), result(a[1], 4)];
  assert.deepEqual(savedTabs({ views, active: 1, chosen: true, pinned: true }), {
    views,
    active: 1,
    chosen: true,
    pinned: true,
  });
  const old = result(info('x', 0, 1), 2);
  assert.deepEqual(savedTabs({ view: old, pageOffset: 0 }).views, [old]);
  const junk = savedTabs({ views: [{ type: 'showResult' }, 42, views[0]], active: 9 });
  assert.deepEqual(junk.views, [views[0]]);
  assert.equal(junk.active, 0, 'an active index past the tabs falls back to the first');
  assert.deepEqual(savedTabs(undefined), { views: [], active: 0, chosen: false, pinned: false });
});
