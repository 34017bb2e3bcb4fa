/**
 * Random warehouse values built from what markdown, HTML and the bidi algorithm react to (backtick
 * and tilde runs at any indentation, line breaks, URLs, tags, entities, brackets, emphasis,
 * bidi controls), plus the known tricks spliced in, fed to the tree tooltip and rendered as VS
 * Code renders it. Seeded, and bounded by an iteration count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tooltip } from '../../src/views/tooltipMarkdown';
import { isolate } from '../../src/shared/displayText';
import { checkTooltip, TRICKS } from '../support/tooltipChecks';
import { ownTextUntouched } from '../support/bidi';
import { rng } from '../support/seededRng';

const ITERATIONS = 600;

const PIECES: readonly ((r: ReturnType<typeof rng>) => string)[] = [
  (r) => '`'.repeat(1 + r.int(12)),
  (r) => '~'.repeat(1 + r.int(6)),
  (r) => `\n${' '.repeat(r.int(6))}${'`'.repeat(3 + r.int(3))}`,
  (r) => `\n${' '.repeat(r.int(5))}~~~`,
  (r) => r.pick(['\n', '\n\n', '\r\n', '\r', '\u2028', '\u2029', '\u0085', '  \n', '\\\n', '\t']),
  (r) => ' '.repeat(1 + r.int(5)),
  (r) =>
    r.pick([
      'https://127.0.0.1:9/p.png',
      'http://example.invalid/a_b?c=d&e',
      'www.example.invalid',
      'ftp://x.invalid',
      'a@b.invalid',
      'mailto:a@b.invalid',
      'javascript:alert(1)',
      'command:x',
    ]),
  (r) =>
    r.pick([
      '[',
      ']',
      '(',
      ')',
      '![',
      '](',
      '<',
      '>',
      '"',
      "'",
      '&',
      '#',
      '|',
      '-',
      '=',
      '*',
      '**',
      '_',
      '__',
      '~~',
      '\\',
      '!',
      ':',
      '$(',
      '$(alert)',
    ]),
  (r) =>
    r.pick([
      '<img src=https://127.0.0.1:9/p.png>',
      '<a href="https://x.invalid">',
      '</a>',
      '<script>',
      '<!--',
      '-->',
      '<div>',
      '</code>',
      '<br>',
      '<https://x.invalid>',
    ]),
  (r) => r.pick(['&lt;', '&#60;', '&#x3c;', '&amp;', '&nbsp;', '&quot;', '&#96;']),
  (r) =>
    r.pick([
      '[x]: https://x.invalid',
      '[x]',
      '[x][]',
      '[y][x]',
      '![x](https://127.0.0.1:9/p.png)',
      '[c](https://x.invalid)',
    ]),
  (r) => r.pick(['# ', '> ', '- ', '1. ', '---', '===', '| a | b |\n|---|---|', '    code']),
  (r) =>
    r.pick([
      '\u202e',
      '\u202d',
      '\u202b',
      '\u202a',
      '\u202c',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\u200f',
      '\u061c',
      'שלום',
      'مرحبا',
    ]),
  (r) => String.fromCharCode(r.int(0x10000)),
  (r) => r.pick(['Contact', 'not found', 'error', '42', 'x']),
  (r) => r.pick(TRICKS),
];

function value(r: ReturnType<typeof rng>): string {
  const n = r.int(12);
  let v = '';
  for (let i = 0; i < n; i++) v += r.pick(PIECES)(r);
  return v;
}

test(`random markup-heavy values never leave their code in the tooltip (${ITERATIONS} tooltips)`, () => {
  const r = rng(0x5eed);
  for (let i = 0; i < ITERATIONS; i++) {
    const rows: [string, string][] = Array.from({ length: r.int(5) }, (_, k) => [`Label ${k}`, value(r)]);
    const t: Tooltip = { title: r.pick(['Run', 'Sync', '3 rows failed, e.g.']), rows };
    if (r.int(2)) t.subject = value(r);
    if (r.int(3)) t.body = value(r);
    checkTooltip(t);
  }
});

test(`random values, isolated, never reorder the text after them (${ITERATIONS * 4} values)`, () => {
  const r = rng(0xb1d1);
  for (let i = 0; i < ITERATIONS * 4; i++) {
    const v = value(r);
    const shown = isolate(v);
    assert.equal(
      shown.replace(/[\u2068\u2069]/g, ''),
      v.replace(/[\u2068\u2069]/g, ''),
      `only isolate marks added to ${JSON.stringify(v)}`,
    );
    assert.ok(ownTextUntouched(`Run ${shown}`, ' · 3 rows'), `text after ${JSON.stringify(v)} stays at the base level`);
  }
});
