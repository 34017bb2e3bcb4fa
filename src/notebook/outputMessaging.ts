import * as vscode from 'vscode';
import type { ExportOutcome } from '../commands/exportResult';
import { COMMANDS, NOTEBOOK_RENDERER } from '../shared/ids';
import { isOutputRendererMessage, type OutputHostMessage } from '../shared/notebookOutput';
import type { CellRuns } from './cellRuns';

/** What the output says after an export, in the words of the export's outcome. */
export function exportNotice(outcome: ExportOutcome | undefined): string {
  if (!outcome) return 'Nothing was exported.';
  if (outcome.status === 'ok') return `Exported ${outcome.rows.toLocaleString('en-US')} rows.`;
  if (outcome.status === 'cancelled') return outcome.message ?? 'Export cancelled.';
  return `Export failed: ${outcome.message ?? 'unknown error'}`;
}

/**
 * The host's side of the output renderer (webview/notebookOutput/): an output cannot reach VS
 * Code's clipboard or commands, so it asks here. Copy writes the text it built; Export runs the
 * export command on the statement the host ran for that output (looked up by run id in `runs`),
 * so the full result is read again as a stream, as Run Query's Export does, on the connection the
 * cell ran on (whichever is active now: the output shows that connection's result).
 */
export function registerOutputMessaging(runs: CellRuns): vscode.Disposable {
  const messaging = vscode.notebooks.createRendererMessaging(NOTEBOOK_RENDERER.id);
  const notice = (editor: vscode.NotebookEditor, runId: string, text: string) => {
    const message: OutputHostMessage = { type: 'notice', runId, text };
    void messaging.postMessage(message, editor);
  };
  return messaging.onDidReceiveMessage(async ({ editor, message }) => {
    if (!isOutputRendererMessage(message)) return;
    if (message.type === 'copy') {
      await vscode.env.clipboard.writeText(message.text);
      return;
    }
    const run = runs.get(message.runId);
    if (!run || run.notebook !== editor.notebook.uri.toString()) {
      notice(editor, message.runId, 'This output is from an earlier session: run the cell again to export its result.');
      return;
    }
    notice(editor, message.runId, 'Exporting the full result…');
    const outcome = await vscode.commands.executeCommand<ExportOutcome | undefined>(
      COMMANDS.exportResult,
      run.sql,
      undefined,
      [...run.values],
      run.connection,
    );
    notice(editor, message.runId, exportNotice(outcome));
  });
}
