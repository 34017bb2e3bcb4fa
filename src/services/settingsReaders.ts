import * as vscode from 'vscode';
import { SETTINGS, type SettingName } from '../shared/ids';
import { DEFAULT_CONFIRM_BYTES, SETTING_DEFAULTS, type SettingValues } from './settingDefaults';

/**
 * The one way the extension reads its settings: a setting's value as VS Code resolves it (workspace
 * over user over package.json's default), read at each use so a change applies at once. The
 * fallback (SETTING_DEFAULTS, equal to package.json's) only shows where the setting is not
 * registered. Typed as package.json declares it, not checked: the readers below check theirs.
 */
export function readSetting<K extends SettingName>(name: K): SettingValues[K] {
  return vscode.workspace.getConfiguration().get<SettingValues[K]>(SETTINGS[name], SETTING_DEFAULTS[name]);
}

/** A setting's value at each level (user, workspace, ...), for the settings that treat them apart. */
export function inspectSetting<K extends SettingName>(name: K) {
  return vscode.workspace.getConfiguration().inspect<SettingValues[K]>(SETTINGS[name]);
}

/** Writes a setting at one level (undefined removes it there). */
export function updateSetting<K extends SettingName>(
  name: K,
  value: SettingValues[K] | undefined,
  target: vscode.ConfigurationTarget,
): Thenable<void> {
  return vscode.workspace.getConfiguration().update(SETTINGS[name], value, target);
}

/** Whether a configuration change touches any of these settings. */
export function affectsSettings(e: vscode.ConfigurationChangeEvent, ...names: SettingName[]): boolean {
  return names.some((name) => e.affectsConfiguration(SETTINGS[name]));
}

/** K of the stuck-row rule (syncLogs.stuckRowMinFailures), read at each use; a bad value falls back to the default. */
export function stuckRowMinFailures(): number {
  const k = readSetting('stuckRowMinFailures');
  return Number.isInteger(k) && k >= 1 ? k : SETTING_DEFAULTS.stuckRowMinFailures;
}

/** syncLogs.treeHealth: the Syncs view sorts worst first by health (one more read of the changelog per refresh). */
export function treeHealthEnabled(): boolean {
  return readSetting('treeHealth') !== false;
}

/** The syncLogs.maxResultRows setting: most rows Run Query reads; a bad value falls back to the default. */
export function maxResultRows(): number {
  const n = readSetting('maxResultRows');
  return Number.isInteger(n) && n > 0 ? n : SETTING_DEFAULTS.maxResultRows;
}

/** syncLogs.resultMemoryBudgetMB in bytes: rows of a result past it are spooled to a temporary file. */
export function resultMemoryBudgetBytes(): number {
  const n = readSetting('resultMemoryBudgetMB');
  return (
    (typeof n === 'number' && Number.isFinite(n) && n >= 1 ? n : SETTING_DEFAULTS.resultMemoryBudgetMB) * 1024 * 1024
  );
}

/**
 * The Hightouch workspace slug the vendor links use (empty: the links are hidden) and the app's
 * address for EU or private hosts, as set (trimmed; validation is vendorLinks' job, with its messages).
 */
export function hightouchLinkSettings(): { workspace: string; baseUrl: string } {
  const workspace: unknown = readSetting('hightouchWorkspace');
  const baseUrl: unknown = readSetting('hightouchBaseUrl');
  return {
    workspace: typeof workspace === 'string' ? workspace.trim() : '',
    baseUrl: typeof baseUrl === 'string' ? baseUrl.trim() : '',
  };
}

/** BigQuery: every job's maximumBytesBilled (syncLogs.bigquery.maximumBytesBilled); 0 (the default) sets none. */
export function maximumBytesBilled(): number | undefined {
  const n = readSetting('bigqueryMaximumBytesBilled');
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
}

/** BigQuery: Run Query asks before a query whose dry run says it scans more (syncLogs.bigquery.confirmBytesAbove); negative: never asks. */
export function confirmBytesAbove(): number {
  const n = readSetting('bigqueryConfirmBytesAbove');
  return typeof n === 'number' && Number.isFinite(n) ? n : DEFAULT_CONFIRM_BYTES;
}

/** syncLogs.notebook.keepOutputs: sync-log notebooks keep their outputs in a sidecar file (src/notebook/sidecarFormat.ts). Only `true` turns it on. */
export function keepNotebookOutputs(): boolean {
  return readSetting('notebookKeepOutputs') === true;
}
