import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  bigQueryTypeName,
  normalizeCell,
  normalizeRow,
  timestampToIso,
  toQueryParameters,
  type BigQueryField,
} from '../../src/warehouse/bigquery/bigqueryTypes';

const f = (type: string, extra: Partial<BigQueryField> = {}): BigQueryField => ({ name: 'c', type, ...extra });

describe('bigQueryTypeName', () => {
  it('spells legacy wire names as standard SQL, lower-case, with arrays', () => {
    assert.equal(bigQueryTypeName(f('INTEGER')), 'int64');
    assert.equal(bigQueryTypeName(f('FLOAT')), 'float64');
    assert.equal(bigQueryTypeName(f('BOOLEAN')), 'bool');
    assert.equal(bigQueryTypeName(f('RECORD')), 'struct');
    assert.equal(bigQueryTypeName(f('TIMESTAMP')), 'timestamp');
    assert.equal(bigQueryTypeName(f('STRING', { mode: 'REPEATED' })), 'array<string>');
  });
});

describe('timestampToIso', () => {
  it('reads int64 microseconds, keeping them and dropping trailing zeros', () => {
    assert.equal(timestampToIso('1793527200123456'), '2026-11-01T10:00:00.123456Z');
    assert.equal(timestampToIso('1793527200120000'), '2026-11-01T10:00:00.12Z');
    assert.equal(timestampToIso('1793527200000000'), '2026-11-01T10:00:00Z');
  });

  it('floors times before 1970 instead of truncating toward zero', () => {
    assert.equal(timestampToIso('-1'), '1969-12-31T23:59:59.999999Z');
    assert.equal(timestampToIso('-1000000'), '1969-12-31T23:59:59Z');
  });

  it('reads the float-seconds form the API sends without useInt64Timestamp', () => {
    assert.equal(timestampToIso('1.7935272001234561E9'), '2026-11-01T10:00:00.123456Z');
    assert.equal(timestampToIso('1793527200.5'), '2026-11-01T10:00:00.5Z');
  });

  it('turns UTC text into ISO with Z and leaves other text alone', () => {
    assert.equal(timestampToIso('2026-11-01 10:00:00.25 UTC'), '2026-11-01T10:00:00.25Z');
    assert.equal(timestampToIso('2026-11-01T10:00:00+00:00'), '2026-11-01T10:00:00Z');
    assert.equal(timestampToIso('not a time'), 'not a time');
  });
});

describe('normalizeCell', () => {
  it('keeps integers exact: numbers when safe, strings beyond 2^53', () => {
    assert.equal(normalizeCell('42', f('INTEGER')), 42);
    assert.equal(normalizeCell('-9007199254740991', f('INT64')), -9007199254740991);
    assert.equal(normalizeCell('9007199254740993', f('INTEGER')), '9007199254740993');
  });

  it('turns NUMERIC into a number only when it prints back exactly', () => {
    assert.equal(normalizeCell('12.50', f('NUMERIC')), 12.5);
    assert.equal(normalizeCell('123456789012345678.123456789', f('NUMERIC')), '123456789012345678.123456789');
    assert.equal(normalizeCell('0.1', f('BIGNUMERIC')), 0.1);
  });

  it('keeps non-finite floats as words (not JSON numbers)', () => {
    assert.equal(normalizeCell('2.5', f('FLOAT')), 2.5);
    assert.equal(normalizeCell('NaN', f('FLOAT64')), 'NaN');
    assert.equal(normalizeCell('-Infinity', f('FLOAT')), '-Infinity');
  });

  it('reads booleans, DATETIME without zone, DATE, JSON and BYTES', () => {
    assert.equal(normalizeCell('false', f('BOOLEAN')), false);
    assert.equal(normalizeCell('true', f('BOOL')), true);
    assert.equal(normalizeCell('2026-11-01 10:00:00.123456', f('DATETIME')), '2026-11-01T10:00:00.123456');
    assert.equal(normalizeCell('2026-11-01', f('DATE')), '2026-11-01');
    assert.deepEqual(normalizeCell('{"a":[1,null]}', f('JSON')), { a: [1, null] });
    assert.equal(normalizeCell('{broken', f('JSON')), '{broken');
    assert.equal(normalizeCell(Buffer.from('hi').toString('base64'), f('BYTES')), '\\x6869');
  });

  it('maps REPEATED and nested RECORD cells to arrays and objects, typing each element', () => {
    const field = f('RECORD', {
      mode: 'REPEATED',
      fields: [
        { name: 'n', type: 'INTEGER' },
        { name: 'at', type: 'TIMESTAMP' },
        { name: 'tags', type: 'STRING', mode: 'REPEATED' },
      ],
    });
    const wire = [
      { v: { f: [{ v: '1' }, { v: '0' }, { v: [{ v: 'a' }] }] } },
      { v: { f: [{ v: null }, { v: null }, { v: [] }] } },
    ];
    assert.deepEqual(normalizeCell(wire, field), [
      { n: 1, at: '1970-01-01T00:00:00Z', tags: ['a'] },
      { n: null, at: null, tags: [] },
    ]);
  });

  it('normalizes a whole raw row in column order, null for missing cells', () => {
    const fields = [f('INTEGER'), { name: 'b', type: 'STRING' }, { name: 'c', type: 'BOOLEAN' }];
    assert.deepEqual(normalizeRow({ f: [{ v: '1' }, { v: null }] }, fields), [1, null, null]);
  });

  it('accepts values someone already parsed', () => {
    assert.equal(normalizeCell(12n, f('INTEGER')), 12);
    assert.equal(normalizeCell(2n ** 60n, f('INTEGER')), '1152921504606846976');
    assert.equal(normalizeCell(new Date('2026-11-01T00:00:00Z'), f('DATE')), '2026-11-01');
  });
});

describe('toQueryParameters', () => {
  it('names values p1..pn and types them from the JS value', () => {
    const when = new Date('2026-11-01T10:00:00Z');
    const params = toQueryParameters([7, 0.25, 'x', false, null, when, 10n ** 20n, new Uint8Array([1, 2]), { a: 1 }]);
    assert.deepEqual(
      params.map((p) => [p.name, p.parameterType.type, p.parameterValue.value]),
      [
        ['p1', 'INT64', '7'],
        ['p2', 'FLOAT64', '0.25'],
        ['p3', 'STRING', 'x'],
        ['p4', 'BOOL', 'false'],
        ['p5', 'STRING', null],
        ['p6', 'TIMESTAMP', '2026-11-01T10:00:00.000Z'],
        ['p7', 'INT64', '100000000000000000000'],
        ['p8', 'BYTES', 'AQI='],
        ['p9', 'JSON', '{"a":1}'],
      ],
    );
  });

  it('sends unsafe integers and non-finite numbers as FLOAT64 words BigQuery reads', () => {
    const [big, nan, inf] = toQueryParameters([2 ** 60, Number.NaN, Number.NEGATIVE_INFINITY]);
    assert.equal(big.parameterType.type, 'FLOAT64');
    assert.equal(nan.parameterValue.value, 'NaN');
    assert.equal(inf.parameterValue.value, '-Infinity');
  });

  it('types arrays by their first non-null element, STRING when empty', () => {
    const [ints, empty] = toQueryParameters([[null, 1, 2], []]);
    assert.deepEqual(ints.parameterType, { type: 'ARRAY', arrayType: { type: 'INT64' } });
    assert.deepEqual(ints.parameterValue.arrayValues, [{ value: null }, { value: '1' }, { value: '2' }]);
    assert.deepEqual(empty.parameterType, { type: 'ARRAY', arrayType: { type: 'STRING' } });
  });

  it('refuses what BigQuery cannot take, naming the parameter', () => {
    assert.throws(() => toQueryParameters(['ok', [1, 'a']]), /@p2 mixes INT64 and STRING/);
    assert.throws(() => toQueryParameters([[[1]]]), /@p1 is an array of arrays/);
    assert.throws(() => toQueryParameters([new Date('nope')]), /@p1 is an invalid Date/);
  });
});

describe('deeply nested JSON', () => {
  it('JSON cells nested 10,000 levels stay their exact text, alone, repeated and in a record', async () => {
    const { deepJsonText, deepJsonValue, crossesPostMessage } = await import('../support/deepJson');
    const text = deepJsonText(10_000);
    const json: BigQueryField = { name: 'j', type: 'JSON' };
    assert.deepEqual(crossesPostMessage(normalizeCell(text, json)), { $jsonText: text });
    assert.deepEqual(normalizeCell([{ v: text }, { v: '[1]' }], { ...json, mode: 'REPEATED' }), [
      { $jsonText: text },
      [1],
    ]);
    const record: BigQueryField = { name: 'r', type: 'RECORD', fields: [json, { name: 'n', type: 'INTEGER' }] };
    assert.deepEqual(normalizeCell({ f: [{ v: text }, { v: '7' }] }, record), { j: { $jsonText: text }, n: 7 });
    assert.deepEqual(normalizeCell(deepJsonValue(10_000), json), { $jsonText: text }, 'a value parsed already');
    assert.deepEqual(normalizeCell('{"a": [1]}', json), { a: [1] });
  });
});
