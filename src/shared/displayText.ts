/**
 * Warehouse text shown beside the extension's own text, as plain strings (tree labels,
 * descriptions, quick picks, tooltips, option labels, chart labels). Used by the host and the
 * webviews; no `vscode` import.
 */

const FSI = '\u2068';
const PDI = '\u2069';
const ISOLATE_INITIATOR = /[\u2066\u2067\u2068]/;

/**
 * Characters that end a bidi paragraph (class B): the explicit embedding state starts over after
 * them, so an isolate opened before one does not reach past it.
 */
const PARAGRAPH_SEPARATOR = /(\r\n|[\n\r\u001c-\u001e\u0085\u2029])/;

/** Printable ASCII has no right-to-left letter and no bidi control: it cannot reorder what surrounds it. */
const PLAIN = /^[\x20-\x7e]*$/;

/**
 * Wraps a value in FSI ... PDI (per paragraph) so a right-to-left override or embedding inside it,
 * or its own right-to-left letters, cannot reorder the text around it ("invoice" + U+202E + "fdp.exe" next to
 * our own words). The value's own isolates are balanced first: an unmatched PDI in it gets an
 * FSI to close instead of ours, and isolates it leaves open are closed before ours, so every
 * character of the value is kept and our PDI always closes our FSI. Printable ASCII comes back
 * unchanged (nothing in it can reorder anything), which keeps the common case byte-for-byte.
 */
export function isolate(text: string): string {
  if (PLAIN.test(text)) return text;
  return text
    .split(PARAGRAPH_SEPARATOR)
    .map((part, i) => (i % 2 === 1 || part === '' ? part : isolateParagraph(part)))
    .join('');
}

function isolateParagraph(part: string): string {
  let open = 0;
  let unmatched = 0;
  for (const ch of part) {
    if (ISOLATE_INITIATOR.test(ch)) open++;
    else if (ch === PDI) {
      if (open > 0) open--;
      else unmatched++;
    }
  }
  return `${FSI}${FSI.repeat(unmatched)}${part}${PDI.repeat(open)}${PDI}`;
}

/** VS Code's codicon syntax, `$(name)` or `$(name~spin)`, as quick picks and the status bar parse it. */
const ICON = /\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g;

/**
 * Escapes `$(name)` so a quick pick or status bar shows it as typed instead of drawing an icon.
 * Every occurrence gets a backslash, also one already preceded by a backslash: VS Code shows
 * `\$(x)` as `$(x)`, so a value that itself reads `\$(x)` needs `\\$(x)` to come out as written.
 */
export function noIcons(text: string): string {
  return text.replace(ICON, '\\$&');
}

/** Both, for a quick pick label or description built from warehouse text. */
export function pickText(text: string): string {
  return isolate(noIcons(text));
}
