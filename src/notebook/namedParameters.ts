/**
 * `:sync_id`-style parameters in a notebook cell, found by the project's lexer (so `::int` casts and
 * a `:x` inside a string or comment are not parameters) and rewritten into the dialect's own
 * placeholders with the values bound, never spliced into the text. Pure.
 */
import { binder } from '../sql/binds';
import type { Dialect, SqlQuery } from '../sql/dialect';
import { SqlScanner } from '../sql/lexer';

/** Each parameter's name and where its `:name` stands, in order of appearance. */
export function findParameters(sql: string, dialect: Dialect): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  const scan = new SqlScanner(sql, dialect.lexical);
  let colonAt = -1;
  while (scan.next()) {
    if (scan.kind === 'op' && scan.end - scan.start === 1 && sql.charCodeAt(scan.start) === 58) {
      colonAt = scan.start;
      continue;
    }
    // A name right after a lone `:` (no space between), and not after a word or `]` (slices, `a:b`).
    if (
      scan.kind === 'word' &&
      colonAt >= 0 &&
      scan.start === colonAt + 1 &&
      !/[\w\]")]/.test(sql[colonAt - 1] ?? '')
    ) {
      out.push({ name: sql.slice(scan.start, scan.end), start: colonAt, end: scan.end });
    }
    colonAt = -1;
  }
  return out;
}

export const parameterNames = (sql: string, dialect: Dialect): string[] => [
  ...new Set(findParameters(sql, dialect).map((p) => p.name)),
];

/**
 * The cell's SQL with each `:name` replaced by a bound placeholder; a name without a value is an
 * error naming it. A placeholder shorter than its name is padded with spaces, so the warehouse's
 * error positions ("at line 3, column 12") point at the cell's own text.
 */
export function bindParameters(sql: string, dialect: Dialect, values: Readonly<Record<string, string>>): SqlQuery {
  const b = binder(dialect);
  let text = '';
  let at = 0;
  for (const p of findParameters(sql, dialect)) {
    if (!(p.name in values))
      throw new Error(`The cell uses :${p.name}, which has no value: run "Sync Logs: Set Notebook Parameters".`);
    const placeholder = b.bind(values[p.name]);
    text += sql.slice(at, p.start) + placeholder + ' '.repeat(Math.max(0, p.end - p.start - placeholder.length));
    at = p.end;
  }
  return b.query(text + sql.slice(at));
}
