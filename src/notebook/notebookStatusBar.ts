import * as vscode from 'vscode';
import { COMMANDS } from '../shared/ids';
import type { ConnectionManager } from '../warehouse/connectionManager';
import { dialectFor } from '../sql/dialects';
import { parameterNames } from './namedParameters';
import { NOTEBOOK_TYPE } from './notebookSerializer';
import { parameterStatus } from './parameterStatus';
import type { NotebookKernels } from './notebookKernels';

/** Where the status bar reads a notebook's parameters. */
export interface ParameterSource {
  knownParameters(notebook: vscode.NotebookDocument): Record<string, string>;
  readonly onDidChangeParameters: vscode.Event<void>;
}

/**
 * While a sync-log notebook is the active editor: its parameters and its connection, in the status
 * bar; a click runs Set Notebook Parameters. Hidden for any other editor.
 */
export class NotebookStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'syncLogs.notebookParameters',
    vscode.StatusBarAlignment.Left,
    49,
  );
  private readonly subs: vscode.Disposable[] = [this.item];
  private visible = false;

  constructor(
    private readonly params: ParameterSource,
    private readonly kernels: NotebookKernels,
    private readonly connections: ConnectionManager,
  ) {
    this.item.name = 'Sync Logs Notebook Parameters';
    this.item.command = COMMANDS.setNotebookParameters;
    const update = () => this.update();
    this.subs.push(
      vscode.window.onDidChangeActiveNotebookEditor(update),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.notebook === vscode.window.activeNotebookEditor?.notebook) update();
      }),
      params.onDidChangeParameters(update),
      kernels.onDidChange(update),
    );
    update();
  }

  /** What it shows, for tests: undefined while hidden. */
  get shown(): { text: string; tooltip: string } | undefined {
    return this.visible ? { text: this.item.text, tooltip: String(this.item.tooltip ?? '') } : undefined;
  }

  private update(): void {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE) {
      this.visible = false;
      this.item.hide();
      return;
    }
    const connection = this.kernels.connectionOf(notebook);
    const status = parameterStatus({
      values: this.params.knownParameters(notebook),
      used: this.usedIn(notebook, connection),
      connection,
    });
    this.item.text = status.text;
    this.item.tooltip = status.tooltip;
    this.visible = true;
    this.item.show();
  }

  /** The parameters the notebook's SQL cells use, lexed as its connection's dialect lexes them. */
  private usedIn(notebook: vscode.NotebookDocument, connection: string): string[] {
    let dialect;
    try {
      dialect = dialectFor(this.connections.describeConnection(connection).dialect);
    } catch {
      return [];
    }
    const names = notebook
      .getCells()
      .filter((c) => c.kind === vscode.NotebookCellKind.Code)
      .flatMap((c) => parameterNames(c.document.getText(), dialect));
    return [...new Set(names)];
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
