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

/** The Hightouch workspace slug the vendor links use; empty: the links are hidden. */
export const HIGHTOUCH_WORKSPACE_SETTING = 'syncLogs.hightouchWorkspace';
/** The app's address for EU or private hosts; empty: https://app.hightouch.com. */
export const HIGHTOUCH_BASE_URL_SETTING = 'syncLogs.hightouchBaseUrl';

/** The workspace slug and base URL as set (trimmed; validation is vendorLinks' job, with its messages). */
export function hightouchLinkSettings(): { workspace: string; baseUrl: string } {
  const config = vscode.workspace.getConfiguration();
  const workspace = config.get<unknown>(HIGHTOUCH_WORKSPACE_SETTING, '');
  const baseUrl = config.get<unknown>(HIGHTOUCH_BASE_URL_SETTING, '');
  return { workspace: typeof workspace === 'string' ? workspace.trim() : '', baseUrl: typeof baseUrl === 'string' ? baseUrl.trim() : '' };
}

/** BigQuery: every job's maximumBytesBilled; 0 (the default) sets none. */
export const MAXIMUM_BYTES_BILLED_SETTING = 'syncLogs.bigquery.maximumBytesBilled';
/** BigQuery: Run Query asks before a query whose dry run says it scans more; negative: never asks. */
export const CONFIRM_BYTES_SETTING = 'syncLogs.bigquery.confirmBytesAbove';
export const DEFAULT_CONFIRM_BYTES = 10 * 1024 ** 3;

export function maximumBytesBilled(): number | undefined {
  const n = vscode.workspace.getConfiguration().get<number>(MAXIMUM_BYTES_BILLED_SETTING, 0);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
}

export function confirmBytesAbove(): number {
  const n = vscode.workspace.getConfiguration().get<number>(CONFIRM_BYTES_SETTING, DEFAULT_CONFIRM_BYTES);
  return typeof n === 'number' && Number.isFinite(n) ? n : DEFAULT_CONFIRM_BYTES;
}
