import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { Container } from '../container';
import { NOTEBOOK_RESULT_MIME } from '../shared/notebookOutput';
import { resultObjects } from '../shared/queryResult';
import { listSyncsQuery } from '../sql/treeQueries';
import { MAX_SYNCS } from '../services/syncList';
import { toSyncSummary, type SyncSummary } from '../views/treeModel';
import { errorCode, errorMessage, isCancelled } from '../warehouse/errorText';
import { QueryCancelledError } from '../warehouse/warehouse';
import { bindParameters, parameterNames } from './namedParameters';
import { maxResultRows } from '../commands/queryCommands';
import { cellOutput } from './cellOutput';
import { CellRuns } from './cellRuns';
import { parseOutputComment } from './outputComment';
import { registerOutputMessaging } from './outputMessaging';
import { NotebookKernels } from './notebookKernels';

const PARAMS_KEY = 'syncLogs.notebookParameters';

/** What a run of one cell gave: whether the cells after it run. */
export interface CellOutcome {
  status: 'ok' | 'error' | 'cancelled';
  rows?: number;
  rowCountExact?: boolean;
  message?: string;
}

/**
 * Runs sync-log notebook cells on the notebook's own connection (the kernel VS Code has selected
 * for it, one per connection: notebookKernels.ts; the active connection's by default), in order,
 * each cancellable in the warehouse. `:name` parameters are asked once per notebook (a QuickPick
 * of the connection's syncs for :sync_id), remembered in the workspace, and bound as values.
 * Outputs: the result as JSON for the output renderer (the grid, or the chart a magic comment asks
 * for: outputComment.ts) and, beside it, the text table (escaped as the CLI's table is) with its
 * row count, for every other viewer.
 */
export class NotebookRunner implements vscode.Disposable {
  readonly kernels: NotebookKernels;
  private readonly subs: vscode.Disposable[] = [];
  /** What each output's "Export full result" exports. */
  private readonly runs = new CellRuns();
  private readonly parametersEmitter = new vscode.EventEmitter<void>();
  /** Fires when a notebook's remembered parameters change. */
  readonly onDidChangeParameters = this.parametersEmitter.event;

  constructor(private readonly container: Container) {
    this.kernels = new NotebookKernels(
      container.connections,
      container.context.extension.id,
      (cells, notebook, controller, connection) => this.runCells(cells, notebook, controller, connection),
    );
    this.subs.push(this.kernels, this.parametersEmitter, registerOutputMessaging(this.runs));
  }

  private order = 0;

  private async runCells(
    cells: vscode.NotebookCell[],
    notebook: vscode.NotebookDocument,
    controller: vscode.NotebookController,
    connection: string,
  ): Promise<void> {
    for (const cell of cells) {
      if (cell.kind !== vscode.NotebookCellKind.Code) continue;
      const outcome = await this.runCell(cell, notebook, controller, connection);
      // A cancelled or failed cell stops the ones after it, as a script would.
      if (outcome.status !== 'ok') break;
    }
  }

  /** The parameters remembered for a notebook (none asked). */
  knownParameters(notebook: vscode.NotebookDocument): Record<string, string> {
    const all = this.container.context.workspaceState.get<Record<string, Record<string, string>>>(PARAMS_KEY, {});
    return { ...(all[notebook.uri.toString()] ?? {}) };
  }

  /** The parameters the notebook's cells need, asked for the ones not known yet. Undefined: the user cancelled. */
  async parameters(
    notebook: vscode.NotebookDocument,
    needed: readonly string[],
    connection: string,
    ask = true,
  ): Promise<Record<string, string> | undefined> {
    const known = this.knownParameters(notebook);
    const missing = needed.filter((name) => !(name in known));
    if (missing.length === 0) return known;
    for (const name of missing) {
      if (!ask) return undefined;
      const value = await this.askFor(name, connection);
      if (value === undefined) return undefined;
      known[name] = value;
    }
    // Read again: another cell's question may have finished meanwhile.
    const all = this.container.context.workspaceState.get<Record<string, Record<string, string>>>(PARAMS_KEY, {});
    const merged = { ...(all[notebook.uri.toString()] ?? {}), ...known };
    await this.container.context.workspaceState.update(PARAMS_KEY, { ...all, [notebook.uri.toString()]: merged });
    this.parametersEmitter.fire();
    return merged;
  }

  /** Forgets the notebook's parameters, so the next run asks again. */
  async resetParameters(notebook: vscode.NotebookDocument, values?: Record<string, string>): Promise<void> {
    const all = this.container.context.workspaceState.get<Record<string, Record<string, string>>>(PARAMS_KEY, {});
    const next = { ...all };
    if (values) next[notebook.uri.toString()] = values;
    else delete next[notebook.uri.toString()];
    await this.container.context.workspaceState.update(PARAMS_KEY, next);
    this.parametersEmitter.fire();
  }

  /** The syncs of the notebook's connection: the shared list for the active one, else read now. */
  private async syncsOf(connection: string): Promise<SyncSummary[]> {
    if (connection === this.container.connections.activeName) return this.container.syncs.getOrEmpty();
    try {
      const { warehouse, info } = await this.container.connections.getSyncLogOf(connection);
      if (info.problem) return [];
      const q = listSyncsQuery(info.location, MAX_SYNCS);
      return resultObjects(await warehouse.query(q.text, q.values, { readOnly: true })).map(toSyncSummary);
    } catch {
      // The question is then asked as text; the cell's run reports what is wrong with the connection.
      return [];
    }
  }

  private async askFor(name: string, connection: string): Promise<string | undefined> {
    if (name === 'sync_id') {
      const syncs = await this.syncsOf(connection);
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

  private async runCell(
    cell: vscode.NotebookCell,
    notebook: vscode.NotebookDocument,
    kernel: vscode.NotebookController,
    connection: string,
  ): Promise<CellOutcome> {
    const execution = kernel.createNotebookCellExecution(cell);
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
      const warehouse = await this.container.connections.getWarehouseOf(connection);
      // Opening can take seconds (the demo, a password asked); a cancel meanwhile must not start the query.
      if (controller.signal.aborted) throw new QueryCancelledError();
      const dialect = warehouse.dialect;
      const sql = cell.document.getText();
      const values = await this.parameters(notebook, parameterNames(sql, dialect), connection);
      if (!values)
        return await done({ status: 'cancelled', message: 'Not run: a parameter was not given.' }, [
          vscode.NotebookCellOutputItem.text('Not run: a parameter was not given.'),
        ]);
      const query = bindParameters(sql, dialect, values);
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
  }
}
