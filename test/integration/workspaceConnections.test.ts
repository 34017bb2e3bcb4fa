import * as assert from 'assert';
import * as vscode from 'vscode';
import { getApi, waitFor } from './api';
import type { PostgresServer } from '../support/postgresServer';
import { startReaderPostgres } from '../support/readerPostgres';
import { startPasswordCatcher, type PasswordCatcher } from '../fakes/passwordCatcher';
import { scriptedPrompter } from '../support/scriptedPrompter';
import { legacySecretKey, secretKey } from '../../src/warehouse/connectionIdentity';
import type { ConnectionSettings } from '../../src/shared/connection';
import type { Prompter } from '../../src/connections/prompter';
import type { SyncTreeNode } from '../../src/views/syncTreeProvider';

// A cloned repository's .vscode/settings.json is hostile input: it can name a connection like
// one of the user's and point it at its own server. Here that server is a password catcher on
// 127.0.0.1 that asks for the password in clear text; the user's connection is a real Postgres.
describe("Connections a workspace defines never receive the user's secrets", function () {
  this.timeout(120_000);
  let real: PostgresServer;
  let catcher: PasswordCatcher;
  let realPrompter: Prompter;
  let expectedSyncs: number;
  let mine: ConnectionSettings;
  let team: ConnectionSettings;
  const config = () => vscode.workspace.getConfiguration('syncLogs');

  async function treeChildren(name: string): Promise<SyncTreeNode[]> {
    const api = await getApi();
    return waitFor(`the tree of "${name}"`, async () => {
      const [root] = await api.container.tree.getChildren();
      if (root.type !== 'connection' || root.name !== name) return undefined;
      return api.container.tree.getChildren(root);
    });
  }
  const errorText = (nodes: SyncTreeNode[]) => nodes.map((n) => (n.type === 'message' ? n.text : n.type)).join('; ');

  before(async () => {
    const api = await getApi();
    realPrompter = api.container.prompter;
    let started: Awaited<ReturnType<typeof startReaderPostgres>>;
    [started, catcher] = await Promise.all([startReaderPostgres(), startPasswordCatcher()]);
    ({ server: real, syncCount: expectedSyncs } = started);
    const user = real.passwordRole.user;
    mine = {
      name: 'Analytics',
      kind: 'postgres',
      host: '127.0.0.1',
      port: real.port,
      database: real.database,
      user,
      ssl: 'disable',
    };
    team = {
      name: 'Team DB',
      kind: 'postgres',
      host: '127.0.0.1',
      port: catcher.port,
      database: real.database,
      user,
      ssl: 'disable',
    };
    await config().update('connections', [mine], vscode.ConfigurationTarget.Global);
    // Stored by name, as before secrets were bound to targets: it must move to the target's key.
    await api.container.context.secrets.store(legacySecretKey(mine.name, 'password'), real.passwordRole.password);
    await config().update('connections', [{ ...mine, port: catcher.port }, team], vscode.ConfigurationTarget.Workspace);
    await waitFor('both settings levels to be listed', () =>
      api.container.connections.list().some((c) => c.name === team.name) ? true : undefined,
    );
  });

  after(async () => {
    const api = await getApi();
    api.container.prompter = realPrompter;
    await vscode.commands.executeCommand('syncLogs.selectConnection', 'Demo');
    await config().update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await api.container.context.secrets.delete(secretKey(mine, 'password'));
    await Promise.all([real?.stop(), catcher?.stop()]);
  });

  it("keeps the user's connection when the workspace reuses its name, and connects it to the user's server", async () => {
    const api = await getApi();
    const listed = api.container.connections.list().filter((c) => c.name === mine.name);
    assert.deepStrictEqual(listed, [mine], 'one "Analytics", the user\'s');
    assert.strictEqual(api.container.connections.originOf(mine.name), 'user');
    assert.strictEqual(api.container.connections.originOf(team.name), 'workspace');
    api.container.prompter = scriptedPrompter([]); // any question would fail the test
    await vscode.commands.executeCommand('syncLogs.selectConnection', mine.name);
    const children = await treeChildren(mine.name);
    assert.strictEqual(children.filter((c) => c.type === 'sync').length, expectedSyncs, errorText(children));
    assert.deepStrictEqual(catcher.startups, [], "the workspace's server was never contacted");
    assert.strictEqual(
      await api.container.context.secrets.get(secretKey(mine, 'password')),
      real.passwordRole.password,
      "moved to the target's key",
    );
    assert.strictEqual(await api.container.context.secrets.get(legacySecretKey(mine.name, 'password')), undefined);
  });

  it('asks before using a workspace\'s connection, and a "Don\'t Use" sends nothing', async () => {
    const api = await getApi();
    const script = scriptedPrompter([
      {
        expect: new RegExp(
          `choose: This workspace defines the connection "Team DB" to user \\S+ at 127\\.0\\.0\\.1:${catcher.port}.*Use it\\?`,
        ),
        answer: "Don't Use",
      },
    ]);
    api.container.prompter = script;
    await vscode.commands.executeCommand('syncLogs.selectConnection', team.name);
    const children = await treeChildren(team.name);
    assert.match(errorText(children), /you chose not to use this workspace's connection/);
    assert.strictEqual(script.remaining.length, 0);
    assert.deepStrictEqual(catcher.startups, []);
  });

  it("once accepted, the workspace's server gets only what is typed for it, and its refusal forgets nothing of the user's", async () => {
    const api = await getApi();
    const script = scriptedPrompter([
      { expect: /choose: This workspace defines the connection "Team DB"/, answer: 'Use Connection' },
      {
        expect: new RegExp(`input: Password for "Team DB" \\(user \\S+ at 127\\.0\\.0\\.1:${catcher.port}`),
        answer: 'typed-for-team',
      },
    ]);
    api.container.prompter = script;
    // Choosing it again forgets the earlier "Don't Use", so it is asked again.
    await vscode.commands.executeCommand('syncLogs.selectConnection', team.name);
    const children = await treeChildren(team.name);
    assert.match(errorText(children), /password authentication failed/i);
    assert.strictEqual(script.remaining.length, 0, script.asked.join('\n'));
    assert.deepStrictEqual(catcher.passwords, ['typed-for-team'], 'the stored password of "Analytics" never arrived');
    assert.strictEqual(
      await api.container.context.secrets.get(secretKey(team, 'password')),
      undefined,
      'a refused password is not kept',
    );
    assert.strictEqual(
      await api.container.context.secrets.get(secretKey(mine, 'password')),
      real.passwordRole.password,
      "the user's password survives",
    );

    // The answer is remembered for this workspace and target: the next use only asks for the password.
    const again = scriptedPrompter([{ expect: /input: Password for "Team DB"/, answer: undefined }]);
    api.container.prompter = again;
    await vscode.commands.executeCommand('syncLogs.refresh');
    await treeChildren(team.name);
    assert.ok(!again.asked.some((q) => /This workspace defines/.test(q)), again.asked.join('\n'));

    api.container.prompter = scriptedPrompter([]);
    await vscode.commands.executeCommand('syncLogs.selectConnection', mine.name);
    const back = await treeChildren(mine.name);
    assert.strictEqual(back.filter((c) => c.type === 'sync').length, expectedSyncs, errorText(back));
    assert.deepStrictEqual(catcher.passwords, ['typed-for-team']);
  });

  it('a changed target in the workspace is asked about again', async () => {
    const api = await getApi();
    const contacts = catcher.startups.length;
    await config().update('connections', [{ ...team, database: 'elsewhere' }], vscode.ConfigurationTarget.Workspace);
    await waitFor('the changed entry', () =>
      api.container.connections.list().find((c) => c.name === team.name)?.database === 'elsewhere' ? true : undefined,
    );
    const script = scriptedPrompter([
      { expect: /choose: This workspace defines the connection "Team DB" to .*database elsewhere/, answer: undefined },
    ]);
    api.container.prompter = script;
    await vscode.commands.executeCommand('syncLogs.selectConnection', team.name);
    const children = await treeChildren(team.name);
    assert.match(errorText(children), /was not confirmed/);
    assert.strictEqual(script.remaining.length, 0);
    assert.strictEqual(catcher.startups.length, contacts, "no new connection to the workspace's server");
    assert.deepStrictEqual(catcher.passwords, ['typed-for-team']);
  });
});
