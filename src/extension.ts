import type * as vscode from 'vscode';
import { Container } from './container';
import { registerConnectionCommands } from './commands/connectionCommands';
import { registerTreeCommands } from './commands/treeCommands';
import { registerQueryCommands } from './commands/queryCommands';
import { registerAnalysisCommands } from './commands/analysisCommands';
import { registerHistoryCommands } from './commands/historyCommands';
import { registerNotebookCommands, type NotebookServices } from './commands/notebookCommands';
import { ResultsPanel } from './panels/resultsPanel';

/** What activate() returns: used by the integration tests to look inside. */
export interface SyncLogsApi {
  container: Container;
  /** How long activate() took, in milliseconds. */
  activationMs: number;
  /** The open results panels, the one the next run shows in first, and what each tab shows. */
  resultsPanels: typeof ResultsPanel.all;
  /** The notebook's runner (its kernels, one per connection) and its status bar item. */
  notebooks: NotebookServices;
}

export function activate(context: vscode.ExtensionContext): SyncLogsApi {
  const started = performance.now();
  const container = new Container(context);
  context.subscriptions.push(container);
  // Command groups register here, one line each: register(container) -> Disposable.
  context.subscriptions.push(registerConnectionCommands(container));
  context.subscriptions.push(registerTreeCommands(container, container.tree));
  context.subscriptions.push(registerQueryCommands(container));
  context.subscriptions.push(registerAnalysisCommands(container));
  context.subscriptions.push(registerHistoryCommands(container));
  const notebooks = registerNotebookCommands(container);
  context.subscriptions.push(notebooks);
  const activationMs = Math.round(performance.now() - started);
  container.log.info(`Activated in ${activationMs} ms.`);
  return { container, activationMs, resultsPanels: () => ResultsPanel.all(), notebooks };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
