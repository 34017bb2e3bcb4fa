import * as assert from 'assert';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { getApi } from './api';
import type { ExportOutcome } from '../../src/commands/exportResult';

describe('Export the full result', function () {
  this.timeout(120_000);

  it("writes every row (not the grid's first page) to CSV and JSON Lines; a failing query leaves no file", async () => {
    const { container } = await getApi();
    const dir = await mkdtemp(join(tmpdir(), 'synclogs-export-'));
    const warehouse = await container.connections.getWarehouse();
    const total = Number((await warehouse.query('select count(*) from hightouch_audit.sync_runs')).rows[0][0]);
    const cap = vscode.workspace.getConfiguration('syncLogs').get<number>('maxResultRows', 1000);
    assert.ok(total > cap, `the demo has more runs (${total}) than the grid keeps (${cap})`);
    const csv = vscode.Uri.file(join(dir, 'runs.csv'));
    const done = await vscode.commands.executeCommand<ExportOutcome>(
      'syncLogs.exportResult',
      'select sync_run_id, status from hightouch_audit.sync_runs order by sync_run_id',
      csv,
    );
    assert.deepStrictEqual([done.status, done.rows], ['ok', total]);
    const lines = (await readFile(csv.fsPath, 'utf8')).split('\r\n').filter(Boolean);
    assert.strictEqual(lines[0], 'sync_run_id,status');
    assert.strictEqual(lines.length, total + 1);
    const jsonl = vscode.Uri.file(join(dir, 'runs.jsonl'));
    const asJson = await vscode.commands.executeCommand<ExportOutcome>(
      'syncLogs.exportResult',
      'select sync_id, count(*)::int as runs from hightouch_audit.sync_runs group by 1 order by 1',
      jsonl,
    );
    const objects = (await readFile(jsonl.fsPath, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const expected = await warehouse.query(
      'select sync_id, count(*)::int as runs from hightouch_audit.sync_runs group by 1 order by 1',
    );
    assert.strictEqual(asJson.rows, expected.rows.length);
    assert.deepStrictEqual(
      objects.map((o) => [o.sync_id, o.runs]),
      expected.rows,
    );
    const broken = vscode.Uri.file(join(dir, 'broken.csv'));
    const failed = await vscode.commands.executeCommand<ExportOutcome>(
      'syncLogs.exportResult',
      'select failed_reason from hightouch_audit.sync_changelog',
      broken,
    );
    assert.strictEqual(failed.status, 'error');
    assert.match(failed.message ?? '', /failed_reason/);
    assert.ok(!existsSync(broken.fsPath) && !existsSync(`${broken.fsPath}.partial`), 'no file and no partial');
  });
});
