import * as vscode from 'vscode';
import { VIEWS } from './shared/ids';
import { ConnectionManager } from './warehouse/connectionManager';
import { SyncTreeProvider } from './views/syncTreeProvider';
import { SyncList } from './services/syncList';
import { AnalysisPanels } from './panels/panelRegistry';
import { CategoryConfig } from './panels/categoryConfig';
import { stuckRowMinFailures } from './services/settingsReaders';
import { HealthWatch } from './services/healthWatch';
import { QueryHistory } from './history/queryHistory';
import { defaultSpoolDir, sweepStaleSpools } from './results/rowSpool';
import { ConnectionStatusBar } from './views/connectionStatusBar';
import { SyncLogsLanguageClient } from './lsp/languageClient';
import type { Prompter } from './connections/prompter';
import { vscodePrompter } from './connections/vscodePrompter';

/**
 * Owns the extension's long-lived services. Everything it creates is disposed with it,
 * so deactivation (and test reloads) leave nothing behind.
 */
export class Container implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly connections: ConnectionManager;
  /** The active connection's syncs, one list for the tree, the panels and the commands. */
  readonly syncs: SyncList;
  readonly tree: SyncTreeProvider;
  readonly statusBar: ConnectionStatusBar;
  readonly treeView: vscode.TreeView<unknown>;
  readonly languageClient: SyncLogsLanguageClient;
  /** The open analysis panels; `panels.open(target)` is how anything opens one. */
  readonly panels: AnalysisPanels;
  /** The error categories in effect (settings, workspace file, defaults), read at each use. */
  readonly categories: CategoryConfig;
  /** syncLogs.watch: notifies when a sync turns failing, gets new templates or its stuck rows rise. */
  readonly watch: HealthWatch;
  /** Every Run Query of this workspace (syncLogs.queryHistory.*), in global storage. */
  readonly history: QueryHistory;
  /** How forms ask their questions; the integration tests put a scripted one here. */
  prompter: Prompter = vscodePrompter;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly context: vscode.ExtensionContext) {
    this.log = this.track(vscode.window.createOutputChannel('Sync Logs', { log: true }));
    this.connections = this.track(new ConnectionManager(context, this.log, () => this.prompter));
    this.syncs = this.track(new SyncList(this.connections, stuckRowMinFailures, this.log));
    this.tree = this.track(new SyncTreeProvider(this.connections, this.syncs, this.log));
    this.treeView = this.track(
      vscode.window.createTreeView(VIEWS.syncs, { treeDataProvider: this.tree, showCollapseAll: true }),
    );
    this.statusBar = this.track(new ConnectionStatusBar(this.connections));
    this.languageClient = this.track(new SyncLogsLanguageClient(context, this.connections, this.log));
    this.categories = new CategoryConfig(this.log);
    this.panels = this.track(new AnalysisPanels(this));
    this.history = this.track(new QueryHistory(context.globalStorageUri.fsPath, this.log));
    this.watch = this.track(
      new HealthWatch(
        this.connections,
        () => this.syncs.readHealthNow(),
        () => this.panels.open({ panel: 'health' }),
        this.log,
      ),
    );
    // A host that crashed left its result spools behind; sweeping them waits until activation is done.
    const sweep = setTimeout(() => {
      const removed = sweepStaleSpools(defaultSpoolDir());
      if (removed) this.log.info(`Removed ${removed} result spool folder(s) left by closed windows.`);
    }, 5_000);
    this.track(new vscode.Disposable(() => clearTimeout(sweep)));
  }

  /** Registers something to dispose with the container and returns it. */
  track<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (err) {
        console.error('Sync Logs: dispose failed', err);
      }
    }
  }
}
