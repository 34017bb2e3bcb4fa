import * as assert from 'assert';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { getApi, waitFor } from './api';

const outputText = (cell: vscode.NotebookCell): string =>
  cell.outputs
    .flatMap((o) => o.items)
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
