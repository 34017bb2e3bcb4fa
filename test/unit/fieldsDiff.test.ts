import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_VALUE_TEXT, diffFields } from '../../src/analysis/fieldsDiff';

test('added, removed and changed top-level fields, sorted by name, values as compact JSON', () => {
  const before = { email: 'a@example.com', tier: 'gold', score: 10, tags: ['a', 'b'], gone: null };
  const after = { email: 'a@example.com', tier: 'platinum', score: 10, tags: ['b', 'a'], city: 'Oslo' };
  assert.deepEqual(diffFields(before, after), [
    { field: 'city', kind: 'added', after: '"Oslo"' },
    { field: 'gone', kind: 'removed', before: 'null' },
    { field: 'tags', kind: 'changed', before: '["a","b"]', after: '["b","a"]' },
    { field: 'tier', kind: 'changed', before: '"gold"', after: '"platinum"' },
  ]);
});

test('JSON text and objects compare alike; nested objects are equal regardless of key order', () => {
  const text = '{"address": {"city": "Oslo", "zip": "0150"}, "n": 1}';
  assert.deepEqual(diffFields(text, { n: 1, address: { zip: '0150', city: 'Oslo' } }), []);
  assert.deepEqual(diffFields(text, { n: 1, address: { zip: '0151', city: 'Oslo' } }), [
    {
      field: 'address',
      kind: 'changed',
      before: '{"city":"Oslo","zip":"0150"}',
      after: '{"zip":"0151","city":"Oslo"}',
    },
  ]);
  // A number and its string are different values.
  assert.equal(diffFields({ id: 1 }, { id: '1' }).length, 1);
  // null is a value, not an absence.
  assert.deepEqual(diffFields({ x: null }, { x: 0 }), [{ field: 'x', kind: 'changed', before: 'null', after: '0' }]);
});

test('anything that is not a JSON object counts as no fields', () => {
  for (const none of [null, undefined, 42, 'not json', '[1,2]', '"text"', [1, 2]]) {
    assert.deepEqual(diffFields(none, { a: 1 }), [{ field: 'a', kind: 'added', after: '1' }], String(none));
  }
  assert.deepEqual(diffFields('garbage', 'garbage'), []);
});

test('long values are cut at 300 characters with an ellipsis', () => {
  const long = 'x'.repeat(1000);
  const [change] = diffFields({}, { bio: long });
  assert.equal(change.after?.length, MAX_VALUE_TEXT + 1);
  assert.ok(change.after?.startsWith('"xxx'));
  assert.ok(change.after?.endsWith('…'));
  const [short] = diffFields({}, { bio: 'x'.repeat(MAX_VALUE_TEXT - 2) });
  assert.equal(short.after?.length, MAX_VALUE_TEXT);
  assert.ok(!short.after?.endsWith('…'));
});

test('hostile values are data: rendered as JSON text, never interpreted', () => {
  assert.deepEqual(diffFields({ name: 'Ann' }, { name: '<img src=x onerror=alert(1)>' }), [
    { field: 'name', kind: 'changed', before: '"Ann"', after: '"<img src=x onerror=alert(1)>"' },
  ]);
});
