import type { QueryResult } from '../shared/queryResult';
import type { RowList } from '../results/heldRows';
import type { LoadProgress, LoadStats } from '../demo/loaderContract';

import { cellText as sharedCellText, csvField, tsvField } from '../shared/cellText';
import type { RowBatch } from '../warehouse/warehouse';
import { stringifyJson } from '../shared/jsonText';
import { hasControls, terminalSafe } from './terminalText';

import type { OutputFormat, TextStreamFormat } from './usage';

export { csvField } from '../shared/cellText';

/**
 * Output is produced as chunks of about this many UTF-16 units, never as one string: a whole
 * export held as one string fails past V8's 512 MiB limit ("Invalid string length").
 */
export const CHUNK_CHARS = 64 * 1024;

/** A cell as text for people: NULL spelled out. */
const cellText = (value: unknown): string => sharedCellText(value) ?? 'NULL';

/**
 * Where the `count`-th character starts (characters as `[...text]` counts them: a surrogate pair is
 * one), or -1 when the text has at most `count` characters. A loop, not a spread: it runs per cell.
 */
function charIndex(text: string, count: number): number {
  let n = 0;
  for (let i = 0; i < text.length; i++, n++) {
    if (n === count) return i;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return -1;
}

function textWidth(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++, n++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

function truncate(text: string, width: number): string {
  if (charIndex(text, width) < 0) return text;
  return `${text.slice(0, charIndex(text, Math.max(0, width - 1)))}…`;
}

export interface TableOptions {
  /** Longest cell shown, in characters; longer cells end in `…`. */
  maxCellWidth?: number;
}

/** Line breaks as `↵` and tabs as a space keep a row on one line; other controls are escaped like psql's `\x1B`. */
function oneLine(text: string): string {
  if (!hasControls(text)) return text; // most cells: nothing to replace
  return terminalSafe(text.replace(/\r\n|\r|\n/g, '↵').replace(/\t/g, ' '));
}

/**
 * Pieces (lines, rows) gathered into chunks of about CHUNK_CHARS; a piece longer than that (a huge
 * cell) is cut into several, never between the two halves of a surrogate pair.
 */
function* chunked(pieces: Iterable<string>): Generator<string> {
  let buffer = '';
  for (const piece of pieces) {
    if (piece.length < CHUNK_CHARS) {
      buffer += piece;
      if (buffer.length >= CHUNK_CHARS) {
        yield buffer;
        buffer = '';
      }
      continue;
    }
    if (buffer) yield buffer;
    buffer = '';
    for (let i = 0; i < piece.length;) {
      let end = Math.min(piece.length, i + CHUNK_CHARS);
      const last = piece.charCodeAt(end - 1);
      if (end < piece.length && last >= 0xd800 && last <= 0xdbff) end--;
      yield piece.slice(i, end);
      i = end;
    }
  }
  if (buffer) yield buffer;
}

/**
 * An aligned text table like psql's: numbers right-aligned, other cells left-aligned,
 * line breaks inside cells shown as `↵` so each row stays on one line, control characters
 * escaped. A first pass over the rows measures the columns; the second writes them.
 */
export function tableChunks(result: TableInput, options: TableOptions = {}): Generator<string> {
  return chunked(tableLines(result, options));
}

/** A result as the table writer reads it. */
export type TableInput = Omit<QueryResult, 'rows'> & { rows: RowList };

function* tableLines(result: TableInput, options: TableOptions): Generator<string> {
  const maxCellWidth = Math.max(4, options.maxCellWidth ?? 40);
  if (result.columns.length === 0) {
    if (result.command) yield `${oneLine(result.command)}${result.rowCount ? ` ${result.rowCount}` : ''}\n`;
    return;
  }
  // Only the first characters of a long cell can show: each one shows as at least half a character.
  const headLength = 4 * maxCellWidth + 8;
  const shown = (value: unknown) => {
    const text = cellText(value);
    return truncate(oneLine(text.length > headLength ? text.slice(0, headLength) : text), maxCellWidth);
  };
  const header = result.columns.map((c) => truncate(oneLine(c.name), maxCellWidth));
  const widths = header.map(textWidth);
  const numeric = result.columns.map(() => result.rows.length > 0);
  for (const row of result.rows) {
    for (let i = 0; i < widths.length; i++) {
      widths[i] = Math.max(widths[i], textWidth(shown(row[i])));
      if (numeric[i] && row[i] !== null && typeof row[i] !== 'number') numeric[i] = false;
    }
  }
  const pad = (text: string, i: number) => {
    const fill = ' '.repeat(widths[i] - textWidth(text));
    return numeric[i] ? fill + text : text + fill;
  };
  yield `${` ${header.map((h, i) => h + ' '.repeat(widths[i] - textWidth(h))).join(' | ')}`.trimEnd()}\n`;
  yield `${widths.map((w) => '-'.repeat(w + 2)).join('+')}\n`;
  for (const row of result.rows)
    yield `${` ${result.columns.map((_, i) => pad(shown(row[i]), i)).join(' | ')}`.trimEnd()}\n`;
  yield `${rowCountLine(result)}\n`;
}

function rowCountLine(result: TableInput): string {
  const noun = result.rowCount === 1 ? 'row' : 'rows';
  if (result.rowCountExact === false) return `(first ${result.rows.length} rows shown; the query has more, not read)`;
  return result.truncated
    ? `(${result.rowCount} ${noun}, first ${result.rows.length} shown)`
    : `(${result.rowCount} ${noun})`;
}

/** RFC 4180 CSV: a header line, then one record per row, each line ending in CRLF. Exact: nothing is escaped for the terminal. */
export function csvChunks(result: QueryResult): Generator<string> {
  return chunked(csvLines(result));
}

function* csvLines(result: QueryResult): Generator<string> {
  if (result.columns.length === 0) return;
  const line = (cells: readonly unknown[]) => `${cells.map(csvField).join(',')}\r\n`;
  yield line(result.columns.map((c) => c.name));
  const n = result.columns.length;
  for (const row of result.rows) yield line(row.length === n ? row : result.columns.map((_, i) => row[i]));
}

/**
 * A JSON array of objects keyed by column name, in column order. Repeated names (`select 1, 1`)
 * get a suffix (`?column?`, `?column?_2`) that no other column has, so no value is lost. JSON
 * kept as text (nested too deep to travel parsed) is written as that text, so the output stays
 * exact and valid JSON at any depth.
 */
export function jsonChunks(result: QueryResult): Generator<string> {
  return chunked(jsonPieces(result));
}

function jsonKeys(result: Pick<QueryResult, 'columns'>): string[] {
  const used = new Set<string>();
  return result.columns.map((c) => {
    let key = c.name;
    for (let n = 2; used.has(key); n++) key = `${c.name}_${n}`;
    used.add(key);
    return JSON.stringify(key);
  });
}

function* jsonPieces(result: QueryResult): Generator<string> {
  if (result.rows.length === 0) {
    yield '[]\n';
    return;
  }
  const keys = jsonKeys(result);
  yield '[';
  let first = true;
  for (const row of result.rows) {
    const fields = keys.map(
      (k, i) => `\n    ${k}: ${stringifyJson(row[i] ?? null, { indent: 2, level: 2 }) ?? 'null'}`,
    );
    yield `${first ? '' : ','}\n  ${fields.length ? `{${fields.join(',')}\n  }` : '{}'}`;
    first = false;
  }
  yield '\n]\n';
}

/**
 * Writes batches as they come, in chunks of about CHUNK_CHARS, waiting on `write` (the output's
 * back-pressure) before asking for the next batch: the fetch never runs ahead of the output.
 * CSV and JSON are byte for byte what the bounded writers above produce for the same rows.
 * `onRows` hears the running count after each batch (progress).
 */
export async function writeBatches(
  batches: AsyncIterable<RowBatch>,
  format: TextStreamFormat,
  write: (chunk: string) => Promise<void>,
  onRows?: (rows: number) => void,
): Promise<{ rows: number; command?: string; affected?: number }> {
  let buffer = '';
  const flush = async () => {
    const out = buffer;
    buffer = '';
    for (const chunk of chunked([out])) await write(chunk);
  };
  // Awaited only when a chunk is full: an await per row cost more than formatting the row.
  const put = (piece: string): Promise<void> | undefined => {
    buffer += piece;
    return buffer.length >= CHUNK_CHARS ? flush() : undefined;
  };
  let rows = 0;
  let keys: string[] | undefined;
  let command: string | undefined;
  let affected: number | undefined;
  for await (const batch of batches) {
    if (batch.columns.length === 0) {
      command = batch.command;
      affected = batch.affected;
      continue;
    }
    const n = batch.columns.length;
    if (keys === undefined) {
      keys = jsonKeys(batch);
      if (format === 'csv') await put(`${batch.columns.map((c) => csvField(c.name)).join(',')}\r\n`);
      if (format === 'tsv') await put(`${batch.columns.map((c) => tsvField(c.name)).join('\t')}\r\n`);
    }
    for (const row of batch.rows) {
      let piece: string;
      if (format === 'csv') {
        // A loop, not map/join: this runs once per cell of millions of rows.
        piece = '';
        for (let i = 0; i < n; i++) piece += (i ? ',' : '') + csvField(row[i]);
        piece += '\r\n';
      } else if (format === 'tsv') piece = `${batch.columns.map((_, i) => tsvField(row[i])).join('\t')}\r\n`;
      else if (format === 'jsonl')
        piece = `{${keys.map((k, i) => `${k}:${stringifyJson(row[i] ?? null) ?? 'null'}`).join(',')}}\n`;
      else {
        const fields = keys.map(
          (k, i) => `\n    ${k}: ${stringifyJson(row[i] ?? null, { indent: 2, level: 2 }) ?? 'null'}`,
        );
        piece = `${rows === 0 ? '[' : ','}\n  ${n ? `{${fields.join(',')}\n  }` : '{}'}`;
      }
      const full = put(piece);
      if (full) await full;
      rows++;
    }
    onRows?.(rows);
  }
  if (format === 'json') await put(rows === 0 ? '[]\n' : '\n]\n');
  if (buffer) for (const chunk of chunked([buffer])) await write(chunk);
  return { rows, command, affected };
}

export function formatChunks(result: QueryResult, format: OutputFormat, options: TableOptions = {}): Generator<string> {
  if (format === 'csv') return csvChunks(result);
  if (format === 'json') return jsonChunks(result);
  return tableChunks(result, options);
}

/** Writes a result as it is produced, waiting on `write` (the output's back-pressure) between chunks. */
export async function writeResult(
  result: QueryResult,
  format: OutputFormat,
  write: (chunk: string) => Promise<void>,
): Promise<void> {
  for (const chunk of formatChunks(result, format)) await write(chunk);
}

// Whole strings, for small results (tests, messages); the CLI writes chunks.
export const formatTable = (result: QueryResult, options: TableOptions = {}): string =>
  [...tableChunks(result, options)].join('');
export const formatCsv = (result: QueryResult): string => [...csvChunks(result)].join('');
export const formatJson = (result: QueryResult): string => [...jsonChunks(result)].join('');
export const formatResult = (result: QueryResult, format: OutputFormat): string =>
  [...formatChunks(result, format)].join('');

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** `changelog: 1,234,567 / 9,800,000 rows (12%), 81,234 rows/s, ETA 1m46s`. */
export function formatLoadProgressLine(p: LoadProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (p.rowsWritten * 1000) / elapsedMs : 0;
  const parts = [`${p.phase}: ${count(p.rowsWritten)}${p.rowsExpected ? ` / ${count(p.rowsExpected)}` : ''} rows`];
  if (p.rowsExpected) parts[0] += ` (${Math.min(100, Math.floor((p.rowsWritten / p.rowsExpected) * 100))}%)`;
  if (rate > 0) parts.push(`${count(rate)} rows/s`);
  if (rate > 0 && p.rowsExpected && p.rowsExpected > p.rowsWritten)
    parts.push(`ETA ${formatDuration(((p.rowsExpected - p.rowsWritten) / rate) * 1000)}`);
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

/** Records (one shape, these columns) as a result, so they print through the same table, CSV and JSON writers as queries. */
export function recordsResult(records: readonly Record<string, unknown>[], columns: readonly string[]): QueryResult {
  return {
    columns: columns.map((name) => ({ name, type: 'text' })),
    rows: records.map((r) => columns.map((c) => r[c] ?? null)),
    rowCount: records.length,
    truncated: false,
    elapsedMs: 0,
  };
}

/** One JSON value (an analysis's whole object), indented like the query output, exact for any text it holds. */
export function jsonValueText(value: unknown): string {
  return `${stringifyJson(value, { indent: 2 }) ?? 'null'}\n`;
}
