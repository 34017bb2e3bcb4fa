import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'sync-logs.sync-logs-explorer';

interface ContributedCommand {
  command: string;
}

describe('Activation', () => {
  it('the extension is present and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed in this VS Code`);
    const api = (await ext.activate()) as { activationMs: number };
    assert.strictEqual(ext.isActive, true);
    assert.ok(Number.isFinite(api.activationMs));
    console.log(`activation: activate() took ${api.activationMs} ms`);
  });

  it('activation loads no database driver into the extension host', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    // The demo's PGlite only ever loads in its worker thread; pg loads on a Postgres connection's first use.
    // Snowflake, BigQuery and Databricks ship inside dist/adapters/<kind>.js, loaded on a connection's first use.
    const loaded = Object.keys(require.cache).filter(
      (p) =>
        /[\\/]node_modules[\\/](@electric-sql[\\/]pglite|pg|snowflake-sdk|@google-cloud|@databricks)[\\/]/.test(p) ||
        /[\\/]dist[\\/]adapters[\\/]/.test(p),
    );
    assert.deepStrictEqual(loaded, []);
  });

  it('registers every command that package.json contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const declared = ((ext.packageJSON.contributes?.commands ?? []) as ContributedCommand[]).map((c) => c.command);
    assert.ok(declared.length > 0, 'package.json contributes no command');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, [], `declared in package.json but not registered: ${missing.join(', ')}`);
  });

  // Proves that a failure travels back to the harness's exit code: SYNC_LOGS_DELIBERATE_FAILURE=1.
  if (process.env.SYNC_LOGS_DELIBERATE_FAILURE) {
    it('fails on purpose (SYNC_LOGS_DELIBERATE_FAILURE is set)', () => {
      assert.strictEqual(1 + 1, 3, 'deliberate failure');
    });
  }
});
