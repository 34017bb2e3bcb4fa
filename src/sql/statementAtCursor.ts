/**
 * Splits SQL text into statements and finds the one under a cursor, the way a SQL editor's
 * "run statement" does. Pure: offsets are UTF-16 string indices, as `TextDocument.offsetAt` gives.
 *
 * Lexing is the project's one lexer (src/sql/lexer.ts) with the connection's dialect, the one the
 * language server uses too, so Run Query and the server's completions and diagnostics agree on
 * where a statement ends: a `;` in BigQuery's 'it\'s; here' or after its `#` is no end.
 */
import { SqlScanner, type LexicalTraits } from './lexer';

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

function segments(sql: string, lexical: LexicalTraits): Segment[] {
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
  // Kinds and offsets are all it needs: the scanner builds no token objects (a 5,000-line file is split on every run).
  const scan = new SqlScanner(sql, lexical);
  while (scan.next()) {
    if (scan.kind === 'semicolon') close(scan.end);
    else if (scan.kind !== 'comment') {
      if (start === -1) start = scan.start;
      end = scan.end;
    }
  }
  close(sql.length);
  return out;
}

/** Every statement in the text, in order. Empty statements (`;;`, comment-only stretches) are skipped. */
export function splitStatements(sql: string, lexical: LexicalTraits): SqlStatement[] {
  return segments(sql, lexical).map(({ text, start, end }) => ({ text, start, end }));
}

/**
 * The statement under the cursor. A cursor inside a statement, between its last token and its
 * `;`, or right after the `;` picks that statement; a cursor in blank lines or comments between
 * statements picks the nearest preceding one (the first statement if none precedes). A cursor in
 * the indentation on the line where a statement starts picks that statement.
 */
export function statementAtOffset(sql: string, offset: number, lexical: LexicalTraits): SqlStatement | undefined {
  const all = segments(sql, lexical);
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
export function hasCode(sql: string, lexical: LexicalTraits): boolean {
  return splitStatements(sql, lexical).length > 0;
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
export function chooseSqlToRun(
  sql: string,
  selection: { start: number; end: number; cursor?: number },
  lexical: LexicalTraits,
): SqlToRun | undefined {
  const from = Math.min(selection.start, selection.end);
  const to = Math.max(selection.start, selection.end);
  if (to > from) {
    const picked = trimStatement(sql, from, to);
    if (hasCode(picked.text, lexical)) return { ...picked, source: 'selection' };
  }
  const atCursor = statementAtOffset(sql, selection.cursor ?? selection.end, lexical);
  if (atCursor) return { ...atCursor, source: 'statement' };
  if (!hasCode(sql, lexical)) return undefined;
  return { ...trimStatement(sql, 0, sql.length), source: 'file' };
}
