import * as vscode from 'vscode';
import { COMMANDS } from '../shared/ids';
import type { Container } from '../container';
import type { SyncSummary } from '../views/treeModel';
import { pickText } from '../shared/displayText';
import { DEFAULT_EXCLUDE_LAST_RUNS, excludeFailedRowsSql, type ExcludeVariant } from '../sql/excludeFailedRows';
import { nulProblem } from '../sql/nulText';
import { affectsSettings, stuckRowMinFailures } from '../services/settingsReaders';
import { breakdownDriver, flappingDriver, modelDriver, timelineDriver } from '../panels/analysisDrivers';
import { healthDriver } from '../panels/healthDriver';
import { runDriver } from '../panels/runDriver';
import { CATEGORIES_FILE } from '../panels/categoryConfig';
import { workerClassifier } from '../loaders/textClassifier';
import { forbidUserPatternsOnThisThread } from '../analysis/errorCategories';
import { join } from 'node:path';

/** What the analysis commands accept: a tree node, or ids from another panel or a test. */
type Target = {
  type?: string;
  sync?: SyncSummary;
  run?: { syncRunId: string };
  group?: { sampleRowId: string | null };
  syncId?: string | null;
  syncRunId?: string;
  rowId?: string;
  days?: number | null;
  source?: 'changelog' | 'snapshot';
};

export function registerAnalysisCommands(container: Container): vscode.Disposable {
  const { categories, panels, syncs: syncList } = container;
  // A user pattern can come from a committed workspace file and backtrack for hours: on this
  // thread it would freeze every extension and the editor's commands. They run in the worker,
  // under a time budget; any path that forgets that throws here instead of hanging.
  forbidUserPatternsOnThisThread();
  // Bundled next to extension.js (esbuild.mjs). If it cannot start, the default categories are
  // matched on this thread and user categories are skipped, with the reason, in the panel.
  const classifier = workerClassifier(join(__dirname, 'textClassifierWorker.js'));
  const drivers = {
    health: healthDriver(stuckRowMinFailures),
    breakdown: breakdownDriver(container, categories, classifier),
    flapping: flappingDriver(stuckRowMinFailures),
    timeline: timelineDriver(),
    model: modelDriver(),
    run: runDriver(),
  };

  /** The sync a command is about: from its argument, else picked from the active connection's syncs. */
  async function syncOf(
    target: Target | undefined,
    title: string,
    allowAll = false,
  ): Promise<string | null | undefined> {
    if (target?.sync) return target.sync.syncId;
    if (target && 'syncId' in target && target.syncId !== undefined) return target.syncId;
    let syncs: SyncSummary[];
    try {
      syncs = await syncList.get();
    } catch (err) {
      void vscode.window.showErrorMessage(`Sync Logs: could not list the syncs: ${(err as Error).message}`);
      return undefined;
    }
    if (syncs.length === 0) {
      void vscode.window.showWarningMessage(
        `Sync Logs: no syncs on "${container.connections.activeName}". Choose another connection from the Sync Logs view.`,
      );
      return undefined;
    }
    const items: { label: string; description?: string; value: string | null }[] = syncs.map((s) => ({
      // Quick picks draw $(name) as an icon; warehouse text is shown as written, bidi-isolated.
      label: pickText(s.modelName),
      description: `${pickText(s.destination)} · sync ${pickText(s.syncId)}`,
      value: s.syncId,
    }));
    if (allowAll) items.unshift({ label: 'All syncs', description: `${syncs.length} syncs`, value: null });
    const picked = await container.prompter.pick<string | null>({ title, placeholder: 'Choose a sync', items });
    return picked;
  }

  // Categories are read on every load: a saved category file (or one changed by a pull) or
  // setting reloads the open breakdowns, so what they show matches what the file says.
  const reloadBreakdowns = () => panels.reload('breakdown');
  const categoryFile = vscode.workspace.createFileSystemWatcher(`**/${CATEGORIES_FILE}`);
  categoryFile.onDidChange(reloadBreakdowns);
  categoryFile.onDidCreate(reloadBreakdowns);
  categoryFile.onDidDelete(reloadBreakdowns);
  const categorySettings = vscode.workspace.onDidChangeConfiguration((e) => {
    if (affectsSettings(e, 'errorCategories', 'includeDefaultErrorCategories')) reloadBreakdowns();
  });

  return vscode.Disposable.from(
    { dispose: () => classifier.dispose() },
    categoryFile,
    categorySettings,
    panels.register(drivers.health),
    panels.register(drivers.run),
    panels.register(drivers.breakdown),
    panels.register(drivers.flapping),
    panels.register(drivers.timeline),
    panels.register(drivers.model),
    vscode.commands.registerCommand(COMMANDS.openHealth, (target?: Target) =>
      panels.open({ panel: 'health', days: target?.days }),
    ),
    vscode.commands.registerCommand(COMMANDS.openRunExplained, async (target?: Target) => {
      const syncRunId = target?.run?.syncRunId ?? target?.syncRunId;
      const syncId = target?.sync?.syncId ?? target?.syncId ?? undefined;
      if (syncRunId && syncId) return panels.open({ panel: 'run', syncId, syncRunId });
      void vscode.window.showInformationMessage('Right-click a run in the Sync Logs view and choose "Explain Run".');
      return undefined;
    }),
    vscode.commands.registerCommand(COMMANDS.openErrorBreakdown, async (target?: Target) => {
      const syncId = await syncOf(target, 'Error breakdown: which sync?', true);
      if (syncId === undefined) return undefined;
      const syncRunId = target?.run?.syncRunId ?? target?.syncRunId ?? null;
      return panels.open({ panel: 'breakdown', syncId, syncRunId, source: target?.source, days: target?.days });
    }),
    vscode.commands.registerCommand(COMMANDS.openFlappingRows, async (target?: Target) => {
      const syncId = await syncOf(target, 'Flapping rows: which sync?');
      if (!syncId) return undefined;
      return panels.open({ panel: 'flapping', syncId, days: target?.days });
    }),
    vscode.commands.registerCommand(COMMANDS.openModelOverTime, async (target?: Target) => {
      const syncId = await syncOf(target, 'Model over time: which sync?');
      if (!syncId) return undefined;
      return panels.open({ panel: 'model', syncId, days: target?.days });
    }),
    vscode.commands.registerCommand(COMMANDS.openRowTimeline, async (target?: Target) => {
      const syncId = target?.sync?.syncId ?? target?.syncId ?? null;
      let rowId = target?.rowId ?? target?.group?.sampleRowId ?? undefined;
      if (rowId === undefined) {
        rowId = await container.prompter.input({
          title: 'Row timeline',
          prompt: 'The row ID (the model’s primary-key value) to follow across runs',
          validate: (v) =>
            v.trim() === ''
              ? 'Enter a row ID.'
              : v.length > 1000
                ? 'A row ID is at most 1000 characters.'
                : nulProblem(v, 'row ID', container.connections.active.kind),
        });
        if (rowId === undefined) return undefined;
      }
      return panels.open({ panel: 'timeline', rowId, syncId });
    }),
    vscode.commands.registerCommand(COMMANDS.editErrorCategories, () => categories.edit()),
    vscode.commands.registerCommand(COMMANDS.excludeFailedRows, async (target?: Target) => {
      const syncId = await syncOf(target, 'Exclude previously failed rows: which sync?');
      if (!syncId) return undefined;
      const sync = target?.sync ?? (await syncList.find(syncId));
      const modelSql = await modelSqlOf(container);
      if (modelSql === undefined) return undefined;
      let primaryKey = sync?.primaryKey ?? undefined;
      if (!primaryKey) {
        primaryKey = await container.prompter.input({
          title: 'Exclude previously failed rows',
          prompt: 'sync_runs.primary_key is empty for this sync: the name of the model’s primary-key column',
          validate: (v) => (v.trim() === '' ? 'Enter the column name.' : undefined),
        });
        if (primaryKey === undefined) return undefined;
      }
      const variant = await container.prompter.pick<ExcludeVariant>({
        title: 'Exclude previously failed rows: which rows?',
        placeholder: 'Which failed rows to keep out of the model',
        items: [
          {
            label: 'Rows whose latest attempt failed',
            description: 'stable: an excluded row stays out, it never flaps',
            value: 'latestAttemptFailed',
          },
          {
            label: `Rows that failed in the last ${DEFAULT_EXCLUDE_LAST_RUNS} runs`,
            description: 'stable: a row is tried again after that many runs',
            value: 'failedInLastRuns',
          },
          {
            label: 'The snapshot’s failed rows (the vendor’s example)',
            description: 'flaps: an excluded row leaves the snapshot and comes back',
            value: 'snapshotFailed',
          },
        ],
      });
      if (variant === undefined) return undefined;
      const { info } = await container.connections.getSyncLog();
      let content: string;
      try {
        content = excludeFailedRowsSql(info.location, {
          modelSql,
          syncId,
          primaryKey: primaryKey.trim(),
          variant,
          lastRuns: DEFAULT_EXCLUDE_LAST_RUNS,
        });
      } catch (err) {
        void vscode.window.showErrorMessage(`Sync Logs: ${(err as Error).message}`);
        return undefined;
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'sql', content });
      await vscode.window.showTextDocument(doc, { preview: false });
      return doc;
    }),
  );
}

/** The model's SQL: the selection or the whole active SQL editor when there is one, else typed in. */
async function modelSqlOf(container: Container): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const items: { label: string; description?: string; value: 'selection' | 'editor' | 'type' }[] = [];
  if (editor && !editor.selection.isEmpty)
    items.push({ label: 'The selected SQL', description: editor.document.fileName, value: 'selection' });
  if (editor && editor.document.languageId === 'sql' && editor.document.getText().trim()) {
    items.push({ label: 'The whole SQL editor', description: editor.document.fileName, value: 'editor' });
  }
  items.push({ label: 'Type or paste the model’s SQL…', value: 'type' });
  const choice =
    items.length === 1
      ? 'type'
      : await container.prompter.pick({
          title: 'Exclude previously failed rows: the model’s SQL',
          placeholder: 'Where is the model’s query?',
          items,
        });
  if (choice === undefined) return undefined;
  if (choice === 'selection' && editor) return editor.document.getText(editor.selection);
  if (choice === 'editor' && editor) return editor.document.getText();
  return container.prompter.input({
    title: 'Exclude previously failed rows',
    prompt: 'The model’s SQL (one statement)',
    placeholder: 'select * from analytics.customers',
    validate: (v) => (v.trim() === '' ? 'Paste the model’s SQL.' : undefined),
  });
}
