import * as assert from 'assert';
import * as vscode from 'vscode';
import { getApi } from './api';
import type { SyncTreeNode } from '../../src/views/syncTreeProvider';
import { resultObjects } from '../../src/shared/queryResult';

type Node<T extends SyncTreeNode['type']> = Extract<SyncTreeNode, { type: T }>;

/** An independent plain-SQL answer on the same warehouse the tree uses. */
async function scalarRows(sql: string, values: unknown[] = []) {
  const api = await getApi();
  const w = await api.container.connections.getWarehouse();
  return resultObjects(await w.query(sql, values));
}

describe('Sync tree on the demo connection', function () {
  this.timeout(120_000);

  before(async () => {
    const api = await getApi();
    await vscode.commands.executeCommand('syncLogs.selectConnection', 'Demo');
    // The first open builds the demo sync log; wait for it here rather than in each test.
    await api.container.connections.getWarehouse();
  });

  async function roots() {
    const api = await getApi();
    return api.container.tree.getChildren();
  }

  async function syncs(): Promise<Node<'sync'>[]> {
    const api = await getApi();
    const [conn] = await roots();
    const children = await api.container.tree.getChildren(conn);
    return children.filter((c): c is Node<'sync'> => c.type === 'sync');
  }

  it('shows the active connection as the root', async () => {
    const [root, ...rest] = await roots();
    assert.strictEqual(rest.length, 0);
    assert.strictEqual(root.type, 'connection');
    assert.strictEqual((root as Node<'connection'>).name, 'Demo');
  });

  it('lists every sync with its model, destination and run count', async () => {
    const list = await syncs();
    const expected = await scalarRows(
      `select sync_id, count(*) as runs, min(model_name) as model_name, min(destination) as destination
       from hightouch_audit.sync_runs group by sync_id order by sync_id`,
    );
    assert.ok(expected.length >= 8, `the demo has at least 8 syncs (found ${expected.length})`);
    assert.strictEqual(list.length, expected.length);
    const bySync = new Map(list.map((n) => [n.sync.syncId, n.sync]));
    for (const row of expected) {
      const s = bySync.get(String(row.sync_id));
      assert.ok(s, `sync ${row.sync_id} is in the tree`);
      assert.strictEqual(s.runCount, Number(row.runs));
      assert.strictEqual(s.modelName, row.model_name);
      assert.strictEqual(s.destination, row.destination);
    }
    const item = (await getApi()).container.tree.getTreeItem(list[0]);
    assert.strictEqual(item.label, list[0].sync.modelName);
    assert.ok(String(item.description).startsWith(list[0].sync.destination));
  });

  it('lists runs newest first, pages them, and loads more', async () => {
    const api = await getApi();
    const pageSize = vscode.workspace.getConfiguration('syncLogs').get<number>('runsPageSize', 50);
    const list = await syncs();
    const busiest = [...list].sort((a, b) => b.sync.runCount - a.sync.runCount)[0];
    assert.ok(busiest.sync.runCount > pageSize, 'some demo sync has more runs than one page');
    const children = await api.container.tree.getChildren(busiest);
    const runs = children.filter((c): c is Node<'run'> => c.type === 'run');
    assert.strictEqual(runs.length, pageSize);
    const more = children.find((c): c is Node<'loadMore'> => c.type === 'loadMore');
    assert.ok(more, 'a "Load more" item follows a full page');
    const expected = await scalarRows(
      'select sync_run_id from hightouch_audit.sync_runs where sync_id = $1 order by started_at desc, sync_run_id desc limit 60',
      [busiest.sync.syncId],
    );
    assert.deepStrictEqual(
      runs.map((r) => r.run.syncRunId),
      expected.slice(0, pageSize).map((r) => String(r.sync_run_id)),
    );

    await vscode.commands.executeCommand('syncLogs.loadMoreRuns', more);
    const after = (await api.container.tree.getChildren(busiest)).filter((c): c is Node<'run'> => c.type === 'run');
    assert.strictEqual(after.length, Math.min(2 * pageSize, busiest.sync.runCount));
    assert.deepStrictEqual(
      after.slice(pageSize, 60).map((r) => r.run.syncRunId),
      expected.slice(pageSize).map((r) => String(r.sync_run_id)),
    );
  });

  it("groups a run's failed rows by failure template, matching the changelog", async () => {
    const api = await getApi();
    const [row] = await scalarRows(
      `select r.sync_id, r.sync_run_id, count(*) as failed
       from hightouch_audit.sync_runs r join hightouch_audit.sync_changelog c on c.sync_run_id = r.sync_run_id
       where c.status = 'failed' group by r.sync_id, r.sync_run_id order by count(*) desc, r.sync_run_id limit 1`,
    );
    assert.ok(row, 'the demo has failed rows');
    const sync = (await syncs()).find((s) => s.sync.syncId === String(row.sync_id))!;
    const run: Node<'run'> = {
      type: 'run',
      sync: sync.sync,
      run: {
        syncRunId: String(row.sync_run_id),
        status: 'succeeded',
        error: null,
        startedAt: null,
        finishedAt: null,
        planned: 0,
        attempted: 0,
        succeeded: 0,
        failed: Number(row.failed),
        plannedAdd: 0,
        plannedChange: 0,
        plannedRemove: 0,
      },
    };
    const groups = (await api.container.tree.getChildren(run)).filter(
      (c): c is Node<'failure'> => c.type === 'failure',
    );
    const texts = await scalarRows(
      `select failure_reason, count(*) as n from hightouch_audit.sync_changelog
       where sync_run_id = $1 and status = 'failed' group by failure_reason`,
      [row.sync_run_id],
    );
    assert.ok(groups.length > 0 && groups.length <= texts.length, 'texts fold into at most as many templates');
    assert.strictEqual(
      groups.reduce((sum, g) => sum + g.group.rowCount, 0),
      Number(row.failed),
      'every failed row is in exactly one group',
    );
    assert.strictEqual(
      groups.reduce((sum, g) => sum + g.group.distinctTexts, 0),
      texts.length,
      'every distinct text is in exactly one group',
    );
    for (let i = 1; i < groups.length; i++)
      assert.ok(groups[i - 1].group.rowCount >= groups[i].group.rowCount, 'most frequent first');
    // Each group's example is a real text of this run, with its own count no larger than the group's.
    const countOf = new Map(texts.map((t) => [t.failure_reason, Number(t.n)]));
    for (const g of groups) assert.ok((countOf.get(g.group.example) ?? Infinity) <= g.group.rowCount);
  });

  it("opens a run query joined on sync_run_id that returns the run's rows", async () => {
    const api = await getApi();
    const [busiest] = (await syncs()).sort((a, b) => b.sync.runCount - a.sync.runCount);
    const [first] = (await api.container.tree.getChildren(busiest)).filter((c): c is Node<'run'> => c.type === 'run');
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('syncLogs.openRunQuery', first);
    assert.ok(doc, 'a document was opened');
    assert.strictEqual(doc.languageId, 'sql');
    assert.match(doc.getText(), /on r\.sync_run_id = c\.sync_run_id/);
    const w = await api.container.connections.getWarehouse();
    const result = await w.query(doc.getText().replace(/;\s*$/, ''));
    const [count] = await scalarRows(
      'select count(*) as n from hightouch_audit.sync_changelog where sync_run_id = $1',
      [first.run.syncRunId],
    );
    assert.strictEqual(result.rowCount, Math.min(1000, Number(count.n)));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
