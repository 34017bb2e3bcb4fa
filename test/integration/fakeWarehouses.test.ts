import * as assert from 'assert';
import * as vscode from 'vscode';
import { getApi, waitFor } from './api';
import { startSnowflakeFake, type SnowflakeFake, type WireCell } from '../fakes/snowflakeServer';
import { startBigQueryFake, type BigQueryFake } from '../fakes/bigqueryServer';
import { QueryCancelledError } from '../../src/warehouse/warehouse';
import type { RunQueryOutcome } from '../../src/commands/queryCommands';
import { scriptedPrompter } from '../support/scriptedPrompter';
import { vscodePrompter } from '../../src/connections/vscodePrompter';

// The same UI on warehouses that cannot run here: the extension (its registry, the adapter
// bundle in dist/adapters, the real driver inside it) talks to a protocol fake on 127.0.0.1.
// The fakes answer the catalog read and the tree's queries with canned rows; what this proves
// is the glue from settings and secret storage to the tree, and cancel, not the warehouses' SQL.
const SYNC_COLUMNS = [
  'sync_id',
  'model_name',
  'destination',
  'primary_key',
  'status',
  'error',
  'started_at',
  'finished_at',
  'planned',
  'attempted',
  'succeeded',
  'failed',
  'run_count',
  'failed_run_count',
  'first_started_at',
];
const SYNCS: WireCell[][] = [
  [
    '101',
    'High-value customers',
    'salesforce',
    'user_id',
    'succeeded',
    null,
    '2026-11-01T10:00:00Z',
    '2026-11-01T10:02:00Z',
    '10',
    '10',
    '9',
    '1',
    '12',
    '2',
    '2026-10-01T10:00:00Z',
  ],
  [
    '102',
    'Churn risk',
    'braze',
    'email',
    'failed',
    'Rate limited',
    '2026-11-01T11:00:00Z',
    '2026-11-01T11:01:00Z',
    '5',
    '5',
    '0',
    '5',
    '3',
    '1',
    '2026-10-20T10:00:00Z',
  ],
];
const CATALOG: WireCell[][] = ['sync_changelog', 'sync_snapshot', 'sync_runs'].flatMap((t) =>
  ['sync_id', 'sync_run_id', 'status', ...(t === 'sync_runs' ? ['started_at'] : ['failure_reason', 'fields'])].map(
    (c) => ['HIGHTOUCH_AUDIT', t.toUpperCase(), c.toUpperCase(), 'TEXT'],
  ),
);
const CATALOG_COLUMNS = ['TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME', 'DATA_TYPE'];

async function treeSyncNames(name: string): Promise<string[] | undefined> {
  const api = await getApi();
  const [root] = await api.container.tree.getChildren();
  if (root.type !== 'connection' || root.name !== name) return undefined;
  const children = await api.container.tree.getChildren(root);
  const syncs = children.filter((c) => c.type === 'sync');
  if (children.some((c) => c.type === 'message' && c.isError)) {
    throw new Error(children.map((c) => (c.type === 'message' ? c.text : c.type)).join('; '));
  }
  return syncs.length ? syncs.map((s) => (s.type === 'sync' ? s.sync.modelName : '')) : undefined;
}

async function useConnection(entry: Record<string, unknown>, secret: [string, string]): Promise<void> {
  const api = await getApi();
  await vscode.workspace.getConfiguration('syncLogs').update('connections', [entry], vscode.ConfigurationTarget.Global);
  await waitFor('the connection to be listed', () =>
    api.container.connections.list().some((c) => c.name === entry.name) ? true : undefined,
  );
  await api.container.context.secrets.store(secret[0], secret[1]);
  await vscode.commands.executeCommand('syncLogs.selectConnection', entry.name);
}

describe('Snowflake and BigQuery through the same UI (protocol fakes)', function () {
  this.timeout(90_000);
  let snowflake: SnowflakeFake | undefined;
  let bigquery: BigQueryFake | undefined;

  after(async () => {
    await vscode.commands.executeCommand('syncLogs.selectConnection', 'Demo');
    await vscode.workspace
      .getConfiguration('syncLogs')
      .update('connections', undefined, vscode.ConfigurationTarget.Global);
    await snowflake?.close();
    await bigquery?.close();
  });

  it('Snowflake: logs in with the stored password, reads the catalog, lists the syncs, and cancels a query in the warehouse', async () => {
    snowflake = await startSnowflakeFake({ password: 'sf-password-1' });
    snowflake.setHandler((q) => {
      if (/INFORMATION_SCHEMA\.COLUMNS/.test(q.sqlText))
        return { columns: CATALOG_COLUMNS.map((name) => ({ name, type: 'text' })), rows: CATALOG };
      if (/row_number\(\) over/.test(q.sqlText))
        return { columns: SYNC_COLUMNS.map((name) => ({ name: name.toUpperCase(), type: 'text' })), rows: SYNCS };
      if (/sleep/.test(q.sqlText)) return { hang: true };
      return { error: { code: '001003', message: `unexpected query: ${q.sqlText.slice(0, 60)}`, sqlState: '42000' } };
    });
    await useConnection(
      {
        name: 'SF fake',
        kind: 'snowflake',
        account: 'myorg-acct',
        user: 'READER',
        database: 'ANALYTICS',
        endpoint: snowflake.url,
      },
      ['syncLogs.password.SF fake', 'sf-password-1'],
    );
    const names = await waitFor('the Snowflake syncs in the tree', () => treeSyncNames('SF fake'));
    assert.deepStrictEqual(names.sort(), ['Churn risk', 'High-value customers']);
    assert.strictEqual(snowflake.logins.length >= 1, true);
    const catalogQuery = snowflake.queries.find((q) => /INFORMATION_SCHEMA/.test(q.sqlText));
    assert.ok(
      catalogQuery && /"ANALYTICS"\.INFORMATION_SCHEMA\.COLUMNS/.test(catalogQuery.sqlText),
      'the catalog of the configured database',
    );
    assert.ok(
      snowflake.queries.some((q) => /"ANALYTICS"\."HIGHTOUCH_AUDIT"\."SYNC_RUNS"/.test(q.sqlText)),
      'tables qualified and upper-cased',
    );

    const api = await getApi();
    const warehouse = await api.container.connections.getWarehouse();
    const controller = new AbortController();
    const running = warehouse.query('select system$wait(sleep)', [], { signal: controller.signal });
    await waitFor('the query to reach the fake', () =>
      snowflake!.queries.some((q) => /sleep/.test(q.sqlText)) ? true : undefined,
    );
    controller.abort();
    await assert.rejects(running, (err: unknown) => err instanceof Error && err.name === QueryCancelledError.name);
    await waitFor('the abort request at the fake', () => (snowflake!.aborts.length > 0 ? true : undefined), 5000);
  });

  it('BigQuery: authenticates with the stored token and lists the syncs from the configured project', async () => {
    const token = 'ya29.fake-token-for-tests';
    bigquery = await startBigQueryFake({
      token,
      handler: (q) => {
        if (q.sql === 'SELECT 1') return { fields: [{ name: 'f0_', type: 'INTEGER' }], rows: [['1']] };
        if (/INFORMATION_SCHEMA\.COLUMNS/.test(q.sql)) {
          return {
            fields: CATALOG_COLUMNS.map((name) => ({ name: name.toLowerCase(), type: 'STRING' })),
            rows: CATALOG.map((r) => r.map((c) => c?.toLowerCase() ?? null)),
          };
        }
        if (/row_number\(\) over/.test(q.sql))
          return { fields: SYNC_COLUMNS.map((name) => ({ name, type: 'STRING' })), rows: SYNCS };
        return { error: { status: 400, reason: 'invalidQuery', message: `unexpected query: ${q.sql.slice(0, 60)}` } };
      },
    });
    await useConnection(
      { name: 'BQ fake', kind: 'bigquery', database: 'my-project', auth: 'oauthToken', endpoint: bigquery.url },
      ['syncLogs.token.BQ fake', token],
    );
    const names = await waitFor('the BigQuery syncs in the tree', () => treeSyncNames('BQ fake'));
    assert.deepStrictEqual(names.sort(), ['Churn risk', 'High-value customers']);
    assert.ok(
      bigquery.queries.some((q) => /`my-project\.hightouch_audit\.sync_runs`/.test(q.sql)),
      'tables qualified by project and dataset',
    );
    const settingsText = JSON.stringify(vscode.workspace.getConfiguration('syncLogs').inspect('connections'));
    assert.ok(!settingsText.includes(token), 'the token is not in settings');
  });

  it('BigQuery: Run Query dry-runs first and asks above syncLogs.bigquery.confirmBytesAbove; declining runs nothing', async () => {
    assert.ok(bigquery, 'the BigQuery fake of the test before');
    const api = await getApi();
    const GiB = 1024 ** 3;
    const previous = bigquery.queries.length;
    const fallback = (q: { sql: string }) =>
      q.sql === 'SELECT 1' ? { fields: [{ name: 'f0_', type: 'INTEGER' }], rows: [['1']] } : undefined;
    bigquery.setHandler(
      (q) =>
        fallback(q) ??
        (/big_scan/.test(q.sql)
          ? { fields: [{ name: 'n', type: 'INTEGER' }], rows: [['3']], bytes: 40 * GiB }
          : { fields: [{ name: 'n', type: 'INTEGER' }], rows: [['1']], bytes: GiB }),
    );
    const run = async (sql: string): Promise<RunQueryOutcome> => {
      const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: sql });
      const editor = await vscode.window.showTextDocument(doc);
      const all = new vscode.Selection(doc.positionAt(0), doc.positionAt(sql.length));
      for (let i = 0; i < 30 && !editor.selection.isEqual(all); i++) {
        editor.selection = all;
        await new Promise((r) => setTimeout(r, 100));
      }
      const outcome = await vscode.commands.executeCommand<RunQueryOutcome>('syncLogs.runQuery');
      assert.ok(outcome);
      return outcome;
    };
    const script = scriptedPrompter([
      { expect: /scan 40\.0 GiB on BigQuery \("BQ fake"\).*about \$0\.24/, answer: undefined },
      { expect: /scan 40\.0 GiB/, answer: 'Run' },
    ]);
    api.container.prompter = script;
    try {
      const declined = await run('select count(*) as n from big_scan');
      assert.strictEqual(declined.status, 'cancelled');
      assert.match(declined.status === 'cancelled' ? declined.message : '', /Not run: This query will scan 40\.0 GiB/);
      const sent = bigquery.queries.slice(previous).filter((q) => /big_scan/.test(q.sql));
      assert.deepStrictEqual(
        sent.map((q) => q.dryRun === true),
        [true],
        'only the dry run reached BigQuery',
      );

      const accepted = await run('select count(*) as n from big_scan');
      assert.strictEqual(accepted.status, 'ok');
      assert.deepStrictEqual(accepted.status === 'ok' ? accepted.result.rows : [], [[3]]);
      // Under the threshold (1 GiB < 10 GiB): no question, it just runs.
      const small = await run('select 1 as n from small_scan');
      assert.strictEqual(small.status, 'ok');
      assert.deepStrictEqual(script.remaining, [], 'asked exactly twice');
      assert.strictEqual(script.asked.length, 2);
    } finally {
      api.container.prompter = vscodePrompter;
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
