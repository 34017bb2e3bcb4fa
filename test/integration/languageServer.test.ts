import * as assert from 'assert';
import * as vscode from 'vscode';
import { getApi, waitFor } from './api';

const LINE0 = 'select failed_reason, status from hightouch_audit.sync_changelog;';
const LINE1 = 'select * from hightouch_audit.';

describe('SQL language server', function () {
  this.timeout(60_000);
  let doc: vscode.TextDocument;

  before(async () => {
    await getApi();
    doc = await vscode.workspace.openTextDocument({ language: 'sql', content: `${LINE0}\n${LINE1}` });
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  const hint = () => vscode.languages.getDiagnostics(doc.uri).find((d) => /failure_reason/.test(d.message));

  it('publishes a diagnostic naming failure_reason', async () => {
    const d = await waitFor('the failure_reason diagnostic', hint);
    assert.strictEqual(d.range.start.line, 0);
    assert.strictEqual(d.range.start.character, 'select '.length);
  });

  it('completes the three sync-log tables after `hightouch_audit.`', async () => {
    const labels = await waitFor('table completions', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        doc.uri,
        new vscode.Position(1, LINE1.length),
        '.',
      );
      const names = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return names.includes('sync_runs') ? names : undefined;
    });
    for (const t of ['sync_changelog', 'sync_snapshot', 'sync_runs']) assert.ok(labels.includes(t), `${t} offered`);
  });

  it('hovers a column with its description', async () => {
    const at = new vscode.Position(0, LINE0.indexOf('status') + 2);
    const text = await waitFor('a hover', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const all = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /never attempted/.test(all) ? all : undefined;
    });
    assert.match(text, /status/);
  });

  it('offers the quick fix', async () => {
    const d = await waitFor('the failure_reason diagnostic', hint);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      d.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => /failure_reason/.test(a.title));
    assert.ok(fix?.edit, `a quick fix among: ${actions.map((a) => a.title).join(', ')}`);
    const edits = fix.edit.get(doc.uri);
    assert.strictEqual(edits[0].newText, 'failure_reason');
  });

  it("reads the demo connection's catalog, so hovers show the live type", async () => {
    await (await getApi()).container.connections.getWarehouse();
    const at = new vscode.Position(0, LINE0.indexOf('status') + 2);
    await waitFor('a hover with the catalog type', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const all = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return /on this connection/.test(all) ? all : undefined;
    });
  });
});
