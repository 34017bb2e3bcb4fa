/**
 * The explicit part of the Unicode bidi algorithm (UAX #9, rules X1-X8, with its depth limit of
 * 125 and the overflow counters), enough to tell whether a character is still under an embedding
 * or override that text before it opened, outside any isolate. A check for tests, not a renderer.
 */

const MAX_DEPTH = 125;
const EMBEDDINGS = new Set(['\u202a', '\u202b', '\u202d', '\u202e']); // LRE RLE LRO RLO
const ISOLATES = new Set(['\u2066', '\u2067', '\u2068']); // LRI RLI FSI
const PDF = '\u202c';
const PDI = '\u2069';
const PARAGRAPH = /[\n\r\u001c-\u001e\u0085\u2029]/;

/**
 * For each UTF-16 index: true when the character there is at the paragraph's base level, with
 * no embedding, override or isolate open around it (what our own text must be).
 */
export function atBaseLevel(text: string): boolean[] {
  let stack: ('embedding' | 'isolate')[] = [];
  let overflowIsolates = 0;
  let overflowEmbeddings = 0;
  let validIsolates = 0;
  const out: boolean[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (PARAGRAPH.test(ch)) {
      stack = [];
      overflowIsolates = overflowEmbeddings = validIsolates = 0;
      out.push(true);
      continue;
    }
    if (EMBEDDINGS.has(ch)) {
      out.push(stack.length === 0);
      if (stack.length < MAX_DEPTH && overflowIsolates === 0 && overflowEmbeddings === 0) stack.push('embedding');
      else if (overflowIsolates === 0) overflowEmbeddings++;
      continue;
    }
    if (ISOLATES.has(ch)) {
      // An isolate initiator itself sits at the level outside the isolate.
      out.push(stack.length === 0);
      if (stack.length < MAX_DEPTH && overflowIsolates === 0 && overflowEmbeddings === 0) {
        validIsolates++;
        stack.push('isolate');
      } else overflowIsolates++;
      continue;
    }
    if (ch === PDI) {
      if (overflowIsolates > 0) overflowIsolates--;
      else if (validIsolates > 0) {
        overflowEmbeddings = 0;
        while (stack.length && stack[stack.length - 1] !== 'isolate') stack.pop();
        stack.pop();
        validIsolates--;
      }
      out.push(stack.length === 0);
      continue;
    }
    if (ch === PDF) {
      if (overflowIsolates > 0) {
        // ignored
      } else if (overflowEmbeddings > 0) overflowEmbeddings--;
      else if (stack.length && stack[stack.length - 1] === 'embedding') stack.pop();
      out.push(stack.length === 0);
      continue;
    }
    out.push(stack.length === 0);
  }
  return out;
}

/** True when every character of `own` placed after `before` is at the base level in `before + own`. */
export function ownTextUntouched(before: string, own: string): boolean {
  const levels = atBaseLevel(before + own);
  return levels.slice(before.length).every(Boolean);
}
