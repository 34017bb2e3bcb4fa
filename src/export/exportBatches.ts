/**
 * One entry for writing a streamed result in any export format, shared by the editor's Export
 * and the CLI's `--all`/`--out`: the text formats through the CLI's writers, Parquet through
 * its row-group writer. Pure apart from the `write` it is given.
 */
import { writeBatches } from '../cli/format';
import type { StreamFormat } from '../cli/usage';
import type { RowBatch } from '../warehouse/warehouse';
import { writeParquetBatches, type ParquetExportOptions } from './parquetExport';

/** Excel opens at most this many rows of a sheet (header included). */
export const EXCEL_MAX_ROWS = 1_048_576;

/** Export formats by file extension (lower case, without the dot). */
export const EXPORT_EXTENSIONS: Readonly<Record<string, StreamFormat>> = {
  csv: 'csv',
  tsv: 'tsv',
  json: 'json',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  parquet: 'parquet',
};

/** The format a file's name asks for, or undefined when its extension is not one of ours. */
export function exportFormatOf(file: string): StreamFormat | undefined {
  const ext = /\.([^./\\]+)$/.exec(file.toLowerCase())?.[1];
  return ext === undefined ? undefined : EXPORT_EXTENSIONS[ext];
}

/**
 * The sentence to add when a CSV or TSV export holds more rows than Excel opens (the header
 * takes one of its rows), else ''.
 */
export function excelLimitNote(format: StreamFormat, rows: number): string {
  if ((format !== 'csv' && format !== 'tsv') || rows + 1 <= EXCEL_MAX_ROWS) return '';
  return ` Excel opens only the first ${EXCEL_MAX_ROWS.toLocaleString('en-US')} rows of a sheet (header included).`;
}

export interface ExportWritten {
  rows: number;
  command?: string;
  affected?: number;
}

/**
 * Writes every batch in `format` through `write`, waiting on it (back-pressure) as it goes.
 * Text formats hand it strings, Parquet bytes.
 */
export function exportBatches(
  batches: AsyncIterable<RowBatch>,
  format: StreamFormat,
  write: (chunk: string | Uint8Array) => Promise<void>,
  onRows?: (rows: number) => void,
  parquet?: ParquetExportOptions,
): Promise<ExportWritten> {
  if (format === 'parquet') return writeParquetBatches(batches, write, onRows, parquet);
  return writeBatches(batches, format, write, onRows);
}
