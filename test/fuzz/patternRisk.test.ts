/**
 * Random patterns built from the pieces regular expressions are made of, fed to the risk
 * checker that reads every user category on load: it never throws, whatever the text (valid or
 * not), and it judges a pattern as it judges the same pattern inside a group. Seeded, and bounded
 * by an iteration count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { patternRisk } from '../../src/analysis/patternRisk';
import { seededRandom } from '../support/adversarialTexts';

const ITERATIONS = 5000;
const PIECES = [
  'a',
  'b',
  '.',
  '\\w',
  '\\d',
  '\\s',
  '\\W',
  '\\b',
  '\\\\',
  '\\(',
  '\\1',
  '\\k<n>',
  '\\x41',
  '\\u0041',
  '\\cA',
  '[a-z]',
  '[^a]',
  '[\\w-]',
  '[]',
  '[^]',
  '[a-\\d]',
  '(',
  ')',
  '(?:',
  '(?=',
  '(?!',
  '(?<=',
  '(?<!',
  '(?<n>',
  '|',
  '*',
  '+',
  '?',
  '*?',
  '{2}',
  '{1,3}',
  '{2,}',
  '{,2}',
  '{',
  '}',
  '^',
  '$',
  ']',
  '-',
  'é',
  '\u202e',
  // Whole groups and closing quantifiers, so that nesting comes up often.
  '(a+)',
  '(\\w*)',
  '(?:.+)',
  '(a|b)',
  ')+',
  ')*',
  '){3}',
];

test('the risk checker never throws, and judges (?:P) as P', () => {
  const next = seededRandom(0x5eed);
  let valid = 0;
  let flagged = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const parts: string[] = [];
    const n = 1 + next(12);
    for (let k = 0; k < n; k++) parts.push(PIECES[next(PIECES.length)]);
    const pattern = parts.join('');
    const risk = patternRisk(pattern);
    let compiles = true;
    try {
      new RegExp(pattern, 'i');
    } catch {
      compiles = false;
    }
    if (!compiles) continue;
    valid++;
    if (risk) flagged++;
    assert.deepEqual(patternRisk(`(?:${pattern})`)?.kind, risk?.kind, pattern);
  }
  // The generator reaches both verdicts often enough for the property to mean something.
  assert.ok(valid > 500, `${valid} valid patterns`);
  assert.ok(flagged > 50, `${flagged} flagged`);
});
