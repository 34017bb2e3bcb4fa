import * as assert from 'assert';
import * as vscode from 'vscode';
import { getApi, waitFor } from './api';
import type { RunQueryOutcome } from '../../src/commands/queryCommands';
import type { QueryResult } from '../../src/shared/queryResult';
import { startBigQueryFake, type BigQueryFake } from '../fakes/bigqueryServer';

const RUNS = 'hightouch_audit.sync_runs';

/** An independent answer: the same warehouse, queried directly, not through the command. */
async function direct(sql: string): Promise<QueryResult> {
  const api = await getApi();
  const w = await api.container.connections.getWarehouse();
  return w.query(sql, [], { maxRows: 100_000 });
}

async function openSql(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'sql', content });
  return vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
}

/**
 * Sets the selection and waits until it holds. In code-server the browser's editor reports its own
 * selection back a moment after the editor opens; under load that report could land after ours
 * and the command then ran a selection cut mid-word (once in five runs).
 */
async function placeCursor(editor: vscode.TextEditor, offset: number, selectTo = offset): Promise<void> {
  const doc = editor.document;
  const wanted = new vscode.Selection(doc.positionAt(offset), doc.positionAt(selectTo));
  for (let attempt = 0; attempt < 30; attempt++) {
    editor.selection = wanted;
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (editor.selection.isEqual(wanted) && vscode.window.activeTextEditor?.document === doc) return;
  }
  assert.fail(`the selection ${JSON.stringify(wanted)} did not hold in the active editor`);
}

async function runQuery(): Promise<RunQueryOutcome> {
  const outcome = await vscode.commands.executeCommand<RunQueryOutcome | undefined>('syncLogs.runQuery');
  assert.ok(outcome, 'syncLogs.runQuery returned what it showed');
  return outcome;
}

function assertOk(outcome: RunQueryOutcome): QueryResult {
  assert.strictEqual(outcome.status, 'ok', outcome.status !== 'ok' ? `query failed: ${outcome.message}` : '');
  return outcome.result;
}

/** The results panel's tab, once it is open. */
function resultsTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('syncLogs.results'));
}

describe('Run Query and the results panel', function () {
  this.timeout(180_000);

  before(async () => {
    const api = await getApi();
    assert.strictEqual(api.container.connections.activeName, 'Demo', 'the demo connection is active by default');
    // The first open builds the demo sync log; pay for it here rather than in a test.
    await api.container.connections.getWarehouse();
  });

  afterEach(async () => {
    // Close the untitled documents without a save prompt; leave the results panel alone.
    for (const editor of vscode.window.visibleTextEditors.filter((e) => e.document.isUntitled)) {
      await vscode.window.showTextDocument(editor.document, editor.viewColumn);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('syncLogs')
      .update('maxResultRows', undefined, vscode.ConfigurationTarget.Global);
  });

  it('runs the statement under the cursor (the second of two) and shows it in the results panel', async () => {
    const second = `select sync_run_id, status\nfrom ${RUNS}\norder by sync_run_id`;
    const text = `select count(*) as n from ${RUNS};\n\n${second};\n`;
    const editor = await openSql(text);
    await placeCursor(editor, text.indexOf('status'));

    const outcome = await runQuery();
    const result = assertOk(outcome);
    assert.strictEqual(outcome.source, 'statement');
    assert.strictEqual(outcome.sql, second);
    assert.strictEqual(outcome.connectionName, 'Demo');
    assert.deepStrictEqual(
      result.columns.map((c) => c.name),
      ['sync_run_id', 'status'],
    );
    assert.ok(
      result.columns.every((c) => c.type.length > 0),
      'every column carries its type',
    );

    const total = Number((await direct(`select count(*) as n from ${RUNS}`)).rows[0][0]);
    assert.ok(total > 0, 'the demo has runs');
    const cap = vscode.workspace.getConfiguration('syncLogs').get<number>('maxResultRows', 1000);
    // Past the cap the warehouse is read only one row further: "at least cap + 1".
    assert.deepStrictEqual(
      [result.rowCount, result.rowCountExact === false],
      total > cap ? [cap + 1, true] : [total, false],
    );
    const expected = await direct(second);
    const shown = Math.min(total, cap);
    assert.strictEqual(result.rows.length, shown);
    assert.deepStrictEqual(result.rows, expected.rows.slice(0, shown));

    await waitFor('the results panel to open', () => resultsTab());
    assert.strictEqual(resultsTab()?.label, 'Sync Logs: Results');
  });

  it('a selection wins over the statement under the cursor', async () => {
    const selected = `select sync_run_id from ${RUNS}`;
    const text = `${selected} where status = 'failed';\nselect 2 as two;\n`;
    const editor = await openSql(text);
    // The cursor (the selection's active end) is inside the first statement, whose where clause is not selected.
    await placeCursor(editor, 0, selected.length);
    const outcome = await runQuery();
    const result = assertOk(outcome);
    assert.strictEqual(outcome.source, 'selection');
    assert.strictEqual(outcome.sql, selected);
    const ofSelection = (await direct(selected)).rows.slice(0, result.rows.length);
    const ofStatement = (await direct(`${selected} where status = 'failed'`)).rows.slice(0, result.rows.length);
    assert.notDeepStrictEqual(ofSelection, ofStatement, 'the demo has runs that did not fail');
    assert.deepStrictEqual(result.rows, ofSelection, 'the selection ran, not the whole statement');
  });

  it('shows an invalid statement as an error, with the warehouse code', async () => {
    const editor = await openSql('select * from hightouch_audit.sync_runz');
    await placeCursor(editor, 5);
    const outcome = await runQuery();
    assert.strictEqual(outcome.status, 'error');
    if (outcome.status !== 'error') return;
    assert.match(outcome.message, /sync_runz/);
    assert.strictEqual(outcome.code, '42P01');
  });

  it('reads at most syncLogs.maxResultRows rows (and one more) and says the query has more', async () => {
    await vscode.workspace.getConfiguration('syncLogs').update('maxResultRows', 5, vscode.ConfigurationTarget.Global);
    const editor = await openSql(`select sync_run_id from ${RUNS}`);
    await placeCursor(editor, 0);
    const result = assertOk(await runQuery());
    const total = Number((await direct(`select count(*) from ${RUNS}`)).rows[0][0]);
    assert.ok(total > 5);
    assert.strictEqual(result.rows.length, 5);
    assert.strictEqual(result.rowCount, 6);
    assert.strictEqual(result.rowCountExact, false);
    assert.strictEqual(result.truncated, true);
    await vscode.workspace
      .getConfiguration('syncLogs')
      .update('maxResultRows', undefined, vscode.ConfigurationTarget.Global);
  });

  it('a selection of several statements runs each in its own tab; a failed one stops the ones after it', async () => {
    const statements = [
      `select count(*) as runs from ${RUNS}`,
      'select 2 as two',
      `select * from ${RUNS}z`,
      'select 4',
    ];
    const text = `${statements.join(';\n')};\n`;
    const editor = await openSql(text);
    await placeCursor(editor, 0, text.length);
    const outcome = await runQuery();
    assert.ok(outcome.statements, 'a run of several statements reports each');
    assert.deepStrictEqual(
      outcome.statements.map((o) => [o.sql, o.status]),
      [
        [statements[0], 'ok'],
        [statements[1], 'ok'],
        [statements[2], 'error'],
      ],
      'each statement ran with its own SQL, in order, and none after the failed one',
    );
    const first = outcome.statements[0];
    assert.ok(first.status === 'ok');
    assert.deepStrictEqual(first.result.rows, (await direct(statements[0])).rows);
    assert.strictEqual(outcome.status, 'error', 'the outcome is the last statement that ran');

    const api = await getApi();
    const [panel] = api.resultsPanels();
    assert.deepStrictEqual(
      panel.tabs.map((t) => [t.type, t.sql]),
      [
        ['showResult', statements[0]],
        ['showResult', statements[1]],
        ['showError', statements[2]],
        ['showCancelled', statements[3]],
      ],
    );
    const notRun = panel.tabs[3];
    assert.ok(notRun.type === 'showCancelled' && /Not run: statement 3 failed/.test(notRun.message));
    assert.deepStrictEqual(
      panel.tabs.map((t) => t.batch?.index),
      [0, 1, 2, 3],
    );
  });

  it('a pinned panel keeps its results; the next run opens a new panel', async () => {
    const editor = await openSql('select 1 as pinned_one');
    await placeCursor(editor, 0);
    assertOk(await runQuery());
    assert.strictEqual(await vscode.commands.executeCommand('syncLogs.pinResults'), true);
    const api = await getApi();
    await waitFor('the pinned title', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Sync Logs: Results (pinned)'),
    );
    const second = await openSql('select 2 as after_pin');
    await placeCursor(second, 0);
    assertOk(await runQuery());
    const panels = api.resultsPanels();
    assert.strictEqual(panels.length, 2, 'a second panel opened');
    assert.deepStrictEqual(
      panels.map((p) => [p.pinned, p.tabs.map((t) => t.sql)]),
      [
        [false, ['select 2 as after_pin']],
        [true, ['select 1 as pinned_one']],
      ],
      'the new run is in the new panel; the pinned one still shows its own',
    );
    // Close the pinned panel so the other tests see one panel.
    const pinnedTab = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find((t) => t.label === 'Sync Logs: Results (pinned)');
    assert.ok(pinnedTab);
    await vscode.window.tabGroups.close(pinnedTab);
    await waitFor('the pinned panel to close', () => (api.resultsPanels().length === 1 ? true : undefined));
  });

  it('runs nothing in an empty editor', async () => {
    const editor = await openSql('  \n-- nothing here yet\n');
    await placeCursor(editor, 1);
    const outcome = await vscode.commands.executeCommand<RunQueryOutcome | undefined>('syncLogs.runQuery');
    assert.strictEqual(outcome, undefined);
  });

  it('New Query opens a starter query on the runs table that runs', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('syncLogs.newQuery');
    assert.strictEqual(editor.document.languageId, 'sql');
    assert.ok(editor.document.getText().includes(RUNS), 'the starter query reads the configured schema');
    assert.strictEqual(vscode.window.activeTextEditor?.document, editor.document);
    const result = assertOk(await runQuery());
    assert.ok(result.columns.some((c) => c.name === 'sync_run_id'));
    assert.ok(result.rows.length > 0);
  });
});

// Where a statement ends depends on the warehouse: in BigQuery a backslash escapes a quote and #
// starts a comment, in Postgres neither. Run Query lexes with the active connection's dialect; a
// BigQuery protocol fake (as in fakeWarehouses.test.ts) shows what reaches the warehouse.
describe("Run Query on BigQuery cuts statements by BigQuery's rules (protocol fake)", function () {
  this.timeout(90_000);
  const name = 'BQ statements';
  const token = 'ya29.fake-token-for-run-query';
  let bigquery: BigQueryFake | undefined;

  before(async () => {
    bigquery = await startBigQueryFake({
      token,
      handler: (q) => {
        if (/INFORMATION_SCHEMA\.COLUMNS/.test(q.sql)) {
          const columns = ['sync_changelog', 'sync_snapshot', 'sync_runs'].flatMap((t) =>
            ['sync_id', 'sync_run_id', 'status'].map((c) => ['hightouch_audit', t, c, 'STRING']),
          );
          return {
            fields: ['table_schema', 'table_name', 'column_name', 'data_type'].map((n) => ({
              name: n,
              type: 'STRING',
            })),
            rows: columns,
          };
        }
        return { fields: [{ name: 'a', type: 'STRING' }], rows: [['x']] };
      },
    });
    const api = await getApi();
    await vscode.workspace
      .getConfiguration('syncLogs')
      .update(
        'connections',
        [{ name, kind: 'bigquery', database: 'my-project', auth: 'oauthToken', endpoint: bigquery.url }],
        vscode.ConfigurationTarget.Global,
      );
    await waitFor('the connection to be listed', () =>
      api.container.connections.list().some((c) => c.name === name) ? true : undefined,
    );
    await api.container.context.secrets.store(`syncLogs.token.${name}`, token);
    await vscode.commands.executeCommand('syncLogs.selectConnection', name);
    assert.strictEqual(api.container.connections.dialect, 'bigquery');
  });

  after(async () => {
    await vscode.commands.executeCommand('syncLogs.selectConnection', 'Demo');
    await vscode.workspace
      .getConfiguration('syncLogs')
      .update('connections', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await bigquery?.close();
  });

  it("runs select 'it\\'s; here' whole, and the statement after a # comment holding a ; without the comment", async () => {
    const first = "select 'it\\'s; here' as a";
    const second = 'select 2 as b';
    const text = `${first};\n# a; note\n${second};\n`;
    const editor = await openSql(text);

    await placeCursor(editor, text.indexOf('here'));
    const one = await runQuery();
    assertOk(one);
    assert.strictEqual(one.connectionName, name);
    assert.strictEqual(one.source, 'statement');
    assert.strictEqual(one.sql, first, "the \\' did not end the string, so its ; did not end the statement");

    await placeCursor(editor, text.indexOf(second) + 3);
    const two = await runQuery();
    assertOk(two);
    assert.strictEqual(two.sql, second, 'the # comment, and the ; in it, are not part of the statement');

    const sent = bigquery!.queries
      .filter((q) => !q.dryRun && !/INFORMATION_SCHEMA|^SELECT 1$/.test(q.sql))
      .map((q) => q.sql);
    assert.deepStrictEqual(sent.slice(-2), [first, second], 'BigQuery received exactly those two statements');
  });
});
