import * as vscode from 'vscode';
import type { SyncLogsApi } from '../../src/extension';

export const EXTENSION_ID = 'sync-logs.sync-logs-explorer';

/** Activates the extension under test and returns its API. */
export async function getApi(): Promise<SyncLogsApi> {
  const ext = vscode.extensions.getExtension<SyncLogsApi>(EXTENSION_ID);
  if (!ext) throw new Error(`Extension ${EXTENSION_ID} is not installed in this VS Code.`);
  return ext.activate();
}

/** Polls until `check` returns a value (not undefined), rather than sleeping a fixed time. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}
