import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DEFAULT_CATEGORIES,
  compileCategories,
  forbidUserPatternsOnThisThread,
  isUserCategory,
  mergeCategories,
  parseWorkspaceCategories,
} from '../analysis/errorCategories';
import {
  loadBreakdown,
  loadBreakdownDetails,
  loadBreakdownHistory,
  withHistory,
  type Categories,
} from '../loaders/breakdownLoader';
import { loadFlapping } from '../loaders/flappingLoader';
import { loadStuckRows, MAX_STUCK_ROWS } from '../loaders/stuckRowsLoader';
import { loadTimeline } from '../loaders/timelineLoader';
import { workerClassifier } from '../loaders/textClassifier';
import { warehouseRunner, type QueryRunner } from '../loaders/queryRunner';
import { discoverSyncLog } from '../warehouse/discovery';
import type { Warehouse } from '../warehouse/warehouse';
import { analysisUsage, type AnalysisCommand } from './analysisArgs';
import type { AnalysisIo, HealthLoaders } from './analysisIo';
import { UsageError } from './usage';
import {
  errorsReport,
  errorTemplateRecords,
  flappingRecords,
  RECORD_COLUMNS,
  stuckRecords,
  timelineRecords,
  type CliRecord,
} from './analysisRecords';
import { formatChunks, jsonValueText, recordsResult } from './format';
import { messageSafe } from './terminalText';

// Declared in analysisIo.ts (which healthCommands.ts imports without importing this file); kept importable from here.
export type { AnalysisIo, HealthLoaders };

/** The user's categories file (the workspace file's format), then the defaults they do not override. */
export async function cliCategories(file: string | undefined, io: Pick<AnalysisIo, 'stderr'>): Promise<Categories> {
  let workspace: ReturnType<typeof parseWorkspaceCategories> = { categories: [], problems: [] };
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new UsageError(
        `--categories: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`,
        analysisUsage('errors'),
      );
    }
    workspace = parseWorkspaceCategories(text, file);
  }
  const defs = mergeCategories(workspace.categories, [], DEFAULT_CATEGORIES, true);
  const { compiled, problems, warnings } = compileCategories(defs);
  const all = [...workspace.problems, ...problems];
  for (const p of all) io.stderr(`synclogs: error category skipped: ${messageSafe(p.message)}\n`);
  for (const w of warnings) io.stderr(`synclogs: error category may be slow: ${messageSafe(w.message)}\n`);
  return { compiled, problems: all, warnings };
}

async function writeRecords(
  records: readonly CliRecord[],
  columns: readonly string[],
  command: AnalysisCommand,
  io: AnalysisIo,
): Promise<void> {
  if (command.format === 'json') {
    await io.stdout(jsonValueText(records));
    return;
  }
  for (const chunk of formatChunks(recordsResult(records, columns), command.format)) await io.stdout(chunk);
}

/** A runner on the sync log as the extension finds it: the catalog read once, its shape (Redshift, no counters) followed. */
export async function cliRunner(
  warehouse: Warehouse,
  command: AnalysisCommand,
  io: Pick<AnalysisIo, 'stderr'>,
  signal: AbortSignal,
): Promise<QueryRunner> {
  const info = await discoverSyncLog(warehouse, {
    connectionName: 'url' in command.source ? 'the --url database' : 'the demo',
    schema: command.schema,
    log: (level, line) => {
      if (level === 'warn') io.stderr(`synclogs: ${messageSafe(line)}\n`);
    },
  });
  if (info.problem) throw new Error(info.problem);
  return warehouseRunner(warehouse, info.location, signal);
}

/** Runs one analysis command on an open warehouse; returns the exit code. */
export async function runAnalysis(
  command: AnalysisCommand,
  warehouse: Warehouse,
  io: AnalysisIo,
  loaders: HealthLoaders = {},
): Promise<number> {
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => controller.abort());
  try {
    const run = await cliRunner(warehouse, command, io, controller.signal);
    switch (command.name) {
      case 'errors':
        return await errors(run, command, io);
      case 'flapping': {
        const result = await loadFlapping(run, { syncId: command.syncId!, days: command.days, orderBy: 'flapping' });
        await writeRecords(flappingRecords(result.data.rows), RECORD_COLUMNS.flapping, command, io);
        return 0;
      }
      case 'stuck': {
        // Being stuck is the current state: the whole log, whatever the window.
        const data = await loadStuckRows(run, { syncId: command.syncId! }, command.minFailures, MAX_STUCK_ROWS);
        await writeRecords(stuckRecords(data), RECORD_COLUMNS.stuck, command, io);
        if (data.stuckRows > data.stuck.length)
          io.stderr(`synclogs: printed ${data.stuck.length} of ${data.stuckRows} stuck rows.\n`);
        return 0;
      }
      case 'timeline': {
        const data = await loadTimeline(run, { rowId: command.id!, syncId: command.syncId });
        await writeRecords(timelineRecords(data), RECORD_COLUMNS.timeline, command, io);
        if (data.truncated)
          io.stderr('synclogs: the row has more operations than are loaded; only the latest are printed.\n');
        return 0;
      }
      default: {
        const { runHealthCommand } = await import('./healthCommands');
        return await runHealthCommand(command, run, io, loaders, (records, columns) =>
          writeRecords(records, columns, command, io),
        );
      }
    }
  } finally {
    stopListening();
  }
}

async function errors(run: QueryRunner, command: AnalysisCommand, io: AnalysisIo): Promise<number> {
  const categories = await cliCategories(command.categoriesFile, io);
  // A user pattern can backtrack for hours: it runs only in the worker, under its time budget.
  if (categories.compiled.some(isUserCategory)) forbidUserPatternsOnThisThread();
  const classifier = workerClassifier(io.classifierWorkerPath ?? join(__dirname, 'textClassifierWorker.js'));
  try {
    const cats = { ...categories, classifier };
    const first = await loadBreakdown(
      run,
      { syncId: command.syncId, syncRunId: null, source: 'changelog', days: command.days },
      cats,
    );
    // As the panel's follow-ups: the per-run pass (sample rows), then the whole-log history, which
    // gives each template its first and last seen unclipped by --window and its `new` flag.
    let result = first;
    if (first.data.totalFailures > 0) {
      result = (await loadBreakdownDetails(run, first, 'changelog', cats)).result;
      result = withHistory(result, await loadBreakdownHistory(run, result, cats), 'changelog', cats);
    }
    for (const s of result.skipped) io.stderr(`synclogs: error category stopped: ${messageSafe(s.message)}\n`);
    if (result.data.truncated)
      io.stderr('synclogs: more distinct failure texts than are read; the least frequent are left out.\n');
    if (result.data.rowsUpperBound)
      io.stderr(
        'synclogs: more rows with several failure texts than are read; rows of templates and categories are upper bounds (the total is exact).\n',
      );
    if (result.data.history?.truncated)
      io.stderr(
        'synclogs: more distinct failure texts in the whole log than are read for first seen; the oldest are left out, so a template marked new may be older.\n',
      );
    const report = errorsReport(result.data);
    if (command.format === 'json') await io.stdout(jsonValueText(report));
    else await writeRecords(errorTemplateRecords(report), RECORD_COLUMNS.errors, command, io);
    return 0;
  } finally {
    classifier.dispose();
  }
}
