import * as assert from 'assert';
import { copyFile, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import * as vscode from 'vscode';
import { EXTENSION_ID, getApi, waitFor } from './api';
import type { ExportOutcome } from '../../src/commands/exportResult';
import { NOTEBOOK_RESULT_MIME as RESULT_MIME, type NotebookResultOutput } from '../../src/shared/notebookOutput';
import { controllerIdOf } from '../../src/notebook/kernelPlan';
import type { PickItem, Prompter } from '../../src/connections/prompter';
import type { ConnectionSettings } from '../../src/shared/connection';
import { secretKey } from '../../src/warehouse/connectionIdentity';
import type { PostgresServer } from '../support/postgresServer';
import { startReaderPostgres } from '../support/readerPostgres';
import { scriptedPrompter } from '../support/scriptedPrompter';

const resultJson = (cell: vscode.NotebookCell): NotebookResultOutput | undefined => {
  const item = cell.outputs.flatMap((o) => o.items).find((i) => i.mime === RESULT_MIME);
  return item && (JSON.parse(new TextDecoder().decode(item.data)) as NotebookResultOutput);
};

/** The text a reader without the renderer sees: the text/plain items (and errors), not the renderer's JSON. */
const outputText = (cell: vscode.NotebookCell): string =>
  cell.outputs
    .flatMap((o) => o.items)
    .filter((i) => i.mime === 'text/plain' || i.mime === 'application/vnd.code.notebook.error')
    .map((i) =>
      i.mime === 'application/vnd.code.notebook.error'
        ? `ERROR ${JSON.parse(new TextDecoder().decode(i.data)).message}`
        : new TextDecoder().decode(i.data),
    )
    .join('\n');

async function runCell(editor: vscode.NotebookEditor, index: number): Promise<string> {
  const cell = editor.notebook.cellAt(index);
  const before = cell.executionSummary?.executionOrder;
  await vscode.commands.executeCommand('notebook.cell.execute', {
    ranges: [{ start: index, end: index + 1 }],
    document: editor.notebook.uri,
  });
  await waitFor(
    `cell ${index} to finish`,
    () => {
      const s = editor.notebook.cellAt(index).executionSummary;
      return s?.executionOrder !== undefined && s.executionOrder !== before && s.timing?.endTime ? true : undefined;
    },
    60_000,
  );
  return outputText(editor.notebook.cellAt(index));
}

describe('Sync-log notebooks', function () {
  this.timeout(120_000);

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a *.synclogs.sql file opens as a notebook and saves back byte for byte', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synclogs-nb-'));
    const file = join(dir, 'odd.synclogs.sql');
    const text =
      "-- %%   [markdown]\n--  # Odd   spacing\n\n-- %% sql\nselect '-- %% sql' as not_a_marker;\n\n\n-- %% sql\nselect 2";
    await writeFile(file, text);
    const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    assert.strictEqual(doc.notebookType, 'synclogs-notebook');
    assert.deepStrictEqual(
      doc.getCells().map((c) => [c.kind === vscode.NotebookCellKind.Markup ? 'md' : 'sql', c.document.getText()]),
      [
        ['md', ' # Odd   spacing'],
        ['sql', "select '-- %% sql' as not_a_marker;"],
        ['sql', 'select 2'],
      ],
    );
    await vscode.window.showNotebookDocument(doc);
    // Dirty it without changing it (a cell added, then removed), so saving really writes the file.
    const add = new vscode.WorkspaceEdit();
    add.set(doc.uri, [
      vscode.NotebookEdit.insertCells(3, [
        new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'select 3', 'sql'),
      ]),
    ]);
    await vscode.workspace.applyEdit(add);
    const remove = new vscode.WorkspaceEdit();
    remove.set(doc.uri, [vscode.NotebookEdit.deleteCells(new vscode.NotebookRange(3, 4))]);
    await vscode.workspace.applyEdit(remove);
    assert.ok(doc.isDirty, 'the edits made it dirty');
    await doc.save();
    assert.strictEqual(await readFile(file, 'utf8'), text);
  });

  it('runs cells on the active connection: rows match SQL, :sync_id is bound, errors show, markdown stays prose', async () => {
    const { container } = await getApi();
    const editor = await vscode.commands.executeCommand<vscode.NotebookEditor>('syncLogs.newNotebook');
    assert.strictEqual(editor.notebook.notebookType, 'synclogs-notebook');
    assert.strictEqual(editor.notebook.cellAt(0).kind, vscode.NotebookCellKind.Markup, 'the prose is a markdown cell');
    assert.strictEqual(editor.notebook.cellAt(2).kind, vscode.NotebookCellKind.Markup);
    const first = await runCell(editor, 1);
    const warehouse = await container.connections.getWarehouse();
    const syncs = Number(
      (await warehouse.query('select count(distinct sync_id) from hightouch_audit.sync_runs')).rows[0][0],
    );
    assert.match(first, new RegExp(`${syncs} rows in \\d+ ms`), first.slice(-200));
    // One output with both items: the renderer's JSON (every row, for the grid) and the text beside it.
    const items = editor.notebook.cellAt(1).outputs.flatMap((o) => o.items);
    assert.deepEqual(
      items.map((i) => i.mime),
      [RESULT_MIME, 'text/plain'],
    );
    const json = resultJson(editor.notebook.cellAt(1));
    assert.ok(json);
    assert.equal(json.version, 1);
    assert.equal(json.rows.length, syncs);
    assert.equal(json.rowCount, syncs);
    assert.ok(json.runId.length > 0 && json.columns.length > 0);
    // :sync_id, given for this notebook, is bound as a value.
    const [sync] = await container.syncs.get();
    await vscode.commands.executeCommand('syncLogs.setNotebookParameters', { sync_id: sync.syncId });
    const failing = await runCell(editor, 3);
    const expected = Number(
      (
        await warehouse.query(
          "select count(distinct failure_reason) from hightouch_audit.sync_snapshot where sync_id = $1 and status = 'failed'",
          [sync.syncId],
        )
      ).rows[0][0],
    );
    assert.match(failing, new RegExp(`${expected} rows? in`), failing.slice(-200));
    // A broken cell shows the warehouse's error, at its place in the cell's own text (after a
    // parameter on the same line, whose placeholder is shorter than its name).
    const brokenSql =
      '-- a typo\nselect 1 from hightouch_audit.sync_changelog where sync_id = :sync_id and failed_reason is null';
    const edit = new vscode.WorkspaceEdit();
    edit.set(editor.notebook.uri, [
      vscode.NotebookEdit.insertCells(4, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, brokenSql, 'sql')]),
    ]);
    await vscode.workspace.applyEdit(edit);
    const broken = await runCell(editor, 4);
    assert.match(broken, /^ERROR .*failed_reason/);
    const column = brokenSql.split('\n')[1].indexOf('failed_reason') + 1;
    assert.match(broken, new RegExp(`at line 2, column ${column}\\b`), broken.slice(0, 300));
  });

  it('a magic comment picks the output: a chart shaped from the rows, text only, or the grid with the reason', async () => {
    const { container } = await getApi();
    const editor = await vscode.commands.executeCommand<vscode.NotebookEditor>('syncLogs.newNotebook');
    const at = editor.notebook.cellCount;
    const statusSql = 'select status, count(*)::int as runs from hightouch_audit.sync_runs group by 1 order by 1';
    const cells = [
      `-- synclogs: chart=bar x=status y=runs\n${statusSql}`,
      `-- synclogs: text\n${statusSql}`,
      `-- synclogs: chart=bar x=state y=runs\n${statusSql}`,
    ];
    const edit = new vscode.WorkspaceEdit();
    edit.set(editor.notebook.uri, [
      vscode.NotebookEdit.insertCells(
        at,
        cells.map((c) => new vscode.NotebookCellData(vscode.NotebookCellKind.Code, c, 'sql')),
      ),
    ]);
    await vscode.workspace.applyEdit(edit);
    const expected = (await (await container.connections.getWarehouse()).query(statusSql)).rows;
    const chartText = await runCell(editor, at);
    const chart = resultJson(editor.notebook.cellAt(at))?.chart;
    assert.ok(chart, 'the chart cell has a chart');
    assert.deepEqual(
      chart.labels,
      expected.map((r) => String(r[0])),
    );
    assert.deepEqual(chart.series, [{ label: 'runs', values: expected.map((r) => Number(r[1])) }]);
    assert.match(chartText, /status\s*\|\s*runs/, 'the text table is still beside it');
    await runCell(editor, at + 1);
    assert.deepEqual(
      editor.notebook.cellAt(at + 1).outputs.flatMap((o) => o.items.map((i) => i.mime)),
      ['text/plain'],
    );
    const badText = await runCell(editor, at + 2);
    const bad = resultJson(editor.notebook.cellAt(at + 2));
    assert.equal(bad?.chart, undefined);
    assert.equal(bad?.rows.length, expected.length, 'the grid, with every row');
    assert.equal(
      bad?.problem,
      'The chart could not be drawn: x= "state" is not a column of this result; its columns are: status, runs.',
    );
    assert.ok(badText.startsWith(bad?.problem ?? '?'), 'the text says it too');
  });

  it('syncLogs.notebook.keepOutputs: outputs go to a sidecar on save and come back on their own cells; the notebook file is untouched', async () => {
    const setting = (on: boolean) =>
      vscode.workspace
        .getConfiguration()
        .update('syncLogs.notebook.keepOutputs', on, vscode.ConfigurationTarget.Global);
    const dir = await mkdtemp(join(tmpdir(), 'synclogs-nb-kept-'));
    const file = join(dir, 'kept.synclogs.sql');
    const sidecar = `${file}.outputs.json`;
    const text =
      '-- %% [markdown]\n-- # Kept outputs\n\n-- %% sql\nselect count(*)::int as runs from hightouch_audit.sync_runs;\n\n' +
      "-- %% sql\nselect status, count(*)::int as n from hightouch_audit.sync_runs group by 1 order by 1;\n\n-- %% sql\nselect 'third' as cell;\n";
    await writeFile(file, text);
    const exists = (path: string) =>
      stat(path).then(
        () => true,
        () => false,
      );
    // Opened as the user does (not through openNotebookDocument, whose reference keeps the document
    // open for minutes), so closing the editor closes the document and reopening reads the files again.
    const open = async (path = file) => {
      const uri = vscode.Uri.file(path);
      await vscode.commands.executeCommand('vscode.openWith', uri, 'synclogs-notebook');
      return waitFor('the notebook editor', () => {
        const active = vscode.window.activeNotebookEditor;
        return active?.notebook.uri.toString() === uri.toString() ? active : undefined;
      });
    };
    const close = async (editor: vscode.NotebookEditor) => {
      const doc = editor.notebook;
      await vscode.window.showNotebookDocument(doc);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await waitFor('the notebook to close', () => {
        if (doc.isClosed) return true;
        throw new Error(
          `still open (dirty: ${doc.isDirty}, in an editor: ${vscode.window.visibleNotebookEditors.some((e) => e.notebook === doc)})`,
        );
      });
    };
    const save = async (editor: vscode.NotebookEditor) => {
      await vscode.window.showNotebookDocument(editor.notebook);
      await vscode.commands.executeCommand('workbench.action.files.save');
    };
    await setting(true);
    try {
      let editor = await open();
      const ran = [await runCell(editor, 1), await runCell(editor, 2), await runCell(editor, 3)];
      assert.match(ran[0], /1 row in/);
      // Running makes no change to save (outputs are transient); Save still writes the file and the sidecar.
      await save(editor);
      const saved = await waitFor('the sidecar', async () =>
        (await exists(sidecar)) ? readFile(sidecar, 'utf8') : undefined,
      );
      assert.strictEqual(await readFile(file, 'utf8'), text, 'the notebook file is byte for byte what it was');
      const json = JSON.parse(saved) as {
        format: string;
        version: number;
        cells: { index: number; outputs: { mime: string; text?: string }[][] }[];
      };
      assert.deepStrictEqual([json.format, json.version], ['synclogs-notebook-outputs', 1]);
      assert.deepStrictEqual(
        json.cells.map((c) => c.index),
        [1, 2, 3],
      );
      assert.deepStrictEqual(
        json.cells.map((c) => c.outputs.flat().find((i) => i.mime === 'text/plain')?.text),
        ran,
        'the text tables the cells showed',
      );
      assert.ok(
        json.cells.every((c) => c.outputs.flat().every((i) => [RESULT_MIME, 'text/plain'].includes(i.mime))),
        'only the result and the text',
      );
      const statusRows = resultJson(editor.notebook.cellAt(2))?.rows;
      assert.ok(statusRows && statusRows.length > 0);
      await close(editor);

      // Reopened: every output is back on its cell, and no cell claims it just ran.
      editor = await open();
      await waitFor('the outputs to come back', () =>
        [1, 2, 3].every((i) => outputText(editor.notebook.cellAt(i)) === ran[i - 1]) ? true : undefined,
      );
      assert.deepStrictEqual(resultJson(editor.notebook.cellAt(2))?.rows, statusRows, "the grid's rows too");
      assert.ok(
        [1, 2, 3].every((i) => editor.notebook.cellAt(i).executionSummary?.success === undefined),
        'restored, not run: no tick',
      );

      // Edit the second SQL cell and save: only that cell's output is gone next time.
      const writtenAs = (await stat(sidecar)).ino;
      // Typed in the cell's editor, as a user edits (a WorkspaceEdit would keep a reference to the
      // notebook in the workbench, so closing the editor would not close the document).
      editor.selection = new vscode.NotebookRange(2, 3);
      await vscode.commands.executeCommand('notebook.cell.edit');
      await waitFor('the cell editor', () =>
        vscode.window.activeTextEditor?.document.uri.toString() === editor.notebook.cellAt(2).document.uri.toString()
          ? true
          : undefined,
      );
      const cellEditor = vscode.window.activeTextEditor!;
      cellEditor.selection = new vscode.Selection(0, 0, 0, 0);
      await vscode.commands.executeCommand('type', { text: '-- edited\n' });
      await waitFor('the typed text', () =>
        editor.notebook.cellAt(2).document.getText().startsWith('-- edited\n') ? true : undefined,
      );
      await vscode.commands.executeCommand('notebook.cell.quitEdit');
      await save(editor);
      // The same outputs under the same hashes (the edited cell's under its old text's): the same
      // bytes, so the new write shows as a new file renamed into place.
      await waitFor('the sidecar to be written again', async () =>
        (await stat(sidecar)).ino !== writtenAs ? true : undefined,
      );
      assert.strictEqual(await readFile(sidecar, 'utf8'), saved, "the stale output is kept under its own text's hash");
      // Reopened elsewhere (a copy of both files, as a checkout is: after an edit and a save, the
      // workbench keeps the document itself open for minutes, so the same file cannot be reopened
      // fresh). The copy gets the active connection's kernel as it opens, so its outputs come back
      // without a run.
      const copy = join(dir, 'copy.synclogs.sql');
      await copyFile(file, copy);
      await copyFile(sidecar, `${copy}.outputs.json`);
      const copied = await open(copy);
      await waitFor('the outputs restored on open', () =>
        copied.notebook.cellAt(1).outputs.length > 0 ? true : undefined,
      );
      assert.strictEqual(outputText(copied.notebook.cellAt(1)), ran[0], 'an unedited cell has its output back');
      assert.strictEqual(copied.notebook.cellAt(3).outputs.length > 0, true, 'the third cell too, before any run');
      await runCell(copied, 3);
      assert.strictEqual(copied.notebook.cellAt(2).document.getText().startsWith('-- edited\n'), true);
      assert.strictEqual(copied.notebook.cellAt(2).outputs.length, 0, "the edited cell's stale output is not restored");
      assert.match(
        outputText(copied.notebook.cellAt(3)),
        /third[\s\S]*1 row in \d+ ms/,
        'the cell that ran shows its run',
      );
      const afterEdit = await readFile(sidecar, 'utf8');

      // Off: no sidecar for another notebook, and this one's is left as it is.
      await setting(false);
      const other = join(dir, 'other.synclogs.sql');
      await writeFile(other, '-- %% sql\nselect 1 as one;\n');
      const otherEditor = await vscode.window.showNotebookDocument(
        await vscode.workspace.openNotebookDocument(vscode.Uri.file(other)),
      );
      await runCell(otherEditor, 0);
      await save(otherEditor);
      await runCell(editor, 1);
      await save(editor);
      assert.strictEqual(await exists(`${other}.outputs.json`), false, 'nothing written with the setting off');
      assert.strictEqual(await readFile(sidecar, 'utf8'), afterEdit, 'an existing sidecar is left alone');
    } finally {
      await setting(false);
    }
  });

  it("the export an output asks for binds the cell's parameters again, as values", async () => {
    const { container } = await getApi();
    const [sync] = await container.syncs.get();
    const dir = await mkdtemp(join(tmpdir(), 'synclogs-nb-export-'));
    const target = vscode.Uri.file(join(dir, 'runs.csv'));
    const done = await vscode.commands.executeCommand<ExportOutcome>(
      'syncLogs.exportResult',
      'select sync_run_id from hightouch_audit.sync_runs where sync_id = $1',
      target,
      [sync.syncId],
    );
    const warehouse = await container.connections.getWarehouse();
    const count = Number(
      (await warehouse.query('select count(*) from hightouch_audit.sync_runs where sync_id = $1', [sync.syncId]))
        .rows[0][0],
    );
    assert.deepStrictEqual([done.status, done.rows], ['ok', count]);
    assert.ok(count > 0);
    assert.strictEqual((await readFile(target.fsPath, 'utf8')).split('\r\n').filter(Boolean).length, count + 1);
  });

  it("Investigate in a Notebook: a runbook for a sync and its run runs top to bottom on the demo, its numbers the panels'", async () => {
    const { container } = await getApi();
    const health = await container.syncs.readHealthNow();
    const worst = health.syncs[0];
    const sync = await container.syncs.find(worst.syncId);
    assert.ok(sync && worst.lastRun, 'the worst sync and its last run');
    const editor = await vscode.commands.executeCommand<vscode.NotebookEditor>('syncLogs.investigateInNotebook', {
      sync,
      run: { syncRunId: worst.lastRun.syncRunId },
    });
    const code = editor.notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
    assert.ok(code.length >= 6, `${code.length} SQL cells`);
    assert.ok(
      code.every((c) => !c.document.getText().includes(worst.syncId)),
      'the sync id is a parameter, not pasted in',
    );
    const outputs: string[] = [];
    for (const cell of code) outputs.push(await runCell(editor, cell.index));
    outputs.forEach((o, i) => assert.ok(!o.startsWith('ERROR'), `cell ${i}: ${o.slice(0, 300)}`));
    // The stuck-rows cell lists the health overview's stuck rows (up to its limit of 100).
    const stuckCell = code.findIndex((c) => /stuck/.test(c.document.getText()) && /breaks/.test(c.document.getText()));
    assert.ok(stuckCell >= 0, 'a stuck-rows cell');
    const stuckLines = outputs[stuckCell].split('\n').filter((l) => /^\s*stuck\s*\|/.test(l)).length;
    assert.strictEqual(stuckLines, Math.min(100, worst.stuckRows), outputs[stuckCell].slice(0, 400));
    // The run cell's counts are the run's counters.
    const runCellText = outputs[outputs.length - 1];
    assert.match(runCellText, /rows? in \d+ ms/);
  });
});

/**
 * A notebook of the given SQL cells in a file of its own, open in an editor. A file, not an
 * untitled notebook: VS Code remembers the kernel by URI, and a new untitled notebook can reuse a
 * closed one's name, and with it the kernel that one ran on.
 */
async function sqlNotebook(cells: string[]): Promise<vscode.NotebookEditor> {
  const dir = await mkdtemp(join(tmpdir(), 'synclogs-nb-kernel-'));
  const file = join(dir, 'cells.synclogs.sql');
  await writeFile(file, cells.map((c) => `-- %% sql\n${c}\n`).join('\n'));
  const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
  assert.strictEqual(doc.cellCount, cells.length);
  return vscode.window.showNotebookDocument(doc);
}

const selectKernel = async (editor: vscode.NotebookEditor, connection: string) => {
  await vscode.window.showNotebookDocument(editor.notebook);
  await vscode.commands.executeCommand('notebook.selectKernel', {
    id: controllerIdOf(connection),
    extension: EXTENSION_ID,
  });
  const { notebooks } = await getApi();
  await waitFor(`the notebook on ${connection}`, () =>
    notebooks.runner.kernels.connectionOf(editor.notebook) === connection ? true : undefined,
  );
};

/** The first column of the first row of the renderer's JSON. */
const firstValue = (editor: vscode.NotebookEditor, index: number) =>
  resultJson(editor.notebook.cellAt(index))?.rows[0]?.[0];

const PORT_SQL = "select current_setting('port') as port";

// A second connection, to a real Postgres: a notebook runs on the kernel (connection) it was
// given, whichever connection is active, and the active one's kernel is the default.
describe('Sync-log notebooks on their own connection (a real Postgres)', function () {
  this.timeout(180_000);
  let real: PostgresServer;
  let syncCount: number;
  let admin: pg.Client;
  let realPrompter: Prompter;
  const NAME = 'Notebook PG';
  let settings: ConnectionSettings;
  const config = () => vscode.workspace.getConfiguration('syncLogs');

  before(async () => {
    const api = await getApi();
    realPrompter = api.container.prompter;
    ({ server: real, syncCount } = await startReaderPostgres());
    admin = new pg.Client({ connectionString: real.url });
    await admin.connect();
    // A column only this connection's catalog has: the language server's checks tell the catalogs apart.
    await admin.query('alter table hightouch_audit.sync_runs add column pg_only_col text');
    // A sync only this connection has: the :sync_id pick tells whose syncs it lists.
    await admin.query(`insert into hightouch_audit.sync_runs
      (sync_id, sync_run_id, primary_key, destination, model_name, status, started_at, finished_at) values
      ('nb-only', 'nb-only-1', 'id', 'Notebook destination', 'Notebook-only model', 'succeeded', now() - interval '2 hours', now() - interval '1 hour'),
      ('nb-only', 'nb-only-2', 'id', 'Notebook destination', 'Notebook-only model', 'failed', now() - interval '1 hour', now())`);
    syncCount += 1;
    settings = {
      name: NAME,
      kind: 'postgres',
      host: '127.0.0.1',
      port: real.port,
      database: real.database,
      user: real.passwordRole.user,
      ssl: 'disable',
    };
    await api.container.context.secrets.store(secretKey(settings, 'password'), real.passwordRole.password);
    await config().update('connections', [settings], vscode.ConfigurationTarget.Global);
    await waitFor('the connection to get its kernel', () =>
      api.notebooks.runner.kernels.names.includes(NAME) ? true : undefined,
    );
    // No question may be asked unless a test scripts one.
    api.container.prompter = scriptedPrompter([]);
  });

  after(async () => {
    const api = await getApi();
    api.container.prompter = realPrompter;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('syncLogs.selectConnection', 'Demo');
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await api.container.context.secrets.delete(secretKey(settings, 'password'));
    await admin?.end();
    await real?.stop();
  });

  it('offers one kernel per connection, made and dropped with the connections', async () => {
    const { container, notebooks } = await getApi();
    const names = () => [...notebooks.runner.kernels.names].sort();
    assert.deepStrictEqual(names(), ['Demo', NAME]);
    const extra = { ...settings, name: 'Short-lived', port: 1 };
    await config().update('connections', [settings, extra], vscode.ConfigurationTarget.Global);
    await waitFor('a kernel for the new connection', () => (names().length === 3 ? true : undefined));
    assert.deepStrictEqual(names(), ['Demo', NAME, 'Short-lived']);
    await config().update('connections', [settings], vscode.ConfigurationTarget.Global);
    await waitFor('the removed connection to lose its kernel', () => (names().length === 2 ? true : undefined));
    assert.deepStrictEqual(names(), ['Demo', NAME]);
    assert.deepStrictEqual(
      names(),
      container.connections
        .list()
        .map((c) => c.name)
        .sort(),
    );
  });

  it("gives a notebook nobody chose a kernel for the active connection's, and keeps it there", async () => {
    const { container, notebooks } = await getApi();
    const selected = (editor: vscode.NotebookEditor, connection: string) =>
      waitFor(`VS Code to select ${connection}'s kernel`, () =>
        notebooks.runner.kernels.selectedConnection(editor.notebook) === connection ? true : undefined,
      );
    assert.strictEqual(container.connections.activeName, 'Demo');
    const onDemo = await sqlNotebook([PORT_SQL]);
    await selected(onDemo, 'Demo');
    await runCell(onDemo, 0);
    const demoPort = firstValue(onDemo, 0);
    assert.ok(demoPort !== undefined && demoPort !== String(real.port), `the demo answered ${String(demoPort)}`);
    await vscode.commands.executeCommand('syncLogs.selectConnection', NAME);
    try {
      // A notebook opened now runs on the newly active connection, without being asked which.
      const onReal = await sqlNotebook([PORT_SQL]);
      await selected(onReal, NAME);
      await runCell(onReal, 0);
      assert.strictEqual(firstValue(onReal, 0), String(real.port));
      // The first notebook is the Demo's: VS Code remembers its kernel, the active connection does not move it.
      await vscode.window.showNotebookDocument(onDemo.notebook);
      await runCell(onDemo, 0);
      assert.strictEqual(firstValue(onDemo, 0), demoPort);
      assert.strictEqual(notebooks.runner.kernels.connectionOf(onDemo.notebook), 'Demo');
    } finally {
      await vscode.commands.executeCommand('syncLogs.selectConnection', 'Demo');
    }
  });

  it('runs cells on the kernel chosen for the notebook while the active connection stays the Demo, and binds parameters there', async () => {
    const { container, notebooks } = await getApi();
    const editor = await sqlNotebook([
      PORT_SQL,
      'select count(*)::int as n from hightouch_audit.sync_runs where sync_id = :sync_id',
    ]);
    await selectKernel(editor, NAME);
    await runCell(editor, 0);
    assert.strictEqual(firstValue(editor, 0), String(real.port));
    assert.strictEqual(container.connections.activeName, 'Demo', 'the active connection did not change');
    assert.ok(
      (await container.syncs.get()).every((sync) => sync.syncId !== 'nb-only'),
      'the Demo has no such sync',
    );

    // :sync_id is asked with a pick of this connection's syncs, and bound there as a value.
    let offered: PickItem<unknown>[] = [];
    container.prompter = {
      ...scriptedPrompter([]),
      pick: async <T>(q: { items: PickItem<T>[] }) => {
        offered = q.items;
        return q.items.find((i) => i.label === 'Notebook-only model')?.value;
      },
    } as Prompter;
    try {
      await runCell(editor, 1);
    } finally {
      container.prompter = scriptedPrompter([]);
    }
    assert.strictEqual(offered.length, syncCount, "the pick lists the notebook connection's syncs");
    const chosen = notebooks.runner.knownParameters(editor.notebook).sync_id;
    assert.strictEqual(chosen, 'nb-only');
    assert.strictEqual(firstValue(editor, 1), 2, 'its two runs, counted on the real Postgres');

    // The status bar shows the notebook's parameter and connection while it is the active editor.
    const shown = await waitFor('the status bar item', () => {
      const s = notebooks.statusBar.shown;
      return s?.text.includes(`:sync_id = ${chosen}`) ? s : undefined;
    });
    assert.ok(shown.text.endsWith(`· ${NAME}`), shown.text);
    assert.ok(shown.tooltip.split('\n').includes(`:sync_id = ${chosen}`), shown.tooltip);
    assert.match(shown.tooltip, new RegExp(`Cells run on the "${NAME}" connection`));
    // Set Notebook Parameters (the item's click) shows the new value.
    await vscode.commands.executeCommand('syncLogs.setNotebookParameters', { sync_id: '424242' });
    await waitFor('the new value in the status bar', () =>
      notebooks.statusBar.shown?.text.includes(':sync_id = 424242') ? true : undefined,
    );
    const text = await vscode.workspace.openTextDocument({ language: 'sql', content: 'select 1' });
    await vscode.window.showTextDocument(text);
    await waitFor('the item to hide outside a notebook', () => (notebooks.statusBar.shown ? undefined : true));
    await vscode.window.showNotebookDocument(editor.notebook);
    await waitFor('the item to show again', () => (notebooks.statusBar.shown ? true : undefined));
  });

  it('cancels a long cell in the warehouse and says so', async () => {
    const editor = await sqlNotebook(['select pg_sleep(30)']);
    await selectKernel(editor, NAME);
    const sleeping = async () =>
      Number(
        (await admin.query("select count(*)::int as n from pg_stat_activity where query like 'select pg_sleep(30)%'"))
          .rows[0].n,
      );
    const args = { ranges: [{ start: 0, end: 1 }], document: editor.notebook.uri };
    const running = vscode.commands.executeCommand('notebook.cell.execute', args);
    await waitFor('the statement to run in Postgres', async () => ((await sleeping()) > 0 ? true : undefined), 20_000);
    await vscode.commands.executeCommand('notebook.cell.cancelExecution', args);
    // Well within the statement's 30 s: the cancel ended it in the warehouse.
    await waitFor(
      'the statement to end in Postgres',
      async () => ((await sleeping()) === 0 ? true : undefined),
      15_000,
    );
    await waitFor(
      'the cell to finish',
      () => (editor.notebook.cellAt(0).executionSummary?.timing?.endTime ? true : undefined),
      15_000,
    );
    await running;
    assert.strictEqual(outputText(editor.notebook.cellAt(0)), 'Cancelled: the statement was stopped in the warehouse.');
    assert.strictEqual(editor.notebook.cellAt(0).executionSummary?.success, false);
  });

  it("exports a cell's result on the connection it ran on, not the active one", async () => {
    const { container } = await getApi();
    const dir = await mkdtemp(join(tmpdir(), 'synclogs-nb-conn-'));
    const target = vscode.Uri.file(join(dir, 'port.csv'));
    const done = await vscode.commands.executeCommand<ExportOutcome>(
      'syncLogs.exportResult',
      PORT_SQL,
      target,
      [],
      NAME,
    );
    assert.strictEqual(container.connections.activeName, 'Demo');
    assert.deepStrictEqual([done.status, done.rows], ['ok', 1]);
    assert.deepStrictEqual((await readFile(target.fsPath, 'utf8')).split('\r\n').filter(Boolean), [
      'port',
      String(real.port),
    ]);
  });

  it("checks a cell with its notebook connection's catalog", async () => {
    const editor = await sqlNotebook(['select r.pg_only_col from hightouch_audit.sync_runs r']);
    const uri = editor.notebook.cellAt(0).document.uri;
    const unknown = () =>
      vscode.languages.getDiagnostics(uri).some((d) => /Unknown column "pg_only_col"/.test(d.message));
    // On the Demo (the active connection), the column is not in its catalog.
    await selectKernel(editor, 'Demo');
    await waitFor('the unknown column on the Demo', () => (unknown() ? true : undefined));
    // On the real Postgres, once its warehouse is open (the run opens it, or it already was), its catalog has it.
    await selectKernel(editor, NAME);
    await runCell(editor, 0);
    await waitFor("no diagnostic with the notebook connection's catalog", () => (unknown() ? undefined : true));
    await selectKernel(editor, 'Demo');
    await waitFor('the unknown column again on the Demo', () => (unknown() ? true : undefined));
  });
});
