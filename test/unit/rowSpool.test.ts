/**
 * The result spool (src/results/rowSpool.ts): rows past a memory budget go to a temporary file
 * and read back exactly, by index, from wherever they are (memory, a written block, the block
 * being filled); the file goes when the result does, and a sweep removes what a dead process left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RowSpool, sweepStaleSpools } from '../../src/results/rowSpool';
import { approxRowBytes } from '../../src/results/rowBytes';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'spool-test-'));
}

/** Rows with every kind of cell a result carries, different on every row. */
function rowAt(i: number): unknown[] {
  return [
    i,
    `row ${i} – ünïcödé ${'x'.repeat(i % 50)}`,
    i % 7 === 0 ? null : i % 2 === 0,
    i % 5 === 0 ? '' : { id: i, tags: ['a', String(i)], nested: { deep: [i, null] } },
    i % 11 === 0 ? { $jsonText: `{"n": ${i}}` } : i / 3,
  ];
}

test('rows within the budget stay in memory and no file is made', () => {
  const dir = scratch();
  try {
    const spool = new RowSpool({ budgetBytes: 10_000_000, dir });
    const rows = Array.from({ length: 1000 }, (_, i) => rowAt(i));
    spool.append(rows);
    assert.equal(spool.count, 1000);
    assert.equal(spool.inMemory, true);
    assert.equal(spool.fileBytes, 0);
    assert.deepEqual(readdirSync(dir), []);
    assert.deepEqual(spool.slice(0, 1000), rows);
    spool.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rows past the budget go to a file and read back exactly, in any order', () => {
  const dir = scratch();
  try {
    const spool = new RowSpool({ budgetBytes: 20_000, dir, blockRows: 64 });
    const n = 5_003; // not a whole number of blocks: the last rows are in the block being filled
    for (let i = 0; i < n; i += 97) spool.append(Array.from({ length: Math.min(97, n - i) }, (_, j) => rowAt(i + j)));
    assert.equal(spool.count, n);
    assert.equal(spool.inMemory, false);
    assert.ok(spool.fileBytes > 0, 'something was written');
    assert.ok(spool.path && existsSync(spool.path), 'the spool folder exists');
    assert.ok(spool.rowsInMemory < 200, `rows held in memory: ${spool.rowsInMemory}`);
    // Random reads across the head, written blocks and the unwritten tail.
    let seed = 7;
    for (let k = 0; k < 2_000; k++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const i = seed % n;
      assert.deepEqual(spool.row(i), rowAt(i), `row ${i}`);
    }
    assert.deepEqual(
      spool.slice(n - 300, n + 10),
      Array.from({ length: 300 }, (_, j) => rowAt(n - 300 + j)),
      'a slice past the end stops at the last row',
    );
    assert.deepEqual(spool.row(n), [], 'past the end: an empty row, as an array gives');
    assert.deepEqual(spool.row(-1), []);
    const folder = spool.path as string;
    spool.dispose();
    assert.equal(existsSync(folder), false, 'dispose deletes the spool');
    assert.throws(() => spool.row(0), /closed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the estimate grows with the text a row holds', () => {
  const small = approxRowBytes([1, 'a', null]);
  const big = approxRowBytes([1, 'a'.repeat(10_000), null]);
  assert.ok(big - small >= 10_000, `${small} vs ${big}`);
  assert.ok(approxRowBytes([{ a: { b: { c: { d: { e: 'x'.repeat(1e6) } } } } }]) < 1000, 'deep JSON is not walked');
});

test('a spool that cannot write says which setting to change', () => {
  const dir = join(scratch(), 'missing', 'deeper');
  const spool = new RowSpool({ budgetBytes: 0, dir, blockRows: 2 });
  assert.throws(
    () => spool.append([rowAt(1), rowAt(2), rowAt(3)]),
    (err: Error) => /syncLogs\.resultMemoryBudgetMB/.test(err.message) && /maxResultRows/.test(err.message),
  );
  spool.dispose();
});

test('the sweep removes spools of dead processes and keeps those of living ones', () => {
  const dir = scratch();
  try {
    // A pid above the kernel's maximum (2^22) belongs to no process.
    const dead = join(dir, 'synclogs-spool-4194999-abc');
    const mine = join(dir, `synclogs-spool-${process.pid}-def`);
    const other = join(dir, 'unrelated-1-x');
    for (const d of [dead, mine, other]) mkdirSync(d);
    assert.equal(sweepStaleSpools(dir), 1);
    assert.equal(existsSync(dead), false);
    assert.equal(existsSync(mine), true);
    assert.equal(existsSync(other), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
