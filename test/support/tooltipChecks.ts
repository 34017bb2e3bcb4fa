/**
 * Checks on a tree tooltip's markdown as VS Code renders it (see vscodeMarkdown.ts), shared by the
 * unit test and the fuzz test, and the fence, link and markup tricks both feed it.
 */
import assert from 'node:assert/strict';
import { MAX_BODY_CHARS, MAX_VALUE_CHARS, tooltipMarkdown, type Tooltip } from '../../src/views/tooltipMarkdown';
import { isolate } from '../../src/shared/displayText';
import { LAYOUT_TAGS, readRendered } from './vscodeMarkdown';

/** The report's text: a fence indented by two spaces, then an image (a tracking pixel) and a link. */
export const REPORTED = '  ```\n![x](https://127.0.0.1:9/pixel.png) [click](https://example.invalid)';

/** Every way we know for text to close a code span or block, or to become a link, an image or HTML. */
export const TRICKS: string[] = [
  REPORTED,
  ...[0, 1, 2, 3, 4].flatMap((n) => [
    `${' '.repeat(n)}\`\`\`\n![x](https://127.0.0.1:9/p.png)`,
    `${' '.repeat(n)}~~~\n[a](https://example.invalid)`,
  ]),
  'before\n```\nhttps://example.invalid/after\n```\nafter',
  '````\n```\n`````\n![x](https://127.0.0.1:9/p.png)\n``````````',
  '`'.repeat(40),
  '`leading backtick',
  'trailing backtick`',
  '``double``',
  '` spaced `',
  '`',
  ' ',
  '   ',
  ' x ',
  '\t\ttabs\t',
  'a\n\n![x](https://127.0.0.1:9/p.png)',
  'a\r\n\r\n[b](https://example.invalid)',
  'a\r\r<https://example.invalid>',
  'https://127.0.0.1:9/pixel.png',
  'http://example.invalid/a?b=c&d=e#f',
  'www.example.invalid/path',
  'ftp://example.invalid',
  'someone@example.invalid',
  'mailto:someone@example.invalid',
  'javascript:alert(1)',
  '[click](https://example.invalid "title")',
  '![x](https://127.0.0.1:9/pixel.png =16x16)',
  '[![x](https://127.0.0.1:9/p.png)](https://example.invalid)',
  '<https://example.invalid>',
  '<someone@example.invalid>',
  '[ref]\n\n[ref]: https://example.invalid',
  '[ref]: https://example.invalid\n[ref] [ref][] [x][ref]',
  '<img src="https://127.0.0.1:9/p.png">',
  '<img src=x onerror=alert(1)>',
  '<a href="https://example.invalid">click</a>',
  '<svg><image href="https://127.0.0.1:9/p.png"/></svg>',
  '<!-- comment --> <script>alert(1)</script> <![CDATA[x]]>',
  '<div>\n\n[a](https://example.invalid)\n\n</div>',
  '&lt;img src=x&gt; &#60;a&#62; &#x3C;img&#x3E; &amp;lt; &nbsp;',
  '\\`escaped\\` \\[a](https://example.invalid) \\',
  '**bold** _em_ ~~del~~ ***both***',
  '# heading\n---\n> quote\n- list\n1. item\n    indented code',
  '| a | b |\n|---|---|\n| [c](https://example.invalid) | d |',
  'line one  \nline two\\\nline three',
  '$(alert) $(sync~spin) \\$(x)',
  '[x](command:workbench.action.openSettings)',
  '\u0000nul \u0007bel \u001b[31mred',
  `invoice\u202efdp.exe`,
  '\u2069\u202eclose first',
  'x\u2028y\u2029z\u0085w',
  'emoji \u{1f600} and a lone half \ud83d',
];

const flat = (v: string) => v.replace(/\r\n|[\n\r\u001c-\u001e\u0085\u2028\u2029]/g, ' ');
/** The first `max` UTF-16 units, one fewer when the last would be half of a surrogate pair. */
const head = (v: string, max: number) => v.slice(0, /[\ud800-\udbff]/.test(v[max - 1] ?? '') ? max - 1 : max);
/** What a code span must hold: the value on one line, bidi-isolated, nothing else. */
const spanOf = (v: string) => isolate(flat(v.length > MAX_VALUE_CHARS ? `${head(v, MAX_VALUE_CHARS)}…` : v));

/** marked's two normalizations of a whole document: line endings to \n, and tabs that start a line to four spaces each. */
const asMarkedReadsIt = (v: string) =>
  v
    .replace(/\r\n?/g, '\n')
    .replace(/^( *)(\t+)/gm, (_m, lead: string, tabs: string) => lead + '    '.repeat(tabs.length));

/**
 * Renders the tooltip as VS Code would and checks: under the 100,000-character cut, no element but
 * our layout's, each value intact in its own <code> in order, the body intact in one code block,
 * and nothing but our labels outside code.
 */
export function checkTooltip(t: Tooltip, md = tooltipMarkdown(t)): void {
  const what = JSON.stringify(t).slice(0, 300);
  assert.ok(md.length < 100_000, `under VS Code's 100,000-character cut: ${what}`);
  const r = readRendered(md);
  for (const tag of r.tags) assert.ok(LAYOUT_TAGS.has(tag), `only our layout's elements, got ${tag} for ${what}`);
  const values = [t.subject, ...t.rows.map(([, v]) => v)].filter((v): v is string => v !== undefined && v !== '');
  assert.deepEqual(r.codeSpans, values.map(spanOf), `each value intact in its own <code>: ${what}`);
  const body = t.body ? (t.body.length > MAX_BODY_CHARS ? head(t.body, MAX_BODY_CHARS) : t.body) : undefined;
  assert.deepEqual(
    r.codeBlocks,
    body === undefined ? [] : [asMarkedReadsIt(body)],
    `the body intact in one code block: ${what}`,
  );
  const own = [
    t.subject === '' ? `${t.title} (empty)` : t.title,
    ...t.rows.map(([l, v]) => (v === '' ? `${l}: (empty)` : `${l}:`)),
  ];
  if (body !== undefined && body.length < (t.body ?? '').length)
    own.push(
      `The first ${body.length.toLocaleString('en-US')} of ${(t.body ?? '').length.toLocaleString('en-US')} characters.`,
    );
  assert.equal(r.ownText.replace(/\s+/g, ' ').trim(), own.join(' '), `only our labels outside code: ${what}`);
}
