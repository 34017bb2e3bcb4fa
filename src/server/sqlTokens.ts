/**
 * A tolerant single-pass SQL tokenizer with offsets: the one SQL lexer of the project, used by
 * the language server and by Run Query's statement splitter (src/sql/statementAtCursor.ts).
 * It never throws: unterminated strings, quoted identifiers and comments run to the end of the
 * text, so half-typed SQL still tokenizes and the token under the cursor is known. Linear in
 * the text length.
 *
 * It knows '' escapes, backslash escapes in Postgres E'…' strings, "ident" and `ident`, -- and
 * nested block comments, and dollar quotes ($$…$$, $tag$…$tag$). Right after a `;` it holds no
 * state, which is what lets a caller lex one statement at a time (lexStatement).
 */

export type TokenKind =
  | 'word' // identifiers and keywords
  | 'quoted' // "ident" or `ident`
  | 'string' // 'text' or $$text$$
  | 'number'
  | 'op' // = <> != < > <= >= + - * / || :: and the like
  | 'punct' // ( ) , .
  | 'semicolon'
  | 'comment';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  text: string;
  /** For words: lower-cased; for quoted identifiers and strings: the content without quotes. */
  value: string;
  /** A string, quoted identifier or block comment missing its closing delimiter. */
  unterminated?: boolean;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || (c > 127 && /\s/.test(String.fromCharCode(c)));
const isWordStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c > 127 && !isSpace(c));
const isWordPart = (c: number) => isWordStart(c) || (c >= 48 && c <= 57) || c === 36;
const isDigit = (c: number) => c >= 48 && c <= 57;
/** ASCII identifier characters: what may not precede an E-string's `E` or a dollar quote's `$`. */
const isIdentChar = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || isDigit(c) || c === 36;
const TWO_CHAR_OPS = new Set(['<>', '!=', '<=', '>=', '||', '::', '->', '=>', '==']);
const DOLLAR_TAG = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y;

/** Finds the closing delimiter, treating a doubled delimiter (or a backslash, in E'') as an escape. */
function scanQuoted(text: string, start: number, quote: string, backslashEscapes = false): { end: number; closed: boolean } {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (backslashEscapes && ch === '\\') i += 2;
    else if (ch === quote) {
      if (text[i + 1] === quote) i += 2;
      else return { end: i + 1, closed: true };
    } else i++;
  }
  return { end: text.length, closed: false };
}

/**
 * End of the dollar-quote tag ($$ or $tag$) opening at `i`, or -1. `$1` is a parameter and
 * `a$b$` an identifier, neither a quote.
 */
function dollarTagEnd(text: string, i: number): number {
  if (i >= 1 && isIdentChar(text.charCodeAt(i - 1))) return -1;
  DOLLAR_TAG.lastIndex = i;
  return DOLLAR_TAG.test(text) ? DOLLAR_TAG.lastIndex : -1;
}

/** End of a block comment opened at `start`; Postgres lets them nest. */
function scanBlockComment(text: string, start: number): { end: number; closed: boolean } {
  let depth = 1;
  let i = start + 2;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      depth++;
      i += 2;
    } else if (c === 42 && text.charCodeAt(i + 1) === 47) {
      i += 2;
      if (--depth === 0) return { end: i, closed: true };
    } else i++;
  }
  return { end: text.length, closed: false };
}

/**
 * Lexes from `from` (which must be 0 or just after a `;` token) until and including the next
 * `;`, or to the end when `oneStatement` is false. Offsets are relative to `base`.
 */
function lex(text: string, from: number, oneStatement: boolean, base: number): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  const n = text.length;
  let i = from;
  const push = (kind: TokenKind, start: number, end: number, value: string, unterminated = false) => {
    const t: Token = { kind, start: start - base, end: end - base, text: text.slice(start, end), value };
    if (unterminated) t.unterminated = true;
    tokens.push(t);
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const ch = text[i];
    if (ch === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? n : nl;
      push('comment', i, end, text.slice(i + 2, end));
      i = end;
    } else if (ch === '/' && text[i + 1] === '*') {
      const { end, closed } = scanBlockComment(text, i);
      push('comment', i, end, text.slice(i + 2, closed ? end - 2 : end), !closed);
      i = end;
    } else if (ch === "'") {
      // E'…' (the E lexed as a word just before) takes backslash escapes; xe'…' is no E-string.
      const prev = text.charCodeAt(i - 1);
      const backslashEscapes = (prev === 69 || prev === 101) && !(i >= 2 && isIdentChar(text.charCodeAt(i - 2)));
      const { end, closed } = scanQuoted(text, i, "'", backslashEscapes);
      push('string', i, end, text.slice(i + 1, closed ? end - 1 : end).replace(/''/g, "'"), !closed);
      i = end;
    } else if (ch === '"' || ch === '`') {
      const { end, closed } = scanQuoted(text, i, ch);
      push('quoted', i, end, text.slice(i + 1, closed ? end - 1 : end), !closed);
      i = end;
    } else if (ch === '$' && dollarTagEnd(text, i) > 0) {
      const tagEnd = dollarTagEnd(text, i);
      const tag = text.slice(i, tagEnd);
      const close = text.indexOf(tag, tagEnd);
      const end = close < 0 ? n : close + tag.length;
      push('string', i, end, text.slice(tagEnd, close < 0 ? n : close), close < 0);
      i = end;
    } else if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordPart(text.charCodeAt(j))) j++;
      push('word', i, j, text.slice(i, j).toLowerCase());
      i = j;
    } else if (isDigit(c) || (ch === '.' && isDigit(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n && (isDigit(text.charCodeAt(j)) || text[j] === '.' || text[j] === 'e' || text[j] === 'E')) j++;
      push('number', i, j, text.slice(i, j));
      i = j;
    } else if (ch === ';') {
      push('semicolon', i, i + 1, ';');
      i++;
      if (oneStatement) return { tokens, end: i };
    } else if (ch === '(' || ch === ')' || ch === ',' || ch === '.' || ch === '[' || ch === ']') {
      push('punct', i, i + 1, ch);
      i++;
    } else {
      const two = text.slice(i, i + 2);
      const len = TWO_CHAR_OPS.has(two) ? (two === '->' && text[i + 2] === '>' ? 3 : 2) : 1;
      push('op', i, i + len, text.slice(i, i + len));
      i += len;
    }
  }
  return { tokens, end: n };
}

export function tokenize(text: string): Token[] {
  return lex(text, 0, false, 0).tokens;
}

/**
 * The tokens from `from` (0 or just after a `;`) through the next `;` (or the end), with
 * offsets relative to `from`, and where that stretch ends.
 */
export function lexStatement(text: string, from: number): { tokens: Token[]; end: number } {
  return lex(text, from, true, from);
}

export interface Statement {
  /** Offsets of the statement in the text, from its first token to its end (the `;` excluded). */
  start: number;
  end: number;
  /** Its tokens without comments, which no analysis needs. */
  tokens: Token[];
  /** Its comments, kept apart so completion can stay quiet inside them. */
  comments: Token[];
}

/** Splits a token stream on semicolons; empty statements are kept so every offset has one. */
export function splitStatements(tokens: readonly Token[], textLength: number): Statement[] {
  const statements: Statement[] = [];
  let current: Token[] = [];
  let comments: Token[] = [];
  let start = 0;
  for (const t of tokens) {
    if (t.kind === 'semicolon') {
      statements.push({ start, end: t.start, tokens: current, comments });
      current = [];
      comments = [];
      start = t.end;
    } else if (t.kind === 'comment') {
      comments.push(t);
    } else {
      current.push(t);
    }
  }
  statements.push({ start, end: textLength, tokens: current, comments });
  return statements;
}

/** The statement holding an offset (an offset right after a `;` belongs to the next one). */
export function statementAt(statements: readonly Statement[], offset: number): Statement {
  for (const s of statements) if (offset <= s.end) return s;
  return statements[statements.length - 1];
}

/** The token whose span holds the offset, counting its end (where the cursor sits after typing). */
export function tokenAt(tokens: readonly Token[], offset: number): Token | undefined {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid];
    if (t.end < offset) lo = mid + 1;
    else if (t.start > offset) hi = mid - 1;
    else {
      // Where two tokens touch, the earlier one is the word being typed, unless it is punctuation (`c.|x`).
      return t.end === offset && mid + 1 < tokens.length && tokens[mid + 1].start === offset && t.kind === 'punct' ? tokens[mid + 1] : t;
    }
  }
  return undefined;
}

/** Index of the last token that ends at or before the offset, or -1. */
export function indexBefore(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].end <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
