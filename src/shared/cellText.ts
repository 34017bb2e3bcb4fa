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

/**
 * Copy all: CSV (RFC 4180) or TSV, a header line, then one line per row, each ending in CRLF. It
 * goes to the clipboard, and so into sheets and chats, with the range copy's fields: controls
 * visible, no formulas. (An export to a file keeps every value exact: csvField, tsvField.)
 */
export function toDelimited(columns: readonly ResultColumn[], rows: readonly unknown[][], format: CopyFormat): string {
  const field = format === 'csv' ? csvCopyField : tsvCopyField;
  const sep = format === 'csv' ? ',' : '\t';
  const line = (cells: readonly unknown[]) => `${cells.map(field).join(sep)}\r\n`;
  return line(columns.map((c) => c.name)) + rows.map((r) => line(columns.map((_, i) => r[i]))).join('');
}

// ---- Copy of a grid range: hostile text stays inert in whatever it is pasted into ----

/** Every format the grid copies a range in. TSV and CSV are also Copy-all's formats. */
export type RangeCopyFormat = 'tsv' | 'csv' | 'json' | 'markdown';
export const RANGE_COPY_FORMATS: readonly RangeCopyFormat[] = ['tsv', 'csv', 'json', 'markdown'];

// C0 controls but tab, LF and CR (each format deals with those), DEL, C1 controls, and the
// invisible characters that reorder or hide text: bidi embeddings, overrides and isolates, the
// marks (LRM, RLM, ALM), zero-width characters and the BOM.
const UNSAFE_CHARS =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

const codePoint = (ch: string) => `<U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`;

/**
 * Text with its control and bidi characters written as visible `<U+202E>` markers: pasted into a
 * sheet, a chat or a terminal, a value can neither reorder the text after it nor hide what it
 * holds. (JSON copies keep the exact value, escaped; see jsonCopyText.)
 */
export function visibleControls(text: string): string {
  return text.replace(UNSAFE_CHARS, codePoint);
}

// A sheet runs a pasted cell that starts like this as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A text value a spreadsheet would evaluate gets a leading apostrophe; numbers (even "-5") stay as they are. */
export function inertForSheets(text: string): string {
  return FORMULA_START.test(text) && !NUMBER_TEXT.test(text) ? `'${text}` : text;
}

/** One TSV field of a range copy: NULL empty, tabs and line breaks as spaces, controls visible, no formulas. */
export function tsvCopyField(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = cellText(value);
  if (text === undefined) return '';
  return inertForSheets(visibleControls(tsvField(text)));
}

/** One CSV field of a range copy: RFC 4180 quoting (line breaks kept inside quotes), controls visible, no formulas. */
export function csvCopyField(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = cellText(value);
  if (text === undefined) return '';
  return csvField(inertForSheets(visibleControls(text)));
}

// Characters Markdown (CommonMark, GFM) would read as inline syntax or HTML inside a table cell;
// each is escaped with a backslash, which CommonMark defines for every ASCII punctuation
// character. Block syntax (#, +, - at a line start) cannot start inside a cell, so it stays.
const MARKDOWN_SPECIAL = /[\\`*_[\]<>!|~&$:]/g;

/**
 * One Markdown table cell: syntax escaped (a pipe cannot end the cell, `<img>` is no HTML, `[x](y)`
 * is no link), line breaks as spaces (they would end the row), controls visible. NULL is an
 * emphasised NULL, which no escaped text can look like.
 */
export function markdownCopyField(value: unknown): string {
  const text = cellText(value);
  if (text === undefined) return '*NULL*';
  const escaped = visibleControls(text.replace(/\r\n|[\r\n\t]/g, ' ')).replace(MARKDOWN_SPECIAL, '\\$&');
  return escaped === '' ? ' ' : escaped;
}

/**
 * A cell as a JSON value: numbers, booleans, strings and parsed JSON as themselves, NULL as null,
 * a bigint as its digits (JSON numbers lose them), deep JSON kept as text as its text.
 */
export function jsonCopyValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (isJsonText(value)) return value.$jsonText;
  return value;
}

/**
 * JSON text with the invisible characters above escaped as \uXXXX (JSON.stringify leaves C1 and
 * bidi characters raw): the same value once parsed, and nothing hidden when read.
 */
export function jsonCopyText(value: unknown, indent = 2): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(
    UNSAFE_CHARS,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
