import * as vscode from 'vscode';
import type { Container } from '../container';

interface ConnectionPick extends vscode.QuickPickItem {
  connectionName?: string;
  openSettings?: boolean;
}

export function registerConnectionCommands(container: Container): vscode.Disposable {
  return vscode.commands.registerCommand('syncLogs.selectConnection', async (name?: string) => {
    const { connections } = container;
    // Tests and other commands may name the connection directly.
    if (typeof name === 'string') {
      await connections.setActive(name);
      return name;
    }
    const active = connections.activeName;
    const items: ConnectionPick[] = connections.list().map((c) => ({
      label: `${c.name === active ? '$(check) ' : ''}${c.name}`,
      description: c.kind === 'demo' ? 'embedded demo sync log' : `${c.kind} · ${c.user ?? ''}@${c.host ?? 'localhost'}:${c.port ?? 5432}/${c.database ?? ''}`,
      connectionName: c.name,
    }));
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(gear) Edit connections in settings…', openSettings: true });
    const pick = await vscode.window.showQuickPick(items, { title: 'Sync Logs: Select Connection', placeHolder: `Active: ${active}` });
    if (!pick) return undefined;
    if (pick.openSettings) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'syncLogs.connections');
      return undefined;
    }
    if (pick.connectionName) await connections.setActive(pick.connectionName);
    return pick.connectionName;
  });
}
