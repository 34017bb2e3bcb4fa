/**
 * A check, on load, for the shapes of regular expression that make a backtracking engine take
 * exponential (or high-polynomial) time: a repeated group holding a quantifier that can give
 * characters to what follows it ((a+)+, (\w+\s?)+, (.*a){20}), a repeated group whose
 * alternatives can start alike ((a|a)*), and a repeated group that can match nothing ((a?){30}).
 * It is a heuristic over the pattern's syntax, so it warns and never refuses: the pattern still
 * runs, under the worker's time budget (loaders/userPatternRunner.ts). It reads JavaScript
 * syntax without the `u` flag (the categories compile with `i` only), Annex B leniencies
 * included, and gives up quietly (no warning) on anything it does not follow.
 */

/** Why a pattern may backtrack badly, and the part of it to point at. */
export interface PatternRisk {
  kind: 'nested' | 'alternatives' | 'empty';
  /** The repeated group at fault, as written in the pattern (shortened when long). */
  fragment: string;
}

const MAX_FRAGMENT = 60;

/** A set of characters: the 128 ASCII ones (letters folded to lower case, as under the `i` flag) and one bit for everything beyond. */
class CharSet {
  readonly words = new Uint32Array(4);
  other = false;

  static of(...codes: number[]): CharSet {
    const s = new CharSet();
    for (const c of codes) s.add(c);
    return s;
  }

  static all(): CharSet {
    const s = new CharSet();
    s.words.fill(0xffffffff);
    s.other = true;
    return s;
  }

  add(code: number): void {
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    if (code < 128) this.words[code >> 5] |= 1 << (code & 31);
    else this.other = true;
  }

  addRange(lo: number, hi: number): void {
    for (let c = lo; c <= Math.min(hi, 127); c++) this.add(c);
    if (hi >= 128) this.other = true;
  }

  addSet(s: CharSet): void {
    for (let i = 0; i < 4; i++) this.words[i] |= s.words[i];
    this.other ||= s.other;
  }

  complement(): CharSet {
    const s = new CharSet();
    for (let i = 0; i < 4; i++) s.words[i] = ~this.words[i];
    // Under `i`, [^a] excludes A too: fold the complement's upper-case bits into nothing.
    s.words[2] &= ~0x07fffffe;
    s.other = true;
    return s;
  }

  intersects(s: CharSet): boolean {
    for (let i = 0; i < 4; i++) if ((this.words[i] & s.words[i]) !== 0) return true;
    return this.other && s.other;
  }

  isEmpty(): boolean {
    return !this.other && this.words.every((w) => w === 0);
  }

  union(s: CharSet): CharSet {
    const u = new CharSet();
    u.addSet(this);
    u.addSet(s);
    return u;
  }
}

const EMPTY = new CharSet();
const DIGITS = (() => {
  const s = new CharSet();
  s.addRange(0x30, 0x39);
  return s;
})();
const WORD = (() => {
  const s = new CharSet();
  s.addRange(0x30, 0x39);
  s.addRange(0x61, 0x7a);
  s.add(0x5f);
  return s;
})();
const SPACE = (() => {
  const s = CharSet.of(0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d);
  s.other = true;
  return s;
})();

type Alt = Node[][];
type Node =
  | { t: 'char'; set: CharSet }
  | { t: 'assert' }
  | { t: 'look'; body: Alt }
  | { t: 'group'; body: Alt }
  | { t: 'backref' }
  | { t: 'repeat'; body: Node; min: number; max: number; from: number; to: number };

class GiveUp extends Error {}

/** A recursive-descent reader of the pattern into alternatives of sequences. */
function parse(src: string): Alt {
  let i = 0;
  const hasNamedGroups = /\(\?<[^=!]/.test(src);

  const peek = () => src[i];
  const isHex = (s: string) => /^[0-9a-fA-F]+$/.test(s);

  /** After a backslash: a class escape, one character (its code), an assertion or a backreference. */
  function escape(inClass: boolean): CharSet | number | 'assert' | 'backref' {
    const c = src[i++];
    if (c === undefined) throw new GiveUp();
    switch (c) {
      case 'd':
        return DIGITS;
      case 'D':
        return DIGITS.complement();
      case 'w':
        return WORD;
      case 'W':
        return WORD.complement();
      case 's':
        return SPACE;
      case 'S':
        return SPACE.complement();
      case 'b':
        return inClass ? 8 : 'assert';
      case 'B':
        return inClass ? 0x42 : 'assert';
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 't':
        return 9;
      case 'v':
        return 11;
      case 'f':
        return 12;
      case 'c': {
        const l = src[i];
        if (l !== undefined && /[a-zA-Z]/.test(l)) {
          i++;
          return l.charCodeAt(0) % 32;
        }
        return 0x5c;
      }
      case 'x': {
        const h = src.slice(i, i + 2);
        if (h.length === 2 && isHex(h)) {
          i += 2;
          return parseInt(h, 16);
        }
        return 0x78;
      }
      case 'u': {
        const h = src.slice(i, i + 4);
        if (h.length === 4 && isHex(h)) {
          i += 4;
          return parseInt(h, 16);
        }
        return 0x75;
      }
      case 'k':
        if (!inClass && hasNamedGroups && src[i] === '<') {
          const end = src.indexOf('>', i);
          if (end < 0) throw new GiveUp();
          i = end + 1;
          return 'backref';
        }
        return 0x6b;
      default:
        if (c >= '1' && c <= '9' && !inClass) {
          while (/[0-9]/.test(src[i] ?? '')) i++;
          return 'backref';
        }
        if (c >= '0' && c <= '7') {
          while (/[0-7]/.test(src[i] ?? '')) i++;
          return 0;
        }
        return c.charCodeAt(0);
    }
  }

  /** One member of a class: a character's code or a class escape. */
  function classMember(): CharSet | number {
    if (peek() !== '\\') return src.charCodeAt(i++);
    i++;
    const e = escape(true);
    if (e === 'assert' || e === 'backref') throw new GiveUp();
    return e;
  }

  function charClass(): CharSet {
    // After the '['.
    const negated = peek() === '^';
    if (negated) i++;
    const set = new CharSet();
    const put = (m: CharSet | number) => (typeof m === 'number' ? set.add(m) : set.addSet(m));
    while (i < src.length && peek() !== ']') {
      const lo = classMember();
      if (peek() === '-' && src[i + 1] !== undefined && src[i + 1] !== ']') {
        i++;
        const hi = classMember();
        // A range with a class escape at either end is literal (Annex B): both ends and the dash.
        if (typeof lo === 'number' && typeof hi === 'number') set.addRange(lo, hi);
        else [lo, 0x2d, hi].forEach(put);
      } else {
        put(lo);
      }
    }
    if (peek() !== ']') throw new GiveUp();
    i++;
    return negated ? set.complement() : set;
  }

  /** A quantifier at i, if there is one: {n}, {n,}, {n,m}, *, +, ? (a `{` that is not one is a literal). */
  function quantifier(): { min: number; max: number } | undefined {
    const c = peek();
    let q: { min: number; max: number } | undefined;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    if (q) {
      i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      const min = Number(m[1]);
      q = { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) };
    } else {
      return undefined;
    }
    if (peek() === '?') i++;
    return q;
  }

  function atom(): Node {
    const c = src[i++];
    switch (c) {
      case '.':
        return { t: 'char', set: CharSet.all() };
      case '^':
      case '$':
        return { t: 'assert' };
      case '[':
        return { t: 'char', set: charClass() };
      case '\\': {
        const e = escape(false);
        if (e === 'assert') return { t: 'assert' };
        if (e === 'backref') return { t: 'backref' };
        return { t: 'char', set: typeof e === 'number' ? CharSet.of(e) : e };
      }
      case '(': {
        let look = false;
        if (peek() === '?') {
          const next = src[i + 1];
          if (next === '=' || next === '!') {
            look = true;
            i += 2;
          } else if (next === '<' && (src[i + 2] === '=' || src[i + 2] === '!')) {
            look = true;
            i += 3;
          } else if (next === '<') {
            const end = src.indexOf('>', i);
            if (end < 0) throw new GiveUp();
            i = end + 1;
          } else {
            // (?: and any modifier group (?i:...): read up to the colon.
            const colon = src.indexOf(':', i);
            if (colon < 0) throw new GiveUp();
            i = colon + 1;
          }
        }
        const body = alternatives();
        if (peek() !== ')') throw new GiveUp();
        i++;
        return look ? { t: 'look', body } : { t: 'group', body };
      }
      default:
        return { t: 'char', set: CharSet.of(c.charCodeAt(0)) };
    }
  }

  function sequence(): Node[] {
    const seq: Node[] = [];
    while (i < src.length && peek() !== '|' && peek() !== ')') {
      const from = i;
      let node = atom();
      for (let q = quantifier(); q; q = quantifier())
        node = { t: 'repeat', body: node, min: q.min, max: q.max, from, to: i };
      seq.push(node);
    }
    return seq;
  }

  function alternatives(): Alt {
    const alts: Alt = [sequence()];
    while (peek() === '|') {
      i++;
      alts.push(sequence());
    }
    return alts;
  }

  const top = alternatives();
  if (i !== src.length) throw new GiveUp();
  return top;
}

const nullableCache = new WeakMap<Node, boolean>();
const firstCache = new WeakMap<Node, CharSet>();

function nullable(n: Node): boolean {
  let v = nullableCache.get(n);
  if (v !== undefined) return v;
  switch (n.t) {
    case 'char':
      v = false;
      break;
    case 'assert':
    case 'look':
    case 'backref':
      v = true;
      break;
    case 'group':
      v = n.body.some(nullableSeq);
      break;
    case 'repeat':
      v = n.min === 0 || nullable(n.body);
      break;
  }
  nullableCache.set(n, v);
  return v;
}

const nullableSeq = (seq: readonly Node[]): boolean => seq.every(nullable);

/** The characters a non-empty match of the node can start with. */
function first(n: Node): CharSet {
  let v = firstCache.get(n);
  if (v !== undefined) return v;
  switch (n.t) {
    case 'char':
      v = n.set;
      break;
    case 'assert':
    case 'look':
      v = EMPTY;
      break;
    case 'backref':
      v = CharSet.all();
      break;
    case 'group':
      v = n.body.reduce((acc, seq) => acc.union(firstSeq(seq)), new CharSet());
      break;
    case 'repeat':
      v = n.max === 0 ? EMPTY : first(n.body);
      break;
  }
  firstCache.set(n, v);
  return v;
}

function firstSeq(seq: readonly Node[]): CharSet {
  const s = new CharSet();
  for (const n of seq) {
    s.addSet(first(n));
    if (!nullable(n)) break;
  }
  return s;
}

interface Walk {
  src: string;
  risk?: PatternRisk;
}

const fragmentOf = (w: Walk, r: Extract<Node, { t: 'repeat' }>): string => {
  const text = w.src.slice(r.from, r.to);
  return text.length > MAX_FRAGMENT ? `${text.slice(0, MAX_FRAGMENT - 1)}…` : text;
};

/**
 * Walks the tree with, for each node, the characters that can come right after it (`follow`,
 * including a loop back into the enclosing repeat) and the nearest enclosing repeat that can run
 * more than once (`outer`): a choice inside such a repeat multiplies with its iterations.
 */
function walkAlt(w: Walk, alts: Alt, follow: CharSet, outer: Extract<Node, { t: 'repeat' }> | undefined): void {
  if (outer && alts.length > 1) {
    const starts = alts.map((seq) => (nullableSeq(seq) ? firstSeq(seq).union(follow) : firstSeq(seq)));
    for (let a = 0; a < starts.length && !w.risk; a++) {
      for (let b = a + 1; b < starts.length; b++) {
        if (starts[a].intersects(starts[b])) {
          w.risk = { kind: 'alternatives', fragment: fragmentOf(w, outer) };
          break;
        }
      }
    }
  }
  for (const seq of alts) {
    if (w.risk) return;
    walkSeq(w, seq, follow, outer);
  }
}

function walkSeq(
  w: Walk,
  seq: readonly Node[],
  follow: CharSet,
  outer: Extract<Node, { t: 'repeat' }> | undefined,
): void {
  const follows: CharSet[] = new Array<CharSet>(seq.length);
  let after = follow;
  for (let k = seq.length - 1; k >= 0; k--) {
    follows[k] = after;
    after = nullable(seq[k]) ? first(seq[k]).union(after) : first(seq[k]);
  }
  for (let k = 0; k < seq.length && !w.risk; k++) walkNode(w, seq[k], follows[k], outer);
}

function walkNode(w: Walk, n: Node, follow: CharSet, outer: Extract<Node, { t: 'repeat' }> | undefined): void {
  switch (n.t) {
    case 'group':
      walkAlt(w, n.body, follow, outer);
      return;
    case 'look':
      // Lookarounds are atomic: their inner choices do not multiply with the iterations outside.
      walkAlt(w, n.body, EMPTY, undefined);
      return;
    case 'repeat': {
      const repeats = n.max >= 2;
      const starts = first(n.body);
      if (outer && n.min < n.max && repeats && starts.intersects(follow)) {
        w.risk = { kind: 'nested', fragment: fragmentOf(w, outer) };
        return;
      }
      walkNode(w, n.body, repeats ? follow.union(starts) : follow, repeats ? n : outer);
      // Checked after the body, so that (a*)* is called nested, its better-known name.
      if (!w.risk && repeats && nullable(n.body) && !starts.isEmpty())
        w.risk = { kind: 'empty', fragment: fragmentOf(w, n) };
      return;
    }
    default:
      return;
  }
}

/** The first risky shape in the pattern, or undefined (none found, or a pattern this reader does not follow). */
export function patternRisk(pattern: string): PatternRisk | undefined {
  let tree: Alt;
  try {
    tree = parse(pattern);
  } catch (err) {
    if (err instanceof GiveUp || err instanceof RangeError) return undefined;
    throw err;
  }
  const w: Walk = { src: pattern };
  try {
    walkAlt(w, tree, EMPTY, undefined);
  } catch (err) {
    // A pathologically deep pattern: no verdict rather than a crash.
    if (err instanceof RangeError) return undefined;
    throw err;
  }
  return w.risk;
}

/** What a risk means, for the panel and the log. */
export function describeRisk(risk: PatternRisk): string {
  switch (risk.kind) {
    case 'nested':
      return `it has nested quantifiers ("${risk.fragment}"): a repeated group holds a quantifier that can take the characters what follows it needs, so on some texts the matcher tries exponentially many ways`;
    case 'alternatives':
      return `a repeated group ("${risk.fragment}") has alternatives that can match the same characters, so on some texts the matcher tries exponentially many ways`;
    case 'empty':
      return `a repeated group ("${risk.fragment}") can match the empty text, so on some texts the matcher tries exponentially many ways`;
  }
}
