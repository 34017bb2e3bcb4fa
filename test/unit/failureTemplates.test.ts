import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CUT_MARKER,
  TEMPLATED_LENGTH,
  failureTemplate,
  groupByTemplate,
  templateWhole,
} from '../../src/analysis/failureTemplates';

test('variable parts of real-looking destination errors become placeholders', () => {
  const cases: [string, string][] = [
    [
      'DUPLICATE_VALUE: duplicate value found: External_Id__c duplicates value on record with id: 0035e00000AbCdEfG',
      'DUPLICATE_VALUE: duplicate value found: External_Id__c duplicates value on record with id: <id>',
    ],
    ['Contact already exists. Existing ID: 51234', 'Contact already exists. Existing ID: <n>'],
    ["1003: Invalid value for field 'Country': 'Atlantis'", "1003: Invalid value for field 'Country': '<value>'"],
    [
      'jane.doe@example.com looks fake or invalid, please enter a real email address.',
      '<email> looks fake or invalid, please enter a real email address.',
    ],
    [
      '(#80003) There have been too many calls to this ad-account. Wait a bit and try again.',
      '(#80003) There have been too many calls to this ad-account. Wait a bit and try again.'.replace('80003', '<n>'),
    ],
    ['429 Too Many Requests: retry after 2026-10-31T16:20:00Z', '429 Too Many Requests: retry after <date>'],
    [
      'Request 3f2b8c1e-9a4d-4e2b-8f7a-1c2d3e4f5a6b failed, see https://status.example.com/x?id=9',
      'Request <uuid> failed, see <url>',
    ],
  ];
  for (const [input, expected] of cases) assert.equal(failureTemplate(input), expected, input);
});

test('field and object names stay, their values fold', () => {
  const cases: [string, string][] = [
    // The demo's biggest new incident: the only thing that tells it apart is the field's name.
    ["1006: Field 'Lead_Score__c' not found", "1006: Field 'Lead_Score__c' not found"],
    [
      "INVALID_FIELD: No such column 'Lead_Score__c' on entity 'Contact'",
      "INVALID_FIELD: No such column 'Lead_Score__c' on entity 'Contact'",
    ],
    ['Property "lead_score" does not exist', 'Property "lead_score" does not exist'],
    ["field='Email' is invalid: 'not-an-email'", "field='Email' is invalid: '<value>'"],
    // Data stays data: a primary key's value, a property read off undefined, a rate limit's figures.
    [
      "DUPLICATE_PRIMARY_KEY: primary key 'u_123' appears 2 times in the model query",
      "DUPLICATE_PRIMARY_KEY: primary key '<value>' appears 2 times in the model query",
    ],
    ["Cannot read properties of undefined (reading 'id')", "Cannot read properties of undefined (reading '<value>')"],
    [
      "606: Max rate limit '100' exceeded with in '20' secs",
      "606: Max rate limit '<value>' exceeded with in '<value>' secs",
    ],
    // A word that an id or a masked secret runs into is not a naming word.
    ["abc12345-field 'x'", "<id> '<value>'"],
    ["***field 'x'", "<masked> '<value>'"],
  ];
  for (const [input, expected] of cases) assert.equal(failureTemplate(input), expected, input);
});

test('JSON-shaped errors keep their keys and codes and fold only their values', () => {
  const cases: [string, string][] = [
    [
      '{"msg":"Invalid email: jane.doe@example.com","code":"InvalidEmailAddressError","params":null}',
      '{"msg":"<value>","code":"<id>","params":null}',
    ],
    [
      '429 Too Many Requests: {"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","correlationId":"9b72ef32-19f4-47dc-a7ac-69c32d83f7cd","policyName":"SECONDLY"}',
      '429 Too Many Requests: {"status":"error","message":"<value>","errorType":"RATE_LIMIT","correlationId":"<value>","policyName":"<value>"}',
    ],
    [
      'Property values were not valid: [{"isValid":false,"message":"Email address jane@example.com is invalid","error":"INVALID_EMAIL","name":"email"}]',
      'Property values were not valid: [{"isValid":false,"message":"<value>","error":"INVALID_EMAIL","name":"email"}]',
    ],
    [
      '500 Internal Server Error: {"message":"Internal server error","errors":["an internal error occurred, request id 9b72ef32-19f4-47dc-a7ac-69c32d83f7cd"]}',
      '500 Internal Server Error: {"message":"<value>","errors":["<value>"]}',
    ],
    ['{ "code" : "1003", "message" : "Invalid value" }', '{ "code" : "1003", "message" : "<value>" }'],
    [`{'field': 'Lead_Score__c', 'value': 'x'}`, `{'field': 'Lead_Score__c', 'value': '<value>'}`],
  ];
  for (const [input, expected] of cases) assert.equal(failureTemplate(input), expected, input);
  // Two HubSpot causes that differ only in their error code and property name are two templates.
  const email = failureTemplate(
    'Property values were not valid: [{"isValid":false,"message":"a@b is invalid","error":"INVALID_EMAIL","name":"email"}]',
  );
  const option = failureTemplate(
    'Property values were not valid: [{"isValid":false,"message":"x was not a valid value","error":"INVALID_OPTION","name":"firstname"}]',
  );
  assert.notEqual(email, option);
  // A key is never a value (no {"<value>":"<value>"} that every JSON error folds into).
  assert.equal(failureTemplate('{"a":"1","b":"2"}'), '{"a":"<value>","b":"<value>"}');
});

test('malformed e-mails, batch positions and hyphen-joined ids fold too', () => {
  assert.equal(
    failureTemplate('INVALID_EMAIL_ADDRESS: Email: invalid email address: hugo.martin@yahoo,com'),
    'INVALID_EMAIL_ADDRESS: Email: invalid email address: <email>',
  );
  assert.equal(failureTemplate('amara.osei@outlook.c looks fake or invalid'), '<email> looks fake or invalid');
  assert.equal(
    failureTemplate('INVALID_ARGUMENT: field_path: operations[581].create.user_identifiers[0].hashed_email'),
    'INVALID_ARGUMENT: field_path: operations[<n>].create.user_identifiers[<n>].hashed_email',
  );
  const a = failureTemplate('Error ID: 1029384756-192837465 (-1234567)');
  const b = failureTemplate('Error ID: 2029384756--92837465 (7234567)');
  assert.equal(a, 'Error ID: <n> (<n>)');
  assert.equal(b, a);
});

test('trace ids, masked keys and durations fold', () => {
  assert.equal(
    failureTemplate('(#2) Service temporarily unavailable (fbtrace_id: AbCdEfGhIjKlMnOpQrStUvW)'),
    '(#2) Service temporarily unavailable (fbtrace_id: <id>)',
  );
  assert.equal(
    failureTemplate('429: Rate limit exceeded for API key ****015a: 500 requests per second'),
    '429: Rate limit exceeded for API key <masked>: 500 requests per second',
  );
  assert.equal(
    failureTemplate('RESOURCE_EXHAUSTED: Too many requests. Retry in 101 seconds.'),
    'RESOURCE_EXHAUSTED: Too many requests. Retry in <n> seconds.',
  );
  assert.equal(
    failureTemplate('FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone must be 10 digits'),
    'FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone must be 10 digits',
  );
});

test('short vendor codes survive so categories can still match them', () => {
  assert.equal(failureTemplate('606: Max rate limit 100 exceeded'), '606: Max rate limit 100 exceeded');
});

test('texts that differ only in ids fold into one group with summed counts', () => {
  const groups = groupByTemplate([
    { reason: 'Contact 12345678 not found', count: 3, sampleRowId: 'a' },
    { reason: 'Contact 87654321 not found', count: 5, sampleRowId: 'b' },
    { reason: 'Invalid email: x@y.io', count: 1, sampleRowId: 'c' },
    { reason: null, count: 2, sampleRowId: 'd' },
  ]);
  assert.deepEqual(groups, [
    {
      template: 'Contact <n> not found',
      count: 8,
      distinctTexts: 2,
      example: 'Contact 87654321 not found',
      sampleRowId: 'b',
    },
    { template: null, count: 2, distinctTexts: 1, example: null, sampleRowId: 'd' },
    {
      template: 'Invalid email: <email>',
      count: 1,
      distinctTexts: 1,
      example: 'Invalid email: x@y.io',
      sampleRowId: 'c',
    },
  ]);
});

test('a text longer than the cap is templated on its head and marked as cut; one at the cap is whole', () => {
  const atCap = `Contact 12345678 not found ${'x'.repeat(TEMPLATED_LENGTH - 27)}`;
  assert.equal(atCap.length, TEMPLATED_LENGTH);
  assert.equal(failureTemplate(atCap), templateWhole(atCap));
  assert.ok(!failureTemplate(atCap).endsWith(CUT_MARKER));

  // No space near the cut: the first TEMPLATED_LENGTH characters.
  const dump = `Contact 12345678 not found: ${'y'.repeat(2 * TEMPLATED_LENGTH)}`;
  assert.equal(failureTemplate(dump), templateWhole(dump.slice(0, TEMPLATED_LENGTH)) + CUT_MARKER);
  assert.ok(failureTemplate(dump).startsWith('Contact <n> not found: y'));
});

test('a cut ends at a space near the cap, so a token across it is not templated in half', () => {
  const head = `Request failed: ${'word '.repeat(Math.floor((TEMPLATED_LENGTH - 40) / 5))}`;
  const a = `${head}${'ab12345678'.repeat(40)} trailing text`;
  const b = `${head}${'cd87654321'.repeat(40)} other trailing text`;
  assert.equal(failureTemplate(a), failureTemplate(b));
  assert.equal(failureTemplate(a), templateWhole(head.trimEnd()) + CUT_MARKER);
});

test('a cut does not split a surrogate pair', () => {
  const text = `${'x'.repeat(TEMPLATED_LENGTH - 1)}\u{1F600}${'z'.repeat(100)}`;
  assert.equal(failureTemplate(text), 'x'.repeat(TEMPLATED_LENGTH - 1) + CUT_MARKER);
});

test('long texts: identical ones and ones differing only past the cap share a template, others do not', () => {
  const base = `<html><body>${'<p>Error 503 from upstream 10.0.0.1</p>'.repeat(300)}`;
  const copy = base.split('').join('');
  assert.equal(failureTemplate(base), failureTemplate(copy));
  assert.equal(failureTemplate(`${base} tail one`), failureTemplate(`${base} another tail`));
  assert.notEqual(failureTemplate(`X${base}`), failureTemplate(base));
  // An uncut text cannot imitate a cut one: its no-break space becomes a plain one.
  const imitation = failureTemplate(base).slice(0, 100) + CUT_MARKER;
  assert.ok(!failureTemplate(imitation).endsWith(CUT_MARKER));
});

test('the example shown for a group of long texts is the whole text', () => {
  const long = `Stack trace: ${'at frame (file.js:1:1)\n'.repeat(20000)}`;
  const [group] = groupByTemplate([{ reason: long, count: 2, sampleRowId: 'r' }]);
  assert.equal(group.example, long);
  assert.ok(group.template!.endsWith(CUT_MARKER));
  assert.ok(group.template!.length <= TEMPLATED_LENGTH + CUT_MARKER.length);
});
