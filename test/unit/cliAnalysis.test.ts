import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trippedChecks, trippedLine } from '../../src/cli/healthCheck';
import { errorsReport, flappingRecords, healthRecords, RECORD_COLUMNS } from '../../src/cli/analysisRecords';
import { recordsResult, formatCsv, formatTable } from '../../src/cli/format';
import type { HealthData, SyncHealth } from '../../src/shared/healthData';
import type { BreakdownData, FlappingRow } from '../../src/shared/analysisData';
import { syncHealth } from '../support/syncHealth';

const sync = (syncId: string, over: Partial<SyncHealth>): SyncHealth =>
  syncHealth({
    syncId,
    modelName: `model ${syncId}`,
    destination: 'braze',
    stateReason: 'ok',
    rowsAttemptedInWindow: 0,
    failureRate: null,
    runsInWindow: 0,
    ...over,
  });

const health = (syncs: SyncHealth[]): HealthData => ({
  days: 1,
  windowEnd: null,
  windowStart: null,
  logStale: false,
  minFailures: 3,
  syncs,
  rules: { failing: '', stuckRising: '', stale: '', healthy: '', noRuns: '' },
});

test('check: a figure over its limit trips, one equal to it holds; per sync or all', () => {
  const data = health([
    sync('a', { stuckRows: 10, failureRate: 0.05, newTemplateCount: 2 }),
    sync('b', { stuckRows: 11, failureRate: 0.0501, newTemplateCount: 0 }),
  ]);
  const limits = { maxStuckRows: 10, maxFailureRate: 0.05, maxNewTemplates: 1 };
  assert.deepEqual(
    trippedChecks(data, limits, null).map((t) => [t.syncId, t.check, t.figure]),
    [
      ['a', 'new templates', 2],
      ['b', 'stuck rows', 11],
      ['b', 'failure rate', 0.0501],
    ],
  );
  assert.deepEqual(
    trippedChecks(data, limits, 'a').map((t) => t.check),
    ['new templates'],
  );
  assert.deepEqual(trippedChecks(data, { maxStuckRows: 11 }, null), []);
  // Nothing attempted: no rate, nothing to trip on.
  assert.deepEqual(trippedChecks(health([sync('c', { failureRate: null })]), { maxFailureRate: 0 }, null), []);
  assert.equal(
    trippedLine({ syncId: 'b', check: 'failure rate', figure: 0.0501, limit: 0.05 }),
    'sync b: failure rate 5.01% > 5%',
  );
  assert.equal(trippedLine({ syncId: 'b', check: 'stuck rows', figure: 11, limit: 10 }), 'sync b: stuck rows 11 > 10');
});

test('health records carry the fields the issue names, in snake_case', () => {
  const [r] = healthRecords(
    health([
      sync('a', {
        lastRun: {
          syncRunId: 'r1',
          startedAt: '2026-01-01T00:00:00.000Z',
          status: 'failed',
          planned: 1,
          attempted: 1,
          failed: 1,
          aborted: 0,
          finishedAt: null,
          error: null,
        },
        rowsFailingNow: 4,
        rowsFailedInWindow: 3,
        stuckRows: 2,
        newTemplateCount: 1,
        state: 'failing',
      }),
    ]),
  );
  for (const key of [
    'sync_id',
    'model_name',
    'destination',
    'state',
    'last_run_started_at',
    'last_run_status',
    'rows_failing',
    'rows_failed_in_window',
    'stuck_rows',
    'new_templates',
  ])
    assert.ok(key in r, key);
  assert.deepEqual(
    [r.state, r.last_run_status, r.rows_failing, r.rows_failed_in_window, r.stuck_rows, r.new_templates],
    ['failing', 'failed', 4, 3, 2, 1],
  );
  assert.deepEqual(Object.keys(r), [...RECORD_COLUMNS.health]);
});

test("errors: rows beside failures, whole-log first and last seen and the loader's new flag, null only when unknown", () => {
  const base: BreakdownData = {
    source: 'changelog',
    totalRows: 3,
    totalFailures: 5,
    rowsUpperBound: false,
    windowStart: '2026-01-01T00:00:00.000Z',
    history: { truncated: false },
    distinctTexts: 2,
    categories: [
      {
        name: 'rate_limit',
        rows: 2,
        failures: 5,
        templates: 1,
        distinctTexts: 2,
        firstSeen: null,
        lastSeen: null,
        unexpected: false,
        pattern: '429',
        source: 'default',
      },
    ],
    templates: [
      {
        template: '429 <n>',
        category: 'rate_limit',
        rows: 2,
        failures: 5,
        distinctTexts: 2,
        example: '429 1',
        sampleRowIds: [],
        firstSeen: 'f',
        lastSeen: 'l',
        isNew: true,
      },
    ],
    problems: [],
    truncated: false,
  };
  assert.deepEqual(errorsReport(base), {
    failures: 5,
    rows: 3,
    rows_upper_bound: false,
    categories: [{ category: 'rate_limit', rows: 2, failures: 5 }],
    templates: [
      { template: '429 <n>', category: 'rate_limit', rows: 2, failures: 5, first_seen: 'f', last_seen: 'l', new: true },
    ],
  });
  // Before (or without) the history, `new` is unknown: null, not false.
  const before = errorsReport({
    ...base,
    history: null,
    templates: [{ ...base.templates[0], firstSeen: null, lastSeen: null, isNew: null }],
  });
  assert.deepEqual([before.templates[0].first_seen, before.templates[0].new], [null, null]);
  assert.equal(errorsReport({ ...base, rowsUpperBound: true }).rows_upper_bound, true);
  // The CSV columns follow the record's keys, rows before failures.
  assert.deepEqual(Object.keys(errorsReport(base).templates[0]), [...RECORD_COLUMNS.errors]);
});

test('records print as a table (hostile text escaped) and as exact CSV; an empty list keeps its header', () => {
  const row: FlappingRow = {
    rowId: 'evil\x1b[31m,"x"',
    operations: 3,
    retries: 1,
    changes: 2,
    entries: 0,
    exits: 0,
    cycles: 0,
    flapping: 2,
    failures: null,
    ratePerRun: 1,
    firstRunAt: null,
    lastRunAt: null,
    activity: [],
  };
  const result = recordsResult(flappingRecords([row]), RECORD_COLUMNS.flapping);
  const table = formatTable(result);
  assert.ok(!table.includes('\x1b'), 'no raw escape reaches the terminal');
  assert.match(table, /evil\\x1B\[31m/);
  assert.equal(formatCsv(result).split('\r\n')[1], '"evil\x1b[31m,""x""",3,2,0,1,0,0,2');
  assert.equal(
    formatCsv(recordsResult([], RECORD_COLUMNS.stuck)),
    'row_id,consecutive_failures,failing_since,last_failed_at,template\r\n',
  );
});
