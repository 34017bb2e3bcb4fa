import * as vscode from 'vscode';
import { COMMANDS } from '../shared/ids';
import type { Container } from '../container';
import type { QueryResult } from '../shared/queryResult';
import type { RunInfo } from '../shared/resultsProtocol';
import { chooseSqlToRun, type SqlToRun } from '../sql/statementAtCursor';
import { dialectFor } from '../sql/dialects';
import { QueryCancelledError } from '../warehouse/warehouse';
import { errorCode, errorMessage, isCancelled } from '../warehouse/errorText';
import { ResultsPanel } from '../panels/resultsPanel';
import { offerDemoRebuildFor } from './demoRebuildOffer';
import { commentText } from '../sql/sqlComment';
import { confirmBytesAbove, maxResultRows } from '../services/settingsReaders';
import { costQuestion } from './costGuard';
import { exportQueryResult, type ExportOutcome } from './exportResult';

/** What `syncLogs.runQuery` showed; the command returns it so tests (and other commands) can look. */
export type RunQueryOutcome = {
  sql: string;
  connectionName: string;
  source: SqlToRun['source'];
} & (
  | { status: 'ok'; result: QueryResult }
  | { status: 'error'; message: string; code?: string }
  | { status: 'cancelled'; message: string }
);

// Read with the other settings (services/settingsReaders.ts); kept importable from here.
export { maxResultRows };

/** Runs SQL on the active connection, without any UI. Aborting `signal` cancels it in the warehouse. */
export async function runSql(
  container: Container,
  sql: string,
  options: { signal?: AbortSignal; maxRows?: number } = {},
): Promise<QueryResult> {
  const warehouse = await container.connections.getWarehouse();
  // Opening the demo can take seconds; a cancel during that must not start the query.
  if (options.signal?.aborted) throw new QueryCancelledError();
  return warehouse.query(sql, undefined, { signal: options.signal, maxRows: options.maxRows ?? maxResultRows() });
}

/**
 * BigQuery bills by bytes scanned: before a user's query, a dry run (free) says how many, and above
 * syncLogs.bigquery.confirmBytesAbove the user decides. Declining ends the run as cancelled, not run.
 * Warehouses without an estimate skip this.
 */
async function confirmCost(container: Container, sql: string, connectionName: string): Promise<void> {
  const threshold = confirmBytesAbove();
  if (threshold < 0) return;
  const warehouse = await container.connections.getWarehouse();
  if (!warehouse.estimateBytes) return;
  const question = costQuestion(await warehouse.estimateBytes(sql), threshold, connectionName);
  if (!question) return;
  const answer = await container.prompter.choose({ ...question, buttons: ['Run'], severity: 'warning' });
  if (answer !== 'Run') throw new QueryCancelledError(`Not run: ${question.message.replace(/ Run it\?$/, '')}`);
}

/** The starter text of a new query: two statements over the runs table, and how to run them. */
export function newQueryText(schema: string, connectionName: string): string {
  const s = /^[a-z_][a-z0-9_]*$/.test(schema) ? schema : `"${schema.replace(/"/g, '""')}"`;
  // The name can come from a workspace's settings: nothing in it may end the comment.
  return `-- Sync Logs query on the "${commentText(connectionName)}" connection.
-- Ctrl+Enter (Cmd+Enter on macOS) runs the statement under the cursor, or the selection.

-- The latest runs, newest first
select sync_id, sync_run_id, model_name, destination, status, started_at, finished_at, error
from ${s}.sync_runs
order by started_at desc
limit 100;

-- Runs per sync and how many failed
select sync_id, model_name, count(*) as runs,
  sum(case when status = 'failed' then 1 else 0 end) as failed_runs
from ${s}.sync_runs
group by sync_id, model_name
order by failed_runs desc, runs desc;
`;
}

/** The editor Run Query reads: the active one, else the only visible SQL editor (focus may be in the results). */
function sqlEditor(): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active) return active;
  const sql = vscode.window.visibleTextEditors.filter((e) => e.document.languageId === 'sql');
  return sql.length === 1 ? sql[0] : undefined;
}

export function registerQueryCommands(container: Container): vscode.Disposable {
  const running = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    borderColor: new vscode.ThemeColor('contrastActiveBorder'),
    borderStyle: 'dotted',
    borderWidth: '0 0 1px 0',
  });
  const clearHighlight = (editor: vscode.TextEditor) => {
    try {
      editor.setDecorations(running, []);
    } catch {
      // The editor was closed while the query ran.
    }
  };
  let runCount = 0;
  let currentRun: AbortController | undefined;

  async function runAndShow(editor: vscode.TextEditor, picked: SqlToRun): Promise<RunQueryOutcome> {
    const startedAt = Date.now();
    const id = `${startedAt.toString(36)}-${runCount + 1}`;
    const outcome = await runAndShowOnce(editor, picked);
    await container.history.add({
      id,
      startedAt,
      connection: outcome.connectionName,
      sql: outcome.sql,
      durationMs: outcome.status === 'ok' ? outcome.result.elapsedMs : Date.now() - startedAt,
      status: outcome.status,
      rows: outcome.status === 'ok' ? outcome.result.rowCount : null,
      ...(outcome.status === 'error'
        ? { error: outcome.message, ...(outcome.code ? { code: outcome.code } : {}) }
        : {}),
    });
    return outcome;
  }

  async function runAndShowOnce(editor: vscode.TextEditor, picked: SqlToRun): Promise<RunQueryOutcome> {
    const connectionName = container.connections.activeName;
    const run: RunInfo = {
      runId: `${Date.now().toString(36)}-${++runCount}`,
      sql: picked.text,
      connectionName,
      startedAt: Date.now(),
    };
    const base = { sql: picked.text, connectionName, source: picked.source };
    // One results panel shows one run: a new run replaces (and cancels) the one still going.
    currentRun?.abort();
    const controller = new AbortController();
    currentRun = controller;
    const doc = editor.document;
    for (const e of vscode.window.visibleTextEditors) clearHighlight(e);
    editor.setDecorations(running, [new vscode.Range(doc.positionAt(picked.start), doc.positionAt(picked.end))]);
    const panel = ResultsPanel.show(container);
    panel.showRunning(run, () => controller.abort());
    const maxRows = maxResultRows();
    try {
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Sync Logs: running query on ${connectionName}`,
          cancellable: true,
        },
        async (_progress, token) => {
          const sub = token.onCancellationRequested(() => controller.abort());
          try {
            await confirmCost(container, picked.text, connectionName);
            if (controller.signal.aborted) throw new QueryCancelledError();
            return await runSql(container, picked.text, { signal: controller.signal, maxRows });
          } finally {
            sub.dispose();
          }
        },
      );
      panel.showResult(run, result, maxRows);
      container.log.info(`Query on "${connectionName}": ${result.rowCount} rows in ${result.elapsedMs} ms.`);
      return { ...base, status: 'ok', result };
    } catch (err) {
      const elapsedMs = Date.now() - run.startedAt;
      if (isCancelled(err) || controller.signal.aborted) {
        const message = isCancelled(err) ? (err as Error).message : 'Query cancelled.';
        panel.showCancelled(run, message, elapsedMs);
        container.log.info(`Query on "${connectionName}" cancelled after ${elapsedMs} ms.`);
        return { ...base, status: 'cancelled', message };
      }
      const message = errorMessage(err);
      const code = errorCode(err);
      panel.showError(run, message, code, elapsedMs);
      container.log.warn(`Query on "${connectionName}" failed${code ? ` (${code})` : ''}: ${message}`);
      offerDemoRebuildFor(err, message);
      return { ...base, status: 'error', message, code };
    } finally {
      if (currentRun === controller) {
        currentRun = undefined;
        clearHighlight(editor);
      }
    }
  }

  return vscode.Disposable.from(
    running,
    ResultsPanel.register(container),
    new vscode.Disposable(() => currentRun?.abort()),
    vscode.commands.registerCommand(COMMANDS.runQuery, async (): Promise<RunQueryOutcome | undefined> => {
      const editor = sqlEditor();
      if (!editor) {
        void vscode.window.showInformationMessage(
          'Open a SQL editor to run a query: "Sync Logs: New Query" starts one.',
        );
        return undefined;
      }
      const doc = editor.document;
      const sel = editor.selection;
      // Lexed as the active connection's SQL: where a BigQuery statement ends is not where a Postgres one would.
      const lexical = dialectFor(container.connections.dialect).lexical;
      const picked = chooseSqlToRun(
        doc.getText(),
        { start: doc.offsetAt(sel.start), end: doc.offsetAt(sel.end), cursor: doc.offsetAt(sel.active) },
        lexical,
      );
      if (!picked) {
        void vscode.window.showInformationMessage(
          'Nothing to run: write a SQL statement (or select one), then run "Sync Logs: Run Query" (Ctrl+Enter).',
        );
        return undefined;
      }
      return runAndShow(editor, picked);
    }),
    vscode.commands.registerCommand(
      COMMANDS.exportResult,
      async (sql?: string, target?: vscode.Uri, values?: unknown[]): Promise<ExportOutcome | undefined> => {
        const text =
          sql ??
          (() => {
            const editor = sqlEditor();
            if (!editor) return undefined;
            const doc = editor.document;
            const sel = editor.selection;
            return chooseSqlToRun(
              doc.getText(),
              { start: doc.offsetAt(sel.start), end: doc.offsetAt(sel.end), cursor: doc.offsetAt(sel.active) },
              dialectFor(container.connections.dialect).lexical,
            )?.text;
          })();
        if (!text) {
          void vscode.window.showInformationMessage(
            'Put the cursor in a SQL statement (or run it first) to export its full result.',
          );
          return undefined;
        }
        // Values go with the SQL they were given with, never with a statement read from the editor.
        return exportQueryResult(container, text, target, sql !== undefined && Array.isArray(values) ? values : []);
      },
    ),
    vscode.commands.registerCommand(COMMANDS.newQuery, async (): Promise<vscode.TextEditor> => {
      const doc = await vscode.workspace.openTextDocument({
        language: 'sql',
        content: newQueryText(container.connections.schema, container.connections.activeName),
      });
      const editor = await vscode.window.showTextDocument(doc);
      // Put the cursor in the first statement, ready for Ctrl+Enter.
      const line = doc
        .getText()
        .split('\n')
        .findIndex((l) => l.startsWith('select'));
      const at = new vscode.Position(Math.max(0, line), 0);
      editor.selection = new vscode.Selection(at, at);
      return editor;
    }),
  );
}
