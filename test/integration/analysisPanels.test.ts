import * as assert from 'assert';
import * as vscode from 'vscode';
import { getApi, waitFor } from './api';
import { scriptedPrompter } from '../support/scriptedPrompter';
import type { Prompter } from '../../src/connections/prompter';
import type { AnalysisPanel } from '../../src/panels/analysisPanel';
import type { DataOf, PanelKind } from '../../src/shared/analysisProtocol';
import type { CategoryChart } from '../../src/shared/analysisData';
import { inlineSql } from '../../src/sql/inlineSql';

// The four analysis panels through their real commands on the embedded demo connection. Every
// number a panel shows is checked against an independent plain SQL query on the same warehouse.
// The panel instances come back from the commands (the test bundle has its own copy of
// src/panels/analysisPanel.ts, so its static AnalysisPanel.all() would be a different registry).

const CHANGELOG = 'hightouch_audit.sync_changelog';
const SNAPSHOT = 'hightouch_audit.sync_snapshot';
const RUNS = 'hightouch_audit.sync_runs';
/** The timeline's cap (src/loaders/timelineLoader.ts MAX_TIMELINE_EVENTS). */
const MAX_TIMELINE_EVENTS = 2000;
const LOAD_TIMEOUT_MS = 150_000;

/** An independent answer: the same warehouse, queried directly, not through a panel. */
async function direct(sql: string, values: unknown[] = []): Promise<unknown[][]> {
  const api = await getApi();
  const w = await api.container.connections.getWarehouse();
  return (await w.query(sql, values, { maxRows: 100_000 })).rows;
}

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const rows = await direct(sql, values);
  return Number(rows[0][0]);
}

/** Panels opened by the current test, disposed after it. */
let opened: vscode.Disposable[] = [];

async function openPanel<K extends PanelKind>(command: string, arg?: unknown): Promise<AnalysisPanel<K>> {
  const panel =
    arg === undefined
      ? await vscode.commands.executeCommand<AnalysisPanel<K>>(command)
      : await vscode.commands.executeCommand<AnalysisPanel<K>>(command, arg);
  assert.ok(panel, `${command} returned its panel`);
  opened.push(panel);
  return panel;
}

/** Polls until the panel's main load has ended (any phase but idle/loading), then waits for its follow-ups. */
async function finished<K extends PanelKind>(panel: AnalysisPanel<K>): Promise<AnalysisPanel<K>['phase']> {
  await waitFor(
    `the ${panel.kind} panel to finish loading`,
    () => (panel.phase.phase === 'loading' || panel.phase.phase === 'idle' ? undefined : panel.phase),
    LOAD_TIMEOUT_MS,
  );
  // Follow-ups (the chart, refined data) may still replace the data: read it once they are done.
  await panel.settled();
  return panel.phase;
}

async function readyData<K extends PanelKind>(panel: AnalysisPanel<K>): Promise<DataOf[K]> {
  const phase = await finished(panel);
  assert.strictEqual(phase.phase, 'ready', `the ${panel.kind} panel ended ${JSON.stringify(phase).slice(0, 500)}`);
  return (phase as { data: DataOf[K] }).data;
}

async function closeUntitledEditors(): Promise<void> {
  for (const editor of vscode.window.visibleTextEditors.filter((e) => e.document.isUntitled)) {
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

describe('Analysis panels on the demo connection', function () {
  this.timeout(240_000);
  let realPrompter: Prompter;
  let busiestSync: string;

  before(async () => {
    const api = await getApi();
    realPrompter = api.container.prompter;
    assert.strictEqual(api.container.connections.activeName, 'Demo', 'the demo connection is active by default');
    // The first open builds the demo sync log; pay for it here rather than in a test.
    await api.container.connections.getWarehouse();
    const [row] = await direct(
      `select sync_id, count(*) as n from ${CHANGELOG} group by sync_id order by n desc, sync_id limit 1`,
    );
    busiestSync = String(row[0]);
  });

  afterEach(async () => {
    const api = await getApi();
    api.container.prompter = realPrompter;
    for (const p of opened) p.dispose();
    opened = [];
    await closeUntitledEditors();
  });

  it('error breakdown of all syncs: totals, chart and a drill-down agree with plain SQL', async () => {
    const panel = await openPanel<'breakdown'>('syncLogs.openErrorBreakdown', { syncId: null, days: null });
    assert.strictEqual(panel.kind, 'breakdown');
    assert.deepStrictEqual(panel.params, { syncId: null, syncRunId: null, source: 'changelog', days: null });
    const data = await readyData(panel);

    const failed = await count(`select count(*) from ${CHANGELOG} where status = 'failed'`);
    assert.ok(failed > 0, 'the demo has failures');
    assert.strictEqual(data.totalFailures, failed);
    assert.strictEqual(data.truncated, false);
    // Rows: a row is its sync and row id. The history follow-up has answered: whole-log first seen, nothing new without a window.
    const failedRows = await count(
      `select count(*) from (select distinct sync_id, row_id from ${CHANGELOG} where status = 'failed') x`,
    );
    assert.strictEqual(data.totalRows, failedRows);
    assert.deepStrictEqual(data.history, { truncated: false });
    assert.ok(
      data.templates.every((t) => t.isNew === false && t.firstSeen !== null),
      'all runs: first seen known, nothing new',
    );
    assert.strictEqual(
      data.templates.reduce((s, t) => s + t.failures, 0),
      failed,
      'the templates add up to the total',
    );
    assert.strictEqual(
      data.categories.reduce((s, c) => s + c.failures, 0),
      failed,
      'the categories add up to the total',
    );

    const chart = await waitFor('the chart', () => {
      const c = panel.extra('chart');
      return c && c.view.phase !== 'loading' ? c : undefined;
    });
    assert.strictEqual(chart.view.phase, 'ready', `chart: ${JSON.stringify(chart.view).slice(0, 300)}`);
    const chartData = (chart.view as { data: CategoryChart }).data;
    assert.ok(chartData.series.length > 0);
    for (const s of chartData.series)
      assert.strictEqual(s.counts.length, chartData.buckets.length, `series ${s.category} aligns with the buckets`);
    const charted = chartData.series.reduce((sum, s) => sum + s.counts.reduce((a, b) => a + b, 0), 0);
    const runs = await count(`select count(*) from ${RUNS}`);
    assert.strictEqual(
      chartData.buckets.reduce((a, b) => a + b.runs, 0),
      runs,
      'the chart places every run',
    );
    assert.strictEqual(charted, data.totalFailures, 'the chart series add up to the total');

    // A drill-down, delivered as the webview would post it.
    const first = data.templates[0];
    const selector = { category: first.category, template: first.template };
    await panel.handleMessage({ type: 'drill', selector });
    const drill = panel.extra('drill');
    assert.ok(drill, 'a drill message was sent');
    assert.deepStrictEqual(drill.selector, selector);
    assert.strictEqual(drill.view.phase, 'ready', `drill: ${JSON.stringify(drill.view).slice(0, 300)}`);
    const drilled = (
      drill.view as {
        data: {
          rows: { rowId: string; failureReason: string }[];
          textsUsed: number;
          textsTotal: number;
          truncated: boolean;
        };
      }
    ).data;
    assert.ok(drilled.rows.length > 0, 'the drill-down has rows');
    assert.strictEqual(drilled.textsTotal, first.distinctTexts);
    if (drilled.textsUsed === drilled.textsTotal)
      assert.strictEqual(drilled.rows.length, Math.min(first.failures, 500));
    // Each drilled row really failed with that text.
    const sample = drilled.rows[0];
    const same = await count(
      `select count(*) from ${CHANGELOG} where status = 'failed' and row_id = $1 and failure_reason = $2`,
      [sample.rowId, sample.failureReason],
    );
    assert.ok(same > 0, `row ${sample.rowId} failed with "${sample.failureReason}"`);
  });

  it('error breakdown of one sync: the total and the chart match plain SQL', async () => {
    const runs = await count(`select count(*) from ${RUNS} where sync_id = $1`, [busiestSync]);
    const panel = await openPanel<'breakdown'>('syncLogs.openErrorBreakdown', { syncId: busiestSync, days: null });
    const data = await readyData(panel);
    const failed = await count(`select count(*) from ${CHANGELOG} where status = 'failed' and sync_id = $1`, [
      busiestSync,
    ]);
    assert.strictEqual(data.totalFailures, failed);
    const chart = await waitFor('the chart', () => {
      const c = panel.extra('chart');
      return c && c.view.phase !== 'loading' ? c : undefined;
    });
    assert.strictEqual(chart.view.phase, 'ready', `chart: ${JSON.stringify(chart.view).slice(0, 300)}`);
    const chartData = (chart.view as { data: CategoryChart }).data;
    assert.strictEqual(
      chartData.buckets.reduce((a, b) => a + b.runs, 0),
      runs,
    );
    const charted = chartData.series.reduce((sum, s) => sum + s.counts.reduce((a, b) => a + b, 0), 0);
    assert.strictEqual(charted, data.totalFailures, 'the chart series add up to the total');
  });

  it("show SQL: the breakdown opens its queries in an editor, values inlined, and the load's query gives the panel's total", async () => {
    const panel = await openPanel<'breakdown'>('syncLogs.openErrorBreakdown', { syncId: busiestSync, days: null });
    const data = await readyData(panel);
    const recorded = panel.recordedQueries;
    assert.ok(recorded.length >= 2, `the load and its chart ran ${recorded.length} queries`);
    // Posted as the webview's Show SQL button posts it.
    await panel.handleMessage({ type: 'showSql' });
    const doc = await waitFor('the Show SQL editor', () =>
      vscode.workspace.textDocuments.find(
        (d) => d.isUntitled && d.languageId === 'sql' && d.getText().startsWith('-- Error breakdown:'),
      ),
    );
    const text = doc.getText();
    assert.ok(text.includes('Connection "Demo"'), text.slice(0, 300));
    for (const { query, dialect } of recorded)
      assert.ok(text.includes(inlineSql(query, dialect)), `the editor holds:\n${query.text.slice(0, 300)}`);
    assert.ok(text.includes(`'${busiestSync}'`), 'the sync id is a literal');
    // The failure texts query of the load, run from the editor's text as it stands: its counts add
    // up to the failures a plain count finds, and to the panel's total.
    const api = await getApi();
    const w = await api.container.connections.getWarehouse();
    const texts = recorded.find(({ query }) => /\bfailed_rows\b/.test(query.text));
    assert.ok(texts, 'the load counted failures and rows per text');
    const result = await w.query(inlineSql(texts.query, texts.dialect), [], { maxRows: 100_000 });
    const col = (name: string) => result.columns.findIndex((c) => c.name.toLowerCase() === name);
    const [kind, failures, rows] = [col('kind'), col('failures'), col('failed_rows')];
    const summed = result.rows.filter((r) => r[kind] === 'text').reduce((sum, r) => sum + Number(r[failures]), 0);
    const total = result.rows.filter((r) => r[kind] === 'total');
    const failed = await count(`select count(*) from ${CHANGELOG} where status = 'failed' and sync_id = $1`, [
      busiestSync,
    ]);
    const failedRows = await count(
      `select count(distinct row_id) from ${CHANGELOG} where status = 'failed' and sync_id = $1`,
      [busiestSync],
    );
    assert.strictEqual(summed, failed);
    assert.deepStrictEqual(
      total.map((r) => [Number(r[failures]), Number(r[rows])]),
      [[failed, failedRows]],
    );
    assert.strictEqual(data.totalFailures, failed);
    assert.strictEqual(data.totalRows, failedRows);
  });

  it('error breakdown with an invalid user category: reported as a problem, the valid one still counts', async () => {
    const config = vscode.workspace.getConfiguration('syncLogs');
    const before = config.inspect('errorCategories')?.globalValue;
    const withWord = await count(
      `select count(*) from ${CHANGELOG} where status = 'failed' and failure_reason ilike '%requests%'`,
    );
    assert.ok(withWord > 0, 'the demo has failures mentioning "requests"');
    try {
      await config.update(
        'errorCategories',
        [
          { name: 'broken', pattern: '(unclosed' },
          { name: 'mine', pattern: 'requests' },
        ],
        vscode.ConfigurationTarget.Global,
      );
      const panel = await openPanel<'breakdown'>('syncLogs.openErrorBreakdown', { syncId: null, days: null });
      const data = await readyData(panel);
      assert.ok(
        data.problems.some((p) => p.name === 'broken'),
        `problems: ${JSON.stringify(data.problems)}`,
      );
      assert.ok(!data.problems.some((p) => p.name === 'mine'));
      const mine = data.categories.find((c) => c.name === 'mine');
      assert.ok(mine, `categories: ${data.categories.map((c) => c.name).join(', ')}`);
      assert.ok(mine.failures > 0);
      assert.ok(mine.failures <= withWord, `mine ${mine.failures} <= ${withWord} failures mentioning the word`);
      assert.strictEqual(mine.source, 'settings');
      assert.ok(!data.categories.some((c) => c.name === 'broken'));
    } finally {
      await config.update('errorCategories', before, vscode.ConfigurationTarget.Global);
    }
  });

  it("flapping rows of the busiest sync: the top row's operations match a plain count", async () => {
    const panel = await openPanel<'flapping'>('syncLogs.openFlappingRows', { syncId: busiestSync, days: null });
    const data = await readyData(panel);
    assert.ok(data.rows.length > 0);
    const top = data.rows[0];
    const ops = await count(`select count(*) from ${CHANGELOG} where sync_id = $1 and row_id = $2`, [
      busiestSync,
      top.rowId,
    ]);
    assert.strictEqual(top.operations, ops);
    // The default order is flapping (retries apart: test/pg/retriesAndStuckRows.test.ts checks the figures).
    assert.ok(
      data.rows.every((r) => r.flapping <= top.flapping),
      'the first row is the one that flaps the most',
    );
    const rowsWithOps = await count(`select count(distinct row_id) from ${CHANGELOG} where sync_id = $1`, [
      busiestSync,
    ]);
    assert.strictEqual(data.rowsWithOperations, rowsWithOps);
  });

  it("model over time: the last point's membership is the snapshot's row count", async () => {
    const panel = await openPanel<'model'>('syncLogs.openModelOverTime', { syncId: busiestSync, days: null });
    const data = await readyData(panel);
    assert.ok(data.points.length > 0);
    const snapshotRows = await count(`select count(*) from ${SNAPSHOT} where sync_id = $1`, [busiestSync]);
    assert.strictEqual(data.points[data.points.length - 1].membership, snapshotRows);
    assert.strictEqual(data.currentMembership, snapshotRows);
    const runs = await count(`select count(*) from ${RUNS} where sync_id = $1`, [busiestSync]);
    assert.strictEqual(data.points.length, runs, 'one point per run');
  });

  it('row timeline: events match a plain count; an unknown row is empty; the palette asks for the row id', async () => {
    const api = await getApi();
    const [row] = await direct(
      `select row_id, count(*) as n from ${CHANGELOG} where sync_id = $1 group by row_id order by n desc, row_id limit 1`,
      [busiestSync],
    );
    const rowId = String(row[0]);
    const events = await count(`select count(*) from ${CHANGELOG} where row_id = $1`, [rowId]);

    const panel = await openPanel<'timeline'>('syncLogs.openRowTimeline', { rowId });
    const data = await readyData(panel);
    assert.strictEqual(data.rowId, rowId);
    assert.strictEqual(data.syncId, null);
    assert.strictEqual(data.events.length, Math.min(events, MAX_TIMELINE_EVENTS));
    assert.strictEqual(data.truncated, events > MAX_TIMELINE_EVENTS);

    const missing = `no-such-row-${Date.now()}`;
    const empty = await openPanel<'timeline'>('syncLogs.openRowTimeline', { rowId: missing });
    const phase = await finished(empty);
    assert.strictEqual(phase.phase, 'empty', JSON.stringify(phase).slice(0, 300));
    assert.ok((phase as { reason: string }).reason.includes(missing), (phase as { reason: string }).reason);

    const script = scriptedPrompter([{ expect: /^input: Row timeline \| The row ID/, answer: rowId }]);
    api.container.prompter = script;
    const asked = await openPanel<'timeline'>('syncLogs.openRowTimeline');
    assert.strictEqual(script.remaining.length, 0, `questions asked: ${script.asked.join('\n')}`);
    assert.deepStrictEqual(asked.params, { rowId, syncId: null });
    const again = await readyData(asked);
    assert.strictEqual(again.events.length, Math.min(events, MAX_TIMELINE_EVENTS));
  });

  it('cancel right after opening: the load ends cancelled (or ready when it was too fast), never in error', async () => {
    const panel = await openPanel<'breakdown'>('syncLogs.openErrorBreakdown', { syncId: null, days: null });
    panel.cancel();
    const phase = await finished(panel);
    assert.ok(phase.phase === 'cancelled' || phase.phase === 'ready', `ended ${JSON.stringify(phase).slice(0, 300)}`);
    const chart = panel.extra('chart');
    if (chart) assert.notStrictEqual(chart.view.phase, 'error', JSON.stringify(chart.view).slice(0, 300));
  });

  it('sync health: every sync, worst first; the worst sync’s rows failing now match the snapshot; the tree follows its order', async () => {
    const api = await getApi();
    const panel = await openPanel<'health'>('syncLogs.openHealth');
    const data = await readyData(panel);
    assert.strictEqual(data.syncs.length, await count(`select count(distinct sync_id) from ${RUNS}`));
    const order = ['failing', 'stuckRising', 'stale', 'healthy', 'noRuns'];
    const ranks = data.syncs.map((s) => order.indexOf(s.state));
    assert.deepStrictEqual(
      ranks,
      [...ranks].sort((a, b) => a - b),
      'worst first',
    );
    const worst = data.syncs[0];
    assert.strictEqual(
      worst.rowsFailingNow,
      await count(`select count(*) from ${SNAPSHOT} where sync_id = $1 and status = 'failed'`, [worst.syncId]),
    );
    const failedInWindow = await count(
      `select count(distinct c.row_id) from ${CHANGELOG} c join ${RUNS} r on r.sync_run_id = c.sync_run_id
       where c.sync_id = $1 and c.status = 'failed' and r.started_at >= (select max(started_at) from ${RUNS}) - interval '1 day'`,
      [worst.syncId],
    );
    assert.strictEqual(worst.rowsFailedInWindow, failedInWindow);
    // The tree reads the same health (the last day) and lists the syncs in its order.
    await api.container.syncs.health();
    const [connection] = await api.container.tree.getChildren();
    const nodes = await api.container.tree.getChildren(connection);
    const treeOrder = nodes.flatMap((n) => (n.type === 'sync' ? [n.sync.syncId] : []));
    assert.deepStrictEqual(
      treeOrder,
      api.container.syncs.currentHealth?.syncs.map((s) => s.syncId),
    );
    const item = api.container.tree.getTreeItem(nodes[0]);
    assert.match(String(item.description), new RegExp(worst.state === 'failing' ? 'failing' : '.'));
  });

  it('exclude previously failed rows: the stable default drops exactly the rows whose latest attempt failed', async () => {
    const api = await getApi();
    const [busy] = await direct(
      `select sync_id, count(*) as n from ${SNAPSHOT} where status = 'failed' group by sync_id order by n desc, sync_id limit 1`,
    );
    assert.ok(busy, 'some sync has failed snapshot rows');
    const syncId = String(busy[0]);
    const [pkRow] = await direct(`select max(primary_key) from ${RUNS} where sync_id = $1`, [syncId]);
    const pk = String(pkRow[0]);
    assert.match(pk, /^[a-z_][a-z0-9_]*$/);
    const modelSql = `select row_id as ${pk} from ${SNAPSHOT} where sync_id = '${syncId}'`;

    // With a SQL editor active the command asks where the model's SQL is; type it instead.
    const editorDoc = await vscode.workspace.openTextDocument({ language: 'sql', content: 'select 1' });
    await vscode.window.showTextDocument(editorDoc);
    const script = scriptedPrompter([
      { expect: /^pick: Exclude previously failed rows/, answer: 'Type or paste the model’s SQL…' },
      { expect: /^input: Exclude previously failed rows \| The model’s SQL/, answer: modelSql },
      { expect: /^pick: Exclude previously failed rows: which rows\?/, answer: 'Rows whose latest attempt failed' },
    ]);
    api.container.prompter = script;
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('syncLogs.excludeFailedRows', { syncId });
    assert.ok(doc, `the command opened a document; questions asked: ${script.asked.join('\n')}`);
    assert.strictEqual(script.remaining.length, 0, `questions asked: ${script.asked.join('\n')}`);
    const text = doc.getText();
    assert.strictEqual(doc.languageId, 'sql');
    assert.ok(text.includes('not exists'), text);
    assert.ok(text.includes(syncId), text);
    assert.ok(text.includes(modelSql), text);

    const kept = await count(`select count(*) from (\n${text}\n) x`);
    const modelRows = await count(`select count(*) from (${modelSql}) m`);
    // Independently: model rows whose latest attempted add or change (removes and aborted ops aside) failed.
    const failedRows = await count(
      `select count(*) from (${modelSql}) m where m.${pk} in (
        select row_id from (
          select c.row_id, c.status, row_number() over (partition by c.row_id order by r.started_at desc, c.sync_run_id desc) as rn
          from ${CHANGELOG} c join ${RUNS} r on r.sync_run_id = c.sync_run_id
          where c.sync_id = $1 and c.status in ('succeeded', 'failed') and c.op_type in ('added', 'changed')
        ) x where rn = 1 and status = 'failed')`,
      [syncId],
    );
    assert.ok(failedRows > 0 && modelRows > failedRows);
    assert.strictEqual(kept, modelRows - failedRows);
  });

  // A failure text with markup is data, never HTML: rendering is only visible in the webview,
  // which the UI walk (test/ui/walk.mjs) checks; nothing to see from the extension host.
});
