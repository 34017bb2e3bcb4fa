import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import * as vscode from 'vscode';
import { streamWriter } from '../cli/stdoutWriter';
import type { Container } from '../container';
import { excelLimitNote, exportBatches, exportFormatOf } from '../export/exportBatches';
import { errorMessage, isCancelled } from '../warehouse/errorText';
import { QueryCancelledError, type RowBatch, type Warehouse } from '../warehouse/warehouse';

export { EXCEL_MAX_ROWS } from '../export/exportBatches';

export interface ExportOutcome {
  status: 'ok' | 'cancelled' | 'error';
  rows: number;
  file?: string;
  message?: string;
}

/** Rows per batch when a whole result is cut up: progress and Cancel act between batches. */
const WHOLE_BATCH_ROWS = 10_000;

/**
 * The statement's rows batch by batch, stopping at the first batch after `signal` aborts (the
 * stream also cancels the statement). A warehouse without a stream (every adapter here has one;
 * `stream` is optional in `Warehouse`) gives its whole result at once: it is cut into batches so
 * progress and Cancel still work while it is written.
 */
async function* batchesOf(
  warehouse: Warehouse,
  sql: string,
  values: readonly unknown[],
  signal: AbortSignal,
): AsyncGenerator<RowBatch, void, undefined> {
  const stopIfCancelled = () => {
    if (signal.aborted) throw new QueryCancelledError('Export cancelled.');
  };
  if (warehouse.stream) {
    for await (const batch of warehouse.stream(sql, values, { signal, jsonAsText: true })) {
      stopIfCancelled();
      yield batch;
    }
    return;
  }
  const whole = await warehouse.query(sql, values, { signal });
  if (whole.columns.length === 0) {
    yield { columns: whole.columns, rows: [], command: whole.command, affected: whole.rowCount };
    return;
  }
  for (let i = 0; i === 0 || i < whole.rows.length; i += WHOLE_BATCH_ROWS) {
    stopIfCancelled();
    yield { columns: whole.columns, rows: whole.rows.slice(i, i + WHOLE_BATCH_ROWS) };
  }
}

/**
 * Runs the query again and writes every row into a file, as it is fetched (never from the grid,
 * which holds only the first rows), with a notification that counts the rows and can cancel.
 * Written as FILE.partial and renamed when complete: a failed or cancelled export leaves nothing
 * that looks whole. `target` skips the save dialog (tests, other commands). `values` are the
 * statement's bound parameters (a notebook cell's `:name`s), bound again, never pasted in.
 * `connection` names where it runs (a notebook cell's own connection); the active one by default.
 */
export async function exportQueryResult(
  container: Container,
  sql: string,
  target?: vscode.Uri,
  values: readonly unknown[] = [],
  { connection }: { connection?: string } = {},
): Promise<ExportOutcome> {
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      title: 'Export the full result',
      saveLabel: 'Export',
      defaultUri: vscode.Uri.file(`query-result-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`),
      filters: {
        CSV: ['csv'],
        'TSV (tab-separated)': ['tsv'],
        JSON: ['json'],
        'JSON Lines': ['jsonl'],
        Parquet: ['parquet'],
      },
    }));
  if (!uri) return { status: 'cancelled', rows: 0, message: 'No file chosen.' };
  const file = uri.fsPath;
  const format = exportFormatOf(file) ?? 'csv';
  const partial = `${file}.partial`;
  let rows = 0;
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Sync Logs: exporting to ${vscode.workspace.asRelativePath(uri)}`,
      cancellable: true,
    },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      const out = createWriteStream(partial);
      let shown = 0;
      try {
        const warehouse = await (connection === undefined
          ? container.connections.getWarehouse()
          : container.connections.getWarehouseOf(connection));
        const written = await exportBatches(
          batchesOf(warehouse, sql, values, controller.signal),
          format,
          streamWriter(out),
          (n) => {
            rows = n;
            if (n - shown >= 10_000 || shown === 0) {
              const past = excelLimitNote(format, n) ? ` (more than Excel opens)` : '';
              progress.report({ message: `${n.toLocaleString('en-US')} rows written${past}` });
              shown = n;
            }
          },
        );
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
        await rename(partial, file);
        rows = written.rows;
        container.log.info(`Exported ${rows} rows to ${file}.`);
        const excel = excelLimitNote(format, rows);
        void vscode.window
          .showInformationMessage(
            `Exported ${rows.toLocaleString('en-US')} rows to ${vscode.workspace.asRelativePath(uri)}.${excel}`,
            'Reveal',
          )
          .then((choice) => {
            if (choice === 'Reveal') void vscode.commands.executeCommand('revealFileInOS', uri);
          });
        return { status: 'ok' as const, rows, file };
      } catch (err) {
        out.destroy();
        await rm(partial, { force: true });
        if (controller.signal.aborted || isCancelled(err))
          return {
            status: 'cancelled' as const,
            rows,
            message: `Export cancelled after ${rows.toLocaleString('en-US')} rows; no file written.`,
          };
        const message = errorMessage(err);
        void vscode.window.showErrorMessage(
          `Export failed after ${rows.toLocaleString('en-US')} rows, and no file was written: ${message}`,
        );
        return { status: 'error' as const, rows, message };
      } finally {
        sub.dispose();
      }
    },
  );
}
