import * as vscode from 'vscode';
import type { ConnectionManager } from '../warehouse/connectionManager';
import { COMMANDS } from '../shared/ids';
import { isolate, noIcons } from '../shared/displayText';

/** Shows the active connection; clicking it switches. */
export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('syncLogs.connection', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly connections: ConnectionManager) {
    this.item.name = 'Sync Logs Connection';
    this.item.command = COMMANDS.selectConnection;
    this.subscription = connections.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  /** The text shown, for tests. */
  get text(): string {
    return this.item.text;
  }

  private update(): void {
    const active = this.connections.active;
    // The status bar draws $(name) as an icon; a connection name (a workspace can set one) is text.
    this.item.text = `$(database) Sync Logs: ${isolate(noIcons(active.name))}`;
    this.item.tooltip = `Sync Logs connection: ${isolate(active.name)} (${active.kind}), schema ${this.connections.schema}. Click to switch.`;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
