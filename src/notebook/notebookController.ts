import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { Container } from '../container';
import { NOTEBOOK_RESULT_MIME } from '../shared/notebookOutput';
import { dialectFor } from '../sql/dialects';
import { errorCode, errorMessage, isCancelled } from '../warehouse/errorText';
import { bindParameters, parameterNames } from './namedParameters';
import { NOTEBOOK_TYPE } from './notebookSerializer';
import { maxResultRows } from '../commands/queryCommands';
import { cellOutput } from './cellOutput';
import { CellRuns } from './cellRuns';
import { parseOutputComment } from './outputComment';
import { registerOutputMessaging } from './outputMessaging';

export const NOTEBOOK_CONTROLLER_ID = 'syncLogs.notebookController';
const PARAMS_KEY = 'syncLogs.notebookParameters';

/** What a run of one cell gave: whether the cells after it run. */
export interface CellOutcome {
  status: 'ok' | 'error' | 'cancelled';
  rows?: number;
  rowCountExact?: boolean;
  message?: string;
}

/**
 * Runs sync-log notebook cells on the active connection (its name is the controller's
 * description, so the toolbar says where cells run), in order, each cancellable in the warehouse.
 * `:name` parameters are asked once per notebook (a QuickPick of syncs for :sync_id), remembered in
 * the workspace, and bound as values. Outputs: the result as JSON for the output renderer (the
 * grid, or the chart a magic comment asks for: outputComment.ts) and, beside it, the text table
 * (escaped as the CLI's table is) with its row count, for every other viewer.
 */
export class NotebookRunner implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly subs: vscode.Disposable[] = [];
  /** What each output's "Export full result" exports. */
  private readonly runs = new CellRuns();

  constructor(private readonly container: Container) {
    this.controller = vscode.notebooks.createNotebookController(NOTEBOOK_CONTROLLER_ID, NOTEBOOK_TYPE, 'Sync Logs');
    this.controller.supportedLanguages = ['sql'];
    this.controller.supportsExecutionOrder = true;
    this.controller.executeHandler = (cells, notebook) => this.runCells(cells, notebook);
    this.describe();
    this.subs.push(container.connections.onDidChange(() => this.describe()));
    this.subs.push(registerOutputMessaging(this.runs, () => this.container.connections.activeName));
  }

  private describe(): void {
    this.controller.description = `on ${this.container.connections.activeName}`;
    this.controller.detail = 'Runs each SQL cell on the active connection (Sync Logs: Select Connection switches).';
  }

  private order = 0;

  private async runCells(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    for (const cell of cells) {
      if (cell.kind !== vscode.NotebookCellKind.Code) continue;
      const outcome = await this.runCell(cell, notebook);
      // A cancelled or failed cell stops the ones after it, as a script would.
      if (outcome.status !== 'ok') break;
    }
  }

  /** The parameters the notebook's cells need, asked for the ones not known yet. Undefined: the user cancelled. */
  async parameters(
    notebook: vscode.NotebookDocument,
    needed: readonly string[],
    ask = true,
  ): Promise<Record<string, string> | undefined> {
    const all = this.container.context.workspaceState.get<Record<string, Record<string, string>>>(PARAMS_KEY, {});
    const known = { ...(all[notebook.uri.toString()] ?? {}) };
    for (const name of needed) {
      if (name in known) continue;
      if (!ask) return undefined;
      const value = await this.askFor(name);
      if (value === undefined) return undefined;
      known[name] = value;
    }
    await this.container.context.workspaceState.update(PARAMS_KEY, { ...all, [notebook.uri.toString()]: known });
    return known;
  }

  /** Forgets the notebook's parameters, so the next run asks again. */
  async resetParameters(notebook: vscode.NotebookDocument, values?: Record<string, string>): Promise<void> {
    const all = this.container.context.workspaceState.get<Record<string, Record<string, string>>>(PARAMS_KEY, {});
    const next = { ...all };
    if (values) next[notebook.uri.toString()] = values;
    else delete next[notebook.uri.toString()];
    await this.container.context.workspaceState.update(PARAMS_KEY, next);
  }

  private async askFor(name: string): Promise<string | undefined> {
    if (name === 'sync_id') {
      const syncs = await this.container.syncs.getOrEmpty();
      if (syncs.length) {
        const picked = await this.container.prompter.pick({
          title: 'Notebook parameter :sync_id',
          placeholder: 'The sync this notebook investigates',
          items: syncs.map((s) => ({
            label: s.modelName,
            description: `${s.destination} · sync ${s.syncId}`,
            value: s.syncId,
          })),
        });
        return picked;
      }
    }
    return this.container.prompter.input({
      title: `Notebook parameter :${name}`,
      prompt: `A value for :${name} (bound as a value, never pasted into the SQL)`,
    });
  }

  private async runCell(cell: vscode.NotebookCell, notebook: vscode.NotebookDocument): Promise<CellOutcome> {
    const execution = this.controller.createNotebookCellExecution(cell);
    execution.executionOrder = ++this.order;
    const controller = new AbortController();
    const sub = execution.token.onCancellationRequested(() => controller.abort());
    execution.start(Date.now());
    await execution.clearOutput();
    const done = async (outcome: CellOutcome, items: vscode.NotebookCellOutputItem[]) => {
      if (items.length) await execution.replaceOutput(new vscode.NotebookCellOutput(items));
      execution.end(outcome.status === 'ok', Date.now());
      sub.dispose();
      return outcome;
    };
    try {
      const warehouse = await this.container.connections.getWarehouse();
      const dialect = dialectFor(this.container.connections.dialect);
      const sql = cell.document.getText();
      const values = await this.parameters(notebook, parameterNames(sql, dialect));
      if (!values)
        return await done({ status: 'cancelled', message: 'Not run: a parameter was not given.' }, [
          vscode.NotebookCellOutputItem.text('Not run: a parameter was not given.'),
        ]);
      const query = bindParameters(sql, dialect, values);
      const connection = this.container.connections.activeName;
      const maxRows = maxResultRows();
      const result = await warehouse.query(query.text, query.values, { signal: controller.signal, maxRows });
      const runId = randomUUID();
      this.runs.add(runId, { notebook: notebook.uri.toString(), sql: query.text, values: query.values, connection });
      const parts = cellOutput(result, parseOutputComment(sql), runId);
      // VS Code shows the JSON with the output renderer; the text is for every viewer without it.
      const items = [
        ...(parts.json ? [vscode.NotebookCellOutputItem.json(parts.json, NOTEBOOK_RESULT_MIME)] : []),
        vscode.NotebookCellOutputItem.text(parts.text),
      ];
      return await done({ status: 'ok', rows: result.rowCount, rowCountExact: result.rowCountExact !== false }, items);
    } catch (err) {
      if (controller.signal.aborted || isCancelled(err)) {
        return await done({ status: 'cancelled', message: 'Cancelled.' }, [
          vscode.NotebookCellOutputItem.text('Cancelled: the statement was stopped in the warehouse.'),
        ]);
      }
      const message = errorMessage(err);
      const code = errorCode(err);
      return await done({ status: 'error', message }, [
        vscode.NotebookCellOutputItem.error({ name: code ? `Error ${code}` : 'Error', message }),
      ]);
    }
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
    this.controller.dispose();
  }
}
