import * as assert from 'assert';
import * as vscode from 'vscode';
import { getApi, waitFor } from './api';
import type { AnalysisPanel } from '../../src/panels/analysisPanel';
import type { BreakdownData, CategoryChart } from '../../src/shared/analysisData';

// A workspace whose committed category file holds a pattern that backtracks for hours on a demo
// failure text: (\w+)+$ on "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: ..." is 2^39 steps (on
// one thread, the editor froze; the issue saw (a+)+$ block it for 23 s on 28 characters). The
// breakdown must answer with that category named as skipped and every number as without it,
// while the extension host keeps answering commands.

const FILE = '.vscode/sync-logs-categories.json';
const LOAD_TIMEOUT_MS = 150_000;

async function writeCategories(folder: vscode.Uri, value: unknown): Promise<void> {
  await vscode.workspace.fs.writeFile(
    vscode.Uri.joinPath(folder, FILE),
    new TextEncoder().encode(JSON.stringify(value, null, 2)),
  );
}

async function breakdown(): Promise<{ panel: AnalysisPanel<'breakdown'>; data: BreakdownData; chart: CategoryChart }> {
  const panel = await vscode.commands.executeCommand<AnalysisPanel<'breakdown'>>('syncLogs.openErrorBreakdown', {
    syncId: null,
    days: null,
  });
  assert.ok(panel, 'the command returned its panel');
  await waitFor(
    'the breakdown to finish loading',
    () => (panel.phase.phase === 'loading' || panel.phase.phase === 'idle' ? undefined : panel.phase),
    LOAD_TIMEOUT_MS,
  );
  await panel.settled();
  const phase = panel.phase;
  assert.strictEqual(phase.phase, 'ready', JSON.stringify(phase).slice(0, 500));
  const chart = panel.extra('chart');
  assert.ok(chart && chart.view.phase === 'ready', `chart: ${JSON.stringify(chart?.view).slice(0, 300)}`);
  return { panel, data: (phase as { data: BreakdownData }).data, chart: (chart.view as { data: CategoryChart }).data };
}

const chartTotals = (chart: CategoryChart) =>
  Object.fromEntries(chart.series.map((s) => [s.category, s.counts.reduce((a, b) => a + b, 0)]));
const categoryCounts = (data: BreakdownData) => data.categories.map((c) => [c.name, c.failures, c.distinctTexts]);

describe('A hostile workspace category file', function () {
  this.timeout(360_000);
  let folder: vscode.Uri;
  let createdDir = false;

  before(async () => {
    const api = await getApi();
    assert.strictEqual(api.container.connections.activeName, 'Demo');
    await api.container.connections.getWarehouse();
    const first = vscode.workspace.workspaceFolders?.[0];
    assert.ok(first, 'the test workspace is open');
    folder = first.uri;
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, '.vscode'));
    } catch {
      createdDir = true;
    }
    // The pattern really has a demo text to hang on (else this test would prove nothing).
    const w = await api.container.connections.getWarehouse();
    const { rows } = await w.query(
      `select count(*) from hightouch_audit.sync_changelog where status = 'failed' and failure_reason like 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:%'`,
      [],
      { maxRows: 1 },
    );
    assert.ok(Number(rows[0][0]) > 0, 'the demo has a failure text with a 39-character word run');
  });

  after(async () => {
    // Other suites read the same workspace: leave it as it was.
    await vscode.workspace.fs
      .delete(vscode.Uri.joinPath(folder, createdDir ? '.vscode' : FILE), { recursive: true })
      .then(undefined, () => undefined);
  });

  it('the breakdown names the category skipped, counts as without it, and the host keeps answering', async () => {
    await writeCategories(folder, [{ name: 'mine', pattern: 'requests' }]);
    const baseline = await breakdown();
    baseline.panel.dispose();
    assert.ok(
      baseline.data.categories.some((c) => c.name === 'mine' && c.failures > 0),
      'the benign user category counts',
    );
    assert.deepStrictEqual(baseline.data.problems, []);

    await writeCategories(folder, [
      { name: 'hostile', pattern: String.raw`(\w+)+$` },
      { name: 'mine', pattern: 'requests' },
    ]);
    // Commands and timers on the extension host while the breakdown loads: each must answer.
    let stop = false;
    let maxCommandMs = 0;
    let commands = 0;
    const pinging = (async () => {
      while (!stop) {
        const t = Date.now();
        await vscode.commands.executeCommand('setContext', 'syncLogsTest.ping', commands);
        maxCommandMs = Math.max(maxCommandMs, Date.now() - t);
        commands++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    let last = Date.now();
    let maxGapMs = 0;
    const timer = setInterval(() => {
      maxGapMs = Math.max(maxGapMs, Date.now() - last);
      last = Date.now();
    }, 50);
    let hostile: Awaited<ReturnType<typeof breakdown>>;
    try {
      hostile = await breakdown();
    } finally {
      stop = true;
      clearInterval(timer);
      await pinging;
    }
    hostile.panel.dispose();

    const skipped = hostile.data.problems.find((p) => p.name === 'hostile');
    assert.ok(skipped, `problems: ${JSON.stringify(hostile.data.problems)}`);
    assert.match(
      skipped.message,
      /^Category "hostile" \(.*\) skipped: its pattern took over (1 s on one text|10 s in total)/,
      skipped.message,
    );
    assert.deepStrictEqual(
      hostile.data.problems.map((p) => p.name),
      ['hostile'],
    );
    assert.ok(
      hostile.data.warnings?.some((w) => w.name === 'hostile' && /nested quantifiers/.test(w.message)),
      `warnings: ${JSON.stringify(hostile.data.warnings)}`,
    );
    // Every number as without the hostile category.
    assert.strictEqual(hostile.data.totalFailures, baseline.data.totalFailures);
    assert.strictEqual(hostile.data.distinctTexts, baseline.data.distinctTexts);
    assert.deepStrictEqual(categoryCounts(hostile.data), categoryCounts(baseline.data));
    assert.deepStrictEqual(chartTotals(hostile.chart), chartTotals(baseline.chart));
    // The host answered throughout: the load lasted at least one budget (1 s) while a command was
    // sent every 100 ms; a pattern on the host's thread would have held them all until it ended.
    // Counts, not time bounds (the times are in the message).
    assert.ok(
      commands >= 3,
      `${commands} commands answered during the load (slowest ${maxCommandMs} ms, longest stall ${maxGapMs} ms)`,
    );
  });
});
