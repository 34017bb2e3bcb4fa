import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healthAlerts, nextDelayMs } from '../../src/analysis/healthChanges';
import type { HealthData, SyncHealth } from '../../src/shared/healthData';
import { syncHealth } from '../support/syncHealth';

const sync = syncHealth;

const health = (...syncs: SyncHealth[]): HealthData => ({
  days: 1,
  windowEnd: '2026-11-01T00:00:00Z',
  windowStart: '2026-10-31T00:00:00Z',
  logStale: false,
  minFailures: 3,
  syncs,
  rules: { failing: '', stuckRising: '', stale: '', healthy: '', noRuns: '' },
});

test('the first check is the baseline: nothing to notify, however broken', () => {
  assert.deepEqual(healthAlerts(undefined, health(sync({ state: 'failing', stuckRows: 9 }))), []);
});

test('turning failing notifies once, staying failing does not', () => {
  const failing = sync({ state: 'failing', stateReason: 'last run: 180 of 228 rows failed' });
  const first = healthAlerts(health(sync({})), health(failing));
  assert.equal(first.length, 1);
  assert.equal(first[0].kind, 'failing');
  assert.match(first[0].message, /180 of 228/);
  assert.deepEqual(healthAlerts(health(failing), health(failing)), []);
});

test('a new template notifies when it was not among the new ones before, naming it and its rows', () => {
  const t = {
    template: "Field 'Lead_Score__c' not found",
    rows: 153,
    failures: 3134,
    firstSeen: '2026-10-31T10:00:00Z',
  };
  const alerts = healthAlerts(health(sync({})), health(sync({ newTemplates: [t], newTemplateCount: 1 })));
  assert.deepEqual(
    alerts.map((a) => a.kind),
    ['newTemplates'],
  );
  assert.match(alerts[0].message, /Lead_Score__c.*153 rows/);
  assert.deepEqual(healthAlerts(health(sync({ newTemplates: [t] })), health(sync({ newTemplates: [t] }))), []);
});

test('stuck rows notify when they rise above the previous check, not when they fall or hold', () => {
  assert.equal(healthAlerts(health(sync({ stuckRows: 4 })), health(sync({ stuckRows: 6 })))[0]?.kind, 'stuckRising');
  assert.deepEqual(healthAlerts(health(sync({ stuckRows: 6 })), health(sync({ stuckRows: 6 }))), []);
  assert.deepEqual(healthAlerts(health(sync({ stuckRows: 6 })), health(sync({ stuckRows: 2 }))), []);
});

test('a sync the previous check did not know sets its own baseline', () => {
  assert.deepEqual(healthAlerts(health(sync({ syncId: 'a' })), health(sync({ syncId: 'b', state: 'failing' }))), []);
});

test('back-off doubles per failure in a row and stops at the cap', () => {
  assert.equal(nextDelayMs(600_000, 0), 600_000);
  assert.equal(nextDelayMs(600_000, 1), 1_200_000);
  assert.equal(nextDelayMs(600_000, 2), 2_400_000);
  assert.equal(nextDelayMs(600_000, 3), 3_600_000);
  assert.equal(nextDelayMs(600_000, 50), 3_600_000);
});
