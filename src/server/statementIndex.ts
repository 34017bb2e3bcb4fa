/**
 * A document cut into statements, kept up to date edit by edit. Each statement is lexed with
 * offsets relative to its own start, so after an edit only the statements the edit touches are
 * lexed again: the ones after it are the same objects at shifted starts. Re-lexing stops as
 * soon as a `;` lands on an old statement boundary past the edit (the lexer holds no state
 * after a `;`, so from there on the old tokens are still right).
 */
import { lexStatement, type LexicalTraits, type Token } from '../sql/lexer';
import { dialectFor } from '../sql/dialects';
import type { DialectKind } from '../shared/connection';
import type { Statement } from './statements';

/** One statement and its `;`, lexed relative to its own start. Never mutated once built. */
export interface Chunk {
  /** Offsets relative to the chunk: start 0, end where its `;` (or the text) begins. */
  statement: Statement;
  /** The statement's text without its `;`. */
  source: string;
  /** The statement plus its `;` when it has one. */
  length: number;
  terminated: boolean;
}

export interface StatementIndex {
  text: string;
  /** The dialect's lexical traits the text was lexed with; another dialect means lexing again from scratch. */
  lexical: LexicalTraits;
  chunks: readonly Chunk[];
  /** Where each chunk starts in the text. */
  starts: readonly number[];
}

/** The lexical traits of a dialect: the server knows the active connection's dialect by name. */
export const lexicalOf = (dialect: DialectKind): LexicalTraits => dialectFor(dialect).lexical;

function lexChunk(text: string, from: number, lexical: LexicalTraits): Chunk {
  const { end } = lexStatement(text, from, lexical);
  // Lexed again from a private copy: token texts are slices, and slices of the whole document
  // would keep every edited version of it alive (and make each GC copy them). The leading `;`
  // is what precedes a statement in the document, so the lexer sees the same context.
  const own = ';' + text.slice(from, end);
  const { tokens } = lexStatement(own, 1, lexical);
  const last = tokens[tokens.length - 1];
  const terminated = last?.kind === 'semicolon';
  const statementEnd = terminated ? last.start : end - from;
  const code: Token[] = [];
  const comments: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'comment') comments.push(t);
    else if (t.kind !== 'semicolon') code.push(t);
  }
  return {
    statement: { start: 0, end: statementEnd, tokens: code, comments },
    source: own.slice(1, 1 + statementEnd),
    length: end - from,
    terminated,
  };
}

/** Lexes chunks from `from` on; stops early when `resync(start)` says the rest is known. */
function lexFrom(
  text: string,
  lexical: LexicalTraits,
  from: number,
  chunks: Chunk[],
  starts: number[],
  resync: (start: number) => boolean,
): void {
  let at = from;
  for (;;) {
    const chunk = lexChunk(text, at, lexical);
    chunks.push(chunk);
    starts.push(at);
    at += chunk.length;
    // An unterminated chunk runs to the end; a terminated one at the end leaves an empty last statement.
    if (!chunk.terminated || resync(at)) return;
  }
}

export function indexStatements(text: string, lexical: LexicalTraits): StatementIndex {
  const chunks: Chunk[] = [];
  const starts: number[] = [];
  lexFrom(text, lexical, 0, chunks, starts, () => false);
  return { text, lexical, chunks, starts };
}

/** Index of the last start at or before the offset (0 when none is). */
function lastStartAtOrBefore(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * How much of a text's start and end no edit has touched. Under-estimates are safe (more is
 * lexed again); over-estimates are not.
 */
export interface Unchanged {
  prefix: number;
  suffix: number;
}

/** Nothing edited yet: every later edit narrows it. */
export const UNTOUCHED: Unchanged = { prefix: Infinity, suffix: Infinity };

/** Narrows `unchanged` by an edit replacing [start, end) of a text `length` long (before the edit). */
export function afterEdit(unchanged: Unchanged, start: number, end: number, length: number): Unchanged {
  return { prefix: Math.min(unchanged.prefix, start), suffix: Math.min(unchanged.suffix, length - end) };
}

function commonPrefixAndSuffix(old: string, text: string): Unchanged {
  const limit = Math.min(old.length, text.length);
  let prefix = 0;
  while (prefix < limit && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < limit - prefix &&
    old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)
  )
    suffix++;
  return { prefix, suffix };
}

/**
 * The index of `text`, reusing what `previous` lexed outside the changed stretch. The caller
 * may say what the edits left alone (an editor knows its change ranges), which spares
 * comparing the two texts character by character.
 */
export function updateStatementIndex(previous: StatementIndex, text: string, unchanged?: Unchanged): StatementIndex {
  const old = previous.text;
  if (old === text) return previous;
  const lexical = previous.lexical;
  const limit = Math.min(old.length, text.length);
  const known = unchanged ?? commonPrefixAndSuffix(old, text);
  const prefix = Math.min(known.prefix, limit);
  const suffix = Math.min(known.suffix, limit - prefix);
  const delta = text.length - old.length;
  const changedEnd = text.length - suffix;

  const first = lastStartAtOrBefore(previous.starts, prefix);
  const chunks = previous.chunks.slice(0, first);
  const starts = previous.starts.slice(0, first);
  let reuseFrom = -1;
  lexFrom(text, lexical, previous.starts[first], chunks, starts, (start) => {
    if (start < changedEnd) return false;
    const k = lastStartAtOrBefore(previous.starts, start - delta);
    if (previous.starts[k] !== start - delta) return false;
    reuseFrom = k;
    return true;
  });
  if (reuseFrom >= 0) {
    for (let k = reuseFrom; k < previous.chunks.length; k++) {
      chunks.push(previous.chunks[k]);
      starts.push(previous.starts[k] + delta);
    }
  }
  return { text, lexical, chunks, starts };
}

/** Which chunk holds an offset (an offset right after a `;` belongs to the next statement). */
export function chunkIndexAt(index: StatementIndex, offset: number): number {
  return lastStartAtOrBefore(index.starts, offset);
}

/** The k-th statement with offsets in the document (its tokens are copies). */
export function absoluteStatement(index: StatementIndex, k: number): Statement {
  const delta = index.starts[k];
  const s = index.chunks[k].statement;
  if (delta === 0) return s;
  const move = (t: Token): Token => ({ ...t, start: t.start + delta, end: t.end + delta });
  return { start: s.start + delta, end: s.end + delta, tokens: s.tokens.map(move), comments: s.comments.map(move) };
}
