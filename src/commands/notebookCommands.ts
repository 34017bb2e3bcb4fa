import * as vscode from 'vscode';
import type { Container } from '../container';
import { NotebookRunner } from '../notebook/notebookController';
import { NOTEBOOK_TYPE, SyncLogsNotebookSerializer } from '../notebook/notebookSerializer';
import { starterNotebook } from '../notebook/starterNotebook';

export function registerNotebookCommands(container: Container): vscode.Disposable {
  const runner = new NotebookRunner(container);
  const serializer = new SyncLogsNotebookSerializer(() => container.connections.dialect);
  return vscode.Disposable.from(
    runner,
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, serializer, { transientOutputs: true }),
    vscode.commands.registerCommand('syncLogs.newNotebook', async (): Promise<vscode.NotebookEditor> => {
      const data = serializer.deserializeNotebook(new TextEncoder().encode(starterNotebook(container.connections.schema)));
      const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
      return vscode.window.showNotebookDocument(doc);
    }),
    vscode.commands.registerCommand('syncLogs.setNotebookParameters', async (values?: Record<string, string>) => {
      const notebook = vscode.window.activeNotebookEditor?.notebook;
      if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE) {
        void vscode.window.showInformationMessage('Open a sync-log notebook (*.synclogs.sql) to set its parameters.');
        return;
      }
      // Forgotten now, asked again at the next run (tests pass the values straight in).
      await runner.resetParameters(notebook, values);
      if (!values) void vscode.window.showInformationMessage('The notebook will ask for its parameters at the next run.');
    }),
  );
}
