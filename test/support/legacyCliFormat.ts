/**
 * The CLI's formatters as they were before output was streamed (src/cli/format.ts and
 * src/shared/cellText.ts at 3edc59e): each builds the whole output as one string. Tests compare
 * the streamed chunks with these, byte for byte, on results both can print (no control
 * characters, no JSON nested past JSON.stringify's stack, no integer-like column names).
 */
import type { QueryResult } from '../../src/shared/queryResult';

function legacyCellText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function legacyCsvField(value: unknown): string {
  const text = legacyCellText(value) ?? '';
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const cellText = (value: unknown): string => legacyCellText(value) ?? 'NULL';

function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

const textWidth = (text: string) => [...text].length;

export function legacyTable(result: QueryResult, options: { maxCellWidth?: number } = {}): string {
  const maxCellWidth = Math.max(4, options.maxCellWidth ?? 40);
  if (result.columns.length === 0) {
    return result.command ? `${result.command}${result.rowCount ? ` ${result.rowCount}` : ''}\n` : '';
  }
  const shown = (value: unknown) =>
    truncate(
      cellText(value)
        .replace(/\r\n|\r|\n/g, '↵')
        .replace(/\t/g, ' '),
      maxCellWidth,
    );
  const header = result.columns.map((c) => truncate(c.name, maxCellWidth));
  const body = result.rows.map((row) => row.map(shown));
  const widths = header.map((h, i) => Math.max(textWidth(h), ...body.map((r) => textWidth(r[i]))));
  const numeric = result.columns.map(
    (_, i) => result.rows.length > 0 && result.rows.every((r) => r[i] === null || typeof r[i] === 'number'),
  );
  const pad = (text: string, i: number) => {
    const fill = ' '.repeat(widths[i] - textWidth(text));
    return numeric[i] ? fill + text : text + fill;
  };
  const line = (cells: string[]) => ` ${cells.map(pad).join(' | ')}`.trimEnd();
  const noun = result.rowCount === 1 ? 'row' : 'rows';
  const footer = result.truncated
    ? `(${result.rowCount} ${noun}, first ${result.rows.length} shown)`
    : `(${result.rowCount} ${noun})`;
  const lines = [
    ` ${header.map((h, i) => h + ' '.repeat(widths[i] - textWidth(h))).join(' | ')}`.trimEnd(),
    widths.map((w) => '-'.repeat(w + 2)).join('+'),
    ...body.map(line),
    footer,
  ];
  return `${lines.join('\n')}\n`;
}

export function legacyCsv(result: QueryResult): string {
  if (result.columns.length === 0) return '';
  const line = (cells: readonly unknown[]) => `${cells.map(legacyCsvField).join(',')}\r\n`;
  return (
    line(result.columns.map((c) => c.name)) + result.rows.map((r) => line(result.columns.map((_, i) => r[i]))).join('')
  );
}

export function legacyJson(result: QueryResult): string {
  const seen = new Map<string, number>();
  const keys = result.columns.map((c) => {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    return n === 1 ? c.name : `${c.name}_${n}`;
  });
  const objects = result.rows.map((row) => Object.fromEntries(keys.map((k, i) => [k, row[i] ?? null])));
  return `${JSON.stringify(objects, null, 2)}\n`;
}
