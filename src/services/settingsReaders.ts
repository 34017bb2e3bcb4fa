import * as vscode from 'vscode';
import { DEFAULT_STUCK_MIN_FAILURES } from '../sql/stuckRowsQueries';

/** K of the stuck-row rule (syncLogs.stuckRowMinFailures), read at each use; a bad value falls back to the default. */
export function stuckRowMinFailures(): number {
  const k = vscode.workspace.getConfiguration('syncLogs').get<number>('stuckRowMinFailures', DEFAULT_STUCK_MIN_FAILURES);
  return Number.isInteger(k) && k >= 1 ? k : DEFAULT_STUCK_MIN_FAILURES;
}

/** syncLogs.treeHealth: the Syncs view sorts worst first by health (one more read of the changelog per refresh). */
export function treeHealthEnabled(): boolean {
  return vscode.workspace.getConfiguration('syncLogs').get<boolean>('treeHealth', true) !== false;
}
