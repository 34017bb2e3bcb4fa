import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_CATEGORIES,
  EMPTY_CATEGORIES_FILE,
  MAX_PATTERN_LENGTH,
  categorize,
  compileCategories,
  mergeCategories,
  parseSettingsCategories,
  parseWorkspaceCategories,
  stripJsonComments,
} from '../../src/analysis/errorCategories';
import { UNEXPECTED, type CategoryDef } from '../../src/shared/analysisData';

const defaults = compileCategories(DEFAULT_CATEGORIES);

test('the defaults are the documented 22 categories, in order, all compiling', () => {
  assert.deepEqual(
    DEFAULT_CATEGORIES.map((c) => c.name),
    [
      'ad_account_throttle',
      'rate_limit',
      'daily_quota',
      'auth_expired',
      'bad_credentials',
      'permission',
      'invalid_email',
      'required_missing',
      'invalid_value',
      'validation_rule',
      'duplicate',
      'schema_drift',
      'not_found',
      'record_locked',
      'too_large',
      'missing_identifier',
      'duplicate_pk',
      'consent',
      'event_too_old',
      'destination_config',
      'transient_5xx',
      'network',
    ],
  );
  assert.ok(DEFAULT_CATEGORIES.every((c) => c.source === 'default'));
  assert.equal(defaults.problems.length, 0);
  assert.equal(defaults.compiled.length, 22);
  // Codes are matched as tokens of their own (not digits inside an id or a decimal).
  const asCode = (codes: string) => `(?<![\\w-]|\\d\\.)(?:${codes})(?![\\w-]|\\.\\d)`;
  assert.equal(
    DEFAULT_CATEGORIES[1].pattern,
    `${asCode('429|606')}|too many requests|rate.?limit|throttl|REQUEST_LIMIT_EXCEEDED`,
  );
  assert.equal(
    DEFAULT_CATEGORIES[20].pattern,
    `${asCode('5\\d\\d')}|internal (server )?error|service unavailable|bad gateway|gateway timeout|temporarily unavailable`,
  );
});

test('real destination failure texts land in their default category', () => {
  const cases: [string, string][] = [
    ['429 Too Many Requests', 'rate_limit'],
    ["606 Max rate limit '100' exceeded with in '20' secs", 'rate_limit'],
    ['REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.', 'rate_limit'],
    ['Braze API rate limit exceeded; retry after 30 seconds', 'rate_limit'],
    ['607 Daily quota reached', 'daily_quota'],
    ['(#80003) There have been too many calls to this ad-account. Wait a bit and try again.', 'ad_account_throttle'],
    ['invalid_grant: Token has been expired or revoked.', 'auth_expired'],
    ['INVALID_SESSION_ID: Session expired or invalid', 'auth_expired'],
    ['INVALID_LOGIN: Invalid username, password, security token; or user locked out.', 'bad_credentials'],
    ["USER_PERMISSION_DENIED: User doesn't have permission to access customer.", 'permission'],
    ['403 Forbidden', 'permission'],
    ['jane.doe@example.com looks fake or invalid, please enter a real email address.', 'invalid_email'],
    ['INVALID_EMAIL_ADDRESS: Email: invalid email address: hugo.martin@yahoo,com', 'invalid_email'],
    ['REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]', 'required_missing'],
    [
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Country: bad value for restricted picklist field: Atlantis',
      'invalid_value',
    ],
    [
      'Property values were not valid: [{"isValid":false,"message":"1980-13-01 is not a valid date","name":"birthdate"}]',
      'invalid_value',
    ],
    ['FIELD_CUSTOM_VALIDATION_EXCEPTION: Phone must be 10 digits', 'validation_rule'],
    ['Contact already exists. Existing ID: 12345', 'duplicate'],
    [
      'DUPLICATE_VALUE: duplicate value found: External_Id__c duplicates value on record with id: 0035e00000AbCdEfG',
      'duplicate',
    ],
    ['jane.doe@example.com is already a list member. Use PUT to insert or update list members.', 'duplicate'],
    ['ENTITY_IS_DELETED: entity is deleted', 'not_found'],
    ['404 Not Found', 'not_found'],
    ['UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record', 'record_locked'],
    ['413 Request Entity Too Large', 'too_large'],
    ['UserDataError.TOO_MANY_USER_IDENTIFIERS: Too many user identifiers in one operation', 'too_large'],
    ['NULL_EXTERNAL_ID: External ID was blank for Email__c', 'missing_identifier'],
    ["DUPLICATE_PRIMARY_KEY: primary key 'u_123' appears 2 times in the model query", 'duplicate_pk'],
    ['QUERY_COLUMN_MISSING: column "email" is missing from the model query', 'schema_drift'],
    [
      'OfflineUserDataJobError.OPERATIONS_FOR_CUSTOMER_MATCH_NOT_ALLOWED: this customer has not accepted the Customer Match terms',
      'consent',
    ],
    ['EVENT_TOO_OLD: event timestamp is more than 7 days in the past', 'event_too_old'],
    ['not_in_channel', 'destination_config'],
    ['INVALID_LIST_ID: list 42 does not belong to this account', 'destination_config'],
    ['502 Bad Gateway', 'transient_5xx'],
    ['<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>cloudflare</body></html>', 'transient_5xx'],
    ['read ECONNRESET', 'network'],
    ['connect ETIMEDOUT 52.1.2.3:443', 'network'],
  ];
  const wrong = cases
    .filter(([text, want]) => categorize(text, defaults.compiled) !== want)
    .map(([t, w]) => `${t} -> ${categorize(t, defaults.compiled)} (want ${w})`);
  assert.deepEqual(wrong, []);
  // Every default category is exercised by at least one text above.
  const covered = new Set(cases.map(([, c]) => c));
  assert.deepEqual(
    DEFAULT_CATEGORIES.map((c) => c.name).filter((n) => !covered.has(n)),
    [],
  );
});

test('texts no category matches are unexpected, hostile markup included, verbatim', () => {
  for (const text of [
    "'external_id' or 'braze_id' or 'user_alias' is required",
    'Loyalty tier PLATINUM_PLUS is not supported by this account',
    'Unknown error',
    '<img src=x onerror=alert(1)>',
    '',
  ]) {
    assert.equal(categorize(text, defaults.compiled), UNEXPECTED, text);
  }
});

test('first match wins: specific categories come before general ones', () => {
  // 429 is a rate limit even when the text also says "daily limit".
  assert.equal(categorize('429: daily limit reached for this app', defaults.compiled), 'rate_limit');
  assert.equal(categorize('daily limit reached for this app', defaults.compiled), 'daily_quota');
  // A duplicate answered with HTTP 409 is a duplicate, not a generic client error; a 503 is transient.
  assert.equal(categorize('409 Conflict: Contact already exists', defaults.compiled), 'duplicate');
  assert.equal(categorize('503 Service Unavailable', defaults.compiled), 'transient_5xx');
  // Reordering changes the answer: the user's order is respected.
  const reordered = compileCategories([DEFAULT_CATEGORIES[2], DEFAULT_CATEGORIES[1]]);
  assert.equal(categorize('429: daily limit reached for this app', reordered.compiled), 'daily_quota');
});

test('settings accept an array of {name, pattern} and an object {name: pattern}', () => {
  const arr = parseSettingsCategories([
    { name: 'loyalty', pattern: 'loyalty tier' },
    { name: ' padded ', pattern: 'x' },
  ]);
  assert.deepEqual(arr.problems, []);
  assert.deepEqual(arr.categories, [
    { name: 'loyalty', pattern: 'loyalty tier', source: 'settings', origin: 'settings: syncLogs.errorCategories[0]' },
    { name: 'padded', pattern: 'x', source: 'settings', origin: 'settings: syncLogs.errorCategories[1]' },
  ]);
  const obj = parseSettingsCategories({ loyalty: 'loyalty tier', rate_limit: 'slow down' });
  assert.deepEqual(obj.problems, []);
  assert.deepEqual(
    obj.categories.map((c) => [c.name, c.pattern, c.source]),
    [
      ['loyalty', 'loyalty tier', 'settings'],
      ['rate_limit', 'slow down', 'settings'],
    ],
  );
  assert.match(obj.categories[0].origin ?? '', /syncLogs\.errorCategories\["loyalty"\]/);
  // Unset is not a mistake.
  assert.deepEqual(parseSettingsCategories(undefined), { categories: [], problems: [] });
  assert.deepEqual(parseSettingsCategories(null), { categories: [], problems: [] });
});

test('wrong shapes are problems that say what to write instead', () => {
  const str = parseSettingsCategories('429|too many');
  assert.equal(str.categories.length, 0);
  assert.equal(str.problems.length, 1);
  assert.match(str.problems[0].message, /is a string/);
  assert.match(str.problems[0].message, /\[\{"name": "rate_limit", "pattern": "429\|too many requests"\}\]/);
  assert.match(str.problems[0].message, /\{"rate_limit": "429\|too many requests"\}/);

  const mixed = parseSettingsCategories([
    'rate_limit',
    { name: 'ok', pattern: 'fine' },
    { pattern: 'no name' },
    { name: 'num', pattern: 429 },
    { name: 'Unexpected', pattern: 'x' },
  ]);
  assert.deepEqual(
    mixed.categories.map((c) => c.name),
    ['ok'],
  );
  assert.equal(mixed.problems.length, 4);
  assert.match(mixed.problems[0].message, /errorCategories\[0\] is a string, not a category/);
  assert.match(mixed.problems[1].message, /errorCategories\[2\].*no name/);
  assert.match(mixed.problems[2].message, /"num" has a number as its pattern.*Write the pattern as a string/);
  assert.match(mixed.problems[3].message, /reserved/);
  assert.equal(mixed.problems[2].origin, 'settings: syncLogs.errorCategories[3]');
});

test('the workspace file: JSON text, both shapes, and a clear message when it is not JSON', () => {
  const ok = parseWorkspaceCategories('[{"name": "loyalty", "pattern": "loyalty tier"}]');
  assert.deepEqual(ok.categories, [
    { name: 'loyalty', pattern: 'loyalty tier', source: 'workspace', origin: '.vscode/sync-logs-categories.json[0]' },
  ]);
  const obj = parseWorkspaceCategories('{"loyalty": "loyalty tier"}', 'cats.json');
  assert.equal(obj.categories[0].source, 'workspace');
  assert.match(obj.categories[0].origin ?? '', /^cats\.json/);
  const bad = parseWorkspaceCategories('[{"name": "a", "pattern": "b"},]');
  assert.equal(bad.categories.length, 0);
  assert.equal(bad.problems.length, 1);
  assert.match(bad.problems[0].message, /sync-logs-categories\.json is not valid JSON/);
  assert.match(bad.problems[0].message, /Write either an array/);
  assert.match(parseWorkspaceCategories('42').problems[0].message, /is a number/);
});

test('merge: workspace, then settings, then defaults; a user category named like a default replaces it', () => {
  const ws: CategoryDef[] = [
    { name: 'loyalty', pattern: 'loyalty tier', source: 'workspace' },
    { name: 'shared', pattern: 'from workspace', source: 'workspace' },
  ];
  const st: CategoryDef[] = [
    { name: 'rate_limit', pattern: 'slow down', source: 'settings' },
    { name: 'shared', pattern: 'from settings', source: 'settings' },
  ];
  const merged = mergeCategories(ws, st, DEFAULT_CATEGORIES, true);
  assert.deepEqual(
    merged.slice(0, 3).map((c) => [c.name, c.source]),
    [
      ['loyalty', 'workspace'],
      ['shared', 'workspace'],
      ['rate_limit', 'settings'],
    ],
  );
  assert.equal(merged.filter((c) => c.name === 'rate_limit').length, 1);
  assert.equal(merged.filter((c) => c.name === 'shared').length, 1);
  assert.equal(merged.length, 3 + 21);
  assert.equal(merged[3].name, 'ad_account_throttle');

  const { compiled } = compileCategories(merged);
  assert.equal(categorize('Please slow down', compiled), 'rate_limit');
  // The default rate_limit pattern is gone: a 429 no longer matches anything.
  assert.equal(categorize('429 Too Many Requests', compiled), UNEXPECTED);
  assert.equal(categorize('Loyalty tier GOLD unknown', compiled), 'loyalty');

  assert.deepEqual(
    mergeCategories(ws, st, DEFAULT_CATEGORIES, false).map((c) => c.name),
    ['loyalty', 'shared', 'rate_limit'],
  );
});

test('an invalid user pattern is reported and skipped; the other categories still work', () => {
  const defs: CategoryDef[] = [
    { name: 'broken', pattern: '(unclosed', source: 'settings', origin: 'settings: syncLogs.errorCategories[2]' },
    ...DEFAULT_CATEGORIES,
  ];
  const { compiled, problems } = compileCategories(defs);
  assert.equal(compiled.length, 22);
  assert.equal(problems.length, 1);
  const p = problems[0];
  assert.equal(p.name, 'broken');
  assert.equal(p.pattern, '(unclosed');
  assert.equal(p.origin, 'settings: syncLogs.errorCategories[2]');
  assert.match(p.message, /"broken"/);
  assert.match(p.message, /settings: syncLogs\.errorCategories\[2\]/);
  assert.match(p.message, /\/\(unclosed\//);
  assert.match(p.message, /Unterminated group/); // the engine's own reason
  assert.match(p.message, /skipped/);
  assert.match(p.message, /escape/);
  assert.equal(categorize('(unclosed paren in text', compiled), UNEXPECTED);
  assert.equal(categorize('429 Too Many Requests', compiled), 'rate_limit');
});

test('pathological input: over-long and empty patterns are problems; huge texts are still categorized', () => {
  const long = 'a'.repeat(MAX_PATTERN_LENGTH + 1);
  const { compiled, problems } = compileCategories([
    { name: 'long', pattern: long, source: 'workspace', origin: 'w.json[0]' },
    { name: 'empty', pattern: '', source: 'workspace', origin: 'w.json[1]' },
    { name: 'fine', pattern: 'a{1000}', source: 'workspace' },
  ]);
  assert.deepEqual(
    compiled.map((c) => c.name),
    ['fine'],
  );
  assert.deepEqual(
    problems.map((p) => p.name),
    ['long', 'empty'],
  );
  assert.match(problems[0].message, /1001 characters.*limit of 1000/);
  assert.match(problems[1].message, /empty/);
  // A pattern of exactly the limit is fine.
  assert.equal(
    compileCategories([{ name: 'edge', pattern: 'b'.repeat(MAX_PATTERN_LENGTH), source: 'settings' }]).problems.length,
    0,
  );
  const page = `502 Bad Gateway ${'<p>filler</p>'.repeat(200_000)}`;
  assert.equal(categorize(page, defaults.compiled), 'transient_5xx');
});

test('case-insensitive matching', () => {
  assert.equal(categorize('unable_to_lock_row: UNABLE TO OBTAIN EXCLUSIVE ACCESS', defaults.compiled), 'record_locked');
});

test('the file Edit Error Categories writes holds no category, and its commented example works once uncommented', () => {
  assert.deepEqual(parseWorkspaceCategories(EMPTY_CATEGORIES_FILE), { categories: [], problems: [] });
  // The merged list is the defaults alone: creating the file changes no result.
  assert.deepEqual(
    mergeCategories(parseWorkspaceCategories(EMPTY_CATEGORIES_FILE).categories, [], DEFAULT_CATEGORIES, true),
    [...DEFAULT_CATEGORIES],
  );
  const edited = EMPTY_CATEGORIES_FILE.replace('  // { "name"', '  { "name"');
  assert.notEqual(edited, EMPTY_CATEGORIES_FILE);
  assert.deepEqual(
    parseWorkspaceCategories(edited).categories.map((c) => [c.name, c.pattern]),
    [['loyalty_tier_unknown', 'unknown loyalty tier']],
  );
});

test('the workspace file may have // and /* */ comments; strings that look like comments are kept', () => {
  const text = `// team categories
[
  /* the loyalty one */ { "name": "loyalty", "pattern": "https?://x|a//b|/\\\\*" }, // trailing
  { "name": "quote \\" // not a comment", "pattern": "x" } /* unclosed at the end`;
  const parsed = parseWorkspaceCategories(`${text} */ ]`);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(
    parsed.categories.map((c) => [c.name, c.pattern]),
    [
      ['loyalty', 'https?://x|a//b|/\\*'],
      ['quote " // not a comment', 'x'],
    ],
  );
  // Positions survive (comments become spaces, line breaks stay), so a JSON error points at the right line.
  const stripped = stripJsonComments(text);
  assert.equal(stripped.length, text.length);
  assert.equal(stripped.split('\n').length, text.split('\n').length);
  assert.equal(stripJsonComments('[1]'), '[1]');
  // An unclosed block comment runs to the end: the file is then not valid JSON, and says so.
  assert.match(
    parseWorkspaceCategories('[ /* {"name": "a", "pattern": "b"} ]').problems[0].message,
    /not valid JSON.*comments are fine/,
  );
});
