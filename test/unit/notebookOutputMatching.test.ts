import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellHash, matchOutputs, type CellKey } from '../../src/notebook/outputMatching';

/** Saved entries named by a label, so a test reads which output landed where. */
interface Entry extends CellKey {
  label: string;
}
const saved = (cells: [number, string, string][]): Entry[] =>
  cells.map(([index, text, label]) => ({ index, hash: cellHash('sql', text), label }));
const current = (texts: string[]): CellKey[] => texts.map((t, index) => ({ index, hash: cellHash('sql', t) }));
/** Each current cell's label, or '-' for none. */
const labels = (m: Map<number, Entry>, n: number) => Array.from({ length: n }, (_, i) => m.get(i)?.label ?? '-');

const A = 'select 1';
const B = 'select 2';
const C = 'select 3';

test('cellHash: kind and text count, CRLF reads as LF, and the hash holds no text', () => {
  assert.equal(cellHash('sql', 'select 1\r\nfrom t'), cellHash('sql', 'select 1\nfrom t'));
  assert.notEqual(cellHash('sql', A), cellHash('markdown', A));
  assert.notEqual(cellHash('sql', A), cellHash('sql', `${A} `));
  assert.match(cellHash('sql', A), /^[0-9a-f]{64}$/);
});

test('an edited cell loses only its own output', () => {
  const m = matchOutputs(
    saved([
      [0, A, 'a'],
      [1, B, 'b'],
      [2, C, 'c'],
    ]),
    current([A, 'select 2 -- edited', C]),
  );
  assert.deepEqual(labels(m, 3), ['a', '-', 'c']);
});

test('reordered cells keep their outputs', () => {
  const m = matchOutputs(
    saved([
      [0, A, 'a'],
      [1, B, 'b'],
      [2, C, 'c'],
    ]),
    current([C, A, B]),
  );
  assert.deepEqual(labels(m, 3), ['c', 'a', 'b']);
});

test('an inserted cell gets nothing and the others keep theirs', () => {
  const m = matchOutputs(
    saved([
      [0, A, 'a'],
      [1, B, 'b'],
    ]),
    current([A, 'select 99', B]),
  );
  assert.deepEqual(labels(m, 3), ['a', '-', 'b']);
});

test('identical cells: the position decides, nearest first, even with a cell inserted above both', () => {
  const entries = saved([
    [0, A, 'first copy'],
    [3, A, 'second copy'],
  ]);
  assert.deepEqual(labels(matchOutputs(entries, current([A, B, C, A])), 4), ['first copy', '-', '-', 'second copy']);
  assert.deepEqual(labels(matchOutputs(entries, current([C, A, B, C, A])), 5), [
    '-',
    'first copy',
    '-',
    '-',
    'second copy',
  ]);
  // A third copy added: two keep outputs, one (the farthest) has none; no output is used twice.
  const three = matchOutputs(entries, current([A, A, B, A]));
  assert.deepEqual(labels(three, 4), ['first copy', '-', '-', 'second copy']);
  // One copy deleted: the remaining one takes the nearer output.
  assert.deepEqual(labels(matchOutputs(entries, current([B, B, A])), 3), ['-', '-', 'second copy']);
});

test('nothing saved, or nothing current: no match', () => {
  assert.equal(matchOutputs([], current([A])).size, 0);
  assert.equal(matchOutputs(saved([[0, A, 'a']]), []).size, 0);
});
