/**
 * Statements and token look-ups over the lexer's tokens (src/sql/lexer.ts), for the language
 * server's analyses: which statement an offset is in, which token a cursor touches.
 */
import type { Token } from '../sql/lexer';

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
      return t.end === offset && mid + 1 < tokens.length && tokens[mid + 1].start === offset && t.kind === 'punct'
        ? tokens[mid + 1]
        : t;
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
