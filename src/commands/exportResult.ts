import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { StreamFormat } from '../cli/args';
import { writeBatches } from '../cli/format';
import { streamWriter } from '../cli/stdoutWriter';
import type { Container } from '../container';
import { errorMessage, isCancelled } from '../warehouse/errorText';
import type { RowBatch, Warehouse } from '../warehouse/warehouse';

/** Excel opens at most this many rows of a sheet (header included). */
export const EXCEL_MAX_ROWS = 1_048_576;

const FORMATS: Record<string, StreamFormat> = { csv: 'csv', tsv: 'tsv', json: 'json', jsonl: 'jsonl', ndjson: 'jsonl' };

export interface ExportOutcome {
  status: 'ok' | 'cancelled' | 'error';
  rows: number;
  file?: string;
  message?: string;
}

/** A warehouse without a stream (the demo's worker) gives its whole result as one batch: the demo is small. */
async function* batchesOf(
  warehouse: Warehouse,
  sql: string,
  signal: AbortSignal,
): AsyncGenerator<RowBatch, void, undefined> {
  if (warehouse.stream) {
    yield* warehouse.stream(sql, [], { signal, jsonAsText: true });
    return;
  }
  const whole = await warehouse.query(sql, [], { signal });
  yield {
    columns: whole.columns,
    rows: whole.rows,
    ...(whole.columns.length === 0 ? { command: whole.command, affected: whole.rowCount } : {}),
  };
}

/**
 * Runs the query again and writes every row into a file, as it is fetched (never from the grid,
 * which holds only the first rows), with a notification that counts the rows and can cancel.
 * Written as FILE.partial and renamed when complete: a failed or cancelled export leaves nothing
 * that looks whole. `target` skips the save dialog (tests, other commands).
 */
export async function exportQueryResult(
  container: Container,
  sql: string,
  target?: vscode.Uri,
): Promise<ExportOutcome> {
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      title: 'Export the full result',
      saveLabel: 'Export',
      defaultUri: vscode.Uri.file(`query-result-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`),
      filters: { CSV: ['csv'], 'TSV (tab-separated)': ['tsv'], JSON: ['json'], 'JSON Lines': ['jsonl'] },
    }));
  if (!uri) return { status: 'cancelled', rows: 0, message: 'No file chosen.' };
  const file = uri.fsPath;
  const format = FORMATS[/\.([^./\\]+)$/.exec(file.toLowerCase())?.[1] ?? ''] ?? 'csv';
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
        const warehouse = await container.connections.getWarehouse();
        const written = await writeBatches(
          batchesOf(warehouse, sql, controller.signal),
          format,
          streamWriter(out),
          (n) => {
            rows = n;
            if (n - shown >= 10_000 || shown === 0) {
              progress.report({ message: `${n.toLocaleString('en-US')} rows written` });
              shown = n;
            }
          },
        );
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
        await rename(partial, file);
        rows = written.rows;
        container.log.info(`Exported ${rows} rows to ${file}.`);
        const excel =
          (format === 'csv' || format === 'tsv') && rows + 1 > EXCEL_MAX_ROWS
            ? ` Excel opens only the first ${EXCEL_MAX_ROWS.toLocaleString('en-US')} rows of a sheet.`
            : '';
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
