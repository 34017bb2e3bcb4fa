import * as vscode from 'vscode';
import { COMMANDS, VIEWS } from '../shared/ids';
import type { Container } from '../container';
import { ageText, outcomeText, sqlSummary, type HistoryEntry } from '../history/historyEntries';
import { HistoryViewProvider } from '../history/historyView';
import type { RunQueryOutcome } from './queryCommands';

/** The tree passes the entry, the item's click and the QuickPick pass its id. */
type EntryRef = HistoryEntry | string | undefined;

const RUN_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('play'), tooltip: 'Run Again' };
const COPY_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('copy'), tooltip: 'Copy SQL' };

interface EntryPick extends vscode.QuickPickItem {
  entry: HistoryEntry;
}

export function registerHistoryCommands(container: Container): vscode.Disposable {
  const history = container.history;
  const view = new HistoryViewProvider(history);

  async function entryOf(ref: EntryRef): Promise<HistoryEntry | undefined> {
    const entry = typeof ref === 'string' ? await history.get(ref) : ref;
    if (!entry) void vscode.window.showWarningMessage('That query is no longer in the history.');
    return entry;
  }

  async function openInEditor(ref: EntryRef): Promise<vscode.TextEditor | undefined> {
    const entry = await entryOf(ref);
    if (!entry) return undefined;
    const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: entry.sql });
    return vscode.window.showTextDocument(doc);
  }

  /** Opens the SQL in a new editor and runs all of it on the active connection, as Run Query would. */
  async function runAgain(ref: EntryRef): Promise<RunQueryOutcome | undefined> {
    const entry = await entryOf(ref);
    if (!entry) return undefined;
    if (entry.sqlCut) {
      void vscode.window.showWarningMessage(
        'This query was longer than 100,000 characters and the history kept only its start: open it, complete it, and run it from the editor.',
      );
      return undefined;
    }
    const editor = await openInEditor(entry);
    if (!editor) return undefined;
    const doc = editor.document;
    editor.selection = new vscode.Selection(doc.positionAt(0), doc.positionAt(doc.getText().length));
    if (entry.connection !== container.connections.activeName) {
      void vscode.window.showInformationMessage(
        `Running on "${container.connections.activeName}", the active connection (this query last ran on "${entry.connection}"). Sync Logs: Select Connection switches.`,
      );
    }
    return vscode.commands.executeCommand<RunQueryOutcome | undefined>(COMMANDS.runQuery);
  }

  async function copySql(ref: EntryRef): Promise<void> {
    const entry = await entryOf(ref);
    if (!entry) return;
    await vscode.env.clipboard.writeText(entry.sql);
    vscode.window.setStatusBarMessage('Sync Logs: SQL copied', 3000);
  }

  async function showPicker(): Promise<void> {
    const entries = await history.list();
    if (entries.length === 0) {
      void vscode.window.showInformationMessage(
        history.enabled
          ? 'No queries in the history yet: every Run Query is kept here.'
          : 'Query history is off (syncLogs.queryHistory.enabled).',
      );
      return;
    }
    const now = Date.now();
    const pick = vscode.window.createQuickPick<EntryPick>();
    pick.title = 'Sync Logs: Query History';
    pick.placeholder = 'Search the SQL, connection or error; Enter opens the query, ▷ runs it again';
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.items = entries.map((entry) => ({
      entry,
      label: `$(${entry.status === 'ok' ? 'pass' : entry.status === 'error' ? 'error' : 'circle-slash'}) ${sqlSummary(entry.sql)}`,
      description: `${outcomeText(entry)} · ${entry.connection} · ${ageText(entry.startedAt, now)}`,
      detail: entry.error ? entry.error.split('\n')[0] : sqlSummary(entry.sql, 200),
      buttons: [RUN_BUTTON, COPY_BUTTON],
    }));
    await new Promise<void>((resolve) => {
      pick.onDidTriggerItemButton(({ item, button }) => {
        pick.hide();
        void (button === RUN_BUTTON ? runAgain(item.entry) : copySql(item.entry));
      });
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0];
        pick.hide();
        if (chosen) void openInEditor(chosen.entry);
      });
      pick.onDidHide(() => {
        pick.dispose();
        resolve();
      });
      pick.show();
    });
  }

  return vscode.Disposable.from(
    view,
    vscode.window.registerTreeDataProvider(VIEWS.history, view),
    vscode.commands.registerCommand(COMMANDS.showQueryHistory, showPicker),
    vscode.commands.registerCommand(COMMANDS.historyOpen, openInEditor),
    vscode.commands.registerCommand(COMMANDS.historyRerun, runAgain),
    vscode.commands.registerCommand(COMMANDS.historyCopy, copySql),
    vscode.commands.registerCommand(COMMANDS.historyDelete, async (ref: EntryRef) => {
      const entry = await entryOf(ref);
      if (entry) await history.remove(entry.id);
    }),
    vscode.commands.registerCommand(COMMANDS.historyClear, async (confirmed?: boolean) => {
      const yes =
        confirmed === true ||
        (await vscode.window.showWarningMessage(
          'Clear the query history of this workspace?',
          { modal: true },
          'Clear',
        )) === 'Clear';
      if (yes) await history.clear();
    }),
  );
}
