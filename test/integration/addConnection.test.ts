import * as assert from 'assert';
import * as vscode from 'vscode';
import { getApi, waitFor } from './api';
import type { PostgresServer } from '../support/postgresServer';
import { startReaderPostgres } from '../support/readerPostgres';
import { scriptedPrompter, type ScriptStep } from '../support/scriptedPrompter';
import type { Prompter } from '../../src/connections/prompter';
import { secretKey } from '../../src/warehouse/connectionIdentity';
import type { ConnectionSettings } from '../../src/shared/connection';

// "Sync Logs: Add Connection" against a real PostgreSQL server holding a small generated sync
// log: the form's questions are answered by a script (the real QuickPick/InputBox are exercised
// by the UI walk), the test-before-save really connects, and secrets must never reach settings.
describe('Add, edit and remove a connection through the commands', function () {
  this.timeout(120_000);
  let server: PostgresServer;
  let realPrompter: Prompter;
  let expectedSyncs: number;
  const NAME = 'Local PG';
  /** The connection the form saves; secrets are stored under its target, whatever its name. */
  const target = (): ConnectionSettings => ({
    name: NAME,
    kind: 'postgres',
    host: '127.0.0.1',
    port: server.port,
    database: server.database,
    user: server.passwordRole.user,
    ssl: 'disable',
  });

  const pgSteps = (password: string, name = NAME): ScriptStep[] => [
    { expect: /A name for this connection/, answer: name },
    { expect: /\| Host$/, answer: '127.0.0.1' },
    { expect: /\| Port$/, answer: String(server.port) },
    { expect: /\| Database$/, answer: server.database },
    { expect: /\| User$/, answer: server.passwordRole.user },
    { expect: /TLS mode/, answer: 'disable' },
    { expect: /Schema/, answer: 'hightouch_audit' },
    { expect: /Password/, answer: password },
  ];

  before(async () => {
    const api = await getApi();
    realPrompter = api.container.prompter;
    ({ server, syncCount: expectedSyncs } = await startReaderPostgres());
  });

  after(async () => {
    const api = await getApi();
    api.container.prompter = realPrompter;
    await vscode.commands.executeCommand('syncLogs.selectConnection', 'Demo');
    await vscode.workspace
      .getConfiguration('syncLogs')
      .update('connections', undefined, vscode.ConfigurationTarget.Global);
    await server?.stop();
  });

  it('tests before saving: a wrong password is explained, Edit Again fixes it, and the syncs appear', async () => {
    const api = await getApi();
    const script = scriptedPrompter([
      { expect: /pick: Add Sync Logs Connection/, answer: 'PostgreSQL' },
      ...pgSteps('wrong-password'),
      {
        expect: /choose: Could not connect to "Local PG"\. \| Password authentication failed for user "synclogs_pw"/,
        answer: 'Edit Again',
      },
      ...pgSteps(server.passwordRole.password),
    ]);
    api.container.prompter = script;
    const added = await vscode.commands.executeCommand<string>('syncLogs.addConnection');
    assert.strictEqual(added, NAME, `questions asked: ${script.asked.join('\n')}`);
    assert.strictEqual(script.remaining.length, 0);
    assert.ok(
      !script.asked.join('\n').includes(server.passwordRole.password),
      'the password is never echoed in a question',
    );

    const saved = vscode.workspace.getConfiguration('syncLogs').get<Record<string, unknown>[]>('connections') ?? [];
    assert.deepStrictEqual(saved, [
      {
        name: NAME,
        kind: 'postgres',
        host: '127.0.0.1',
        port: server.port,
        database: server.database,
        user: server.passwordRole.user,
        ssl: 'disable',
      },
    ]);
    const settingsText = JSON.stringify(vscode.workspace.getConfiguration('syncLogs').inspect('connections'));
    assert.ok(!settingsText.includes(server.passwordRole.password), 'the password is not in settings');
    assert.ok(!settingsText.includes('wrong-password'));
    assert.strictEqual(
      await api.container.context.secrets.get(secretKey(target(), 'password')),
      server.passwordRole.password,
    );
    assert.strictEqual(
      await api.container.context.secrets.get(`syncLogs.password.${NAME}`),
      undefined,
      'nothing is stored by name',
    );

    assert.strictEqual(api.container.connections.activeName, NAME);
    const syncs = await waitFor('the syncs of the new connection', async () => {
      const [root] = await api.container.tree.getChildren();
      if (root.type !== 'connection' || root.name !== NAME) return undefined;
      const children = await api.container.tree.getChildren(root);
      return children.filter((c) => c.type === 'sync');
    });
    assert.strictEqual(syncs.length, expectedSyncs);
  });

  it('renames through Edit Connection, keeping the stored password when the answer is empty', async () => {
    const api = await getApi();
    const steps = pgSteps('', 'Renamed PG');
    api.container.prompter = scriptedPrompter(steps);
    const saved = await vscode.commands.executeCommand<string>('syncLogs.editConnection', {
      type: 'connection',
      name: NAME,
    });
    assert.strictEqual(saved, 'Renamed PG');
    const names = (vscode.workspace.getConfiguration('syncLogs').get<{ name: string }[]>('connections') ?? []).map(
      (c) => c.name,
    );
    assert.deepStrictEqual(names, ['Renamed PG']);
    assert.strictEqual(
      await api.container.context.secrets.get(secretKey({ ...target(), name: 'Renamed PG' }, 'password')),
      server.passwordRole.password,
      'the same target keeps its password',
    );
    assert.strictEqual(api.container.connections.activeName, 'Renamed PG');
  });

  it('asks for the password again when an edit points the connection at another target', async () => {
    const api = await getApi();
    const steps = pgSteps(server.passwordRole.password, 'Renamed PG').map((step) =>
      /Host/.test(String(step.expect)) ? { ...step, answer: 'localhost' } : step,
    );
    const script = scriptedPrompter(steps);
    api.container.prompter = script;
    assert.strictEqual(
      await vscode.commands.executeCommand<string>('syncLogs.editConnection', 'Renamed PG'),
      'Renamed PG',
    );
    const asked = script.asked.find((q) => /Password/.test(q)) ?? '';
    assert.doesNotMatch(asked, /leave empty to keep/, 'the stored password is not offered for another target');
    const moved: ConnectionSettings = { ...target(), name: 'Renamed PG', host: 'localhost' };
    assert.strictEqual(
      await api.container.context.secrets.get(secretKey(moved, 'password')),
      server.passwordRole.password,
    );
    assert.strictEqual(
      await api.container.context.secrets.get(secretKey(target(), 'password')),
      undefined,
      "the old target's secret is gone",
    );
  });

  it('removes a connection and its secrets after confirmation', async () => {
    const api = await getApi();
    api.container.prompter = scriptedPrompter([
      { expect: /choose: Remove the connection "Renamed PG"\?/, answer: 'Remove' },
    ]);
    assert.strictEqual(await vscode.commands.executeCommand('syncLogs.removeConnection', 'Renamed PG'), true);
    assert.deepStrictEqual(vscode.workspace.getConfiguration('syncLogs').get('connections'), []);
    assert.strictEqual(
      await api.container.context.secrets.get(secretKey({ ...target(), host: 'localhost' }, 'password')),
      undefined,
    );
    assert.strictEqual(api.container.connections.activeName, 'Demo');
  });
});
