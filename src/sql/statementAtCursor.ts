/**
 * Splits SQL text into statements and finds the one under a cursor, the way a SQL editor's
 * "run statement" does. Pure: offsets are UTF-16 string indices, as `TextDocument.offsetAt` gives.
 *
 * The scanner knows single-quoted strings ('' escapes, and backslash escapes in Postgres E'…'),
 * double-quoted and backtick identifiers, -- and (nested) block comments, and Postgres dollar
 * quotes ($$…$$, $tag$…$tag$). Anything left unterminated runs to the end of the text.
 */

/** A statement without its trailing `;`, leading/trailing whitespace and comments: `text === sql.slice(start, end)`. */
export interface SqlStatement {
  text: string;
  start: number;
  end: number;
}

/** A statement plus the stretch of text it owns, from after the previous `;` through its own `;`. */
interface Segment extends SqlStatement {
  segmentStart: number;
  segmentEnd: number;
}

const IDENT_CHAR = /[A-Za-z0-9_$]/;
const DOLLAR_TAG = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y;

/** Where the token that starts at `i` ends; `code` is false for comments. */
function scanToken(sql: string, i: number): { end: number; code: boolean } {
  const c = sql[i];
  const next = sql[i + 1];
  if (c === '-' && next === '-') {
    const nl = sql.indexOf('\n', i + 2);
    return { end: nl === -1 ? sql.length : nl, code: false };
  }
  if (c === '/' && next === '*') {
    let depth = 1;
    let j = i + 2;
    while (j < sql.length && depth > 0) {
      if (sql[j] === '/' && sql[j + 1] === '*') {
        depth++;
        j += 2;
      } else if (sql[j] === '*' && sql[j + 1] === '/') {
        depth--;
        j += 2;
      } else j++;
    }
    return { end: depth > 0 ? sql.length : j, code: false };
  }
  if (c === "'") {
    const backslashEscapes = /[eE]/.test(sql[i - 1] ?? '') && !IDENT_CHAR.test(sql[i - 2] ?? '');
    return { end: endOfQuoted(sql, i, "'", backslashEscapes), code: true };
  }
  if (c === '"' || c === '`') return { end: endOfQuoted(sql, i, c, false), code: true };
  if (c === '$' && !IDENT_CHAR.test(sql[i - 1] ?? '')) {
    DOLLAR_TAG.lastIndex = i;
    const tag = DOLLAR_TAG.exec(sql)?.[0];
    if (tag) {
      const close = sql.indexOf(tag, i + tag.length);
      return { end: close === -1 ? sql.length : close + tag.length, code: true };
    }
  }
  return { end: i + 1, code: !/\s/.test(c) };
}

/** End of a quoted token opened at `i`; a doubled quote stands for itself. */
function endOfQuoted(sql: string, i: number, quote: string, backslashEscapes: boolean): number {
  let j = i + 1;
  while (j < sql.length) {
    const c = sql[j];
    if (backslashEscapes && c === '\\') j += 2;
    else if (c === quote) {
      if (sql[j + 1] === quote) j += 2;
      else return j + 1;
    } else j++;
  }
  return sql.length;
}

function segments(sql: string): Segment[] {
  const out: Segment[] = [];
  let segmentStart = 0;
  let start = -1;
  let end = -1;
  const close = (segmentEnd: number) => {
    if (start !== -1) out.push({ text: sql.slice(start, end), start, end, segmentStart, segmentEnd });
    segmentStart = segmentEnd;
    start = -1;
    end = -1;
  };
  let i = 0;
  while (i < sql.length) {
    if (sql[i] === ';') {
      close(i + 1);
      i++;
      continue;
    }
    const token = scanToken(sql, i);
    if (token.code) {
      if (start === -1) start = i;
      end = token.end;
    }
    i = token.end;
  }
  close(sql.length);
  return out;
}

/** Every statement in the text, in order. Empty statements (`;;`, comment-only stretches) are skipped. */
export function splitStatements(sql: string): SqlStatement[] {
  return segments(sql).map(({ text, start, end }) => ({ text, start, end }));
}

/**
 * The statement under the cursor. A cursor inside a statement, between its last token and its
 * `;`, or right after the `;` picks that statement; a cursor in blank lines or comments between
 * statements picks the nearest preceding one (the first statement if none precedes). A cursor in
 * the indentation on the line where a statement starts picks that statement.
 */
export function statementAtOffset(sql: string, offset: number): SqlStatement | undefined {
  const all = segments(sql);
  if (all.length === 0) return undefined;
  const pos = Math.max(0, Math.min(offset, sql.length));
  for (let k = all.length - 1; k >= 0; k--) {
    const s = all[k];
    if (pos < s.segmentStart) continue;
    if (pos >= s.start || k === 0) return strip(s);
    // Before the statement's first token: right after the previous `;` or across a line break
    // goes back; in the indentation of the statement's own first line goes forward.
    const back = pos === s.segmentStart || sql.slice(pos, s.start).includes('\n');
    return strip(back ? all[k - 1] : s);
  }
  return strip(all[0]);
}

function strip({ text, start, end }: SqlStatement): SqlStatement {
  return { text, start, end };
}

/** What Run Query runs, and where it came from. */
export interface SqlToRun extends SqlStatement {
  source: 'selection' | 'statement' | 'file';
}

/** True when the text holds something other than whitespace and comments. */
export function hasCode(sql: string): boolean {
  return splitStatements(sql).length > 0;
}

/** Trims whitespace and trailing `;` from `sql.slice(start, end)`, keeping offsets in step. */
export function trimStatement(sql: string, start: number, end: number): SqlStatement {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(sql[s])) s++;
  while (e > s && (/\s/.test(sql[e - 1]) || sql[e - 1] === ';')) e--;
  return { text: sql.slice(s, e), start: s, end: e };
}

/**
 * Picks what to run: a non-empty selection, else the statement under the cursor, else the whole
 * text. Undefined when there is nothing but whitespace and comments to run.
 */
export function chooseSqlToRun(sql: string, selection: { start: number; end: number; cursor?: number }): SqlToRun | undefined {
  const from = Math.min(selection.start, selection.end);
  const to = Math.max(selection.start, selection.end);
  if (to > from) {
    const picked = trimStatement(sql, from, to);
    if (hasCode(picked.text)) return { ...picked, source: 'selection' };
  }
  const atCursor = statementAtOffset(sql, selection.cursor ?? selection.end);
  if (atCursor) return { ...atCursor, source: 'statement' };
  if (!hasCode(sql)) return undefined;
  return { ...trimStatement(sql, 0, sql.length), source: 'file' };
}
