import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isRegExpSpace,
  keepQuoted,
  replaceEmails,
  replaceIds,
  replaceJoinedNumbers,
  replaceQuoted,
  replaceUuids,
} from '../../src/analysis/failureTextScan';

// The scanners must replace exactly what the regular expressions in their comments would: those
// patterns are the specification, kept here and compared on real-looking and generated texts.
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const quoted = (q: string) => new RegExp(`${q}(?:[^${q}\\\\]|\\\\.){0,200}${q}`, 'g');
const MIXED_ID = /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{8,}\b/g;
const MIXED_CASE = /\b(?=[A-Za-z]*[a-z][A-Za-z]*[A-Z])(?=[A-Za-z]*[A-Z][A-Za-z]*[a-z])[A-Za-z]{16,}\b/g;
const EMAIL = /[^\s'"<>()[\]{},;:]*[A-Za-z0-9]@[^\s'"<>()[\]{};:]+/g;
const JOINED_NUMBERS = /-*<n>(?:-+<n>)+/g;

const specs: [string, (t: string) => string, (t: string) => string][] = [
  ['uuids', (t) => replaceUuids(t, '<uuid>'), (t) => t.replace(UUID, '<uuid>')],
  ["'quoted'", (t) => replaceQuoted(t, "'", "'<value>'"), (t) => t.replace(quoted("'"), "'<value>'")],
  ['"quoted"', (t) => replaceQuoted(t, '"', '"<value>"'), (t) => t.replace(quoted('"'), '"<value>"')],
  // With names kept: the same matches, each either left or replaced (a kept one does not move the search).
  [
    "'quoted' keeping names",
    (t) => replaceQuoted(t, "'", "'<value>'", keepQuoted),
    (t) => t.replace(quoted("'"), (m, at: number) => (keepQuoted(t, at, at + m.length - 1) ? m : "'<value>'")),
  ],
  [
    '"quoted" keeping names',
    (t) => replaceQuoted(t, '"', '"<value>"', keepQuoted),
    (t) => t.replace(quoted('"'), (m, at: number) => (keepQuoted(t, at, at + m.length - 1) ? m : '"<value>"')),
  ],
  ['ids', (t) => replaceIds(t, '<id>'), (t) => t.replace(MIXED_ID, '<id>').replace(MIXED_CASE, '<id>')],
  ['e-mails', (t) => replaceEmails(t, '<email>'), (t) => t.replace(EMAIL, '<email>')],
  ['joined numbers', (t) => replaceJoinedNumbers(t, '<n>'), (t) => t.replace(JOINED_NUMBERS, '<n>')],
];

const realLooking = [
  'Request 3f2b8c1e-9a4d-4E2B-8f7a-1c2d3e4f5a6b failed (retry 3F2B8C1E-9A4D-4E2B-8F7A-1C2D3E4F5A6Bx, x3f2b8c1e-9a4d-4e2b-8f7a-1c2d3e4f5a6b)',
  '429 Too Many Requests: {"status":"error","message":"You have reached your secondly limit.","correlationId":"9b72ef32-19f4-47dc-a7ac-69c32d83f7cd"}',
  "1003: Invalid value for field 'Country': 'Atl\\'antis' and 'unterminated",
  `{"msg":"x","code":"InvalidEmail","error":"INVALID_EMAIL","name":"email", "field" : "a\\"b", 'object': 'Contact'} Field 'Lead_Score__c' not found`,
  'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record or 1 records: 0015e0000kw8AkIRcu',
  '(#2) Service temporarily unavailable (fbtrace_id: AbCdEfGhIjKlMnOpQrStUvW) ABCDEFGHijklmnop abcdefghijklmnopqrstuB',
  'Error ID: 1029384756-192837465 (-1234567) --abc123def-- under_score_id_12345 abc_DEFGHIJKLMNOPQRSTuvwxyz',
  `"${'x'.repeat(200)}" "${'y'.repeat(201)}" "a\\"b" "c\\
d"`,
  'INVALID_EMAIL_ADDRESS: hugo.martin@yahoo,com, (a@b) x@@y @z a@ ;a@b;c@d,e@f:g@h.@i é@j a@é "q@r"',
  'Error ID: <n>-<n> (-<n>) --<n>--<n>-- <n><n>-<n> -<n>- <n>-x-<n>',
];

/** Strings built from the pieces the patterns care about, with a fixed seed: the same cases on every run. */
function generated(count: number): string[] {
  const atoms = [
    'a',
    'B',
    'z',
    'Q',
    '0',
    '7',
    '-',
    '--',
    '_',
    '@',
    '.',
    "'",
    '"',
    '\\',
    '*',
    '[',
    '(',
    ':',
    ' ',
    '\t',
    '\n',
    '\u2028',
    'é',
    '“',
    '<',
    '>',
    ',',
    ';',
    '\u00a0',
    '\u3000',
    '\ufeff',
    '\u0000',
    '\u0085',
    '<n>',
    '-<n>',
    '<n>-<n>',
    '--<n>',
    "\\'",
    '\\"',
    'abcdefgh',
    'field ',
    'name',
    '":',
    "':",
    ': ',
    'INVALID_EMAIL',
    'ABCDEFGHijklmnop',
    'AbCdEfGhIjKlMnOpQ',
    'abcdefghijklmnopqrstu',
    'x1y2z3w4',
    '0035e00000AbCdEfG',
    '12345',
    '3f2b8c1e-9a4d-4e2b-8f7a-1c2d3e4f5a6b',
    '3F2B8C1E-9A4D-4E2B-8F7A-1C2D3E4F5A6B',
    '9a4d-4e2b-',
  ];
  let seed = 20261124;
  const next = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff), (seed >>> 8) % n);
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + next(20) }, () => atoms[next(atoms.length)]).join(''),
  );
}

for (const [name, scan, pattern] of specs) {
  test(`${name}: the scan replaces exactly what the pattern does`, () => {
    for (const t of realLooking) assert.equal(scan(t), pattern(t), t);
    let changed = 0;
    for (const t of generated(40000)) {
      const expected = pattern(t);
      assert.equal(scan(t), expected, JSON.stringify(t));
      if (expected !== t) changed++;
    }
    // The generated texts exercise the replacement, not only its absence.
    assert.ok(changed > 1000, `${name}: only ${changed} generated texts had something to replace`);
  });
}

test('an unchanged text comes back as the same string', () => {
  const t = 'Nothing to replace here';
  for (const [, scan] of specs) assert.equal(scan(t), t);
});

/** Longer texts where quoted values reach past the 200-unit window, with escaped quotes in between (openings pending at once). */
function quoteHeavy(count: number): string[] {
  const atoms = ["\\'", "'", '\\"', '"', 'x', '\\\\', '\\', '\n', '\\\n', '\\\u2028', 'ab', ' '];
  let seed = 20261125;
  const next = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff), (seed >>> 8) % n);
  return Array.from({ length: count }, () => {
    const length = 150 + next(900);
    let t = '';
    while (t.length < length) t += next(5) === 0 ? 'y'.repeat(next(240)) : atoms[next(atoms.length)];
    return t;
  });
}

test('quoted values: the single pass agrees with the pattern where quotes reach past the window', () => {
  const edges = [
    `'${"\\'".repeat(199)}'`,
    `'${"\\'".repeat(200)}'`,
    `'${"\\'".repeat(201)}'`,
    `'${"\\'".repeat(450)}'`,
    `'${'x'.repeat(199)}\\''${'x'.repeat(150)}'`,
    `${"\\'".repeat(300)}'`,
    `'\\'${'x'.repeat(199)}'`,
    `'\\'${'x'.repeat(200)}'`,
    `'${'x'.repeat(100)}\\\n'x'`,
    `'${"\\'".repeat(50)}\\`,
    `'${'\\x'.repeat(200)}'`,
    `'${'\\x'.repeat(201)}'`,
  ];
  for (const [name, scan, pattern] of specs.filter(([name]) => name.includes('quoted'))) {
    for (const t of [...edges, ...edges.map((e) => e.replaceAll("'", '"')), ...quoteHeavy(4000)])
      assert.equal(scan(t), pattern(t), `${name}: ${JSON.stringify(t)}`);
  }
});

test('e-mails and joined numbers: the scans agree with the patterns on long runs (where the patterns backtrack)', () => {
  const texts = [
    `${'a'.repeat(1500)} @`,
    '@'.repeat(1500),
    'a@'.repeat(700),
    '.@'.repeat(700),
    `a@b${',a'.repeat(600)}`,
    `${'x.'.repeat(600)}a@`,
    'a@;'.repeat(500),
    `<n>${'-'.repeat(1500)}`,
    `${'-'.repeat(1500)}<n>`,
    '<n>-'.repeat(400),
    '<n>--x'.repeat(300),
    `${'-'.repeat(700)}<n>${'-'.repeat(700)}<n>-`,
  ];
  for (const [name, scan, pattern] of specs.filter(([name]) => name === 'e-mails' || name === 'joined numbers')) {
    for (const t of texts) assert.equal(scan(t), pattern(t), `${name}: ${JSON.stringify(t.slice(0, 40))}…`);
  }
});

test('isRegExpSpace is \\s on every UTF-16 code unit', () => {
  for (let c = 0; c < 0x10000; c++)
    assert.equal(isRegExpSpace(c), /\s/.test(String.fromCharCode(c)), `U+${c.toString(16)}`);
});
