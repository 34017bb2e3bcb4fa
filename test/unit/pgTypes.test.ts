import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  int8ToJson,
  normalizeCell,
  numericToJson,
  parsePgArray,
  pgTypeName,
  timestampToIso,
  KNOWN_TYPE_OIDS,
} from '../../src/warehouse/postgres/pgTypes';

test('type names by OID, arrays with [], unknown types by number', () => {
  assert.equal(pgTypeName(20), 'int8');
  assert.equal(pgTypeName(21), 'int2');
  assert.equal(pgTypeName(23), 'int4');
  assert.equal(pgTypeName(1700), 'numeric');
  assert.equal(pgTypeName(700), 'float4');
  assert.equal(pgTypeName(701), 'float8');
  assert.equal(pgTypeName(25), 'text');
  assert.equal(pgTypeName(1043), 'varchar');
  assert.equal(pgTypeName(16), 'bool');
  assert.equal(pgTypeName(114), 'json');
  assert.equal(pgTypeName(3802), 'jsonb');
  assert.equal(pgTypeName(1114), 'timestamp');
  assert.equal(pgTypeName(1184), 'timestamptz');
  assert.equal(pgTypeName(1082), 'date');
  assert.equal(pgTypeName(2950), 'uuid');
  assert.equal(pgTypeName(1009), 'text[]');
  assert.equal(pgTypeName(1016), 'int8[]');
  assert.equal(pgTypeName(987654), 'oid:987654');
  assert.ok(KNOWN_TYPE_OIDS.includes(1184) && KNOWN_TYPE_OIDS.includes(1185));
});

test('int8 is a number while JavaScript holds it exactly, else a string', () => {
  assert.equal(int8ToJson('42'), 42);
  assert.equal(int8ToJson('-9007199254740991'), -9007199254740991);
  assert.equal(int8ToJson('9007199254740993'), '9007199254740993');
  assert.equal(normalizeCell('9223372036854775807', 20), '9223372036854775807');
  assert.equal(normalizeCell(12n, 20), 12);
  assert.equal(normalizeCell(2n ** 60n, 20), '1152921504606846976');
});

test('numeric is a number only when it prints back as the same value', () => {
  assert.equal(numericToJson('1.50'), 1.5);
  assert.equal(numericToJson('0.1'), 0.1);
  assert.equal(numericToJson('-12.000'), -12);
  assert.equal(numericToJson('0.000'), 0);
  assert.equal(numericToJson('123456789012345678901234567890'), '123456789012345678901234567890');
  assert.equal(numericToJson('0.12345678901234567890'), '0.12345678901234567890');
  assert.equal(numericToJson('9007199254740993'), '9007199254740993');
  assert.equal(numericToJson('NaN'), 'NaN');
  assert.equal(numericToJson('0.0000001'), '0.0000001', 'exponent notation never passes for equal');
});

test('floats: numbers, with NaN and infinities kept as words (not JSON numbers)', () => {
  assert.equal(normalizeCell('1.5', 701), 1.5);
  assert.equal(normalizeCell('NaN', 701), 'NaN');
  assert.equal(normalizeCell('-Infinity', 700), '-Infinity');
  assert.equal(normalizeCell(Number.NaN, 701), 'NaN');
});

test('timestamptz becomes UTC ISO with microseconds; timestamp stays zone-less', () => {
  assert.equal(timestampToIso('2024-03-01 12:34:56.123456+00', true), '2024-03-01T12:34:56.123456Z');
  assert.equal(timestampToIso('2024-03-01 01:30:00+05:30', true), '2024-02-29T20:00:00Z');
  assert.equal(timestampToIso('2024-12-31 22:00:00.5-03', true), '2025-01-01T01:00:00.5Z');
  assert.equal(timestampToIso('1883-11-18 12:00:00-04:56:02', true), '1883-11-18T16:56:02Z');
  assert.equal(timestampToIso('0044-03-15 12:00:00+00', true), '0044-03-15T12:00:00Z', 'years below 100 are not 19xx');
  assert.equal(timestampToIso('2024-03-01 12:34:56.789', false), '2024-03-01T12:34:56.789');
  assert.equal(normalizeCell('infinity', 1184), 'infinity');
  assert.equal(normalizeCell('0044-03-15 12:00:00+00 BC', 1184), '0044-03-15 12:00:00+00 BC');
  assert.equal(normalizeCell('2024-03-01', 1082), '2024-03-01');
  assert.equal(normalizeCell(new Date('2024-03-01T00:00:00Z'), 1184), '2024-03-01T00:00:00.000Z');
  assert.equal(normalizeCell(new Date('2024-03-01T00:00:00Z'), 1082), '2024-03-01');
});

test('json and jsonb become objects; invalid text is kept', () => {
  assert.deepEqual(normalizeCell('{"a": [1, "x"], "b": null}', 3802), { a: [1, 'x'], b: null });
  assert.deepEqual(normalizeCell('[1,2]', 114), [1, 2]);
  assert.deepEqual(normalizeCell({ already: 'parsed' }, 3802), { already: 'parsed' });
});

test('bytea becomes a \\x hex string', () => {
  assert.equal(normalizeCell('\\xdead', 17), '\\xdead');
  assert.equal(normalizeCell(new Uint8Array([0xde, 0xad, 0x01]), 17), '\\xdead01');
});

test('booleans, small integers, nulls and unknown types', () => {
  assert.equal(normalizeCell('t', 16), true);
  assert.equal(normalizeCell('f', 16), false);
  assert.equal(normalizeCell('-32768', 21), -32768);
  assert.equal(normalizeCell('7', 23), 7);
  assert.equal(normalizeCell(null, 23), null);
  assert.equal(normalizeCell('(1,2)', 600), '(1,2)');
  assert.equal(normalizeCell('whatever', 99999), 'whatever');
});

test('arrays are parsed, with quoting, NULLs, nesting and element types', () => {
  assert.deepEqual(parsePgArray('{}'), []);
  assert.deepEqual(parsePgArray('{a,"b c",NULL,"NULL","x\\"y\\\\z"}'), ['a', 'b c', null, 'NULL', 'x"y\\z']);
  assert.deepEqual(parsePgArray('{{1,2},{3,4}}'), [
    ['1', '2'],
    ['3', '4'],
  ]);
  assert.deepEqual(parsePgArray('[0:1]={7,8}'), ['7', '8']);
  assert.equal(parsePgArray('{broken'), '{broken');
  assert.deepEqual(normalizeCell('{1,NULL,9007199254740993}', 1016), [1, null, '9007199254740993']);
  assert.deepEqual(normalizeCell('{"2024-01-01 00:00:00+00"}', 1185), ['2024-01-01T00:00:00Z']);
  assert.deepEqual(normalizeCell('{t,f}', 1000), [true, false]);
});

test('json and jsonb nested 10,000 levels (Postgres accepts it) stay their exact text; shallow JSON is parsed', async () => {
  const { deepJsonText, deepJsonValue, crossesPostMessage } = await import('../support/deepJson');
  const text = deepJsonText(10_000, '{"k": "v"}');
  for (const oid of [114, 3802]) {
    const cell = normalizeCell(text, oid);
    assert.deepEqual(cell, { $jsonText: text });
    assert.deepEqual(crossesPostMessage(cell), { $jsonText: text });
    assert.deepEqual(normalizeCell('{"a": [1]}', oid), { a: [1] });
  }
  // jsonb[]: each element on its own.
  assert.deepEqual(normalizeCell(`{"${deepJsonText(200)}","[1]"}`, 3807), [{ $jsonText: deepJsonText(200) }, [1]]);
  // A value some driver parsed already becomes its text too (written without recursion).
  assert.deepEqual(normalizeCell(deepJsonValue(10_000), 3802), { $jsonText: deepJsonText(10_000) });
  assert.deepEqual(normalizeCell([1, { a: 2 }], 3802), [1, { a: 2 }]);
  // A real jsonb value shaped like the marker is carried as text, so the marker is unambiguous.
  assert.deepEqual(normalizeCell('{"$jsonText": "x"}', 3802), { $jsonText: '{"$jsonText": "x"}' });
});
