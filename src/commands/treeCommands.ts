import * as vscode from 'vscode';
import { COMMANDS } from '../shared/ids';
import type { Container } from '../container';
import type { SyncTreeNode, SyncTreeProvider } from '../views/syncTreeProvider';
import { runChangelogSql } from '../sql/runQueryText';
import { openVendorLink } from '../panels/vendorOpen';

type NodeOf<T extends SyncTreeNode['type']> = Extract<SyncTreeNode, { type: T }>;

export function registerTreeCommands(container: Container, tree: SyncTreeProvider): vscode.Disposable {
  const { connections } = container;
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.refresh, async () => {
      tree.refresh();
      // Block until the syncs are loaded so callers (and tests) see a settled view.
      await container.syncs.getOrEmpty();
    }),
    vscode.commands.registerCommand(COMMANDS.copySyncId, async (node?: NodeOf<'sync'> | NodeOf<'run'>) => {
      if (!node || !('sync' in node)) return;
      await vscode.env.clipboard.writeText(node.sync.syncId);
      vscode.window.setStatusBarMessage(`Copied sync ID ${node.sync.syncId}`, 3000);
    }),
    vscode.commands.registerCommand(COMMANDS.copyRunId, async (node?: NodeOf<'run'>) => {
      if (node?.type !== 'run') return;
      await vscode.env.clipboard.writeText(node.run.syncRunId);
      vscode.window.setStatusBarMessage(`Copied run ID ${node.run.syncRunId}`, 3000);
    }),
    vscode.commands.registerCommand(COMMANDS.openRunQuery, async (node?: NodeOf<'run'>) => {
      if (node?.type !== 'run') {
        void vscode.window.showInformationMessage(
          'Right-click a run in the Sync Logs view and choose "Open Run Query".',
        );
        return undefined;
      }
      const { info } = await connections.getSyncLog();
      const { dialect, schema, database, shape } = info.location;
      const content = runChangelogSql({
        dialect,
        schema,
        database,
        shape,
        syncId: node.sync.syncId,
        syncRunId: node.run.syncRunId,
        modelName: node.sync.modelName,
        destination: node.sync.destination,
        startedAt: node.run.startedAt,
      });
      const doc = await vscode.workspace.openTextDocument({ language: 'sql', content });
      await vscode.window.showTextDocument(doc, { preview: false });
      return doc;
    }),
    // The vendor's pages have what the sync log lacks (the debugger's requests and responses).
    vscode.commands.registerCommand(COMMANDS.openInHightouch, async (node?: NodeOf<'sync'> | NodeOf<'run'>) => {
      if (node?.type === 'run')
        return openVendorLink({ kind: 'run', syncId: node.sync.syncId, syncRunId: node.run.syncRunId }, container.log);
      if (node?.type === 'sync') return openVendorLink({ kind: 'sync', syncId: node.sync.syncId }, container.log);
      void vscode.window.showInformationMessage(
        'Right-click a sync or a run in the Sync Logs view and choose "Open in Hightouch".',
      );
      return false;
    }),
    vscode.commands.registerCommand(COMMANDS.openHightouchDebugger, async (node?: NodeOf<'run'>) => {
      if (node?.type !== 'run') {
        void vscode.window.showInformationMessage(
          'Right-click a run in the Sync Logs view and choose "Open Live Debugger in Hightouch".',
        );
        return false;
      }
      return openVendorLink(
        { kind: 'debugger', syncId: node.sync.syncId, syncRunId: node.run.syncRunId },
        container.log,
      );
    }),
    vscode.commands.registerCommand(COMMANDS.loadMoreRuns, async (node?: NodeOf<'loadMore'>) => {
      if (node?.type !== 'loadMore') return;
      try {
        await tree.loadMoreRuns(node);
      } catch (err) {
        void vscode.window.showErrorMessage(`Sync Logs: could not load more runs: ${(err as Error).message}`);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.rebuildDemo, async () => {
      const answer = await vscode.window.showWarningMessage(
        'Rebuild the embedded demo sync log from scratch? It takes a few seconds.',
        { modal: true },
        'Rebuild',
      );
      if (answer !== 'Rebuild') return;
      await connections.closeAll();
      const { deleteDemoData } = await import('../warehouse/demo/demoStorage');
      await deleteDemoData(container.context.globalStorageUri.fsPath);
      tree.refresh();
    }),
  );
}
