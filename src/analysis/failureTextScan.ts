/**
 * The templater's rules that a regular expression would run in more than linear time, or that
 * cost most as one, written as single passes over the text (failureTemplates.ts applies them).
 * Failure texts are third-party data: a pattern retried at every start of a long token, each
 * try rescanning the token, took 21 s on a 100 KB text. Each scanner replaces exactly what the
 * pattern in its comment would (failureTextScan.test.ts holds them to it), and visits each
 * character a bounded number of times (templaterLinear.test.ts counts).
 */

/**
 * Characters the scanners examined, for the linearity test. Added once per loop or probe, not per
 * character, so keeping count costs nothing measurable on short texts.
 */
export const scanSteps = { count: 0 };

const isHex = (c: number) => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
const isWord = (c: number) => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 95;
const isAlnum = (c: number) => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);

/** `\s` of a regular expression without the u flag, on one UTF-16 code unit. */
export function isRegExpSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function hexRun(text: string, from: number, length: number): boolean {
  for (let i = from; i < from + length; i++) {
    if (!isHex(text.charCodeAt(i))) {
      scanSteps.count += i - from + 1;
      return false;
    }
  }
  scanSteps.count += length;
  return true;
}

/**
 * /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, found from the dashes:
 * most texts with a dash have no uuid, and the pattern would be tried at every word start.
 * Two uuids cannot overlap (a start inside one would need eight hex digits where it has a dash).
 * A dash costs at most one probe of 36 characters.
 */
export function replaceUuids(text: string, placeholder: string): string {
  let out = '';
  let copied = 0;
  let probes = 0;
  for (let dash = text.indexOf('-', 8); dash >= 0; dash = text.indexOf('-', dash + 1)) {
    probes++;
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
  // The dashes' search (indexOf) reads the text once.
  scanSteps.count += text.length + probes;
  return copied === 0 ? text : out + text.slice(copied);
}

const isLineTerminator = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/** Longest quoted value folded, in characters or escaped pairs. */
const MAX_QUOTED = 200;
/** Escaped quotes awaiting a closing quote: they live for MAX_QUOTED units, each at least one unit. */
const PENDING_SIZE = 256;
const pendingAt = new Int32Array(PENDING_SIZE);
const pendingUnits = new Int32Array(PENDING_SIZE);

/**
 * /q(?:[^q\\]|\\.){0,200}q/g for a quote character q: a quoted value of at most 200 characters
 * (an escaped pair counts as one) becomes `placeholder`. An opening quote with no closing one in
 * reach is left, and the search goes on from the next quote, as the pattern's would.
 *
 * The next quote after a failed opening one is one it read as escaped (\q), so the value it would
 * open is the rest of the same reading: one pass carries the pending openings, oldest first, and
 * drops each once it has read 200 units. (Trying each opening afresh read 200 units per quote:
 * 400 times the text on `\'\'\'...`.)
 *
 * `keep(text, open, close)` may leave a match as it is (a name, a key: see keepQuoted); it is
 * asked once per match, on the original text.
 */
export function replaceQuoted(
  text: string,
  quote: string,
  placeholder: string,
  keep?: (text: string, open: number, close: number) => boolean,
): string {
  const q = quote.charCodeAt(0);
  const n = text.length;
  let out = '';
  let copied = 0;
  let steps = 0;
  let open = text.indexOf(quote);
  while (open >= 0) {
    // The openings pending on this reading, as a ring [head, tail); units: read when each began.
    let head = 0;
    let tail = 1;
    pendingAt[0] = open;
    pendingUnits[0] = 0;
    let units = 0;
    let j = open + 1;
    let next = -1;
    for (;;) {
      while (head < tail && units - pendingUnits[head & (PENDING_SIZE - 1)] > MAX_QUOTED) head++;
      if (head === tail) {
        // Every opening so far ran out of reach; the next quote is not one of them.
        next = j < n ? text.indexOf(quote, j) : -1;
        break;
      }
      if (j >= n) break;
      const c = text.charCodeAt(j);
      if (c === q) {
        const from = pendingAt[head & (PENDING_SIZE - 1)];
        // A kept value is still a match: the search goes on after it, as the pattern's would.
        if (!keep?.(text, from, j)) {
          out += text.slice(copied, from) + placeholder;
          copied = j + 1;
        }
        next = text.indexOf(quote, j + 1);
        break;
      }
      if (c === 92) {
        if (j + 1 >= n || isLineTerminator(text.charCodeAt(j + 1))) {
          // No opening pending can read past this backslash.
          next = text.indexOf(quote, j + 1);
          break;
        }
        units++;
        if (text.charCodeAt(j + 1) === q) {
          pendingAt[tail & (PENDING_SIZE - 1)] = j + 1;
          pendingUnits[tail & (PENDING_SIZE - 1)] = units;
          tail++;
        }
        j += 2;
      } else {
        units++;
        j++;
      }
    }
    steps += j - open + tail;
    open = next;
  }
  scanSteps.count += steps + n;
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
 * character on either side. Each character is read at most three times.
 */
export function replaceIds(text: string, placeholder: string): string {
  const n = text.length;
  let out = '';
  let copied = 0;
  let steps = n;
  for (let i = 0; i < n;) {
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
      steps += 2 * (i - start);
      // Stretches of letters between dashes or the run's ends (a digit or _ next to them is a word character: no \b).
      for (let s = start; s < i;) {
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
  scanSteps.count += steps;
  return copied === 0 ? text : out + text.slice(copied);
}

// What may not be part of an e-mail-like token: \s and '"<>()[]{},;: (ASCII ones here).
const EMAIL_STOP = new Uint8Array(128);
for (const c of ' \t\n\v\f\r\'"<>()[]{},;:') EMAIL_STOP[c.charCodeAt(0)] = 1;
const inEmailToken = (c: number) => (c < 128 ? EMAIL_STOP[c] === 0 : !isRegExpSpace(c));

/**
 * /[^\s'"<>()[\]{},;:]*[A-Za-z0-9]@[^\s'"<>()[\]{};:]+/g: any token with an @ after a letter or
 * digit, to its end (which may run on over commas: the malformed a@b,com). The pattern was tried
 * at every start inside a long token and rescanned the rest of the token from each, backtracking
 * to every @ (quadratic). A match can only start where a token starts (a later start in the same
 * token sees the same @s), and ends where the characters after the @ end whichever @ made it, so
 * one pass over the token decides it.
 */
export function replaceEmails(text: string, placeholder: string): string {
  const n = text.length;
  let out = '';
  let copied = 0;
  let from = 0;
  let steps = n;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', from)) {
    let start = at;
    while (start > from && inEmailToken(text.charCodeAt(start - 1))) start--;
    let end = at;
    let matches = false;
    for (; end < n; end++) {
      const c = text.charCodeAt(end);
      if (!inEmailToken(c)) break;
      if (c === 64 && !matches && end > start && isAlnum(text.charCodeAt(end - 1)) && end + 1 < n) {
        const after = text.charCodeAt(end + 1);
        matches = after === 44 || inEmailToken(after);
      }
    }
    if (matches) {
      while (end < n && (text.charCodeAt(end) === 44 || inEmailToken(text.charCodeAt(end)))) end++;
      out += text.slice(copied, start) + placeholder;
      copied = end;
    }
    steps += end - start;
    from = end;
  }
  scanSteps.count += steps;
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * /-*N(?:-+N)+/g for a placeholder N (`<n>`): numbers joined by dashes, with any dashes before
 * them, become one N. As a pattern, every start in a long dash run read the run to its end
 * (quadratic). A match can only start at the first dash before an N, and only where that N is
 * followed by dashes and another N, so the scan goes from N to N. Each dash is read at most twice.
 */
export function replaceJoinedNumbers(text: string, placeholder: string): string {
  const n = text.length;
  const width = placeholder.length;
  let out = '';
  let copied = 0;
  let from = 0;
  let steps = n;
  for (let at = text.indexOf(placeholder); at >= 0; at = text.indexOf(placeholder, from)) {
    let end = at + width;
    let joined = false;
    for (;;) {
      let d = end;
      while (d < n && text.charCodeAt(d) === 45) d++;
      steps += d - end + width;
      if (d === end || !text.startsWith(placeholder, d)) break;
      end = d + width;
      joined = true;
    }
    if (!joined) {
      from = at + 1;
      continue;
    }
    let start = at;
    while (start > from && text.charCodeAt(start - 1) === 45) start--;
    steps += at - start;
    out += text.slice(copied, start) + placeholder;
    copied = end;
    from = end;
  }
  scanSteps.count += steps;
  return copied === 0 ? text : out + text.slice(copied);
}

/** Words after which a quoted value is the name of a field or an object, which tells causes apart: `Field 'Lead_Score__c' not found`. */
const NAME_WORDS = new Set([
  'field',
  'fieldname',
  'column',
  'property',
  'propertyname',
  'attribute',
  'object',
  'entity',
  'table',
  'sobject',
]);
/** JSON keys whose values are names or codes rather than data: `"error":"INVALID_EMAIL"`, `"name":"email"`. */
const NAME_KEYS = new Set([
  ...NAME_WORDS,
  'name',
  'code',
  'error',
  'errorcode',
  'errortype',
  'error_code',
  'type',
  'status',
  'category',
  'subcategory',
]);
/** Spaces skipped around a key's colon: the spaces rule collapses longer runs, and a kept value must stay kept on a second pass. */
const MAX_GAP = 3;
const MAX_WORD = 16;
/**
 * A character that a later rule may rewrite together with the word before a value (ids take
 * [A-Za-z0-9_-] runs, masked secrets follow ***): a word there could stop being a name on a
 * second pass, so it does not count as one.
 */
const joinsWord = (c: number) => isWord(c) || c === 45 || c === 42;

/**
 * Whether the quoted value text[open..close] (its quotes included) is a name rather than data,
 * so the templater leaves it: a key (followed by a colon: `"msg":`, `'Country':`), an UPPER_CASE
 * code (`"INVALID_EMAIL"`), the value after a naming word (`Field 'Lead_Score__c'`, `on entity
 * 'Contact'`), or the value of a naming JSON key (`"name":"email"`, `"code":"606"`). Reads at
 * most the value and a bounded stretch on either side.
 */
export function keepQuoted(text: string, open: number, close: number): boolean {
  const n = text.length;
  let i = close + 1;
  while (i < n && i <= close + MAX_GAP && text.charCodeAt(i) === 32) i++;
  if (i < n && text.charCodeAt(i) === 58) {
    scanSteps.count += i - close;
    return true;
  }
  if (isUpperCode(text, open + 1, close)) {
    scanSteps.count += i - open;
    return true;
  }
  let b = open - 1;
  let stop = b - MAX_GAP;
  while (b > stop && b >= 0 && text.charCodeAt(b) === 32) b--;
  let c = b >= 0 ? text.charCodeAt(b) : -1;
  const colon = c === 58;
  if (colon || c === 61) {
    b--;
    stop = b - MAX_GAP;
    while (b > stop && b >= 0 && text.charCodeAt(b) === 32) b--;
    c = b >= 0 ? text.charCodeAt(b) : -1;
  }
  const keyed = c === 34 || c === 39;
  // Only a key (a quoted word, then a colon) names the value after it.
  if (keyed && !colon) {
    scanSteps.count += i - b;
    return false;
  }
  if (keyed) b--;
  const end = b + 1;
  while (b >= 0 && end - b <= MAX_WORD && isLetter(text.charCodeAt(b))) b--;
  scanSteps.count += i - b;
  const word = end - b - 1;
  if (word < 2 || word > MAX_WORD || (b >= 0 && joinsWord(text.charCodeAt(b)))) return false;
  const name = text.slice(b + 1, end).toLowerCase();
  return keyed ? NAME_KEYS.has(name) : NAME_WORDS.has(name);
}

/** [A-Z]+(_[A-Z]+)+ on text[from, to): letters and underscores only, so no later rule rewrites it (a digit would make it an id). */
function isUpperCode(text: string, from: number, to: number): boolean {
  let underscore = false;
  let prev = 95;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 95) {
      if (prev === 95) return false;
      underscore = true;
    } else if (c < 65 || c > 90) return false;
    prev = c;
  }
  return underscore && prev !== 95 && to > from;
}
