/**
 * Every setting's value type and default, as package.json's `contributes.configuration` declares
 * them (test/unit/ids.test.ts checks the defaults agree). No `vscode` import, so tests read it;
 * settingsReaders.ts reads the settings with it.
 */
import { DEFAULT_HISTORY_SIZE } from '../history/historyEntries';
import { DEFAULT_SCHEMA } from '../shared/connection';
import type { SettingName } from '../shared/ids';
import { DEFAULT_HIGHTOUCH_BASE_URL } from '../shared/vendorLinks';
import { DEFAULT_STUCK_MIN_FAILURES } from '../sql/stuckRowsQueries';

/** BigQuery: Run Query asks before a query whose dry run says it scans more than this (10 GiB). */
export const DEFAULT_CONFIRM_BYTES = 10 * 1024 ** 3;

/** Run Query keeps this much of a result in the extension host's memory; the rest is spooled to disk. */
export const DEFAULT_RESULT_MEMORY_BUDGET_MB = 64;

/**
 * What each setting holds as package.json types it. A user can still write anything in
 * settings.json: the readers check the values they use.
 */
export interface SettingValues {
  /** Checked entry by entry (warehouse/connectionSources.ts). */
  connections: unknown[];
  schema: string;
  maxResultRows: number;
  resultMemoryBudgetMB: number;
  queryTimeoutSeconds: number;
  runsPageSize: number;
  stuckRowMinFailures: number;
  treeHealth: boolean;
  watch: boolean;
  watchIntervalMinutes: number;
  /** Checked entry by entry (analysis/errorCategories.ts). */
  errorCategories: unknown[];
  includeDefaultErrorCategories: boolean;
  hightouchWorkspace: string;
  hightouchBaseUrl: string;
  queryHistoryEnabled: boolean;
  queryHistoryMaxEntries: number;
  bigqueryConfirmBytesAbove: number;
  bigqueryMaximumBytesBilled: number;
  notebookKeepOutputs: boolean;
}

/** The value each setting has when nobody set it. */
export const SETTING_DEFAULTS: { readonly [K in SettingName]: SettingValues[K] } = Object.freeze({
  connections: [],
  schema: DEFAULT_SCHEMA,
  maxResultRows: 1000,
  resultMemoryBudgetMB: DEFAULT_RESULT_MEMORY_BUDGET_MB,
  queryTimeoutSeconds: 300,
  runsPageSize: 50,
  stuckRowMinFailures: DEFAULT_STUCK_MIN_FAILURES,
  treeHealth: true,
  watch: false,
  watchIntervalMinutes: 10,
  errorCategories: [],
  includeDefaultErrorCategories: true,
  hightouchWorkspace: '',
  hightouchBaseUrl: DEFAULT_HIGHTOUCH_BASE_URL,
  queryHistoryEnabled: true,
  queryHistoryMaxEntries: DEFAULT_HISTORY_SIZE,
  bigqueryConfirmBytesAbove: DEFAULT_CONFIRM_BYTES,
  bigqueryMaximumBytesBilled: 0,
  notebookKeepOutputs: false,
});
