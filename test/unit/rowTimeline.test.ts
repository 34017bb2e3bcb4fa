import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ABSENT, buildTimeline, type TimelineRowInput } from '../../src/analysis/rowTimeline';

const ev = (syncId: string, syncRunId: string, startedAt: string | null, opType: string, fields?: unknown, status = 'succeeded', failureReason: string | null = null): TimelineRowInput => ({
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
  ev('s1', 'a2', '2025-01-03T00:00:00Z', 'changed', { tier: 'silver', email: 'a@x.io' }, 'failed', 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record'),
  ev('s2', 'b2', '2025-01-04T00:00:00Z', 'unchanged', '{"tier": "gold"}'),
];

test('events oldest first, movement from op_type, diff against the previous operation of the same sync', () => {
  const t = buildTimeline(ROWS, [{ syncId: 's2', opType: 'added', status: 'succeeded' }], { rowId: 'u1', syncId: null, hasFields: true, truncated: false });
  assert.equal(t.rowId, 'u1');
  assert.equal(t.syncId, null);
  assert.equal(t.hasFields, true);
  assert.equal(t.fieldsNote, null);
  assert.deepEqual(t.events.map((e) => [e.syncRunId, e.movement]), [
    ['a1', 'entered'],
    ['b1', 'entered'],
    ['a2', 'changed'],
    ['b2', 'other'],
    ['a3', 'exited'],
  ]);
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
  const t = buildTimeline(noFields, [], { rowId: 'u1', syncId: 's1', hasFields: false, truncated: true, fieldsNote: note });
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
  const t = buildTimeline([ev('s1', 'a1', '2025-01-01T00:00:00Z', 'added', null), ev('s1', 'a2', '2025-01-02T00:00:00Z', 'changed', null)], [], {
    rowId: 'u1',
    syncId: 's1',
    hasFields: true,
    truncated: false,
  });
  assert.equal(t.hasFields, false);
  assert.match(t.fieldsNote ?? '', /no field-level diff/);
  assert.ok(t.events.every((e) => e.changes === null));
});

test('operations without a run start go last; unknown op types are "other"; hostile text stays verbatim', () => {
  const hostile = '<img src=x onerror=alert(1)>';
  const t = buildTimeline(
    [ev('s1', 'x', null, 'added', undefined, 'failed', hostile), ev('s1', 'a1', '2025-01-01T00:00:00Z', 'ADDED'), ev('s1', 'a2', '2025-01-02T00:00:00Z', 'mystery')],
    [],
    { rowId: hostile, syncId: null, hasFields: true, truncated: false },
  );
  assert.deepEqual(t.events.map((e) => [e.syncRunId, e.movement]), [
    ['a1', 'entered'],
    ['a2', 'other'],
    ['x', 'entered'],
  ]);
  assert.equal(t.events[2].failureReason, hostile);
  assert.equal(t.rowId, hostile);
});
