/**
 * The ids the extension shares with VS Code and with package.json's `contributes`: commands,
 * views, webview panel types and settings, each written once here. test/unit/ids.test.ts checks
 * every one is declared in package.json and every one package.json declares is here.
 * No `vscode` import: the webviews, the CLI and the tests read it too.
 */

export const COMMANDS = {
  refresh: 'syncLogs.refresh',
  selectConnection: 'syncLogs.selectConnection',
  addConnection: 'syncLogs.addConnection',
  editConnection: 'syncLogs.editConnection',
  removeConnection: 'syncLogs.removeConnection',
  runQuery: 'syncLogs.runQuery',
  newQuery: 'syncLogs.newQuery',
  copySyncId: 'syncLogs.copySyncId',
  copyRunId: 'syncLogs.copyRunId',
  openRunQuery: 'syncLogs.openRunQuery',
  loadMoreRuns: 'syncLogs.loadMoreRuns',
  rebuildDemo: 'syncLogs.rebuildDemo',
  openHealth: 'syncLogs.openHealth',
  openErrorBreakdown: 'syncLogs.openErrorBreakdown',
  openFlappingRows: 'syncLogs.openFlappingRows',
  openRowTimeline: 'syncLogs.openRowTimeline',
  openModelOverTime: 'syncLogs.openModelOverTime',
  excludeFailedRows: 'syncLogs.excludeFailedRows',
  editErrorCategories: 'syncLogs.editErrorCategories',
  openRunExplained: 'syncLogs.openRunExplained',
  openInHightouch: 'syncLogs.openInHightouch',
  openHightouchDebugger: 'syncLogs.openHightouchDebugger',
  showQueryHistory: 'syncLogs.showQueryHistory',
  historyOpen: 'syncLogs.history.open',
  historyRerun: 'syncLogs.history.rerun',
  historyCopy: 'syncLogs.history.copy',
  historyDelete: 'syncLogs.history.delete',
  historyClear: 'syncLogs.history.clear',
  newNotebook: 'syncLogs.newNotebook',
  setNotebookParameters: 'syncLogs.setNotebookParameters',
  investigateInNotebook: 'syncLogs.investigateInNotebook',
  exportResult: 'syncLogs.exportResult',
  pinResults: 'syncLogs.pinResults',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** The activity-bar container the views live in. */
export const VIEW_CONTAINER = 'syncLogs';

export const VIEWS = {
  syncs: 'syncLogs.syncs',
  history: 'syncLogs.history',
} as const;

/** Webview panel types: each restores after a reload (package.json activates on `onWebviewPanel:<type>`). */
export const WEBVIEW_TYPES = {
  results: 'syncLogs.results',
  health: 'syncLogs.health',
  errorBreakdown: 'syncLogs.errorBreakdown',
  flappingRows: 'syncLogs.flappingRows',
  rowTimeline: 'syncLogs.rowTimeline',
  modelOverTime: 'syncLogs.modelOverTime',
  runExplained: 'syncLogs.runExplained',
} as const;

/** The settings, by full id (read them with services/settingsReaders.ts, which knows their types and defaults). */
export const SETTINGS = {
  connections: 'syncLogs.connections',
  schema: 'syncLogs.schema',
  maxResultRows: 'syncLogs.maxResultRows',
  resultMemoryBudgetMB: 'syncLogs.resultMemoryBudgetMB',
  queryTimeoutSeconds: 'syncLogs.queryTimeoutSeconds',
  runsPageSize: 'syncLogs.runsPageSize',
  stuckRowMinFailures: 'syncLogs.stuckRowMinFailures',
  treeHealth: 'syncLogs.treeHealth',
  watch: 'syncLogs.watch',
  watchIntervalMinutes: 'syncLogs.watchIntervalMinutes',
  errorCategories: 'syncLogs.errorCategories',
  includeDefaultErrorCategories: 'syncLogs.includeDefaultErrorCategories',
  hightouchWorkspace: 'syncLogs.hightouchWorkspace',
  hightouchBaseUrl: 'syncLogs.hightouchBaseUrl',
  queryHistoryEnabled: 'syncLogs.queryHistory.enabled',
  queryHistoryMaxEntries: 'syncLogs.queryHistory.maxEntries',
  bigqueryConfirmBytesAbove: 'syncLogs.bigquery.confirmBytesAbove',
  bigqueryMaximumBytesBilled: 'syncLogs.bigquery.maximumBytesBilled',
  notebookKeepOutputs: 'syncLogs.notebook.keepOutputs',
} as const;

export type SettingName = keyof typeof SETTINGS;

/**
 * The notebook output renderer (package.json `contributes.notebookRenderer`): its id, which the
 * host's renderer messaging names, and the one mime type it draws (a cell's result as JSON).
 */
export const NOTEBOOK_RENDERER = {
  id: 'syncLogs.notebookOutput',
  mime: 'application/vnd.synclogs.result+json',
} as const;
