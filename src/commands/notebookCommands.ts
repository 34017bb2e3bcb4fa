import * as vscode from 'vscode';
import { COMMANDS } from '../shared/ids';
import type { Container } from '../container';
import { NotebookRunner } from '../notebook/notebookController';
import { NOTEBOOK_TYPE, SyncLogsNotebookSerializer } from '../notebook/notebookSerializer';
import { NotebookOutputSidecar } from '../notebook/outputSidecar';
import { starterNotebook } from '../notebook/starterNotebook';
import { runbookText } from '../notebook/runbook';
import { stuckRowMinFailures } from '../services/settingsReaders';
import { NotebookStatusBar } from '../notebook/notebookStatusBar';

/** The notebook's services, for the integration tests to look at. */
export interface NotebookServices {
  runner: NotebookRunner;
  statusBar: NotebookStatusBar;
}

async function pickSync(container: Container) {
  const syncs = await container.syncs.getOrEmpty();
  return container.prompter.pick({
    title: 'Investigate in a Notebook',
    placeholder: 'The sync to investigate',
    items: syncs.map((s) => ({ label: s.modelName, description: `${s.destination} · sync ${s.syncId}`, value: s })),
  });
}

export function registerNotebookCommands(container: Container): vscode.Disposable & NotebookServices {
  const runner = new NotebookRunner(container);
  const statusBar = new NotebookStatusBar(runner, runner.kernels, container.connections);
  const serializer = new SyncLogsNotebookSerializer(() => container.connections.dialect);
  const disposable = vscode.Disposable.from(
    // Cells of a notebook on another connection are checked and completed with that connection's catalog.
    container.languageClient.useNotebookConnections(runner.kernels),
    statusBar,
    runner,
    new NotebookOutputSidecar(() => runner.kernels.all(), container.log),
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, serializer, { transientOutputs: true }),
    vscode.commands.registerCommand(COMMANDS.newNotebook, async (): Promise<vscode.NotebookEditor> => {
      const data = serializer.deserializeNotebook(
        new TextEncoder().encode(starterNotebook(container.connections.schema)),
      );
      const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
      return vscode.window.showNotebookDocument(doc);
    }),
    vscode.commands.registerCommand(
      COMMANDS.investigateInNotebook,
      async (node?: {
        sync?: { syncId: string; modelName: string; destination: string };
        run?: { syncRunId: string };
      }): Promise<vscode.NotebookEditor | undefined> => {
        const sync = node?.sync ?? (await pickSync(container));
        if (!sync) return undefined;
        const { info } = await container.connections.getSyncLog();
        const syncRunId = node?.run?.syncRunId;
        const text = runbookText(info.location, {
          syncId: sync.syncId,
          modelName: sync.modelName,
          destination: sync.destination,
          syncRunId,
          minFailures: stuckRowMinFailures(),
        });
        const doc = await vscode.workspace.openNotebookDocument(
          NOTEBOOK_TYPE,
          serializer.deserializeNotebook(new TextEncoder().encode(text)),
        );
        await runner.resetParameters(doc, { sync_id: sync.syncId, ...(syncRunId ? { sync_run_id: syncRunId } : {}) });
        return vscode.window.showNotebookDocument(doc);
      },
    ),
    vscode.commands.registerCommand(COMMANDS.setNotebookParameters, async (values?: Record<string, string>) => {
      const notebook = vscode.window.activeNotebookEditor?.notebook;
      if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE) {
        void vscode.window.showInformationMessage('Open a sync-log notebook (*.synclogs.sql) to set its parameters.');
        return;
      }
      // Forgotten now, asked again at the next run (tests pass the values straight in).
      await runner.resetParameters(notebook, values);
      if (!values)
        void vscode.window.showInformationMessage('The notebook will ask for its parameters at the next run.');
    }),
  );
  return Object.assign(disposable, { runner, statusBar });
}
