/**
 * Warehouse text made harmless for a terminal, as psql prints it: a control character becomes
 * an escape (`\x1B` for ASCII ones, `\u009B` beyond), so a cell or an error message cannot
 * clear the screen, set the window title (OSC), ring the bell or rewrite what came before it.
 * Pure.
 */

/**
 * C0 controls, DEL, C1 controls (U+0080-U+009F: U+009B is a one-byte CSI on some terminals),
 * the line and paragraph separators, and the bidi controls (embeddings, overrides, isolates,
 * marks) that would reorder the text around a value on a terminal that applies the bidi algorithm.
 */
const UNSAFE_CLASS =
  '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]';
const UNSAFE = new RegExp(UNSAFE_CLASS, 'g');
const UNSAFE_ANY = new RegExp(UNSAFE_CLASS);

/** Whether the text holds anything terminalSafe would escape (line breaks and tabs included). */
export const hasControls = (text: string): boolean => UNSAFE_ANY.test(text);

const hex = (code: number, digits: number) => code.toString(16).toUpperCase().padStart(digits, '0');

function escape(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code === 0x0d) return '\\r';
  return code < 0x80 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

/** Every unsafe character escaped except those in `keep` (e.g. `\n` in a multi-line message). */
export function terminalSafe(text: string, keep = ''): string {
  return text.replace(UNSAFE, (ch) => (keep.includes(ch) ? ch : escape(ch)));
}

/** A message for stderr: line breaks and tabs stay, every other control character is escaped. */
export const messageSafe = (text: string): string => terminalSafe(text, '\n\t');
