import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortByHealth, syncItem, toSyncSummary } from '../../src/views/treeModel';
import type { SyncHealth } from '../../src/shared/healthData';

const opts = { now: new Date('2026-11-01T12:00:00Z'), timeZone: 'UTC' };
const summary = (id: string, name: string) =>
  toSyncSummary({
    sync_id: id,
    model_name: name,
    destination: 'salesforce',
    status: 'succeeded',
    started_at: '2026-11-01T09:00:00Z',
    run_count: 3,
  });

test('syncs sort in the health order (worst first); syncs it does not know keep their order after', () => {
  const syncs = [summary('a', 'A'), summary('b', 'B'), summary('c', 'C'), summary('d', 'D')];
  const health = [{ syncId: 'c' }, { syncId: 'a' }] as SyncHealth[];
  assert.deepEqual(
    sortByHealth(syncs, health).map((s) => s.syncId),
    ['c', 'a', 'b', 'd'],
  );
  assert.deepEqual(
    sortByHealth(syncs, undefined).map((s) => s.syncId),
    ['a', 'b', 'c', 'd'],
  );
});

test('a sync with a health state shows it: icon, description and the rule in the tooltip', () => {
  const s = summary('a', 'A');
  const plain = syncItem(s, opts);
  const failing = syncItem(s, opts, { state: 'failing', stateReason: 'last run: 180 of 228 rows failed' });
  const stale = syncItem(s, opts, { state: 'stale', stateReason: 'no run for 5 days' });
  assert.equal(plain.icon.id, 'pass');
  assert.equal(failing.icon.id, 'error');
  assert.notEqual(stale.icon.id, failing.icon.id);
  assert.match(failing.description ?? '', /failing/);
  assert.deepEqual(failing.tooltip?.rows[0], ['State', 'failing: last run: 180 of 228 rows failed']);
});
