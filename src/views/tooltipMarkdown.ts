/**
 * The markdown of a tree tooltip. Our own words are escaped text (the title bold, alone in its
 * paragraph before any value); every warehouse value sits in a code span or a fenced code block
 * whose fence is longer than any backtick run in it, so nothing in a value can close it and
 * become markup (links, images, HTML, emphasis). VS Code's appendText
 * and appendCodeblock fall short: appendText leaves bare URLs to GFM's autolinks, and
 * appendCodeblock sizes its fence from backtick runs at the start of a line only, so a fence
 * indented by one to three spaces closes its block. No `vscode` import.
 */
import { isolate } from '../shared/displayText';

export interface Tooltip {
  /** Our own words, in bold. */
  title: string;
  /** A warehouse value shown after the title (a model name, a run id). */
  subject?: string;
  /** (our label, value): values are always shown as code, so a value may hold warehouse text. */
  rows: [string, string][];
  /** Warehouse text shown whole, in a code block (a failure text, a run error). */
  body?: string;
}

/** Longest value shown in a code span; the rest is cut with an ellipsis. */
export const MAX_VALUE_CHARS = 1_000;
/** Longest body shown; VS Code cuts a tooltip's markdown at 100,000 characters, mid-fence if need be. */
export const MAX_BODY_CHARS = 10_000;

export function tooltipMarkdown(t: Tooltip): string {
  const blocks: string[] = [];
  const title = `**${ownText(t.title)}**`;
  blocks.push(t.subject === undefined ? title : `${title} ${codeSpan(clip(t.subject, MAX_VALUE_CHARS))}`);
  // One paragraph, a hard line break (backslash, newline) after each row. The labels are plain:
  // marked decides whether a `**` closes by looking ahead through a mask that pairs single
  // backticks only, so a bold label after a value holding backticks can come out as literal `**`.
  if (t.rows.length)
    blocks.push(
      t.rows.map(([label, value]) => `${ownText(label)}: ${codeSpan(clip(value, MAX_VALUE_CHARS))}`).join('\\\n'),
    );
  if (t.body !== undefined && t.body !== '') {
    const body = clip(t.body, MAX_BODY_CHARS, '');
    blocks.push(codeBlock(body));
    if (body.length < t.body.length)
      blocks.push(
        `*${ownText(`The first ${body.length.toLocaleString('en-US')} of ${t.body.length.toLocaleString('en-US')} characters.`)}*`,
      );
  }
  return blocks.join('\n\n');
}

/** Our own text: every ASCII punctuation character escaped, newlines flattened, so it is only ever text. */
export function ownText(text: string): string {
  return flatten(text).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * An inline code span holding `value` exactly (after newlines become spaces and the value is
 * bidi-isolated). The fence is one backtick longer than the longest run inside; the padding
 * spaces, which CommonMark strips, keep a value that starts or ends with a backtick (or a
 * space) from touching the fence.
 */
export function codeSpan(value: string): string {
  const flat = isolate(flatten(value));
  if (flat === '') return ownText('(empty)');
  const fence = '`'.repeat(longestRun(flat, '`') + 1);
  // A span of spaces only is not stripped; anything else loses one space at each end.
  return /^ +$/.test(flat) ? `${fence}${flat}${fence}` : `${fence} ${flat} ${fence}`;
}

/**
 * A fenced code block at column 0 holding `value` line for line: at least three backticks and
 * longer than any backtick run anywhere in the value, so no line of it, however indented, can
 * close the block. A block is a paragraph of its own for the bidi algorithm: no isolation needed.
 */
export function codeBlock(value: string): string {
  // marked reads CR and CRLF as LF: say so first, or a trailing CR would merge with our LF.
  const lines = value.replace(/\r\n?/g, '\n');
  const fence = '`'.repeat(Math.max(3, longestRun(lines, '`') + 1));
  return `${fence}text\n${lines}\n${fence}`;
}

/** Line breaks (CommonMark's and the bidi paragraph separators) as spaces: a code span is one line. */
function flatten(text: string): string {
  return text.replace(/\r\n|[\n\r\u001c-\u001e\u0085\u2028\u2029]/g, ' ');
}

function longestRun(text: string, ch: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    run = text[i] === ch ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/** At most `max` UTF-16 units (never half a surrogate pair), with `more` appended when cut. */
function clip(text: string, max: number, more = '…'): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end) + more;
}
