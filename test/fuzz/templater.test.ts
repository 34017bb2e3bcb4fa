import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CUT_MARKER, TEMPLATED_LENGTH, failureTemplate, groupByTemplate } from '../../src/analysis/failureTemplates';
import { scanSteps } from '../../src/analysis/failureTextScan';
import { ADVERSARIAL_SHAPES, fill, seededRandom } from '../support/adversarialTexts';

// The templater on random and adversarial failure texts (third-party data), bounded by counts:
// a fixed seed, a fixed number of texts, and the scanners' step counter instead of a clock.

const next = seededRandom(20261201);
const pick = <T>(items: readonly T[]): T => items[next(items.length)];

const REAL = [
  'DUPLICATE_VALUE: duplicate value found: External_Id__c duplicates value on record with id: 0035e00000AbCdEfG',
  "1003: Invalid value for field 'Country': 'Atlantis'",
  'INVALID_EMAIL_ADDRESS: Email: invalid email address: hugo.martin@yahoo,com',
  'Request 3f2b8c1e-9a4d-4e2b-8f7a-1c2d3e4f5a6b failed, see https://status.example.com/x?id=9',
  '429 Too Many Requests: {"status":"error","message":"You have reached your secondly limit.","correlationId":"9b72ef32-19f4-47dc-a7ac-69c32d83f7cd"}',
  'Error ID: 1029384756-192837465 (-1234567) retry after 2026-10-31T16:20:00Z in 36 seconds',
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>',
  'INVALID_ARGUMENT: field_path: operations[581].create.user_identifiers[0].hashed_email; key ****015a',
  "1006: Field 'Lead_Score__c' not found",
  '{"msg":"Invalid email: a@b.c","code":"InvalidEmailAddressError","params":null}',
  `Property values were not valid: [{"isValid":false,"message":"\\"mql\\" was not one of the allowed options","error":"INVALID_OPTION","name":"lifecyclestage"}]`,
];
const ATOMS = [
  'a',
  'Z',
  '0',
  '7',
  '12345',
  '3.14',
  '-',
  '--',
  '_',
  '@',
  '.',
  ',',
  ';',
  ':',
  "'",
  '"',
  '\\',
  "\\'",
  '*',
  '***',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  '<n>',
  '-<n>',
  '(-<n>)',
  'http://',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\u00a0',
  '\u2028',
  '\u3000',
  '\ufeff',
  '\u0000',
  '\u001b',
  '\u007f',
  '\u202e',
  '\u2066',
  '\ud83d',
  '\ude00',
  '\u{1F600}',
  'é',
  'ß',
  '“',
  '…',
  ' s',
  'ms',
  'T',
  'Z',
  '+01:00',
  '2026-10-31',
  '16:20:00',
  // What decides whether a quoted value is a name that stays: a naming word or key, a colon after it, a code.
  'field ',
  'Field',
  'name',
  'code',
  '":',
  "':",
  ': ',
  ' :',
  '=',
  'INVALID_EMAIL',
  'A_B',
  'x1y2z3w4',
  'AbCdEfGhIjKlMnOpQ',
  '0035e00000AbCdEfG',
  '3f2b8c1e-9a4d-4e2b-8f7a-1c2d3e4f5a6b',
  'jane.doe@example.com',
];

function randomCodeUnits(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++)
    s += String.fromCharCode(next(3) === 0 ? next(0x10000) : next(3) === 0 ? next(32) : 32 + next(96));
  return s;
}
const fromAtoms = (count: number): string => Array.from({ length: count }, () => pick(ATOMS)).join('');
function mutated(text: string, edits: number): string {
  let t = text;
  for (let e = 0; e < edits; e++) {
    const i = next(t.length + 1);
    t = t.slice(0, i) + pick(ATOMS) + t.slice(i + next(3));
  }
  return t;
}
/** Up to three times the cap: a repeat of a piece, or an adversarial shape, with random text around it. */
function huge(): string {
  const length = TEMPLATED_LENGTH - 64 + next(2 * TEMPLATED_LENGTH + 128);
  const body =
    next(2) === 0
      ? fill(next(2) === 0 ? pick(ATOMS) : fromAtoms(1 + next(4)), length)
      : pick(ADVERSARIAL_SHAPES)[1](length);
  return fromAtoms(next(3)) + body + fromAtoms(next(3));
}

const TEXTS = 4000;
function texts(): string[] {
  const out: string[] = ['', ' ', CUT_MARKER, '\u00a0…'.repeat(3)];
  while (out.length < TEXTS) {
    const kind = next(5);
    if (kind === 0) out.push(randomCodeUnits(next(300)));
    else if (kind === 1) out.push(fromAtoms(1 + next(40)));
    else if (kind === 2) out.push(mutated(pick(REAL), 1 + next(4)));
    else if (kind === 3) out.push(pick(REAL) + fromAtoms(next(10)) + pick(REAL));
    else out.push(next(4) === 0 ? huge() : fromAtoms(1 + next(200)));
  }
  return out;
}
const CORPUS = texts();

/** Another string with the same characters (a different representation in the engine). */
const copyOf = (t: string): string => t.split('').join('');
const NON_PLAIN_SPACE = /[^\S ]/;
/** The widest placeholder per character of text: '' becomes '<value>' with its quotes, 9 for 2. */
const MAX_GROWTH = 4.5;
/** Characters the six scanners may read per templated character (templaterLinear.test.ts), plus the cut's look-back. */
const STEPS_PER_CHARACTER = 6 * 4;

test('templating never throws, is deterministic, and bounds its output and its work by the templated part', () => {
  let cut = 0;
  for (const t of CORPUS) {
    const label = JSON.stringify(t.slice(0, 80));
    scanSteps.count = 0;
    const template = failureTemplate(t);
    const steps = scanSteps.count;
    assert.equal(typeof template, 'string', label);
    assert.equal(failureTemplate(copyOf(t)), template, `not deterministic: ${label}`);
    const templated = Math.min(t.length, TEMPLATED_LENGTH);
    assert.ok(steps <= STEPS_PER_CHARACTER * templated + 64, `${label}: ${steps} steps for ${templated} characters`);
    assert.ok(
      template.length <= MAX_GROWTH * templated + CUT_MARKER.length,
      `${label}: a template of ${template.length} characters`,
    );
    const isCut = t.length > TEMPLATED_LENGTH;
    assert.equal(template.endsWith(CUT_MARKER), isCut, label);
    if (isCut) cut++;
    // One line, single-spaced, trimmed: what the tree label and the table show.
    const body = isCut ? template.slice(0, -CUT_MARKER.length) : template;
    assert.ok(
      !NON_PLAIN_SPACE.test(body) && !body.includes('  ') && body === body.trim(),
      `not single-spaced: ${JSON.stringify(body.slice(0, 80))}`,
    );
  }
  assert.ok(cut > 100, `only ${cut} texts were over the cap`);
});

test('past the cap, only the first TEMPLATED_LENGTH characters (and the one after, for the cut) decide the template', () => {
  for (const t of CORPUS) {
    if (t.length <= TEMPLATED_LENGTH) continue;
    const head = t.slice(0, TEMPLATED_LENGTH + 1);
    assert.equal(failureTemplate(head + fromAtoms(1 + next(20))), failureTemplate(t), JSON.stringify(t.slice(0, 80)));
  }
});

test('a template templates to itself, for single-spaced texts under the cap with no backslash', () => {
  // Not for every text: the spaces rule comes last, and what it makes single-spaced can match
  // another rule on a second pass ("7\ns" -> "7 s" -> "<n> s"; a backslash before a line break
  // stops a quoted value, before a space it does not: "'a\\\n'" -> "'a\\ '" -> "'<value>'"). Cut
  // templates end in a no-break space, which a second pass turns into a plain one.
  let checked = 0;
  for (const t of CORPUS) {
    if (t.length > TEMPLATED_LENGTH || t.includes('\\') || NON_PLAIN_SPACE.test(t) || t.includes('  ')) continue;
    const template = failureTemplate(t);
    assert.equal(failureTemplate(template), template, JSON.stringify(t.slice(0, 80)));
    checked++;
  }
  assert.ok(checked > 500, `only ${checked} texts checked`);
});

test('grouping: one group per template, counts summed, each example one of its raw texts unchanged', () => {
  const rows = CORPUS.map((reason, i) => ({
    reason: i % 50 === 0 ? null : reason,
    count: 1 + (i % 7),
    sampleRowId: `row-${i}`,
  }));
  const groups = groupByTemplate(rows);
  const byTemplate = new Map<string | null, { count: number; texts: Set<string | null> }>();
  for (const r of rows) {
    const template = r.reason === null ? null : failureTemplate(r.reason);
    const g = byTemplate.get(template) ?? { count: 0, texts: new Set() };
    g.count += r.count;
    g.texts.add(r.reason);
    byTemplate.set(template, g);
  }
  assert.equal(groups.length, byTemplate.size);
  for (const g of groups) {
    const expected = byTemplate.get(g.template);
    assert.ok(expected, String(g.template));
    assert.equal(g.count, expected.count);
    assert.ok(
      expected.texts.has(g.example),
      `example not one of the group's texts: ${JSON.stringify(String(g.example).slice(0, 80))}`,
    );
  }
  assert.equal(
    groups.reduce((sum, g) => sum + g.count, 0),
    rows.reduce((sum, r) => sum + r.count, 0),
  );
});
