import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ABSENT, buildTimeline, type TimelineRowInput } from '../../src/analysis/rowTimeline';

const ev = (
  syncId: string,
  syncRunId: string,
  startedAt: string | null,
  opType: string,
  fields?: unknown,
  status = 'succeeded',
  failureReason: string | null = null,
): TimelineRowInput => ({
  syncId,
  syncRunId,
  startedAt,
  opType,
  status,
  failureReason,
  fields,
});

// Two syncs interleaved in time, given out of order.
const ROWS = [
  ev('s2', 'b1', '2025-01-02T00:00:00Z', 'added', '{"tier": "gold"}'),
  ev('s1', 'a3', '2025-01-05T00:00:00Z', 'removed', { tier: 'silver', email: 'a@x.io' }),
  ev('s1', 'a1', '2025-01-01T00:00:00Z', 'added', { tier: 'bronze', email: 'a@x.io' }),
  ev(
    's1',
    'a2',
    '2025-01-03T00:00:00Z',
    'changed',
    { tier: 'silver', email: 'a@x.io' },
    'failed',
    'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record',
  ),
  ev('s2', 'b2', '2025-01-04T00:00:00Z', 'unchanged', '{"tier": "gold"}'),
];

test('events oldest first, outcome from op_type and status, diff against the previous operation of the same sync', () => {
  const t = buildTimeline(ROWS, [{ syncId: 's2', opType: 'added', status: 'succeeded' }], {
    rowId: 'u1',
    syncId: null,
    hasFields: true,
    truncated: false,
  });
  assert.equal(t.rowId, 'u1');
  assert.equal(t.syncId, null);
  assert.equal(t.hasFields, true);
  assert.equal(t.fieldsNote, null);
  assert.deepEqual(
    t.events.map((e) => [e.syncRunId, e.outcome]),
    [
      ['a1', 'added'],
      ['b1', 'added'],
      ['a2', 'change-failed'],
      ['b2', 'other'],
      ['a3', 'removed'],
    ],
  );
  assert.equal(t.events[2].label, 'change failed: the destination keeps the old values');
  const [a1, b1, a2, b2, a3] = t.events;
  assert.equal(a1.changes, null);
  assert.equal(b1.changes, null); // first of sync s2, although not first overall
  assert.deepEqual(a2.changes, [{ field: 'tier', kind: 'changed', before: '"bronze"', after: '"silver"' }]);
  assert.deepEqual(b2.changes, []);
  assert.deepEqual(a3.changes, []);
  assert.equal(a2.status, 'failed');
  assert.equal(a2.failureReason, 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record');
  assert.equal(b1.fields, '{"tier":"gold"}');
  assert.equal(a1.fields, '{"tier":"bronze","email":"a@x.io"}');
  // s1 has operations but no snapshot row: the row left that model.
  assert.deepEqual(t.snapshot, [
    { syncId: 's1', status: ABSENT, opType: null },
    { syncId: 's2', status: 'succeeded', opType: 'added' },
  ]);
});

test('without a fields column: no diff, no fields, and a note saying why', () => {
  const noFields = ROWS.map(({ fields: _f, ...r }) => r);
  const note = 'Redshift sync logs have no fields column, so there is no field-level diff.';
  const t = buildTimeline(noFields, [], {
    rowId: 'u1',
    syncId: 's1',
    hasFields: false,
    truncated: true,
    fieldsNote: note,
  });
  assert.equal(t.hasFields, false);
  assert.equal(t.fieldsNote, note);
  assert.equal(t.truncated, true);
  assert.ok(t.events.every((e) => e.changes === null && e.fields === null));
  // Filtered to the sync asked for.
  assert.deepEqual(t.snapshot, [{ syncId: 's1', status: ABSENT, opType: null }]);
  const generic = buildTimeline(noFields, [], { rowId: 'u1', syncId: null, hasFields: false, truncated: false });
  assert.match(generic.fieldsNote ?? '', /no fields column/);
});

test('a fields column that is empty for this row is explained too', () => {
  const t = buildTimeline(
    [ev('s1', 'a1', '2025-01-01T00:00:00Z', 'added', null), ev('s1', 'a2', '2025-01-02T00:00:00Z', 'changed', null)],
    [],
    {
      rowId: 'u1',
      syncId: 's1',
      hasFields: true,
      truncated: false,
    },
  );
  assert.equal(t.hasFields, false);
  assert.match(t.fieldsNote ?? '', /no field-level diff/);
  assert.ok(t.events.every((e) => e.changes === null));
});

test('operations without a run start go last; unknown op types are "other"; hostile text stays verbatim', () => {
  const hostile = '<img src=x onerror=alert(1)>';
  const t = buildTimeline(
    [
      ev('s1', 'x', null, 'added', undefined, 'failed', hostile),
      ev('s1', 'a1', '2025-01-01T00:00:00Z', 'ADDED'),
      ev('s1', 'a2', '2025-01-02T00:00:00Z', 'mystery'),
    ],
    [],
    { rowId: hostile, syncId: null, hasFields: true, truncated: false },
  );
  assert.deepEqual(
    t.events.map((e) => [e.syncRunId, e.outcome]),
    [
      ['a1', 'added'],
      ['a2', 'other'],
      ['x', 'add-failed'],
    ],
  );
  assert.equal(t.events[1].label, 'mystery: succeeded');
  assert.equal(t.events[2].failureReason, hostile);
  assert.equal(t.rowId, hostile);
});

// ---------------------------------------------------------------- folding, labels, summary

const day = (d: number, h = 0) => new Date(Date.UTC(2025, 8, 1 + d, h)).toISOString();
const run = (d: number) => `r${String(d).padStart(3, '0')}`;
const dup = (n: number) =>
  `DUPLICATE_VALUE: duplicate value found: Email__c duplicates value on record with id: 0035e00000AbC${String(n).padStart(4, '0')}`;

test('retries of a failed add fold into one entry: count, first and last start, the same error; the summary says not in the destination, failing since the first', () => {
  const rows = Array.from({ length: 245 }, (_, i) =>
    ev('s1', run(i), day(i % 60, Math.floor(i / 60)), 'added', { tier: 'gold' }, 'failed', dup(i % 7)),
  );
  const t = buildTimeline(rows, [{ syncId: 's1', opType: 'unchanged', status: 'failed' }], {
    rowId: 'u1',
    syncId: 's1',
    hasFields: true,
    truncated: false,
  });
  assert.equal(t.entries.length, 1);
  const [e] = t.entries;
  assert.equal(e.count, 245);
  assert.equal(e.outcome, 'add-failed');
  assert.equal(e.label, 'add failed: not in the destination');
  assert.equal(e.firstStartedAt, t.events[0].startedAt);
  assert.equal(e.lastStartedAt, t.events[244].startedAt);
  assert.equal(e.distinctReasons, 7, 'seven record ids, one template');
  assert.match(
    e.template ?? '',
    /^DUPLICATE_VALUE: duplicate value found: Email__c duplicates value on record with id: <id>$/,
  );
  assert.deepEqual(
    e.events,
    t.events.map((_, i) => i),
  );
  assert.equal(e.fieldChanges, 0);
  assert.deepEqual(t.summaries, [
    {
      syncId: 's1',
      inModel: true,
      snapshotStatus: 'failed',
      snapshotOpType: 'unchanged',
      inDestination: false,
      since: null,
      neverAdded: true,
      failing: {
        since: t.events[0].startedAt,
        attempts: 245,
        outcome: 'add-failed',
        templates: 1,
        latestReason: t.events[244].failureReason,
      },
      cut: false,
    },
  ]);
});

test('a new error template starts a new entry; entries are newest first; the streak spans both templates', () => {
  const rows = [
    ev('s1', run(1), day(1), 'added', undefined, 'failed', dup(1)),
    ev('s1', run(2), day(2), 'added', undefined, 'failed', dup(2)),
    ev('s1', run(3), day(3), 'added', undefined, 'failed', "1006: Field 'Lead_Score__c' not found"),
    ev('s1', run(4), day(4), 'added', undefined, 'failed', "1006: Field 'Lead_Score__c' not found"),
  ];
  const t = buildTimeline(rows, [], { rowId: 'u1', syncId: 's1', hasFields: false, truncated: false });
  assert.deepEqual(
    t.entries.map((e) => [e.count, e.firstStartedAt, e.lastStartedAt, e.distinctReasons]),
    [
      [2, day(3), day(4), 1],
      [2, day(1), day(2), 2],
    ],
  );
  const [s] = t.summaries;
  assert.equal(s.inModel, false);
  assert.deepEqual(s.failing, {
    since: day(1),
    attempts: 4,
    outcome: 'add-failed',
    templates: 2,
    latestReason: "1006: Field 'Lead_Score__c' not found",
  });
});

test('a flapping row: every succeeded change with a field diff stays its own entry; changes that changed no field fold; in the destination since the latest succeeded add', () => {
  const rows = [
    ev('s1', run(1), day(1), 'added', { tier: 'bronze' }),
    ev('s1', run(2), day(2), 'changed', { tier: 'silver' }),
    ev('s1', run(3), day(3), 'changed', { tier: 'gold' }),
    ev('s1', run(4), day(4), 'removed', { tier: 'gold' }),
    ev(
      's1',
      run(5),
      day(5),
      'added',
      { tier: 'gold' },
      'failed',
      'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record',
    ),
    ev(
      's1',
      run(6),
      day(6),
      'added',
      { tier: 'platinum' },
      'failed',
      'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record',
    ),
    ev('s1', run(7), day(7), 'added', { tier: 'platinum' }),
    ev('s1', run(8), day(8), 'changed', { tier: 'platinum' }),
    ev('s1', run(9), day(9), 'changed', { tier: 'platinum' }),
  ];
  const t = buildTimeline(rows, [{ syncId: 's1', opType: 'changed', status: 'succeeded' }], {
    rowId: 'u1',
    syncId: 's1',
    hasFields: true,
    truncated: false,
  });
  assert.deepEqual(
    t.entries.map((e) => [e.label, e.count, e.fieldChanges, e.events]),
    [
      ['changed in the destination', 2, 0, [7, 8]],
      ['added to the destination', 1, 0, [6]],
      // A failed retry may carry new values: folded, but the diff stays on its operation.
      ['add failed: not in the destination', 2, 1, [4, 5]],
      ['removed from the destination', 1, 0, [3]],
      ['changed in the destination', 1, 1, [2]],
      ['changed in the destination', 1, 1, [1]],
      ['added to the destination', 1, 0, [0]],
    ],
  );
  assert.deepEqual(t.events[5].changes, [{ field: 'tier', kind: 'changed', before: '"gold"', after: '"platinum"' }]);
  const [s] = t.summaries;
  assert.equal(s.inDestination, true);
  assert.equal(s.since, day(7));
  assert.equal(s.failing, null);
  assert.equal(s.neverAdded, false);
});

test('aborted operations: "not attempted", they break a fold and a streak, and say nothing about the destination', () => {
  const rows = [
    ev('s1', run(1), day(1), 'added'),
    ev('s1', run(2), day(2), 'removed', undefined, 'failed', 'INVALID_CROSS_REFERENCE_KEY: invalid cross reference id'),
    ev('s1', run(3), day(3), 'removed', undefined, 'aborted'),
    ev('s1', run(4), day(4), 'removed', undefined, 'aborted'),
    ev('s1', run(5), day(5), 'removed', undefined, 'failed', 'INVALID_CROSS_REFERENCE_KEY: invalid cross reference id'),
  ];
  // The row left the model, so it is not in the snapshot, but the destination still has it.
  const t = buildTimeline(rows, [], { rowId: 'u1', syncId: 's1', hasFields: false, truncated: false });
  assert.deepEqual(
    t.entries.map((e) => [e.label, e.count]),
    [
      ['remove failed: still in the destination', 1],
      ['not attempted (run aborted)', 2],
      ['remove failed: still in the destination', 1],
      ['added to the destination', 1],
    ],
  );
  const [s] = t.summaries;
  assert.equal(s.inModel, false);
  assert.equal(s.inDestination, true);
  assert.equal(s.since, day(1));
  assert.deepEqual(s.failing && [s.failing.attempts, s.failing.since, s.failing.outcome], [1, day(5), 'remove-failed']);
  // Only aborted operations: the snapshot decides.
  const onlyAborted = buildTimeline(
    [ev('s1', run(1), day(1), 'changed', undefined, 'aborted')],
    [{ syncId: 's1', opType: 'unchanged', status: 'succeeded' }],
    {
      rowId: 'u1',
      syncId: 's1',
      hasFields: false,
      truncated: false,
    },
  );
  assert.equal(onlyAborted.entries[0].label, 'not attempted (run aborted)');
  assert.deepEqual(
    [onlyAborted.summaries[0].inDestination, onlyAborted.summaries[0].since, onlyAborted.summaries[0].failing],
    [true, null, null],
  );
});

test('a cut history: the summary says so when its answer reaches the oldest operation loaded', () => {
  const failedChanges = Array.from({ length: 5 }, (_, i) =>
    ev(
      's1',
      run(10 + i),
      day(10 + i),
      'changed',
      undefined,
      'failed',
      'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.',
    ),
  );
  const cut = buildTimeline(failedChanges, [{ syncId: 's1', opType: 'changed', status: 'failed' }], {
    rowId: 'u1',
    syncId: 's1',
    hasFields: false,
    truncated: true,
  });
  assert.equal(cut.oldestLoadedAt, day(10));
  const [s] = cut.summaries;
  assert.deepEqual(
    [s.inDestination, s.since, s.cut, s.failing?.attempts, s.failing?.since],
    [true, null, true, 5, day(10)],
  );
  assert.equal(cut.entries[0].label, 'change failed: the destination keeps the old values');
  // The same history with the add loaded: the answer is inside it.
  const whole = buildTimeline(
    [ev('s1', run(9), day(9), 'added'), ...failedChanges],
    [{ syncId: 's1', opType: 'changed', status: 'failed' }],
    { rowId: 'u1', syncId: 's1', hasFields: false, truncated: true },
  );
  assert.deepEqual([whole.summaries[0].since, whole.summaries[0].cut], [day(9), false]);
  assert.equal(
    buildTimeline(failedChanges, [], { rowId: 'u1', syncId: 's1', hasFields: false, truncated: false }).summaries[0]
      .cut,
    false,
  );
});

test('two syncs: folding is per sync (the other sync neither joins nor breaks a run); one summary per sync', () => {
  const rows = [
    ev('s1', 'a1', day(1), 'added', undefined, 'failed', dup(1)),
    ev('s2', 'b1', day(1, 1), 'added'),
    ev('s1', 'a2', day(2), 'added', undefined, 'failed', dup(2)),
    ev('s2', 'b2', day(2, 1), 'removed'),
    ev('s1', 'a3', day(3), 'added', undefined, 'failed', dup(3)),
  ];
  const t = buildTimeline(rows, [{ syncId: 's1', opType: 'added', status: 'failed' }], {
    rowId: 'u1',
    syncId: null,
    hasFields: false,
    truncated: false,
  });
  assert.deepEqual(
    t.entries.map((e) => [e.syncId, e.label, e.count]),
    [
      ['s1', 'add failed: not in the destination', 3],
      ['s2', 'removed from the destination', 1],
      ['s2', 'added to the destination', 1],
    ],
  );
  assert.deepEqual(
    t.summaries.map((s) => [s.syncId, s.inModel, s.inDestination, s.since, s.neverAdded, s.failing?.attempts ?? 0]),
    [
      ['s1', true, false, null, true, 3],
      ['s2', false, false, day(2, 1), false, 0],
    ],
  );
});
