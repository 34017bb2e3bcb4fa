import * as assert from 'assert';
import { copyFile, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { getApi, waitFor } from './api';
import type { ExportOutcome } from '../../src/commands/exportResult';
import { NOTEBOOK_RESULT_MIME as RESULT_MIME, type NotebookResultOutput } from '../../src/shared/notebookOutput';

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
    // A broken cell shows the warehouse's error.
    const edit = new vscode.WorkspaceEdit();
    edit.set(editor.notebook.uri, [
      vscode.NotebookEdit.insertCells(4, [
        new vscode.NotebookCellData(
          vscode.NotebookCellKind.Code,
          'select failed_reason from hightouch_audit.sync_changelog',
          'sql',
        ),
      ]),
    ]);
    await vscode.workspace.applyEdit(edit);
    const broken = await runCell(editor, 4);
    assert.match(broken, /^ERROR .*failed_reason/);
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
      // fresh). VS Code remembers no kernel for the copy: its outputs wait for the first run, which
      // chooses the kernel, and come back before that run starts.
      const copy = join(dir, 'copy.synclogs.sql');
      await copyFile(file, copy);
      await copyFile(sidecar, `${copy}.outputs.json`);
      const copied = await open(copy);
      assert.ok(
        copied.notebook.getCells().every((c) => c.outputs.length === 0),
        'nothing shown before a kernel is chosen',
      );
      await runCell(copied, 3);
      assert.strictEqual(outputText(copied.notebook.cellAt(1)), ran[0], 'an unedited cell has its output back');
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
