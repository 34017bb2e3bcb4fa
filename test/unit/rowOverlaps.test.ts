import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distinctRowsByGroup, rowKey, rowsWithTexts, type RowTextPair } from '../../src/analysis/rowOverlaps';

// The overlap arithmetic against a brute force: distinct rows per group counted from the
// operations themselves, with the per-text figures and pairs built as the warehouse query does.

/** A small deterministic generator (mulberry32), so a failing seed can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Op {
  syncId: string;
  rowId: string;
  reason: string | null;
}

function ops(seed: number): Op[] {
  const rnd = random(seed);
  const out: Op[] = [];
  const texts = ['A1', 'A2', 'A3', 'B1', 'B2', 'C1', null];
  for (let i = 0; i < 300; i++) {
    // The same row id in two syncs is two rows.
    const syncId = rnd() < 0.5 ? '1' : '2';
    const rowId = `r${Math.floor(rnd() * 40)}`;
    out.push({ syncId, rowId, reason: texts[Math.floor(rnd() * texts.length)] });
  }
  return out;
}

/** What failureTextsQuery returns: per text its distinct rows, and the (row, text) pairs of rows with more than one text. */
function asQueried(all: readonly Op[]): { texts: { reason: string | null; rows: number }[]; pairs: RowTextPair[] } {
  const rowsOf = new Map<string | null, Set<string>>();
  const textsOf = new Map<string, Set<string | null>>();
  for (const o of all) {
    const key = rowKey(o.syncId, o.rowId);
    if (!rowsOf.has(o.reason)) rowsOf.set(o.reason, new Set());
    rowsOf.get(o.reason)!.add(key);
    if (!textsOf.has(key)) textsOf.set(key, new Set());
    textsOf.get(key)!.add(o.reason);
  }
  const pairs: RowTextPair[] = [];
  for (const [key, texts] of [...textsOf].sort(([a], [b]) => (a < b ? -1 : 1)))
    if (texts.size > 1) for (const reason of texts) pairs.push({ rowKey: key, reason });
  return { texts: [...rowsOf].map(([reason, rows]) => ({ reason, rows: rows.size })), pairs };
}

function bruteForce(all: readonly Op[], groupOf: (reason: string | null) => string | undefined): Map<string, number> {
  const sets = new Map<string, Set<string>>();
  for (const o of all) {
    const g = groupOf(o.reason);
    if (g === undefined) continue;
    if (!sets.has(g)) sets.set(g, new Set());
    sets.get(g)!.add(rowKey(o.syncId, o.rowId));
  }
  return new Map([...sets].map(([g, s]) => [g, s.size]));
}

const byTemplate = (reason: string | null) => (reason === null ? 'none' : reason.slice(0, 1));
const byCategory = (reason: string | null) => (reason === null || reason.startsWith('C') ? 'unexpected' : 'known');
const everything = () => 'all';

test('rows per group equal distinct rows counted from the operations, for templates, categories and the total', () => {
  for (let seed = 1; seed <= 50; seed++) {
    const all = ops(seed);
    const { texts, pairs } = asQueried(all);
    const multi = rowsWithTexts(pairs);
    assert.ok(multi.length > 0, 'the sample has rows with several texts');
    for (const groupOf of [byTemplate, byCategory, everything]) {
      assert.deepEqual(distinctRowsByGroup(texts, multi, groupOf), bruteForce(all, groupOf), `seed ${seed}`);
    }
    // Summing the per-text rows would overcount: the test data must be able to tell.
    const summed = texts.reduce((s, t) => s + t.rows, 0);
    assert.ok(summed > bruteForce(all, everything).get('all')!, `seed ${seed}: a plain sum overcounts`);
  }
});

test('texts left out of the table count for nothing, in the sums and in the overlaps', () => {
  const all = ops(7);
  const { texts, pairs } = asQueried(all);
  const read = texts.filter((t) => t.reason !== 'A2');
  const onlyRead = (r: string | null) => (r === 'A2' ? undefined : byTemplate(r));
  assert.deepEqual(distinctRowsByGroup(read, rowsWithTexts(pairs), onlyRead), bruteForce(all, onlyRead));
});

test('cut-short pairs give upper bounds, never below the largest text of the group', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const all = ops(seed);
    const { texts, pairs } = asQueried(all);
    const exact = bruteForce(all, byTemplate);
    for (const keep of [0, 1, Math.floor(pairs.length / 2), pairs.length - 1]) {
      const bounded = distinctRowsByGroup(texts, rowsWithTexts(pairs.slice(0, keep)), byTemplate);
      for (const [g, n] of exact) {
        const largest = Math.max(...texts.filter((t) => byTemplate(t.reason) === g).map((t) => t.rows));
        assert.ok(bounded.get(g)! >= n, `seed ${seed} keep ${keep} ${g}: ${bounded.get(g)} >= ${n}`);
        assert.ok(bounded.get(g)! >= largest);
      }
    }
  }
});

test('pairs group by row key; a repeated pair counts once; the key keeps sync and row id apart', () => {
  assert.deepEqual(
    rowsWithTexts([
      { rowKey: rowKey('1', 'a'), reason: 'x' },
      { rowKey: rowKey('1', 'a'), reason: 'x' },
      { rowKey: rowKey('1', 'a'), reason: null },
      { rowKey: rowKey('2', 'a'), reason: 'y' },
    ]),
    [['x', null], ['y']],
  );
  assert.notEqual(rowKey('1', '23'), rowKey('12', '3'));
  assert.deepEqual(
    distinctRowsByGroup(
      [
        { reason: 'x', rows: 0 },
        { reason: 'y', rows: 2 },
      ],
      [],
      () => 'g',
    ),
    new Map([['g', 2]]),
  );
});
