/**
 * Failure texts shaped to make a text rule backtrack: long runs of what one quantifier takes,
 * with the character the next one needs missing, or present everywhere. Each shape builds a
 * text of any length, so a test can compare sizes.
 */

/** `unit` repeated to exactly `length` characters. */
export const fill = (unit: string, length: number): string =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** A small seeded generator (an LCG): the same texts on every run. */
export function seededRandom(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}

function randomText(length: number, seed: number, alphabet: string): string {
  const next = seededRandom(seed);
  const out: string[] = [];
  for (let i = 0; i < length; i++) out.push(alphabet[next(alphabet.length)]);
  return out.join('');
}

function randomCodeUnits(length: number, seed: number): string {
  const next = seededRandom(seed);
  const out: number[] = [];
  for (let i = 0; i < length; i++) out.push(next(4) === 0 ? next(0x10000) : next(128));
  let s = '';
  for (let i = 0; i < out.length; i += 8192) s += String.fromCharCode(...out.slice(i, i + 8192));
  return s;
}

export const ADVERSARIAL_SHAPES: readonly [name: string, build: (length: number) => string][] = [
  // E-mails: a token the pattern retried from every start.
  ['a long token, an @ elsewhere', (n) => `${fill('a', n - 2)} @`],
  ['an @ first, then a long token', (n) => `@${fill('a', n - 1)}`],
  ['@@@…', (n) => fill('@', n)],
  ['a@a@a@…', (n) => fill('a@', n)],
  ['.@.@.@…', (n) => fill('.@', n)],
  ['a@ before a stop, repeated', (n) => fill('a@;', n)],
  ['a@b, then commas', (n) => `a@b${fill(',a', n - 3)}`],
  ['a long token, then a@', (n) => `${fill('x.', n - 2)}a@`],
  // Joined numbers: dash runs with a placeholder or a number at one end.
  ['<n> then dashes', (n) => `<n>${fill('-', n - 3)}`],
  ['dashes then <n>', (n) => `${fill('-', n - 3)}<n>`],
  ['<n>-<n>-<n>…', (n) => fill('<n>-', n)],
  ['<n>--x<n>--x…', (n) => fill('<n>--x', n)],
  ['a number then dashes', (n) => `12345 ${fill('-', n - 6)}`],
  ['dashes then a number', (n) => `${fill('-', n - 5)}12345`],
  ['-----', (n) => fill('-', n)],
  ['1-2-3-…', (n) => fill('1-', n)],
  ['12345-67890-…', (n) => fill('12345-', n)],
  ['(-12345)(-12345)…', (n) => fill('(-12345)', n)],
  // Numbers, decimals, durations, positions, dates.
  ['digits', (n) => fill('7', n)],
  ['digits then a letter', (n) => `${fill('7', n - 1)}x`],
  ['a decimal with a long fraction, then a letter', (n) => `1.${fill('7', n - 3)}x`],
  ['1.1.1.1…', (n) => fill('1.', n)],
  ['digits then " s"', (n) => `${fill('7', n - 2)} s`],
  ['digits then " sx"', (n) => `${fill('7', n - 3)} sx`],
  ['[ then digits', (n) => `[${fill('7', n - 1)}`],
  ['[1[1[1…', (n) => fill('[1', n)],
  ['a date with a long fraction', (n) => `2026-10-31T16:20:00.${fill('7', n - 21)}x`],
  ['dates', (n) => fill('2026-10-31T16:20:00.5+01:00 ', n)],
  ['2026-10-2026-10-…', (n) => fill('2026-10-', n)],
  // Hex, uuids, ids.
  ['hex', (n) => fill('a1', n)],
  ['hex between dashes', (n) => fill('abcdef12-', n)],
  ['uuids run together', (n) => fill('0123abcd-0123-4567-89ab-0123456789ab', n)],
  ['uuids', (n) => fill('0123abcd-0123-4567-89ab-0123456789ab ', n)],
  ['almost uuids', (n) => fill('0123abcd-0123-4567-89ab-0123456789a-', n)],
  ['dashes every fifth', (n) => fill('abcd-', n)],
  ['mixed case letters', (n) => fill('aB', n)],
  ['mixed case between dashes', (n) => fill('aBcDeFgHiJkLmNoPq-', n)],
  ['a-a-a-…', (n) => fill('a-', n)],
  ['underscores', (n) => fill('_', n)],
  // Quotes.
  ["'''…", (n) => fill("'", n)],
  ["an unbalanced ' then text", (n) => `'${fill('x', n - 1)}`],
  ["\\'\\'\\'…", (n) => fill("\\'", n)],
  ['\\"\\"\\"…', (n) => fill('\\"', n)],
  ["'\\'\\'…", (n) => `'${fill("\\'", n - 1)}`],
  ["'\\ then a newline, repeated", (n) => fill("'\\\n", n)],
  ['quotes 201 characters apart', (n) => fill(`'${'x'.repeat(201)}`, n)],
  ['quotes 200 units apart with escapes', (n) => fill(`'${'\\x'.repeat(200)}`, n)],
  ['"\'"\'"…', (n) => fill('"\'', n)],
  // URLs, masks, spaces, placeholders.
  ['http://http://…', (n) => fill('http://', n)],
  ['http:/http:/…', (n) => fill('http:/', n)],
  ['stars', (n) => fill('*', n)],
  ['**a**a…', (n) => fill('**a', n)],
  ['***a1***a1…', (n) => fill('***a1', n)],
  ['spaces', (n) => fill(' ', n)],
  ['a space, a letter…', (n) => fill(' a', n)],
  ['mixed whitespace', (n) => fill(' \t\n\u00a0\u3000\u2028', n)],
  ['<n><n><n>…', (n) => fill('<n>', n)],
  ['(-<n>)(-<n>)…', (n) => fill('(-<n>)', n)],
  // Mixtures.
  ['random ASCII', (n) => randomText(n, 7, 'aZ09-_@.,;:\'"\\ *[]()<>n/\t\n')],
  ['random code units', (n) => randomCodeUnits(n, 11)],
];
