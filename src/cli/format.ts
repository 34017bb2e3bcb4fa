import type { QueryResult } from '../shared/queryResult';
import type { LoadProgress, LoadStats } from '../demo/loaderContract';

import { cellText as sharedCellText, toDelimited } from '../shared/cellText';

export { csvField } from '../shared/cellText';

/** A cell as text for people: NULL spelled out. */
const cellText = (value: unknown): string => sharedCellText(value) ?? 'NULL';

function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

const textWidth = (text: string) => [...text].length;

export interface TableOptions {
  /** Longest cell shown, in characters; longer cells end in `…`. */
  maxCellWidth?: number;
}

/**
 * An aligned text table like psql's: numbers right-aligned, other cells left-aligned,
 * line breaks inside cells shown as `↵` so each row stays on one line.
 */
export function formatTable(result: QueryResult, options: TableOptions = {}): string {
  const maxCellWidth = Math.max(4, options.maxCellWidth ?? 40);
  if (result.columns.length === 0) {
    return result.command ? `${result.command}${result.rowCount ? ` ${result.rowCount}` : ''}\n` : '';
  }
  const shown = (value: unknown) => truncate(cellText(value).replace(/\r\n|\r|\n/g, '↵').replace(/\t/g, ' '), maxCellWidth);
  const header = result.columns.map((c) => truncate(c.name, maxCellWidth));
  const body = result.rows.map((row) => row.map(shown));
  const widths = header.map((h, i) => Math.max(textWidth(h), ...body.map((r) => textWidth(r[i]))));
  const numeric = result.columns.map((_, i) => result.rows.length > 0 && result.rows.every((r) => r[i] === null || typeof r[i] === 'number'));
  const pad = (text: string, i: number) => {
    const fill = ' '.repeat(widths[i] - textWidth(text));
    return numeric[i] ? fill + text : text + fill;
  };
  const line = (cells: string[]) => ` ${cells.map(pad).join(' | ')}`.trimEnd();
  const lines = [
    ` ${header.map((h, i) => h + ' '.repeat(widths[i] - textWidth(h))).join(' | ')}`.trimEnd(),
    widths.map((w) => '-'.repeat(w + 2)).join('+'),
    ...body.map(line),
    rowCountLine(result),
  ];
  return `${lines.join('\n')}\n`;
}

function rowCountLine(result: QueryResult): string {
  const noun = result.rowCount === 1 ? 'row' : 'rows';
  return result.truncated ? `(${result.rowCount} ${noun}, first ${result.rows.length} shown)` : `(${result.rowCount} ${noun})`;
}

/** RFC 4180 CSV: a header line, then one record per row, each line ending in CRLF. */
export function formatCsv(result: QueryResult): string {
  if (result.columns.length === 0) return '';
  return toDelimited(result.columns, result.rows, 'csv');
}

/**
 * A JSON array of objects keyed by column name. Repeated names (`select 1, 1`) get a suffix
 * (`?column?`, `?column?_2`) so no value is lost.
 */
export function formatJson(result: QueryResult): string {
  const seen = new Map<string, number>();
  const keys = result.columns.map((c) => {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    return n === 1 ? c.name : `${c.name}_${n}`;
  });
  const objects = result.rows.map((row) => Object.fromEntries(keys.map((k, i) => [k, row[i] ?? null])));
  return `${JSON.stringify(objects, null, 2)}\n`;
}

export function formatResult(result: QueryResult, format: 'table' | 'csv' | 'json'): string {
  if (format === 'csv') return formatCsv(result);
  if (format === 'json') return formatJson(result);
  return formatTable(result);
}

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** `changelog: 1,234,567 / 9,800,000 rows (12%), 81,234 rows/s, ETA 1m46s`. */
export function formatLoadProgressLine(p: LoadProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (p.rowsWritten * 1000) / elapsedMs : 0;
  const parts = [`${p.phase}: ${count(p.rowsWritten)}${p.rowsExpected ? ` / ${count(p.rowsExpected)}` : ''} rows`];
  if (p.rowsExpected) parts[0] += ` (${Math.min(100, Math.floor((p.rowsWritten / p.rowsExpected) * 100))}%)`;
  if (rate > 0) parts.push(`${count(rate)} rows/s`);
  if (rate > 0 && p.rowsExpected && p.rowsExpected > p.rowsWritten) parts.push(`ETA ${formatDuration(((p.rowsExpected - p.rowsWritten) / rate) * 1000)}`);
  return parts.join(', ');
}

export function formatLoadSummary(stats: LoadStats, schema: string): string {
  const rate = stats.elapsedMs > 0 ? (stats.changelogRows * 1000) / stats.elapsedMs : 0;
  return [
    `Loaded the demo sync log into schema ${schema} in ${formatDuration(stats.elapsedMs)}:`,
    `  ${count(stats.syncs)} syncs, ${count(stats.runs)} runs, ${count(stats.changelogRows)} changelog rows, ${count(stats.snapshotRows)} snapshot rows`,
    `  ${count(rate)} changelog rows/s`,
  ].join('\n');
}
