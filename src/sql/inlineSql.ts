/**
 * A bound query turned into text a person can read and run: each placeholder replaced by the
 * value as a literal of the query's dialect. For "Show SQL" only; executed queries stay bound.
 *
 * Placeholders are found with the project's one lexer (src/sql/lexer.ts) under the query's dialect,
 * so a `$1`, `?` or `:p1` inside a string literal (backslash escapes included where the dialect has
 * them), a quoted identifier or a comment is left alone.
 */
import { tokenize, type Token } from './lexer';
import type { Dialect, SqlQuery } from './dialect';

/** A query that cannot be shown with its values inlined; the message says why, for people. */
export class InlineSqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InlineSqlError';
  }
}

/**
 * Characters written as escapes rather than raw: line breaks and other control characters (an
 * editor or a lexer may end a line on them), and the bidi controls that make text read in an order
 * other than the one the warehouse parses (Trojan Source). Tab stays raw: it is harmless.
 */
const NEEDS_ESCAPE = /[\u0001-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const NEEDS_ESCAPE_ALL = new RegExp(NEEDS_ESCAPE.source, 'g');

/**
 * Postgres and Redshift: the pieces between escaped characters as ordinary literals, and each
 * escaped character as chr(n), concatenated. chr() means the same under any session setting,
 * where E'\u…' needs a UTF-8 server and Redshift has no E'' at all.
 */
function chrLiteral(value: string, dialect: Dialect): string {
  const pieces: string[] = [];
  let from = 0;
  for (const m of value.matchAll(NEEDS_ESCAPE_ALL)) {
    const at = m.index ?? 0;
    if (at > from) pieces.push(dialect.literal(value.slice(from, at)));
    pieces.push(`chr(${m[0].codePointAt(0)})`);
    from = at + m[0].length;
  }
  if (from < value.length) pieces.push(dialect.literal(value.slice(from)));
  return pieces.length === 1 ? pieces[0] : `(${pieces.join(' || ')})`;
}

/** Snowflake, BigQuery, Databricks: every one of them reads \uXXXX inside '…'. */
function unicodeEscaped(value: string, dialect: Dialect): string {
  return dialect.literal(value).replace(NEEDS_ESCAPE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function stringLiteral(value: string, dialect: Dialect): string {
  // NUL: Postgres and Redshift cannot store it, and no one types one on purpose; the binder and
  // the panels refuse it before any query, so a value holding one never reaches this point honestly.
  if (value.includes('\u0000'))
    throw new InlineSqlError(
      'A bound value contains a NUL character (U+0000), which cannot be written as readable SQL.',
    );
  if (!NEEDS_ESCAPE.test(value)) return dialect.literal(value);
  return dialect.name === 'postgres' || dialect.name === 'redshift'
    ? chrLiteral(value, dialect)
    : unicodeEscaped(value, dialect);
}

/** One bound value as a literal of the dialect. */
export function sqlValueLiteral(value: unknown, dialect: Dialect): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return stringLiteral(value, dialect);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InlineSqlError(`A bound number is ${value}, which has no SQL literal.`);
    // Parenthesised when negative: `x -$1` must not become `x --1`, a comment.
    return value < 0 || Object.is(value, -0) ? `(${String(value)})` : String(value);
  }
  if (typeof value === 'bigint') return value < 0n ? `(${value.toString()})` : value.toString();
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InlineSqlError('A bound timestamp is not a valid date.');
    // The conversion the builders use for bound ISO strings, so the comparison types stay the same.
    return dialect.timestampParam(dialect.literal(value.toISOString()));
  }
  throw new InlineSqlError(
    `A bound value of type ${Array.isArray(value) ? 'array' : typeof value} has no literal form here.`,
  );
}

interface Placeholder {
  start: number;
  end: number;
  /** 1-based index into the values. */
  index: number;
}

const PARAM_NAME = /^p([1-9][0-9]*)$/i;

/** The placeholders of the text, in order, as the dialect's driver would see them. */
function placeholders(tokens: readonly Token[], dialect: Dialect): Placeholder[] {
  const out: Placeholder[] = [];
  let questions = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'op') continue;
    const next = tokens[i + 1] as Token | undefined;
    const touching = next !== undefined && next.start === t.end;
    switch (dialect.paramStyle) {
      case 'question':
        if (t.text === '?') out.push({ start: t.start, end: t.end, index: ++questions });
        break;
      case 'dollar':
        if (t.text === '$' && touching && next.kind === 'number' && /^[1-9][0-9]*$/.test(next.text))
          out.push({ start: t.start, end: next.end, index: Number(next.text) });
        break;
      case 'at':
      case 'colon': {
        const sigil = dialect.paramStyle === 'at' ? '@' : ':';
        const m = t.text === sigil && touching && next.kind === 'word' ? PARAM_NAME.exec(next.text) : null;
        if (m) out.push({ start: t.start, end: next!.end, index: Number(m[1]) });
        break;
      }
    }
  }
  return out;
}

/**
 * The query's text with every placeholder replaced by its value's literal. Throws InlineSqlError
 * when the text cannot be inlined faithfully: a placeholder without a value, a value no
 * placeholder uses (the lexer and the driver would disagree), or an unterminated literal or comment.
 */
export function inlineSql(query: SqlQuery, dialect: Dialect): string {
  const tokens = tokenize(query.text, dialect.lexical);
  if (tokens.some((t) => t.unterminated)) {
    throw new InlineSqlError(
      'The query has an unterminated literal, quoted name or comment; its placeholders cannot be found reliably.',
    );
  }
  const found = placeholders(tokens, dialect);
  const used = new Set<number>();
  let out = '';
  let from = 0;
  for (const p of found) {
    if (p.index > query.values.length)
      throw new InlineSqlError(
        `The query uses placeholder ${p.index} but has ${query.values.length} bound value${query.values.length === 1 ? '' : 's'}.`,
      );
    used.add(p.index);
    out += query.text.slice(from, p.start) + sqlValueLiteral(query.values[p.index - 1], dialect);
    from = p.end;
  }
  out += query.text.slice(from);
  if (used.size !== query.values.length) {
    throw new InlineSqlError(
      `The query binds ${query.values.length} value${query.values.length === 1 ? '' : 's'} but ${used.size} placeholder${used.size === 1 ? ' was' : 's were'} found.`,
    );
  }
  return out;
}
