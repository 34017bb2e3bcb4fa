import * as vscode from 'vscode';
import { COMMANDS } from '../shared/ids';
import { tooltipMarkdown } from '../views/tooltipMarkdown';
import { ageText, outcomeText, sqlSummary, type HistoryEntry } from './historyEntries';
import type { QueryHistory } from './queryHistory';

/** contextValue of an entry, for the view's menus. */
export const HISTORY_ITEM_CONTEXT = 'historyEntry';

const STATUS_ICON: Record<HistoryEntry['status'], vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
};

/** The item of one entry: SQL as the label (SQL is the user's own text, but may quote warehouse text: tooltip values stay code). */
export function historyItem(e: HistoryEntry, now: number): vscode.TreeItem {
  const item = new vscode.TreeItem(sqlSummary(e.sql), vscode.TreeItemCollapsibleState.None);
  item.id = e.id;
  item.description = `${outcomeText(e)} · ${e.connection} · ${ageText(e.startedAt, now)}`;
  item.iconPath = STATUS_ICON[e.status];
  item.contextValue = HISTORY_ITEM_CONTEXT;
  item.tooltip = new vscode.MarkdownString(
    tooltipMarkdown({
      title: e.status === 'ok' ? 'Query' : e.status === 'cancelled' ? 'Query (cancelled)' : 'Query (failed)',
      rows: [
        ['Connection', e.connection],
        ['Started', new Date(e.startedAt).toISOString()],
        ['Outcome', outcomeText(e)],
        ...(e.error ? ([['Error', e.error]] as [string, string][]) : []),
        ...(e.sqlCut
          ? ([['Note', 'SQL cut to 100,000 characters; it cannot be run again from here']] as [string, string][])
          : []),
      ],
      body: e.sql,
    }),
    false,
  );
  item.command = { command: COMMANDS.historyOpen, title: 'Open in Editor', arguments: [e.id] };
  return item;
}

/** The Query History view: every Run Query of this workspace, newest first. */
export class HistoryViewProvider implements vscode.TreeDataProvider<HistoryEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly history: QueryHistory) {
    this.sub = history.onDidChange(() => this.changed.fire());
  }

  getTreeItem(e: HistoryEntry): vscode.TreeItem {
    return historyItem(e, Date.now());
  }

  async getChildren(parent?: HistoryEntry): Promise<HistoryEntry[]> {
    return parent ? [] : this.history.list();
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
