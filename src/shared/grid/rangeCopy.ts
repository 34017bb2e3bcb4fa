/**
 * A selected range as text in one of the copy formats. Pure: the grid, the results panel's host
 * (which holds the rows a large range covers) and the unit tests build copies with it.
 */
import {
  csvCopyField,
  jsonCopyText,
  jsonCopyValue,
  markdownCopyField,
  tsvCopyField,
  visibleControls,
  type RangeCopyFormat,
} from '../cellText';
import { isNumericType } from './viewModel';

export interface CopyColumn {
  name: string;
  /** The warehouse type: numeric columns are right-aligned in Markdown. */
  type?: string;
}

/**
 * `rows` are the range's rows, each holding only the copied columns' values in order (so the
 * caller picks columns in display order). Lines end in CRLF for TSV and CSV (what sheets expect),
 * LF for Markdown; JSON is one pretty array.
 */
export function formatRange(
  columns: readonly CopyColumn[],
  rows: readonly (readonly unknown[])[],
  format: RangeCopyFormat,
  withHeaders: boolean,
): string {
  switch (format) {
    case 'tsv':
      return delimited(columns, rows, withHeaders, '\t', tsvCopyField);
    case 'csv':
      return delimited(columns, rows, withHeaders, ',', csvCopyField);
    case 'markdown':
      return markdown(columns, rows, withHeaders);
    case 'json':
      return json(columns, rows, withHeaders);
  }
}

function delimited(
  columns: readonly CopyColumn[],
  rows: readonly (readonly unknown[])[],
  withHeaders: boolean,
  sep: string,
  field: (v: unknown) => string,
): string {
  const lines: string[] = [];
  if (withHeaders) lines.push(columns.map((c) => field(c.name)).join(sep));
  for (const r of rows) lines.push(columns.map((_, i) => field(r[i])).join(sep));
  // A single cell without headers copies as its bare value, as a spreadsheet's does.
  if (!withHeaders && rows.length === 1 && columns.length === 1) return lines[0];
  return lines.map((l) => `${l}\r\n`).join('');
}

function markdown(columns: readonly CopyColumn[], rows: readonly (readonly unknown[])[], withHeaders: boolean): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  // A Markdown table needs a header row: without headers it is blank, so the rows stay rows.
  const head = withHeaders ? columns.map((c) => markdownCopyField(c.name)) : columns.map(() => ' ');
  const out = [line(head), line(columns.map((c) => (c.type && isNumericType(c.type) ? '---:' : '---')))];
  for (const r of rows) out.push(line(columns.map((_, i) => markdownCopyField(r[i]))));
  return `${out.join('\n')}\n`;
}

function json(columns: readonly CopyColumn[], rows: readonly (readonly unknown[])[], withHeaders: boolean): string {
  if (!withHeaders) return jsonCopyText(rows.map((r) => columns.map((_, i) => jsonCopyValue(r[i]))));
  const keys = uniqueKeys(columns.map((c) => c.name));
  return jsonCopyText(
    rows.map((r) => {
      // A null-prototype object: a column named __proto__ is a key like any other.
      const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      keys.forEach((k, i) => (o[k] = jsonCopyValue(r[i])));
      return o;
    }),
  );
}

/** Column names as object keys: a repeated name gets `_2`, `_3`, … so no value is lost. */
export function uniqueKeys(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((n) => {
    let key = n;
    for (let i = 2; seen.has(key); i++) key = `${n}_${i}`;
    seen.add(key);
    return key;
  });
}

/** What a status line says about a copy, with the format's name and sizes; names stay visible text. */
export function copySummary(rows: number, cols: number, format: RangeCopyFormat, withHeaders: boolean): string {
  const what = `${rows.toLocaleString('en-US')} ${rows === 1 ? 'row' : 'rows'} × ${cols} ${cols === 1 ? 'column' : 'columns'}`;
  return visibleControls(`Copied ${what} as ${FORMAT_LABELS[format]}${withHeaders ? ' with headers' : ''}`);
}

export const FORMAT_LABELS: Record<RangeCopyFormat, string> = {
  tsv: 'TSV',
  csv: 'CSV',
  json: 'JSON',
  markdown: 'Markdown',
};
