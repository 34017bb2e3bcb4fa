import { test } from 'node:test';
import assert from 'node:assert/strict';
import { patternRisk } from '../../src/analysis/patternRisk';
import { DEFAULT_CATEGORIES, compileCategories } from '../../src/analysis/errorCategories';

// Patterns known to backtrack exponentially (or to a high power) on some text, with the group
// the warning points at.
const DANGEROUS: [pattern: string, kind: string, fragment: string][] = [
  ['(a+)+$', 'nested', '(a+)+'],
  ['(a*)*', 'nested', '(a*)*'],
  ['(.*a){20}', 'nested', '(.*a){20}'],
  ['(a|a)*', 'alternatives', '(a|a)*'],
  [String.raw`(\w+\s?)+`, 'nested', String.raw`(\w+\s?)+`],
  [String.raw`(\w+)+$`, 'nested', String.raw`(\w+)+`],
  ['(x+x+)+y', 'nested', '(x+x+)+'],
  ['(.+)+!', 'nested', '(.+)+'],
  ['(?:a+){2}', 'nested', '(?:a+){2}'],
  ['((a+)b?)+', 'nested', '((a+)b?)+'],
  ['(?<word>a+)+', 'nested', '(?<word>a+)+'],
  ['([a-z_]+)+$', 'nested', '([a-z_]+)+'],
  // Case-insensitive, as categories compile: [A-Z] and a are the same letters.
  ['([A-Z]+a)+', 'nested', '([A-Z]+a)+'],
  // The classic e-mail validator: ([a-zA-Z0-9]{2,4})+ splits a run of letters every way.
  [String.raw`^([a-zA-Z0-9_.-])+@(([a-zA-Z0-9-])+\.)+([a-zA-Z0-9]{2,4})+$`, 'nested', '([a-zA-Z0-9]{2,4})+'],
  [String.raw`(\d|\w)+x`, 'alternatives', String.raw`(\d|\w)+`],
  ['(a|ab)*c', 'alternatives', '(a|ab)*'],
  ['(?:error|err)+:', 'alternatives', '(?:error|err)+'],
  ['(a?){30}a{30}', 'empty', '(a?){30}'],
  // Deep inside other groups, after other text.
  [String.raw`timeout: (code (\d+ ?)+)`, 'nested', String.raw`(\d+ ?)+`],
];

// Patterns that look alike but cannot split one text many ways (or are not patterns at all).
const SAFE: string[] = [
  '429|too many requests|rate.?limit',
  String.raw`([a-z]+\.)+com`,
  String.raw`(\d+,){3}`,
  String.raw`(\s?\w)+`,
  '(a{3})+',
  'token.*expired|expired.*token',
  'internal (server )?error',
  'a+a+',
  '(ab)+',
  '(?:x|y)+',
  '(a+b)+',
  // Escaped or inside a class: not groups, not quantifiers.
  String.raw`\(a+\)+`,
  '[(a+)+]',
  // A lookahead is atomic: its inner choices do not multiply with the loop outside.
  '(?=(a))+',
  // { not starting a quantifier is a literal (Annex B).
  '(a{,2})+',
  String.raw`(?:\bERR-\d{4}\b\s)+`,
  '',
];

test('every dangerous pattern is flagged, with the repeated group at fault', () => {
  for (const [pattern, kind, fragment] of DANGEROUS) {
    new RegExp(pattern, 'i');
    assert.deepEqual(patternRisk(pattern), { kind, fragment }, pattern);
  }
});

test('safe look-alikes are not flagged', () => {
  for (const pattern of SAFE) {
    new RegExp(pattern, 'i');
    assert.equal(patternRisk(pattern), undefined, pattern);
  }
});

test('the default categories pass the check (they run on the host thread when no user category is set)', () => {
  for (const d of DEFAULT_CATEGORIES) assert.equal(patternRisk(d.pattern), undefined, d.name);
  assert.deepEqual(compileCategories(DEFAULT_CATEGORIES).warnings, []);
});

test('patterns it cannot read give no verdict rather than an error', () => {
  for (const p of ['(', '[a-', '\\', 'a)', '(?<x', '(?']) assert.equal(patternRisk(p), undefined, p);
  // Deep nesting: no stack overflow escapes.
  assert.equal(patternRisk(`${'('.repeat(20000)}a${')'.repeat(20000)}`), undefined);
});

test('compileCategories warns about a risky user pattern, which still compiles and runs', () => {
  const { compiled, problems, warnings } = compileCategories([
    { name: 'nested', pattern: '(a+)+$', source: 'workspace', origin: '.vscode/sync-logs-categories.json[0]' },
    { name: 'fine', pattern: 'loyalty tier', source: 'settings', origin: 'settings: syncLogs.errorCategories[0]' },
  ]);
  assert.deepEqual(
    compiled.map((c) => c.name),
    ['nested', 'fine'],
  );
  assert.deepEqual(problems, []);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].name, 'nested');
  assert.equal(warnings[0].origin, '.vscode/sync-logs-categories.json[0]');
  assert.match(
    warnings[0].message,
    /^Category "nested" \(\.vscode\/sync-logs-categories\.json\[0\]\): the pattern may be slow: it has nested quantifiers \("\(a\+\)\+"\)/,
  );
  assert.match(warnings[0].message, /skipped if it takes over 1 s on one text/);
});
