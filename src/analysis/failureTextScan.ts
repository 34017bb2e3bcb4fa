/**
 * The templater's costliest rules (failureTemplates.ts) as single passes over the text: as
 * regular expressions they were tried at every position, with lookaheads rescanning each word.
 * Each scanner replaces exactly what the pattern in its comment would (a unit test holds them
 * to it).
 */

const isHex = (c: number) => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
const isWord = (c: number) => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 95;

function hexRun(text: string, from: number, length: number): boolean {
  for (let i = from; i < from + length; i++) if (!isHex(text.charCodeAt(i))) return false;
  return true;
}

/**
 * /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, found from the dashes:
 * most texts with a dash have no uuid, and the pattern would be tried at every word start.
 * Two uuids cannot overlap (a start inside one would need eight hex digits where it has a dash).
 */
export function replaceUuids(text: string, placeholder: string): string {
  let out = '';
  let copied = 0;
  for (let dash = text.indexOf('-', 8); dash >= 0; dash = text.indexOf('-', dash + 1)) {
    const start = dash - 8;
    const end = start + 36;
    if (
      start < copied ||
      end > text.length ||
      text.charCodeAt(start + 13) !== 45 ||
      text.charCodeAt(start + 18) !== 45 ||
      text.charCodeAt(start + 23) !== 45 ||
      (start > 0 && isWord(text.charCodeAt(start - 1))) ||
      (end < text.length && isWord(text.charCodeAt(end))) ||
      !hexRun(text, start, 8) ||
      !hexRun(text, start + 9, 4) ||
      !hexRun(text, start + 14, 4) ||
      !hexRun(text, start + 19, 4) ||
      !hexRun(text, start + 24, 12)
    ) {
      continue;
    }
    out += text.slice(copied, start) + placeholder;
    copied = end;
    dash = end - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const isLineTerminator = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/** Longest quoted value folded, in characters or escaped pairs. */
const MAX_QUOTED = 200;

/**
 * /q(?:[^q\\]|\\.){0,200}q/g for a quote character q: a quoted value of at most 200 characters
 * (an escaped pair counts as one) becomes `placeholder`. An opening quote with no closing one in
 * reach is left, and the search goes on from the next quote, as the pattern's would.
 */
export function replaceQuoted(text: string, quote: string, placeholder: string): string {
  const q = quote.charCodeAt(0);
  const n = text.length;
  let out = '';
  let copied = 0;
  let open = text.indexOf(quote);
  while (open >= 0) {
    let close = -1;
    let j = open + 1;
    for (let units = 0; j < n; units++) {
      const c = text.charCodeAt(j);
      if (c === q) {
        close = j;
        break;
      }
      if (units === MAX_QUOTED) break;
      if (c === 92) {
        if (j + 1 >= n || isLineTerminator(text.charCodeAt(j + 1))) break;
        j += 2;
      } else j++;
    }
    if (close < 0) {
      open = text.indexOf(quote, open + 1);
      continue;
    }
    out += text.slice(copied, open) + placeholder;
    copied = close + 1;
    open = text.indexOf(quote, copied);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const isLetter = (c: number) => (c | 32) >= 97 && (c | 32) <= 122;
/** A lower-case letter before an upper-case one, and an upper-case one before a lower-case one (both lookaheads of the trace-id pattern). */
function isMixedCase(text: string, from: number, to: number): boolean {
  let firstLower = -1;
  let firstUpper = -1;
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) >= 97) {
      if (firstLower < 0) firstLower = i;
      // An upper-case letter came before this one, and a lower-case one before that.
      if (firstUpper >= 0 && firstLower < firstUpper) return true;
    } else {
      if (firstUpper < 0) firstUpper = i;
      if (firstLower >= 0 && firstUpper < firstLower) return true;
    }
  }
  return false;
}

/**
 * Record ids and trace ids, in one pass over the runs of id characters [A-Za-z0-9_-]:
 *   /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{8,}\b/g, then on what it left
 *   /\b(?=[A-Za-z]*[a-z][A-Za-z]*[A-Z])(?=[A-Za-z]*[A-Z][A-Za-z]*[a-z])[A-Za-z]{16,}\b/g.
 * In a run, the first pattern can only match from its first word character to its last (a
 * later start sees fewer digits, letters and characters, so fails if the first does), so a run
 * holds at most one id: its core without leading and trailing dashes, when that has 8
 * characters or more, a digit and a letter. A run with no such id keeps its letters, and the
 * second pattern matches a stretch of 16 letters or more in both cases that has no word
 * character on either side.
 */
export function replaceIds(text: string, placeholder: string): string {
  const n = text.length;
  let out = '';
  let copied = 0;
  for (let i = 0; i < n; ) {
    const start = i;
    let digit = false;
    let letter = false;
    let firstWord = -1;
    let lastWord = -1;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) digit = true;
      else if (isLetter(c)) letter = true;
      else if (c !== 95 && c !== 45) break;
      if (c !== 45) {
        if (firstWord < 0) firstWord = i;
        lastWord = i;
      }
    }
    if (i === start) {
      i++;
      continue;
    }
    if (digit && letter && lastWord + 1 - firstWord >= 8) {
      out += text.slice(copied, firstWord) + placeholder;
      copied = lastWord + 1;
    } else if (letter && i - start >= 16) {
      // Stretches of letters between dashes or the run's ends (a digit or _ next to them is a word character: no \b).
      for (let s = start; s < i; ) {
        let e = s;
        while (e < i && isLetter(text.charCodeAt(e))) e++;
        if (e === s) {
          s++;
          continue;
        }
        const bounded = (s === start || text.charCodeAt(s - 1) === 45) && (e === i || text.charCodeAt(e) === 45);
        if (bounded && e - s >= 16 && isMixedCase(text, s, e)) {
          out += text.slice(copied, s) + placeholder;
          copied = e;
        }
        s = e;
      }
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}
