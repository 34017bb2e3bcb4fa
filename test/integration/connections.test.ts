import * as assert from 'assert';
import * as vscode from 'vscode';
import { getApi, waitFor } from './api';

describe('Connections, status bar and snippets', function () {
  this.timeout(60_000);

  after(async () => {
    await vscode.commands.executeCommand('syncLogs.selectConnection', 'Demo');
    await vscode.workspace
      .getConfiguration('syncLogs')
      .update('connections', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows the active connection in the status bar', async () => {
    const api = await getApi();
    await vscode.commands.executeCommand('syncLogs.selectConnection', 'Demo');
    assert.strictEqual(api.container.statusBar.text, '$(database) Sync Logs: Demo');
  });

  it('switches to a configured connection, and explains a refused connection in the tree', async () => {
    const api = await getApi();
    // Port 1 on loopback refuses connections: a quick, real failure.
    await vscode.workspace
      .getConfiguration('syncLogs')
      .update(
        'connections',
        [{ name: 'Unreachable', kind: 'postgres', host: '127.0.0.1', port: 1, database: 'x', user: 'nobody' }],
        vscode.ConfigurationTarget.Global,
      );
    await waitFor('the new connection to be listed', () =>
      api.container.connections.list().some((c) => c.name === 'Unreachable') ? true : undefined,
    );
    await api.container.context.secrets.store('syncLogs.password.Unreachable', 'not-a-real-password');
    await vscode.commands.executeCommand('syncLogs.selectConnection', 'Unreachable');
    assert.strictEqual(api.container.statusBar.text, '$(database) Sync Logs: Unreachable');
    const [root] = await api.container.tree.getChildren();
    assert.strictEqual(root.type === 'connection' && root.name, 'Unreachable');
    const children = await api.container.tree.getChildren(root);
    assert.strictEqual(children.length, 1);
    const [message] = children;
    assert.ok(message.type === 'message' && message.isError, 'an error item is shown instead of syncs');
    assert.match(message.type === 'message' ? message.text : '', /refused|could not connect/i);
    const settingsText = JSON.stringify(vscode.workspace.getConfiguration('syncLogs').get('connections'));
    assert.ok(!settingsText.includes('not-a-real-password'), 'secrets never land in settings');
  });

  it('switching back restores the demo syncs', async () => {
    const api = await getApi();
    await vscode.commands.executeCommand('syncLogs.selectConnection', 'Demo');
    assert.strictEqual(api.container.statusBar.text, '$(database) Sync Logs: Demo');
    const [root] = await api.container.tree.getChildren();
    const children = await api.container.tree.getChildren(root);
    assert.ok(children.filter((c) => c.type === 'sync').length >= 8);
  });

  it('contributes the sync-log SQL snippets', async () => {
    const ext = vscode.extensions.getExtension('sync-logs.sync-logs-explorer')!;
    const contributed = ext.packageJSON.contributes.snippets as { language: string; path: string }[];
    assert.deepStrictEqual(
      contributed.map((s) => s.language),
      ['sql'],
    );
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, contributed[0].path));
    const snippets = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, { prefix: string }>;
    const prefixes = Object.values(snippets).map((s) => s.prefix);
    for (const p of [
      'ht-top-errors',
      'ht-enter-exit',
      'ht-exclude-failed',
      'ht-flapping',
      'ht-membership',
      'ht-errors-per-run',
    ]) {
      assert.ok(prefixes.includes(p), `snippet ${p} is contributed`);
    }
    // VS Code itself offers them as completions in a SQL document.
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: 'ht-flap' });
    await vscode.window.showTextDocument(doc);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(0, 7),
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(
      labels.includes('ht-flapping'),
      `completions include the snippet (got ${labels.slice(0, 10).join(', ')})`,
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
