import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  epochToIso,
  fixedToJson,
  normalizeSnowflakeCell,
  snowflakeColumnName,
  snowflakeTypeName,
} from '../../src/warehouse/snowflake/snowflakeTypes';
import { floatToJson, parseJsonOrText } from '../../src/warehouse/jsonCells';

/** What snowflake-sdk hands over for DATE/TIMESTAMP columns: a Date with exact epoch getters. */
const sfDate = (epochSeconds: number, nanoSeconds: number) =>
  Object.assign(new Date(epochSeconds * 1000 + Math.trunc(nanoSeconds / 1e6)), {
    getEpochSeconds: () => epochSeconds,
    getNanoSeconds: () => nanoSeconds,
  });

const NOV_1_10H = Date.UTC(2026, 10, 1, 10) / 1000;

test('type names are Snowflake SQL names, lower-case', () => {
  assert.equal(snowflakeTypeName('fixed'), 'number');
  assert.equal(snowflakeTypeName('real'), 'float');
  assert.equal(snowflakeTypeName('text'), 'varchar');
  assert.equal(snowflakeTypeName('TIMESTAMP_TZ'), 'timestamp_tz');
  assert.equal(snowflakeTypeName('variant'), 'variant');
});

test('all-upper column names (unquoted aliases) are lowered; names with a lower-case letter are kept', () => {
  assert.equal(snowflakeColumnName('SYNC_ID'), 'sync_id');
  assert.equal(snowflakeColumnName('COUNT(*)'), 'count(*)');
  assert.equal(snowflakeColumnName('runId'), 'runId');
  assert.equal(snowflakeColumnName('already_lower'), 'already_lower');
  assert.equal(snowflakeColumnName('_1'), '_1');
});

test('NUMBER: integers exact or as digits, decimals as numbers only when they print back the same', () => {
  assert.equal(fixedToJson('42', 0), 42);
  assert.equal(fixedToJson('-9007199254740991', 0), -9007199254740991);
  assert.equal(fixedToJson('9007199254740993', 0), '9007199254740993');
  assert.equal(fixedToJson('99999999999999999999999999999999999999', 0), '99999999999999999999999999999999999999');
  assert.equal(fixedToJson('1.50', 2), 1.5);
  assert.equal(fixedToJson('0.10000000000000000001', 20), '0.10000000000000000001');
  assert.equal(fixedToJson('123456789012345678.5', 1), '123456789012345678.5');
});

test('FLOAT: numbers, with NaN and inf kept as text', () => {
  assert.equal(floatToJson('1.5e3'), 1500);
  assert.equal(floatToJson('-0.25'), -0.25);
  assert.equal(floatToJson('NaN'), 'NaN');
  assert.equal(floatToJson('inf'), 'inf');
});

test('timestamps keep every fraction digit; tz/ltz in UTC with Z, ntz without zone, date as a day', () => {
  assert.equal(epochToIso(NOV_1_10H, 123456789, 'utc'), '2026-11-01T10:00:00.123456789Z');
  assert.equal(epochToIso(NOV_1_10H, 123456000, 'utc'), '2026-11-01T10:00:00.123456Z');
  assert.equal(epochToIso(NOV_1_10H, 0, 'utc'), '2026-11-01T10:00:00Z');
  assert.equal(epochToIso(NOV_1_10H, 1000, 'wall'), '2026-11-01T10:00:00.000001');
  assert.equal(epochToIso(NOV_1_10H, 0, 'date'), '2026-11-01');
  // Before 1970 the driver gives floor(seconds) and a positive fraction.
  assert.equal(epochToIso(-2, 500000000, 'utc'), '1969-12-31T23:59:58.5Z');
});

test('cells by column type, as the adapter fetches them', () => {
  const cell = (value: unknown, type: string, scale?: number) =>
    normalizeSnowflakeCell(value, { name: 'C', type, scale });
  assert.equal(cell(sfDate(NOV_1_10H, 5000), 'timestamp_tz', 9), '2026-11-01T10:00:00.000005Z');
  assert.equal(cell(sfDate(NOV_1_10H, 5000), 'timestamp_ltz', 9), '2026-11-01T10:00:00.000005Z');
  assert.equal(cell(sfDate(NOV_1_10H, 5000), 'timestamp_ntz', 9), '2026-11-01T10:00:00.000005');
  assert.equal(cell(sfDate(20393 * 86400, 0), 'date'), '2025-11-01');
  assert.equal(cell('9007199254740993', 'fixed', 0), '9007199254740993');
  assert.equal(cell('12', 'fixed', 0), 12);
  assert.equal(cell('2.25', 'fixed', 2), 2.25);
  assert.deepEqual(cell('{"a":{"b":[1,"x"]}}', 'variant'), { a: { b: [1, 'x'] } });
  assert.deepEqual(cell('[1,2]', 'array'), [1, 2]);
  assert.equal(cell('"just text"', 'variant'), 'just text');
  assert.equal(cell(true, 'boolean'), true);
  assert.equal(cell('FALSE', 'boolean'), false);
  assert.equal(cell(Buffer.from([0xde, 0xad]), 'binary'), '\\xdead');
  assert.equal(cell('plain', 'text'), 'plain');
  assert.equal(cell(null, 'fixed'), null);
  assert.equal(cell(undefined, 'variant'), null);
});

test('values the driver already converted still come out JSON-able', () => {
  const cell = (value: unknown, type: string) => normalizeSnowflakeCell(value, { name: 'C', type });
  assert.equal(cell(42, 'fixed'), 42);
  assert.equal(cell(12345678901234567890n, 'fixed'), '12345678901234567890');
  assert.equal(cell(Number.POSITIVE_INFINITY, 'real'), 'Infinity');
  assert.deepEqual(cell({ at: new Date(Date.UTC(2026, 0, 2)), n: 1 }, 'object'), {
    at: '2026-01-02T00:00:00.000Z',
    n: 1,
  });
  assert.deepEqual(cell(new Map([['k', 1]]), 'map'), { k: 1 });
});

test('VARIANT text JSON cannot read stays text (no eval)', () => {
  assert.equal(parseJsonOrText('{"a": NaN}'), '{"a": NaN}');
  assert.equal(parseJsonOrText('undefined'), 'undefined');
  assert.deepEqual(parseJsonOrText('{"a":null}'), { a: null });
});

test('VARIANT nested 10,000 levels stays its exact text, as text or parsed by the driver', async () => {
  const { deepJsonText, deepJsonValue, crossesPostMessage } = await import('../support/deepJson');
  const text = deepJsonText(10_000, '{"k": 1}');
  for (const type of ['variant', 'object', 'array']) {
    assert.deepEqual(crossesPostMessage(normalizeSnowflakeCell(text, { name: 'v', type })), { $jsonText: text });
  }
  // Parsed by the driver (other fetch settings): written without recursion, Maps as objects.
  const parsed = deepJsonValue(10_000, new Map([['k', 1]]));
  assert.deepEqual(normalizeSnowflakeCell(parsed, { name: 'v', type: 'variant' }), {
    $jsonText: text.replace('{"k": 1}', '{"k":1}'),
  });
  assert.deepEqual(normalizeSnowflakeCell('{"a": [1]}', { name: 'v', type: 'variant' }), { a: [1] });
  assert.deepEqual(parseJsonOrText('{"$jsonText": "x"}'), { $jsonText: '{"$jsonText": "x"}' });
});
