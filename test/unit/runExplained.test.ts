import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildOpFigures,
  buildRunExplained,
  newTemplates,
  type OpStatusCount,
  type RunFailureText,
} from '../../src/analysis/runExplained';
import { failureTemplate } from '../../src/analysis/failureTemplates';
import type { RunHeader } from '../../src/shared/runExplainedData';

const head = (syncRunId: string, startedAt: string): RunHeader => ({
  syncId: '7',
  syncRunId,
  startedAt,
  finishedAt: null,
  status: 'succeeded',
  error: null,
});
const count = (opType: string | null, status: string | null, rows: number, operations = rows): OpStatusCount => ({
  opType,
  status,
  rows,
  operations,
});
const text = (reason: string, rows: number, seenBefore = false): RunFailureText => ({ reason, rows, seenBefore });

test('the waterfall: planned is every status, attempted succeeded + failed, the rest aborted; all three op types in order', () => {
  const ops = buildOpFigures([
    count('removed', 'succeeded', 4),
    count('added', 'failed', 3, 5),
    count('added', 'succeeded', 10),
    count('added', 'aborted', 2),
    // A status neither attempted outcome names is not attempted either: the bars still add up.
    count('added', null, 1),
    count('added', 'skipped', 1),
    // An op type outside the three has no bar.
    count('upserted', 'succeeded', 99),
  ]);
  assert.deepEqual(
    ops.map((o) => o.opType),
    ['added', 'changed', 'removed'],
  );
  assert.deepEqual(ops[0], {
    opType: 'added',
    planned: 17,
    attempted: 13,
    succeeded: 10,
    failed: 3,
    aborted: 4,
    operations: 19,
  });
  assert.deepEqual(ops[1], {
    opType: 'changed',
    planned: 0,
    attempted: 0,
    succeeded: 0,
    failed: 0,
    aborted: 0,
    operations: 0,
  });
  assert.deepEqual(ops[2], {
    opType: 'removed',
    planned: 4,
    attempted: 4,
    succeeded: 4,
    failed: 0,
    aborted: 0,
    operations: 4,
  });
});

test("a template is new only when none of its texts, this run's or earlier ones, failed before the run", () => {
  const found = newTemplates([
    // Same template as an earlier text with another address: old.
    text('Invalid email: ann@example.com', 3),
    text('Invalid email: bob@example.com', 0, true),
    // Two texts of this run, neither seen: one new template with both texts' rows.
    text('Contact 48211 not found', 2),
    text('Contact 99120 not found', 5),
    // Seen before and again now: old.
    text('Rate limited (429)', 8, true),
    // Only before: not this run's, never listed.
    text('Field Lead_Score__c missing', 0),
    // Blank texts have no template.
    text('  ', 4),
  ]);
  assert.deepEqual(found, [
    { template: failureTemplate('Contact 99120 not found'), rows: 7, example: 'Contact 99120 not found' },
  ]);
  assert.equal(
    failureTemplate('Contact 48211 not found'),
    failureTemplate('Contact 99120 not found'),
    'the fixture folds',
  );
  assert.equal(
    failureTemplate('Invalid email: ann@example.com'),
    failureTemplate('Invalid email: bob@example.com'),
    'the fixture folds',
  );
});

test('new templates sort by rows, then template', () => {
  const found = newTemplates([text('b broke', 2), text('a broke', 2), text('c broke', 9)]);
  assert.deepEqual(
    found.map((t) => [t.template, t.rows]),
    [
      ['c broke', 9],
      ['a broke', 2],
      ['b broke', 2],
    ],
  );
});

test('the first run of a sync has no comparison; a later one carries the figures, templates and the cut', () => {
  const first = buildRunExplained({
    run: head('R1', '2026-01-01T00:00:00Z'),
    previous: null,
    counts: [count('added', 'succeeded', 5)],
    comparison: null,
    texts: [text('x broke', 1)],
    textsTruncated: false,
  });
  assert.equal(first.comparison, null);
  assert.equal(first.ops[0].planned, 5);
  const later = buildRunExplained({
    run: head('R2', '2026-01-01T01:00:00Z'),
    previous: head('R1', '2026-01-01T00:00:00Z'),
    counts: [],
    comparison: { newlyFailing: 3, recovered: 2, stillFailing: 1 },
    texts: [text('x broke', 1)],
    textsTruncated: true,
  });
  assert.deepEqual(later.comparison, {
    previous: head('R1', '2026-01-01T00:00:00Z'),
    newlyFailing: 3,
    recovered: 2,
    stillFailing: 1,
    newTemplates: [{ template: 'x broke', rows: 1, example: 'x broke' }],
    textsTruncated: true,
  });
});
