import * as assert from 'assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { getApi } from './api';
import type { RunQueryOutcome } from '../../src/commands/queryCommands';
import { SETTINGS } from '../../src/shared/ids';

const HISTORY_ENABLED_SETTING = SETTINGS.queryHistoryEnabled;

async function runAll(sql: string): Promise<RunQueryOutcome> {
  const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: sql });
  const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
  const all = new vscode.Selection(doc.positionAt(0), doc.positionAt(sql.length));
  for (let i = 0; i < 30 && !editor.selection.isEqual(all); i++) {
    editor.selection = all;
    await new Promise((r) => setTimeout(r, 100));
  }
  const outcome = await vscode.commands.executeCommand<RunQueryOutcome | undefined>('syncLogs.runQuery');
  assert.ok(outcome, 'Run Query returned its outcome');
  return outcome;
}

describe('Query history', function () {
  this.timeout(120_000);

  before(async () => {
    await vscode.commands.executeCommand('syncLogs.history.clear', true);
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration()
      .update(HISTORY_ENABLED_SETTING, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('keeps every run, newest first, with its rows, status and error, in a file of global storage', async () => {
    const { container } = await getApi();
    const ok = await runAll('select status, count(*) as n from hightouch_audit.sync_runs group by status');
    assert.strictEqual(ok.status, 'ok');
    const bad = await runAll('select failed_reason from hightouch_audit.sync_changelog');
    assert.strictEqual(bad.status, 'error');
    const [latest, first] = await container.history.list();
    assert.strictEqual(latest.sql, bad.sql);
    assert.strictEqual(latest.status, 'error');
    assert.strictEqual(latest.rows, null);
    assert.ok(latest.error?.includes('failed_reason'), latest.error);
    assert.strictEqual(first.sql, ok.sql);
    assert.strictEqual(first.connection, 'Demo');
    assert.strictEqual(first.rows, ok.status === 'ok' ? ok.result.rowCount : -1);
    assert.ok(first.startedAt <= latest.startedAt);
    // On disk, one JSON line per entry, under the extension's global storage (not the workspace).
    const dir = join(container.context.globalStorageUri.fsPath, 'query-history');
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl'));
    assert.strictEqual(files.length, 1, files.join(', '));
    const lines = (await readFile(join(dir, files[0]), 'utf8')).trim().split('\n');
    assert.deepStrictEqual(
      lines.map((l) => JSON.parse(l).sql),
      [bad.sql, ok.sql],
    );
  });

  it('runs an entry again on the active connection, as a new entry with the same answer', async () => {
    const { container } = await getApi();
    const before = await container.history.list();
    const target = before.find((e) => e.status === 'ok');
    assert.ok(target, 'an ok entry to run again');
    const again = await vscode.commands.executeCommand<RunQueryOutcome | undefined>(
      'syncLogs.history.rerun',
      target.id,
    );
    assert.ok(again && again.status === 'ok', `rerun: ${again?.status}`);
    assert.strictEqual(again.sql, target.sql);
    assert.strictEqual(again.result.rowCount, target.rows);
    const after = await container.history.list();
    assert.strictEqual(after.length, before.length + 1);
    assert.strictEqual(after[0].sql, target.sql);
    assert.notStrictEqual(after[0].id, target.id);
  });

  it('records nothing while syncLogs.queryHistory.enabled is off; remove and clear empty it', async () => {
    const { container } = await getApi();
    await vscode.workspace.getConfiguration().update(HISTORY_ENABLED_SETTING, false, vscode.ConfigurationTarget.Global);
    const count = (await container.history.list()).length;
    await runAll('select 42 as answer');
    assert.strictEqual((await container.history.list()).length, count, 'nothing recorded while off');
    await vscode.workspace
      .getConfiguration()
      .update(HISTORY_ENABLED_SETTING, undefined, vscode.ConfigurationTarget.Global);
    const [newest] = await container.history.list();
    await vscode.commands.executeCommand('syncLogs.history.delete', newest);
    assert.ok(!(await container.history.list()).some((e) => e.id === newest.id), 'removed');
    await vscode.commands.executeCommand('syncLogs.history.clear', true);
    assert.deepStrictEqual(await container.history.list(), []);
  });
});
