import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isJsonText,
  jsonText,
  jsonTextDeeperThan,
  MAX_JSON_DEPTH,
  parseJsonCell,
  parsedNeedsText,
  stringifyJson,
} from '../../src/shared/jsonText';
import { cellText } from '../../src/shared/cellText';

const nested = (depth: number, inner = '') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
const deepValue = (depth: number): unknown => {
  let v: unknown = [];
  for (let i = 1; i < depth; i++) v = [v];
  return v;
};

test('the depth scan counts brackets outside strings only, escapes included', () => {
  assert.equal(jsonTextDeeperThan(nested(3), 3), false);
  assert.equal(jsonTextDeeperThan(nested(4), 3), true);
  assert.equal(jsonTextDeeperThan('{"a":{"b":[1]}}', 2), true);
  assert.equal(jsonTextDeeperThan('{"a":{"b":[1]}}', 3), false);
  // Brackets inside strings do not nest, even after escaped quotes and backslashes.
  assert.equal(jsonTextDeeperThan('["[[[[{{{{"]', 1), false);
  assert.equal(jsonTextDeeperThan('["\\"[[[[", "\\\\", "]]]]"]', 1), false);
  assert.equal(jsonTextDeeperThan('["\\\\"]', 1), false, 'an escaped backslash does not escape the closing quote');
  assert.equal(jsonTextDeeperThan('["\\\\", [[1]]]', 2), true, 'after an escaped backslash the string has ended');
  assert.equal(jsonTextDeeperThan('[{"k\\"[": [[]]}]', 3), true);
  assert.equal(jsonTextDeeperThan('"[[[["', 0), false);
  assert.equal(jsonTextDeeperThan('[] [] [] []', 1), false, 'siblings do not add up');
});

test('shallow JSON parses; deeper than the limit stays its exact text; not JSON is undefined', () => {
  assert.deepEqual(parseJsonCell('{"a": [1, {"b": null}]}'), { a: [1, { b: null }] });
  assert.equal(parseJsonCell('"text"'), 'text');
  assert.equal(parseJsonCell('12.5'), 12.5);
  assert.equal(parseJsonCell('not json'), undefined);
  assert.deepEqual(parseJsonCell(nested(MAX_JSON_DEPTH)), deepValue(MAX_JSON_DEPTH));
  const deep = nested(10_000, '{"k": "v ]]] \\" [["}');
  assert.deepEqual(parseJsonCell(deep), { $jsonText: deep });
  assert.deepEqual(parseJsonCell(nested(MAX_JSON_DEPTH + 1)), { $jsonText: nested(MAX_JSON_DEPTH + 1) });
});

test('a real value shaped like a JsonText is carried as text too, so the shape is never ambiguous', () => {
  for (const text of ['{"$jsonText": "x"}', '[{"$jsonText":"[1]"}]', '{"a": {"\\u0024jsonText": "y"}}']) {
    assert.deepEqual(parseJsonCell(text), { $jsonText: text }, text);
  }
  // Other keys beside it, or a non-string value, are not the shape.
  assert.deepEqual(parseJsonCell('{"$jsonText": "x", "b": 1}'), { $jsonText: 'x', b: 1 });
  assert.deepEqual(parseJsonCell('{"$jsonText": 1}'), { $jsonText: 1 });
  assert.equal(parsedNeedsText({ a: [{ $jsonText: 'x' }] }), true);
  assert.equal(parsedNeedsText({ a: [{ $jsonText: 'x', more: 1 }] }), false);
  assert.equal(parsedNeedsText(deepValue(MAX_JSON_DEPTH)), false);
  assert.equal(parsedNeedsText(deepValue(MAX_JSON_DEPTH + 1)), true);
  assert.equal(parsedNeedsText(new Map([['a', deepValue(MAX_JSON_DEPTH)]])), true, 'a Map is a level too');
});

test('a JsonText survives structured clone and JSON, as worker and webview messages carry it', () => {
  const cell = parseJsonCell(nested(10_000));
  assert.ok(isJsonText(cell));
  assert.ok(isJsonText(structuredClone(cell)));
  assert.ok(isJsonText(JSON.parse(JSON.stringify({ rows: [[cell]] })).rows[0][0]));
  assert.equal(cellText(structuredClone(cell)), nested(10_000));
});

test('stringifyJson writes what JSON.stringify writes, at any depth, with JsonText raw', () => {
  const samples: unknown[] = [
    null,
    0,
    -0,
    1e21,
    NaN,
    'quote " backslash \\ newline \n nul \u0000 lone \ud800',
    [],
    {},
    [1, [2, [3, []]], { a: {} }],
    { a: undefined, b: () => 1, c: [undefined, Infinity], d: new Date(0), e: Symbol('s') },
    { nested: { deeper: { list: [true, false, null, 'x'] } }, '': 'empty key', ключ: 'значение' },
  ];
  for (const value of samples) {
    for (const indent of [0, 2])
      assert.equal(
        stringifyJson(value, { indent }),
        JSON.stringify(value, null, indent),
        `${String(value)} / ${indent}`,
      );
  }
  assert.equal(stringifyJson(undefined), undefined);
  assert.equal(stringifyJson({ a: [1] }, { indent: 2, level: 2 }), '{\n      "a": [\n        1\n      ]\n    }');
  assert.equal(stringifyJson([jsonText('[[ 1 ]]'), { k: jsonText('{"x": 2}') }]), '[[[ 1 ]],{"k":{"x": 2}}]');
  assert.equal(stringifyJson(deepValue(10_000)), nested(10_000), 'JSON.stringify overflows its stack here');
  assert.throws(() => JSON.stringify(deepValue(10_000)), RangeError);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => stringifyJson(cyclic), TypeError);
  assert.throws(() => stringifyJson({ n: 1n }), TypeError);
  const shared = { x: 1 };
  assert.equal(stringifyJson([shared, shared]), '[{"x":1},{"x":1}]', 'a value seen twice is not a cycle');
});

test('cellText prints deep JSON (text kept or parsed) instead of [object Object]', () => {
  assert.equal(cellText(deepValue(10_000)), nested(10_000));
  assert.equal(cellText(jsonText('{"a": 1}')), '{"a": 1}');
  assert.equal(cellText({ a: [1, 'b'] }), '{"a":[1,"b"]}');
});
