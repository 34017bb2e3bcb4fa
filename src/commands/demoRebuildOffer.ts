import * as vscode from 'vscode';
import { COMMANDS } from '../shared/ids';
import { offersDemoRebuild } from '../warehouse/demo/demoDataErrors';

const REBUILD = 'Rebuild Demo Data';

/**
 * When an error says the demo's data is damaged, shows it with a button that runs Rebuild Demo
 * Data (which asks before deleting anything). Does nothing for any other error.
 */
export function offerDemoRebuildFor(err: unknown, message: string): void {
  if (!offersDemoRebuild(err)) return;
  void vscode.window.showErrorMessage(`Sync Logs: ${message}`, REBUILD).then((choice) => {
    if (choice === REBUILD) void vscode.commands.executeCommand(COMMANDS.rebuildDemo);
  });
}
