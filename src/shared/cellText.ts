import type { ResultColumn } from './queryResult';
import { isJsonText, stringifyJson } from './jsonText';

// How a result cell reads as text, shared by the results grid, Copy, and the CLI, so they agree.

/**
 * A cell as text: NULL is `undefined` so callers can show it their way; JSON is compact, and
 * JSON kept as text (too deep to travel parsed) is that text. Never recurses, so any depth prints.
 */
export function cellText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (isJsonText(value)) return value.$jsonText;
  try {
    return stringifyJson(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export type CopyFormat = 'csv' | 'tsv';

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; quotes doubled. NULL is empty. */
export function csvField(value: unknown): string {
  // Numbers and booleans never need quotes: skip the text scan (exports write millions of them).
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = cellText(value) ?? '';
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One TSV field: tabs and line breaks inside become spaces (TSV has no quoting). NULL is empty. */
export function tsvField(value: unknown): string {
  return (cellText(value) ?? '').replace(/[\t\r\n]/g, ' ');
}

/** CSV (RFC 4180) or TSV: a header line, then one line per row, each ending in CRLF. */
export function toDelimited(columns: readonly ResultColumn[], rows: readonly unknown[][], format: CopyFormat): string {
  const field = format === 'csv' ? csvField : tsvField;
  const sep = format === 'csv' ? ',' : '\t';
  const line = (cells: readonly unknown[]) => `${cells.map(field).join(sep)}\r\n`;
  return line(columns.map((c) => c.name)) + rows.map((r) => line(columns.map((_, i) => r[i]))).join('');
}
