import type { SyncHealth } from '../../src/shared/healthData';

/** A healthy sync's health line, every figure zero unless `over` says otherwise (test builder). */
export const syncHealth = (over: Partial<SyncHealth>): SyncHealth => ({
  syncId: '1',
  modelName: 'Active customers',
  destination: 'salesforce',
  primaryKey: 'id',
  state: 'healthy',
  stateReason: 'no rule tripped',
  lastRun: null,
  lastRunRows: null,
  rowsFailingNow: 0,
  rowsFailedInWindow: 0,
  rowsAttemptedInWindow: 10,
  failureRate: 0,
  runs: [],
  runsInWindow: 1,
  failedRuns: 0,
  abortedRuns: 0,
  stuckRows: 0,
  stuckRowsBefore: 0,
  newTemplates: [],
  newTemplateCount: 0,
  ...over,
});
