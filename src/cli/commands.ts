import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LoadProgress, SqlSink } from '../demo/loaderContract';
import type { Warehouse } from '../warehouse/warehouse';
import { QueryCancelledError } from '../warehouse/warehouse';
import { redactSecret } from '../warehouse/postgres/pgErrors';
import { SYNC_LOG_TABLES } from '../sql/syncLogTables';
import { parseArgs, UsageError, type CliCommand } from './args';
import { exportBatches } from '../export/exportBatches';
import { formatLoadProgressLine, formatLoadSummary, tableChunks, writeBatches, writeResult } from './format';
import { limitBatches } from '../results/limitBatches';
import { cappedBatchRows, readResult } from '../results/readResult';
import { defaultSpoolDir } from '../results/rowSpool';
import { rowList } from '../results/heldRows';
import { OutputClosedError, streamWriter } from './stdoutWriter';
import { messageSafe } from './terminalText';
import type { HealthLoaders } from './analysisIo';
import { writeBehind } from './writeBehindSink';

/** What the CLI touches outside itself, so commands can be driven from tests. */
export interface CliIo {
  /**
   * Writes to stdout; resolves once the output can take more (back-pressure), so an export never
   * piles up in memory. Rejects with OutputClosedError when the reader went away (`| head`).
   */
  stdout(chunk: string): Promise<void>;
  /** Diagnostics; the CLI escapes control characters in any warehouse text it passes here. */
  stderr(text: string): void;
  /** Progress redraws one line on a terminal and prints occasional lines otherwise. */
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  readStdin(): Promise<string>;
  /** Calls `handler` on Ctrl-C; returns a function that stops listening. */
  onInterrupt(handler: () => void): () => void;
  version: string;
  /** The built classifier worker; default: textClassifierWorker.js next to the running CLI. */
  classifierWorkerPath?: string;
  /** The health and Run Explained loaders, once built (src/loaders/healthLoader.ts, runExplainedLoader.ts). */
  healthLoaders?: HealthLoaders;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** Runs one CLI invocation and returns its exit code. Never prints a password. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let secret: string | undefined;
  let failedCode = EXIT_FAILED;
  try {
    const command = parseArgs(argv);
    const url =
      command.kind === 'demoLoad'
        ? command.url
        : (command.kind === 'query' || command.kind === 'queryAll' || command.kind === 'analysis') &&
            'url' in command.source
          ? command.source.url
          : undefined;
    secret = url && urlPassword(url);
    // check's 1 means "a limit tripped", so a check that could not run exits 2.
    if (command.kind === 'analysis' && command.name === 'check') failedCode = EXIT_USAGE;
    switch (command.kind) {
      case 'help':
        await io.stdout(`${command.text}\n`);
        return EXIT_OK;
      case 'version':
        await io.stdout(`synclogs ${io.version}\n`);
        return EXIT_OK;
      case 'demoLoad':
        return await demoLoad(command, io);
      case 'query':
        return await query(command, io);
      case 'queryAll':
        return await queryAll(command, io);
      case 'analysis':
        return await analysis(command, io);
    }
  } catch (err) {
    // The reader stopped reading (`synclogs query ... | head`): it has what it wanted.
    if (err instanceof OutputClosedError) return EXIT_OK;
    if (err instanceof UsageError) {
      io.stderr(`synclogs: ${messageSafe(redactSecret(err.message))}\n\n${err.usage}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof QueryCancelledError) {
      io.stderr(`synclogs: ${messageSafe(err.message)}\n`);
      return EXIT_INTERRUPTED;
    }
    // Server messages are third-party text: a control character in one must not reach the terminal.
    io.stderr(`synclogs: ${messageSafe(redactSecret((err as Error).message ?? String(err), secret))}\n`);
    return failedCode;
  }
}

function urlPassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** Bytes of a table's rows the CLI keeps in memory before the rest go to a temporary file. */
const CLI_MEMORY_BUDGET = 64 * 1024 * 1024;

/** `${XDG_CACHE_HOME:-~/.cache}/sync-logs-explorer`: where `--demo` keeps its data. */
export function demoCacheDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'sync-logs-explorer');
}

async function query(command: Extract<CliCommand, { kind: 'query' }>, io: CliIo): Promise<number> {
  const sql = command.sql === '-' ? await io.readStdin() : command.sql;
  if (!sql.trim()) throw new UsageError('The SQL read from stdin is empty.');
  const warehouse = await openSource(command.source, io);
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => controller.abort());
  try {
    if (command.format !== 'table' && warehouse.stream) {
      // Written as the rows come (the same bytes as the bounded writer), so memory stays one batch whatever --max-rows says.
      const batchRows = cappedBatchRows(command.maxRows);
      const limited = limitBatches(
        warehouse.stream(sql, [], { signal: controller.signal, batchRows }),
        command.maxRows,
      );
      const written = await writeBatches(limited.batches, command.format, (chunk) => io.stdout(chunk));
      if (limited.more())
        io.stderr(
          `synclogs: printed the first ${written.rows} rows (the query has more, not read); raise --max-rows for more.\n`,
        );
      return EXIT_OK;
    }
    if (warehouse.stream) {
      // The table is measured before it is written, so it needs every row: held as Run Query holds
      // them, in memory up to a budget and the rest in a temporary file, whatever --max-rows says.
      const held = await readResult(warehouse, sql, [], {
        signal: controller.signal,
        maxRows: command.maxRows,
        budgetBytes: CLI_MEMORY_BUDGET,
        spoolDir: defaultSpoolDir(),
      });
      try {
        for (const chunk of tableChunks({ ...held, rows: rowList(held.rows) })) await io.stdout(chunk);
      } finally {
        held.rows.dispose();
      }
      return EXIT_OK;
    }
    const result = await warehouse.query(sql, [], { maxRows: command.maxRows, signal: controller.signal });
    await writeResult(result, command.format, (chunk) => io.stdout(chunk));
    if (result.truncated && command.format !== 'table') {
      const of = result.rowCountExact === false ? 'rows (the query has more, not read)' : `of ${result.rowCount} rows`;
      io.stderr(`synclogs: printed the first ${result.rows.length} ${of}; raise --max-rows for more.\n`);
    }
    return EXIT_OK;
  } finally {
    stopListening();
    await warehouse.close();
  }
}

/**
 * Every row of the query, fetched batch by batch and written as it comes: to stdout (with its
 * back-pressure) or into a file, written as FILE.partial and renamed when complete, so a failed or
 * interrupted export never leaves a file that looks whole.
 */
async function queryAll(command: Extract<CliCommand, { kind: 'queryAll' }>, io: CliIo): Promise<number> {
  const sql = command.sql === '-' ? await io.readStdin() : command.sql;
  if (!sql.trim()) throw new UsageError('The SQL read from stdin is empty.');
  const warehouse = await openSource(command.source, io);
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => controller.abort());
  const partial = command.out === undefined ? undefined : `${command.out}.partial`;
  const file = partial === undefined ? undefined : createWriteStream(partial);
  // Parquet only ever goes to a file (args.ts): stdout takes text.
  const write = file
    ? streamWriter(file)
    : (chunk: string | Uint8Array) =>
        typeof chunk === 'string' ? io.stdout(chunk) : Promise.reject(new Error('Parquet needs --out FILE.'));
  const started = Date.now();
  let lastShown = 0;
  const progress = (rows: number, final = false) => {
    if (!io.stderrIsTTY || command.out === undefined) return;
    const now = Date.now();
    if (!final && now - lastShown < 250) return;
    lastShown = now;
    const rate = now > started ? Math.round((rows * 1000) / (now - started)) : 0;
    io.stderr(
      `\r${rows.toLocaleString('en-US')} rows written${rate ? `, ${rate.toLocaleString('en-US')} rows/s` : ''}\x1b[K${final ? '\n' : ''}`,
    );
  };
  try {
    if (!warehouse.stream) throw new Error('This connection cannot stream a result yet: use --max-rows.');
    const written = await exportBatches(
      warehouse.stream(sql, [], { signal: controller.signal, jsonAsText: true }),
      command.format,
      write,
      (rows) => progress(rows),
    );
    if (file && partial && command.out) {
      await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
      await rename(partial, command.out);
      progress(written.rows, true);
      io.stderr(`synclogs: wrote ${written.rows.toLocaleString('en-US')} rows to ${messageSafe(command.out)}.\n`);
    }
    if (written.command !== undefined)
      io.stderr(`synclogs: ${messageSafe(written.command)}${written.affected ? ` ${written.affected}` : ''}\n`);
    return EXIT_OK;
  } catch (err) {
    if (file && partial) {
      file.destroy();
      await rm(partial, { force: true });
    }
    if (controller.signal.aborted && !(err instanceof QueryCancelledError)) throw new QueryCancelledError();
    throw err;
  } finally {
    stopListening();
    await warehouse.close();
  }
}

async function analysis(command: Extract<CliCommand, { kind: 'analysis' }>, io: CliIo): Promise<number> {
  const { runAnalysis } = await import('./analysisCommands');
  const warehouse = await openSource(command.source, io);
  try {
    return await runAnalysis(command, warehouse, io, io.healthLoaders);
  } finally {
    await warehouse.close();
  }
}

async function openSource(source: { url: string } | { demo: true }, io: CliIo): Promise<Warehouse> {
  if ('url' in source) {
    const { openPostgresWarehouse } = await import('../warehouse/postgres/postgresWarehouse');
    return openPostgresWarehouse({ connectionString: source.url }, { poolSize: 1 });
  }
  const { openDemoWarehouse } = await import('../warehouse/demo/demoWarehouse');
  const progress = progressPrinter(io, 'Building the demo sync log (first use only)');
  try {
    return await openDemoWarehouse(demoCacheDir(io.env), progress.report, (line) =>
      io.stderr(`synclogs: ${messageSafe(line)}\n`),
    );
  } finally {
    progress.done();
  }
}

async function demoLoad(command: Extract<CliCommand, { kind: 'demoLoad' }>, io: CliIo): Promise<number> {
  const { connectPostgresSink } = await import('../warehouse/postgres/postgresWarehouse');
  const { loadSyncLog } = await import('../demo/loader');
  const sink = await connectPostgresSink({ connectionString: command.url });
  const stopListening = io.onInterrupt(() => {
    io.stderr(
      `\nsynclogs: interrupted; the tables in ${command.schema} are incomplete. Run demo load again to replace them.\n`,
    );
    process.exit(EXIT_INTERRUPTED);
  });
  try {
    io.stderr(
      `Loading the demo sync log (scale ${command.scale}) into ${messageSafe(redactSecret(command.url))}, schema ${command.schema}.\n`,
    );
    const existing = await existingTables(sink, command.schema);
    if (existing.length) {
      io.stderr(
        `Replacing existing tables ${existing.map((t) => `${command.schema}.${t}`).join(', ')}: they are dropped and recreated.\n`,
      );
    }
    const progress = progressPrinter(io);
    let stats;
    try {
      const writer = writeBehind(sink);
      stats = await loadSyncLog(writer, {
        schema: command.schema,
        scale: command.scale,
        replace: true,
        onProgress: progress.report,
      });
      await writer.flush();
    } finally {
      progress.done();
    }
    io.stderr(`${formatLoadSummary(stats, command.schema)}\n`);
    return EXIT_OK;
  } finally {
    stopListening();
    await sink.close();
  }
}

async function existingTables(sink: SqlSink, schema: string): Promise<string[]> {
  const result = (await sink.query(
    'select table_name from information_schema.tables where table_schema = $1 and table_name = any($2) order by table_name',
    [schema, [...SYNC_LOG_TABLES]],
  )) as { rows: { table_name: string }[] };
  return result.rows.map((r) => r.table_name);
}

/**
 * Load progress on stderr: one redrawn line on a terminal, otherwise a line every few seconds
 * and at each phase change (so CI logs stay short).
 */
function progressPrinter(io: CliIo, title?: string): { report(p: LoadProgress): void; done(): void } {
  const started = Date.now();
  let lastPrinted = 0;
  let lastPhase = '';
  let onLine = false;
  return {
    report(p) {
      const now = Date.now();
      const phaseChanged = p.phase !== lastPhase;
      if (!phaseChanged && now - lastPrinted < (io.stderrIsTTY ? 200 : 3000) && p.phase !== 'done') return;
      if (title && !lastPhase) io.stderr(`${title}\n`);
      lastPhase = p.phase;
      lastPrinted = now;
      const text = p.phase === 'changelog' ? formatLoadProgressLine(p, now - started) : messageSafe(p.message);
      if (io.stderrIsTTY) {
        io.stderr(`\r${text}\x1b[K`);
        onLine = true;
      } else io.stderr(`${text}\n`);
    },
    done() {
      if (onLine) io.stderr('\n');
      onLine = false;
    },
  };
}
