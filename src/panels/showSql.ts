import * as vscode from 'vscode';
import { panelSqlText, type PanelSqlInput } from './panelSqlText';

/** Opens the SQL a panel's current load ran in an untitled `sql` editor, beside the panel. */
export async function showPanelSql(input: PanelSqlInput): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: panelSqlText(input) });
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  return doc;
}
