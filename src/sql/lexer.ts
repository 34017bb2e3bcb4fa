/**
 * The project's one SQL lexer: Run Query's statement splitter, the language server, Exclude
 * Previously Failed Rows and Show SQL's placeholder finder all read SQL through it, so they agree
 * on where a string, a comment and a statement end. What differs between warehouses is data, the
 * LexicalTraits each dialect declares (src/sql/dialects/<kind>.ts, with the documentation each
 * trait comes from), never a second lexer.
 *
 * Tolerant and linear: it never throws; an unterminated string, quoted name or block comment runs
 * to the end of the text (flagged `unterminated`), so half-typed SQL still lexes. Right after a `;`
 * token it holds no state, which is what lets a caller lex one statement at a time (lexStatement).
 */

/** How a backslash reads inside a string. */
export type BackslashRule =
  | 'literal' // an ordinary character (Postgres '…', Databricks r'…')
  | 'escape' // escapes the next character, which is decoded (\n is a line break)
  | 'raw'; // keeps the next character from closing the string, and both are kept (BigQuery r'…')

export interface LexicalTraits {
  /** Backslashes in '…' without a prefix (and in "…" where that is a string). */
  readonly backslash: 'literal' | 'escape';
  /** A doubled quote inside a string stands for one quote; otherwise it ends the string (and another starts). */
  readonly doubledQuotes: boolean;
  /** Lower-case prefixes written right before a string's quote, and how backslashes read after them. */
  readonly stringPrefixes: Readonly<Record<string, BackslashRule>>;
  /** The quote of quoted names. With a backtick, `"` opens a string; with `"`, a backtick is an operator character. */
  readonly nameQuote: '"' | '`';
  /** Inside a quoted name: a doubled quote stands for one, or backslash escapes as in strings. */
  readonly nameEscapes: 'doubled' | 'backslash';
  /** '''…''' and """…""" strings, which may hold line breaks and lone quotes. */
  readonly tripleQuotes: boolean;
  /** `#` starts a comment to the end of the line (elsewhere it is an operator). */
  readonly hashComments: boolean;
  /** `//` starts a comment to the end of the line. */
  readonly slashComments: boolean;
  /** A `/*` inside a block comment opens a nested one, which needs its own `*\/`. */
  readonly nestedComments: boolean;
  /** `$$…$$` only, or `$tag$…$tag$` too. */
  readonly dollarQuotes: 'none' | 'untagged' | 'tagged';
  /** Postgres: '…' continuing an E'…' string across a line break reads backslashes as the E'…' did. */
  readonly escapeContinuation: boolean;
}

export type TokenKind =
  | 'word' // identifiers and keywords
  | 'quoted' // a quoted name: "name" or `name`
  | 'string' // 'text', "text" where that is a string, $$text$$, '''text''', E'…', r'…'
  | 'number'
  | 'op' // = <> != < > <= >= + - * / || :: and the like
  | 'punct' // ( ) , . [ ]
  | 'semicolon'
  | 'comment';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  text: string;
  /** Words: lower-cased. Strings and quoted names: the content, escapes decoded. Comments: the text after the marker. */
  value: string;
  /** A string, quoted name or block comment missing its closing delimiter. */
  unterminated?: boolean;
  /** Strings and quoted names: lengths of the opening delimiter (prefix included) and of the closing one (0 when missing). */
  open?: number;
  close?: number;
}

const SPACE = /\s/;
const isSpace = (c: number) =>
  c === 32 ||
  c === 9 ||
  c === 10 ||
  c === 13 ||
  c === 12 ||
  c === 11 ||
  (c > 127 && SPACE.test(String.fromCharCode(c)));
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isWordStart = (c: number) => isLetter(c) || (c > 127 && !isSpace(c));
const isWordPart = (c: number) => isWordStart(c) || isDigit(c) || c === 36;
/** ASCII identifier characters: what may not precede the `$` of a dollar quote. */
const isIdentChar = (c: number) => isLetter(c) || isDigit(c) || c === 36;
const TAGGED = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;
const DECODED: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0' };
const Q1 = 39; // '
const Q2 = 34; // "
const BACKTICK = 96;
const BACKSLASH = 92;

/** Index just past the delimiter closing a quoted run whose content starts at `from`, or -1 when the text ends first. */
function closing(
  text: string,
  from: number,
  quote: number,
  triple: boolean,
  backslash: boolean,
  doubled: boolean,
): number {
  const n = text.length;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH && backslash) i += 2;
    else if (c !== quote) i++;
    else if (triple) {
      if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) return i + 3;
      i++;
    } else if (doubled && text.charCodeAt(i + 1) === quote) i += 2;
    else return i + 1;
  }
  return -1;
}

/** The content of a quoted run with its escapes decoded: doubled quotes, and backslashes when they escape. */
function decode(body: string, quote: string, escapes: boolean, doubled: boolean): string {
  if (!(escapes && body.includes('\\')) && !(doubled && body.includes(quote))) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (escapes && ch === '\\' && i + 1 < body.length) out += DECODED[body[++i]] ?? body[i];
    else if (doubled && ch === quote && body[i + 1] === quote) out += body[i++];
    else out += ch;
  }
  return out;
}

/** Whether [from, to) holds a line feed: what lets a '…' continue the E'…' before it (the gap is short: white space and -- comments). */
const hasNewline = (text: string, from: number, to: number): boolean => {
  for (let k = from; k < to; k++) if (text.charCodeAt(k) === 10) return true;
  return false;
};

/** End of a block comment opened at `start`, or -1. */
function blockCommentEnd(text: string, start: number, nested: boolean): number {
  if (!nested) {
    const close = text.indexOf('*/', start + 2);
    return close < 0 ? -1 : close + 2;
  }
  let depth = 1;
  let i = start + 2;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      depth++;
      i += 2;
    } else if (c === 42 && text.charCodeAt(i + 1) === 47) {
      i += 2;
      if (--depth === 0) return i;
    } else i++;
  }
  return -1;
}

/** End of the dollar-quote tag ($$ or $tag$) opening at `i`, or -1. `$1` is a parameter and `a$b$` a name, neither a quote. */
function dollarTagEnd(text: string, i: number, rule: LexicalTraits['dollarQuotes']): number {
  if (rule === 'none' || (i >= 1 && isIdentChar(text.charCodeAt(i - 1)))) return -1;
  if (rule === 'untagged') return text.charCodeAt(i + 1) === 36 ? i + 2 : -1;
  TAGGED.lastIndex = i;
  return TAGGED.test(text) ? TAGGED.lastIndex : -1;
}

/** Length of the operator at `i`: the two- and three-character ones (<> != <= >= || :: -> ->> => ==) or one character. */
function opLength(text: string, i: number, c: number): number {
  const d = text.charCodeAt(i + 1);
  if (c === 45) return d === 62 ? (text.charCodeAt(i + 2) === 62 ? 3 : 2) : 1; // -> ->>
  if (c === 60) return d === 62 || d === 61 ? 2 : 1; // <> <=
  if (c === 61) return d === 62 || d === 61 ? 2 : 1; // => ==
  if (c === 33 || c === 62) return d === 61 ? 2 : 1; // != >=
  return (c === 124 || c === 58) && d === c ? 2 : 1; // || ::
}

/**
 * The lexer itself: steps through the text one token at a time, keeping only the current
 * token's kind and offsets, so a caller that needs no more (Run Query's splitter) allocates
 * nothing per token. tokenize and lexStatement build Token objects from it.
 */
export class SqlScanner {
  kind: TokenKind = 'word';
  start = 0;
  end = 0;
  unterminated = false;
  /** Strings and quoted names: delimiter lengths (prefix included in `open`), and how the content decodes. */
  open = 0;
  close = 0;
  private escapes = false;
  private doubled = false;
  private quote = 0;
  private at: number;
  /** End of the last E'…' string (or its continuation) while a '…' may still continue it, else -1. */
  private escapedEnd = -1;
  private readonly nameQuote: number;
  /** `"` opens a string (where names are quoted with backticks). */
  private readonly stringQuote2: boolean;

  constructor(
    readonly text: string,
    readonly traits: LexicalTraits,
    from = 0,
  ) {
    this.at = from;
    this.nameQuote = traits.nameQuote === '"' ? Q2 : BACKTICK;
    this.stringQuote2 = traits.nameQuote === '`';
  }

  /** Moves to the next token; false at the end of the text. */
  next(): boolean {
    const { text, traits } = this;
    const n = text.length;
    let i = this.at;
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) {
      this.at = n;
      return false;
    }
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    this.start = i;
    this.unterminated = false;
    const lineComment =
      c === 45 ? next === 45 : c === 35 ? traits.hashComments : c === 47 && next === 47 && traits.slashComments;
    if (lineComment) {
      const nl = text.indexOf('\n', i);
      // Postgres lets -- comments sit between an E'…' string and its continuation, after a line break.
      if (!(this.escapedEnd >= 0 && c === 45 && hasNewline(text, this.escapedEnd, i))) this.escapedEnd = -1;
      return this.emit('comment', nl < 0 ? n : nl);
    }
    const continues = this.escapedEnd >= 0 && c === Q1 && hasNewline(text, this.escapedEnd, i);
    this.escapedEnd = -1;
    if (c === 47 && next === 42) {
      const close = blockCommentEnd(text, i, traits.nestedComments);
      this.unterminated = close < 0;
      return this.emit('comment', close < 0 ? n : close);
    }
    if (c === Q1 || (c === Q2 && this.stringQuote2))
      return this.quoted('string', i, c, continues ? 'escape' : traits.backslash, traits.doubledQuotes);
    if (c === this.nameQuote) {
      const backslash = traits.nameEscapes === 'backslash';
      return this.quoted('quoted', i, c, backslash ? 'escape' : 'literal', !backslash);
    }
    if (c === 36) {
      const tagEnd = dollarTagEnd(text, i, traits.dollarQuotes);
      if (tagEnd > 0) {
        const tag = text.slice(i, tagEnd);
        const close = text.indexOf(tag, tagEnd);
        this.unterminated = close < 0;
        this.open = tag.length;
        this.close = close < 0 ? 0 : tag.length;
        this.escapes = this.doubled = false;
        return this.emit('string', close < 0 ? n : close + tag.length);
      }
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordPart(text.charCodeAt(j))) j++;
      const q = text.charCodeAt(j);
      if (j - i <= 2 && (q === Q1 || (q === Q2 && this.stringQuote2))) {
        const prefix = text.slice(i, j).toLowerCase();
        // A prefixed string (E'…', r'…', rb"…") is one token: the prefix decides how it reads.
        if (Object.hasOwn(traits.stringPrefixes, prefix)) {
          const rule = traits.stringPrefixes[prefix];
          return this.quoted('string', j, q, rule, traits.doubledQuotes && rule !== 'raw');
        }
      }
      return this.emit('word', j);
    }
    if (isDigit(c) || (c === 46 && isDigit(next))) {
      let j = i + 1;
      for (
        let d = text.charCodeAt(j);
        j < n && (isDigit(d) || d === 46 || d === 101 || d === 69);
        d = text.charCodeAt(++j)
      );
      return this.emit('number', j);
    }
    if (c === 59) return this.emit('semicolon', i + 1);
    if (c === 40 || c === 41 || c === 44 || c === 46 || c === 91 || c === 93) return this.emit('punct', i + 1);
    return this.emit('op', i + opLength(text, i, c));
  }

  /** Where the scan stands: the end of the current token (or where it started, before the first). */
  get position(): number {
    return this.at;
  }

  /** The current token as a Token, offsets relative to `base`. */
  token(base = 0): Token {
    const { text, kind, start, end } = this;
    const t: Token = { kind, start: start - base, end: end - base, text: text.slice(start, end), value: '' };
    if (kind === 'word') t.value = t.text.toLowerCase();
    else if (kind === 'string' || kind === 'quoted') {
      const body = text.slice(start + this.open, end - this.close);
      t.value =
        this.escapes || this.doubled ? decode(body, String.fromCharCode(this.quote), this.escapes, this.doubled) : body;
      t.open = this.open;
      t.close = this.close;
    } else if (kind === 'comment') {
      const block = text.charCodeAt(start) === 47 && text.charCodeAt(start + 1) === 42;
      t.value = text.slice(
        start + (text.charCodeAt(start) === 35 ? 1 : 2),
        block && !this.unterminated ? end - 2 : end,
      );
    } else t.value = t.text;
    if (this.unterminated) t.unterminated = true;
    return t;
  }

  private emit(kind: TokenKind, end: number): true {
    this.kind = kind;
    this.end = end;
    this.at = end;
    return true;
  }

  /** A string or quoted name whose quotes start at `q` (after its prefix, if any, from this.start). */
  private quoted(kind: 'string' | 'quoted', q: number, quote: number, rule: BackslashRule, doubled: boolean): true {
    const text = this.text;
    const triple =
      kind === 'string' &&
      this.traits.tripleQuotes &&
      text.charCodeAt(q + 1) === quote &&
      text.charCodeAt(q + 2) === quote;
    const width = triple ? 3 : 1;
    const close = closing(text, q + width, quote, triple, rule !== 'literal', doubled && !triple);
    this.unterminated = close < 0;
    this.open = q - this.start + width;
    this.close = close < 0 ? 0 : width;
    this.quote = quote;
    this.escapes = rule === 'escape';
    this.doubled = doubled && !triple;
    const end = close < 0 ? text.length : Math.min(close, text.length);
    if (kind === 'string' && rule === 'escape' && this.traits.escapeContinuation) this.escapedEnd = end;
    return this.emit(kind, end);
  }
}

/** Every token of the text, whitespace left out (so the text between two tokens is whitespace). */
export function tokenize(text: string, traits: LexicalTraits): Token[] {
  const tokens: Token[] = [];
  const scan = new SqlScanner(text, traits);
  while (scan.next()) tokens.push(scan.token());
  return tokens;
}

/**
 * The tokens from `from` (0 or just after a `;`) through the next `;` (or the end), with
 * offsets relative to `from`, and where that stretch ends.
 */
export function lexStatement(text: string, from: number, traits: LexicalTraits): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  const scan = new SqlScanner(text, traits, from);
  while (scan.next()) {
    tokens.push(scan.token(from));
    if (scan.kind === 'semicolon') break;
  }
  return { tokens, end: scan.position };
}

/** A comment that runs to the end of its line (`--`, `#`, `//`), as opposed to a block comment. */
export const isLineComment = (t: Token): boolean => t.kind === 'comment' && !t.text.startsWith('/*');
