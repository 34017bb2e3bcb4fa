import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketRuns } from '../../src/analysis/runBuckets';
import type { RunPoint } from '../../src/shared/analysisData';

const run = (syncRunId: string, startedAt: string | null, status: string | null = 'succeeded'): RunPoint => ({
  syncId: '1',
  syncRunId,
  startedAt,
  status,
  error: null,
});

test('no runs: no buckets, every lookup is -1', () => {
  const b = bucketRuns([], 10);
  assert.equal(b.unit, 'run');
  assert.deepEqual(b.buckets, []);
  assert.equal(b.indexOf('x'), -1);
});

test('few runs: one bucket per run, oldest first; runs without a start are skipped; duplicates count once', () => {
  const b = bucketRuns(
    [
      run('c', '2025-01-01T12:00:00Z', 'failed'),
      run('a', '2025-01-01T10:00:00Z'),
      run('never', null),
      run('bad', 'not a date'),
      run('b', '2025-01-01T11:00:00Z'),
      run('a', '2025-01-01T10:00:00Z'),
    ],
    3,
  );
  assert.equal(b.unit, 'run');
  assert.deepEqual(b.buckets, [
    { start: '2025-01-01T10:00:00Z', runs: 1, failedRuns: 0, syncRunId: 'a' },
    { start: '2025-01-01T11:00:00Z', runs: 1, failedRuns: 0, syncRunId: 'b' },
    { start: '2025-01-01T12:00:00Z', runs: 1, failedRuns: 1, syncRunId: 'c' },
  ]);
  assert.deepEqual(['a', 'b', 'c', 'never', 'bad', 'zzz'].map(b.indexOf), [0, 1, 2, -1, -1, -1]);
});

test('more runs than buckets but a short span: UTC hours, empty hours kept', () => {
  const b = bucketRuns(
    [
      run('r1', '2025-01-01T10:05:00Z'),
      run('r2', '2025-01-01T10:10:00Z', 'failed'),
      run('r3', '2025-01-01T10:20:00Z'),
      run('r4', '2025-01-01T13:30:00Z', 'FAILED'),
      // 14:40 at +01:00 is 13:40 UTC.
      run('r5', '2025-01-01T14:40:00+01:00'),
    ],
    4,
  );
  assert.equal(b.unit, 'hour');
  assert.deepEqual(b.buckets, [
    { start: '2025-01-01T10:00:00.000Z', runs: 3, failedRuns: 1 },
    { start: '2025-01-01T11:00:00.000Z', runs: 0, failedRuns: 0 },
    { start: '2025-01-01T12:00:00.000Z', runs: 0, failedRuns: 0 },
    { start: '2025-01-01T13:00:00.000Z', runs: 2, failedRuns: 1 },
  ]);
  assert.deepEqual(['r1', 'r2', 'r3', 'r4', 'r5'].map(b.indexOf), [0, 0, 0, 3, 3]);
});

test('a long span: UTC days, which may exceed maxBuckets', () => {
  // 70 runs, one per day at 23:30 UTC, 60 buckets allowed: 70 day buckets.
  const start = Date.parse('2025-01-01T23:30:00Z');
  const runs = Array.from({ length: 70 }, (_, i) =>
    run(`d${i}`, new Date(start + i * 86_400_000).toISOString(), i % 10 === 0 ? 'failed' : 'succeeded'),
  );
  const b = bucketRuns(runs, 60);
  assert.equal(b.unit, 'day');
  assert.equal(b.buckets.length, 70);
  assert.equal(b.buckets[0].start, '2025-01-01T00:00:00.000Z');
  assert.equal(b.buckets[69].start, '2025-03-11T00:00:00.000Z');
  assert.equal(
    b.buckets.reduce((s, x) => s + x.runs, 0),
    70,
  );
  assert.equal(
    b.buckets.reduce((s, x) => s + x.failedRuns, 0),
    7,
  );
  assert.equal(b.indexOf('d45'), 45);
});

test('the hour/day threshold: a span of exactly maxBuckets hours stays hourly', () => {
  const runs = [run('a', '2025-01-01T00:00:00Z'), run('b', '2025-01-01T00:30:00Z'), run('c', '2025-01-01T02:59:59Z')];
  assert.equal(bucketRuns(runs, 3).unit, 'run');
  assert.equal(bucketRuns(runs, 2).unit, 'day');
  const four = [...runs, run('d', '2025-01-01T01:00:00Z')];
  const b = bucketRuns(four, 3);
  assert.equal(b.unit, 'hour');
  assert.deepEqual(
    b.buckets.map((x) => x.runs),
    [2, 1, 1],
  );
});
