import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_CATEGORIES,
  MAX_MATCHED_TEXT,
  categorize,
  compileCategories,
  forbidUserPatternsOnThisThread,
} from '../../src/analysis/errorCategories';
import { patternRisk } from '../../src/analysis/patternRisk';
import { UNEXPECTED } from '../../src/shared/analysisData';
import { ADVERSARIAL_SHAPES, seededRandom } from '../support/adversarialTexts';

// The default categories on random and adversarial failure texts. They run on the extension
// host's thread (user patterns never do), so each must be a pattern that cannot backtrack badly,
// and categorizing must depend only on the part of a text it reads. Bounded by counts.

const next = seededRandom(20261202);
const { compiled, problems, warnings } = compileCategories(DEFAULT_CATEGORIES);
const NAMES = new Set([...DEFAULT_CATEGORIES.map((c) => c.name), UNEXPECTED]);
const ATOMS = [
  '429',
  '500',
  'not found',
  'timeout',
  'rate limit',
  'Field ',
  "'",
  '"',
  '@',
  '-',
  '<n>',
  ' ',
  '\n',
  '\u202e',
  '\u0000',
  '(',
  ')',
  'a',
  '7',
  'é',
];

function randomText(): string {
  let s = '';
  const parts = 1 + next(40);
  for (let i = 0; i < parts; i++) s += next(4) === 0 ? String.fromCharCode(next(0x3000)) : ATOMS[next(ATOMS.length)];
  return s;
}

test('the defaults compile cleanly and none of them is a risky pattern', () => {
  assert.deepEqual(problems, []);
  assert.deepEqual(warnings, []);
  for (const c of DEFAULT_CATEGORIES) assert.equal(patternRisk(c.pattern), undefined, `default category ${c.name}`);
});

test('random texts: always a known category, the same each time, and decided by the matched head only', () => {
  forbidUserPatternsOnThisThread();
  for (let i = 0; i < 3000; i++) {
    const text = randomText();
    const got = categorize(text, compiled);
    assert.ok(NAMES.has(got), `${JSON.stringify(text)} -> ${got}`);
    assert.equal(categorize(text, compiled), got);
    // Past the matched length, nothing changes the category (an error code in a dump's tail does not).
    const long = `${text}${' '.repeat(MAX_MATCHED_TEXT)}429 not found timeout`;
    assert.equal(categorize(long, compiled), categorize(long.slice(0, MAX_MATCHED_TEXT), compiled));
  }
});

test('adversarial shapes at and past the matched length: every default answers', () => {
  for (const [name, build] of ADVERSARIAL_SHAPES) {
    for (const length of [MAX_MATCHED_TEXT, 4 * MAX_MATCHED_TEXT]) {
      const got = categorize(build(length), compiled);
      assert.ok(NAMES.has(got), `${name} at ${length}: ${got}`);
    }
  }
});
