import * as vscode from 'vscode';
import { COMMANDS } from '../shared/ids';
import type { Container } from '../container';
import type { QueryResult } from '../shared/queryResult';
import { MAX_RESULT_TABS, type RunInfo } from '../shared/resultsProtocol';
import { chooseSqlToRun, splitStatements, type SqlToRun } from '../sql/statementAtCursor';
import { dialectFor } from '../sql/dialects';
import { QueryCancelledError } from '../warehouse/warehouse';
import { errorCode, errorMessage, isCancelled } from '../warehouse/errorText';
import { ResultsPanel } from '../panels/resultsPanel';
import { offerDemoRebuildFor } from './demoRebuildOffer';
import { commentText } from '../sql/sqlComment';
import { confirmBytesAbove, maxResultRows, resultMemoryBudgetBytes } from '../services/settingsReaders';
import { readResult, type HeldResult } from '../results/readResult';
import { defaultSpoolDir } from '../results/rowSpool';
import { costQuestion } from './costGuard';
import { exportQueryResult, type ExportOutcome } from './exportResult';

/** What one statement of a Run Query showed. */
export type StatementOutcome = {
  sql: string;
  connectionName: string;
  source: SqlToRun['source'];
} & (
  | { status: 'ok'; result: QueryResult }
  | { status: 'error'; message: string; code?: string }
  | { status: 'cancelled'; message: string }
);

/**
 * What `syncLogs.runQuery` showed; the command returns it so tests (and other commands) can look:
 * the last statement that ran, and with several statements, each one's outcome in order.
 */
export type RunQueryOutcome = StatementOutcome & { statements?: StatementOutcome[] };

// Read with the other settings (services/settingsReaders.ts); kept importable from here.
export { maxResultRows };

/**
 * Runs SQL on the active connection, without any UI, reading its rows as they stream (in memory up
 * to syncLogs.resultMemoryBudgetMB, the rest spooled): the caller owns the rows and disposes them.
 * Aborting `signal` cancels it in the warehouse; after rows came, it keeps them (`stopped`).
 */
export async function runSql(
  container: Container,
  sql: string,
  options: { signal?: AbortSignal; maxRows?: number; onRows?: (rows: number) => void } = {},
): Promise<HeldResult> {
  const warehouse = await container.connections.getWarehouse();
  // Opening the demo can take seconds; a cancel during that must not start the query.
  if (options.signal?.aborted) throw new QueryCancelledError();
  return readResult(warehouse, sql, [], {
    signal: options.signal,
    maxRows: options.maxRows ?? maxResultRows(),
    budgetBytes: resultMemoryBudgetBytes(),
    spoolDir: defaultSpoolDir(),
    onRows: options.onRows,
    keepRowsOnStop: true,
  });
}

/** Rows of a result a RunQueryOutcome carries: the panel holds the rest. */
const OUTCOME_ROWS = 10_000;

/** A held result as the command returns it: its figures and its first rows, copied out. */
function outcomeResult(held: HeldResult): QueryResult {
  const { rows, stopped: _stopped, ...figures } = held;
  return { ...figures, rows: rows.slice(0, OUTCOME_ROWS) };
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
  /** The newest run: its end clears the highlight (an older run's end must not). */
  let currentRun: AbortController | undefined;
  const runs = new Set<AbortController>();

  async function remember(startedAt: number, outcome: StatementOutcome): Promise<void> {
    await container.history.add({
      id: `${startedAt.toString(36)}-${++runCount}`,
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
  }

  /**
   * Runs the picked SQL: one statement, or each statement of a selection or file in order, each
   * with its own tab in the results panel. A failed or cancelled statement stops the ones after it,
   * as a script would; they say they did not run.
   */
  async function runAndShow(editor: vscode.TextEditor, picked: SqlToRun): Promise<RunQueryOutcome> {
    const connectionName = container.connections.activeName;
    const lexical = dialectFor(container.connections.dialect).lexical;
    const parts = picked.source === 'statement' ? [] : splitStatements(picked.text, lexical);
    const statements =
      parts.length > 1
        ? parts
            .slice(0, MAX_RESULT_TABS)
            .map((p) => ({ text: p.text, start: picked.start + p.start, end: picked.start + p.end }))
        : [{ text: picked.text, start: picked.start, end: picked.end }];
    const batchId = `${Date.now().toString(36)}-${++runCount}`;
    const infos: RunInfo[] = statements.map((st, index) => ({
      runId: statements.length > 1 ? `${batchId}.${index + 1}` : batchId,
      sql: st.text,
      connectionName,
      startedAt: Date.now(),
      ...(statements.length > 1 ? { batch: { id: batchId, index, count: statements.length } } : {}),
    }));
    const controller = new AbortController();
    currentRun = controller;
    runs.add(controller);
    const cancel = () => controller.abort();
    for (const e of vscode.window.visibleTextEditors) clearHighlight(e);
    const panel = ResultsPanel.show(container);
    panel.begin(infos, cancel);
    if (parts.length > MAX_RESULT_TABS)
      void vscode.window.showWarningMessage(
        `Runs the first ${MAX_RESULT_TABS} of the ${parts.length} statements selected: a results panel keeps ${MAX_RESULT_TABS} tabs.`,
      );
    const outcomes: StatementOutcome[] = [];
    try {
      for (let i = 0; i < statements.length; i++) {
        const st = statements[i];
        const run = { ...infos[i], startedAt: Date.now() };
        const startedAt = run.startedAt;
        const doc = editor.document;
        try {
          editor.setDecorations(running, [new vscode.Range(doc.positionAt(st.start), doc.positionAt(st.end))]);
        } catch {
          // The editor was closed: the run goes on.
        }
        const outcome = await runOne(panel, run, controller, { sql: st.text, connectionName, source: picked.source });
        outcomes.push(outcome);
        await remember(startedAt, outcome);
        if (outcome.status !== 'ok') {
          const why = `Not run: statement ${i + 1} ${outcome.status === 'error' ? 'failed' : 'was cancelled'}.`;
          for (const later of infos.slice(i + 1)) panel.showNotRun(later, why);
          break;
        }
      }
    } finally {
      panel.end(cancel);
      runs.delete(controller);
      if (currentRun === controller) {
        currentRun = undefined;
        clearHighlight(editor);
      }
    }
    const last = outcomes[outcomes.length - 1];
    return statements.length > 1 ? { ...last, statements: outcomes } : last;
  }

  async function runOne(
    panel: ResultsPanel,
    run: RunInfo,
    controller: AbortController,
    base: { sql: string; connectionName: string; source: SqlToRun['source'] },
  ): Promise<StatementOutcome> {
    const { connectionName } = base;
    panel.showRunning(run);
    const maxRows = maxResultRows();
    try {
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Sync Logs: running query on ${connectionName}`,
          cancellable: true,
        },
        async (progress, token) => {
          const sub = token.onCancellationRequested(() => controller.abort());
          let reported = 0;
          const onRows = (rows: number) => {
            panel.readProgress(run, rows);
            // A notification update per batch would flood; every tenth of the cap or 100,000 rows is enough.
            if (rows - reported < Math.min(100_000, Math.max(1, Math.ceil(maxRows / 10)))) return;
            reported = rows;
            progress.report({ message: `${rows.toLocaleString('en-US')} rows read` });
          };
          try {
            if (controller.signal.aborted) throw new QueryCancelledError();
            await confirmCost(container, base.sql, connectionName);
            if (controller.signal.aborted) throw new QueryCancelledError();
            return await runSql(container, base.sql, { signal: controller.signal, maxRows, onRows });
          } finally {
            sub.dispose();
          }
        },
      );
      const returned = outcomeResult(result);
      panel.showResult(run, result, maxRows);
      container.log.info(
        `Query on "${connectionName}": ${result.rowCountExact === false ? 'at least ' : ''}${result.rowCount} rows in ${result.elapsedMs} ms${result.rows.inMemory ? '' : ' (rows past the memory budget spooled to disk)'}${result.stopped ? ', stopped by the user' : ''}.`,
      );
      return { ...base, status: 'ok', result: returned };
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
    }
  }

  return vscode.Disposable.from(
    running,
    ResultsPanel.register(container),
    new vscode.Disposable(() => runs.forEach((r) => r.abort())),
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
      async (
        sql?: string,
        target?: vscode.Uri,
        values?: unknown[],
        connection?: string,
      ): Promise<ExportOutcome | undefined> => {
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
        // A connection is named with given SQL only (a notebook cell's, which ran there); else the active one.
        const given = sql !== undefined;
        return exportQueryResult(container, text, target, given && Array.isArray(values) ? values : [], {
          connection: given && typeof connection === 'string' ? connection : undefined,
        });
      },
    ),
    vscode.commands.registerCommand(COMMANDS.pinResults, (): boolean => {
      const pinned = ResultsPanel.pinTarget();
      if (!pinned) void vscode.window.showInformationMessage('No results to pin: run a query first (Ctrl+Enter).');
      return pinned;
    }),
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
