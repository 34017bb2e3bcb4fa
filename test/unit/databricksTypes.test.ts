import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  databricksBind,
  databricksTypeName,
  normalizeDatabricksCell,
  timestampCell,
} from '../../src/warehouse/databricks/databricksTypes';

const desc = (type: number, qualifiers?: Record<string, { i32Value: number }>) => ({
  columnName: 'c',
  typeDesc: { types: [{ primitiveEntry: { type, typeQualifiers: qualifiers ? { qualifiers } : null } }] },
});

describe('databricksTypeName', () => {
  it('names Thrift type ids as Databricks spells them, with decimal precision', () => {
    assert.equal(databricksTypeName(desc(4)), 'bigint');
    assert.equal(databricksTypeName(desc(8)), 'timestamp');
    assert.equal(
      databricksTypeName(desc(15, { precision: { i32Value: 38 }, scale: { i32Value: 6 } })),
      'decimal(38,6)',
    );
    assert.equal(databricksTypeName({ columnName: 'c', typeDesc: { types: [{ arrayEntry: {} }] } }), 'array');
  });
});

describe('normalizeDatabricksCell', () => {
  it('timestamps become UTC ISO strings keeping microseconds', () => {
    assert.equal(normalizeDatabricksCell('2026-11-01 10:00:00.123456', 'timestamp'), '2026-11-01T10:00:00.123456Z');
    assert.equal(normalizeDatabricksCell('2026-11-01 10:00:00', 'timestamp'), '2026-11-01T10:00:00Z');
    assert.equal(timestampCell('2026-11-01 10:00:00.5+02:00'), '2026-11-01T08:00:00.5Z');
    assert.equal(
      normalizeDatabricksCell(new Date(Date.UTC(2026, 10, 1, 10, 0, 0, 123)), 'timestamp'),
      '2026-11-01T10:00:00.123Z',
    );
    assert.equal(normalizeDatabricksCell('not a time', 'timestamp'), 'not a time');
  });

  it('dates stay YYYY-MM-DD, also from a Date', () => {
    assert.equal(normalizeDatabricksCell('2026-11-01', 'date'), '2026-11-01');
    assert.equal(normalizeDatabricksCell(new Date(Date.UTC(2026, 10, 1)), 'date'), '2026-11-01');
  });

  it('integers beyond 2^53 stay exact as strings; non-finite numbers become words', () => {
    assert.equal(normalizeDatabricksCell(42, 'bigint'), 42);
    assert.equal(normalizeDatabricksCell(9007199254740993n, 'bigint'), '9007199254740993');
    assert.equal(normalizeDatabricksCell('9007199254740993', 'bigint'), '9007199254740993');
    const int64Like = { toString: (radix?: number) => (radix === 10 ? '-9223372036854775808' : '[Int64]') };
    assert.equal(normalizeDatabricksCell(int64Like, 'bigint'), '-9223372036854775808');
    assert.equal(normalizeDatabricksCell(Infinity, 'bigint'), 'Infinity');
  });

  it('decimals are numbers only when exact', () => {
    assert.equal(normalizeDatabricksCell('12.50', 'decimal(10,2)'), 12.5);
    assert.equal(normalizeDatabricksCell('12345678901234567890.12', 'decimal(38,2)'), '12345678901234567890.12');
    assert.equal(normalizeDatabricksCell(0.1, 'decimal(3,1)'), 0.1);
  });

  it('floats, booleans, strings, binary and complex types', () => {
    assert.equal(normalizeDatabricksCell(NaN, 'double'), 'NaN');
    assert.equal(normalizeDatabricksCell(1.25, 'float'), 1.25);
    assert.equal(normalizeDatabricksCell(true, 'boolean'), true);
    assert.equal(normalizeDatabricksCell('true', 'boolean'), true);
    assert.equal(normalizeDatabricksCell('x', 'string'), 'x');
    assert.equal(normalizeDatabricksCell(Buffer.from([1, 255]), 'binary'), '\\x01ff');
    assert.deepEqual(normalizeDatabricksCell('{"a":[1,2]}', 'struct'), { a: [1, 2] });
    assert.deepEqual(normalizeDatabricksCell(['a', 9007199254740993n], 'array'), ['a', '9007199254740993']);
    assert.equal(normalizeDatabricksCell('{broken', 'map'), '{broken');
    assert.equal(normalizeDatabricksCell(null, 'bigint'), null);
    assert.equal(normalizeDatabricksCell(undefined, 'string'), null);
  });
});

describe('databricksBind', () => {
  it('types bound values explicitly', () => {
    assert.deepEqual(databricksBind(7), { type: 'INTEGER', value: 7 });
    assert.deepEqual(databricksBind(2 ** 40), { type: 'BIGINT', value: 2 ** 40 });
    assert.deepEqual(databricksBind(2 ** 60), { type: 'DOUBLE', value: 2 ** 60 });
    assert.deepEqual(databricksBind(1.5), { type: 'DOUBLE', value: 1.5 });
    assert.deepEqual(databricksBind(5n), { type: 'BIGINT', value: 5n });
    assert.deepEqual(databricksBind('s'), { type: 'STRING', value: 's' });
    assert.deepEqual(databricksBind(false), { type: 'BOOLEAN', value: false });
    assert.deepEqual(databricksBind(null), { type: 'VOID', value: null });
    assert.deepEqual(databricksBind({ k: 1 }), { type: 'STRING', value: '{"k":1}' });
    assert.equal(databricksBind(new Date(0)).type, 'TIMESTAMP');
  });
});

describe('deeply nested complex values', () => {
  it('ARRAY/MAP/STRUCT nested 10,000 levels stay their exact text, as text or parsed by the driver', async () => {
    const { deepJsonText, deepJsonValue, crossesPostMessage } = await import('../support/deepJson');
    const text = deepJsonText(10_000);
    assert.deepEqual(crossesPostMessage(normalizeDatabricksCell(text, 'array')), { $jsonText: text });
    assert.deepEqual(crossesPostMessage(normalizeDatabricksCell(deepJsonValue(10_000, 1n), 'array')), {
      $jsonText: deepJsonText(10_000, '1'),
    });
    assert.deepEqual(normalizeDatabricksCell('{"a": [1]}', 'struct'), { a: [1] });
    assert.deepEqual(normalizeDatabricksCell({ a: [1n, null] }, 'struct'), { a: [1, null] });
  });
});
