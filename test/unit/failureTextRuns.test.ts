import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withRunDetails } from '../../src/analysis/failureTextRuns';
import type { RunPoint } from '../../src/shared/analysisData';

const run = (id: string, startedAt: string | null): RunPoint => ({
  syncId: 's',
  syncRunId: id,
  startedAt,
  status: 'succeeded',
  error: null,
});

test('first and last seen follow the runs’ start times, not their ids; the sample is the smallest row id', () => {
  // Run ids out of time order on purpose: "10" started before "9".
  const runs = [run('10', '2026-01-01T00:00:00Z'), run('9', '2026-01-03T00:00:00Z'), run('11', null)];
  const texts = [
    { reason: 'Contact 123 not found', count: 3, rows: 2, sampleRowId: null, firstSeen: null, lastSeen: null },
    { reason: 'never in a run', count: 1, rows: 1, sampleRowId: null, firstSeen: null, lastSeen: null },
  ];
  const out = withRunDetails(
    texts,
    [
      { syncRunId: '9', reason: 'Contact 123 not found', count: 2, sampleRowId: 'row-b' },
      { syncRunId: '10', reason: 'Contact 123 not found', count: 1, sampleRowId: 'row-c' },
      { syncRunId: '11', reason: 'Contact 123 not found', count: 1, sampleRowId: 'row-a' },
    ],
    runs,
  );
  assert.deepEqual(out[0], {
    reason: 'Contact 123 not found',
    count: 3,
    rows: 2,
    sampleRowId: 'row-a',
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen: '2026-01-03T00:00:00.000Z',
  });
  assert.deepEqual(out[1], texts[1], 'a text without per-run rows keeps its nulls');
});
