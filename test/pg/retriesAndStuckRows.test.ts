import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PostgresServer } from '../support/postgresServer';
import { startDemoPostgres } from '../support/demoPostgres';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { resultObjects } from '../../src/shared/queryResult';
import { postgresDialect } from '../../src/sql/dialect';
import { warehouseRunner, type QueryRunner } from '../../src/loaders/queryRunner';
import { MAX_FLAPPING_ROWS, loadFlapping, loadFlappingActivity } from '../../src/loaders/flappingLoader';
import { MAX_STUCK_ROWS, loadStuckRows } from '../../src/loaders/stuckRowsLoader';
import { failureTemplate } from '../../src/analysis/failureTemplates';
import type { FlappingOrder } from '../../src/shared/analysisData';

// Retries, flapping, stuck and recovered rows as the loaders compute them in the warehouse, against
// a replay here, operation by operation, of every raw changelog row of the demo (ordered in JS, not
// by a window function).

let server: PostgresServer;
let wh: Warehouse;
let run: QueryRunner;
const K = 3;
const DAY_MS = 86_400_000;
/** The adapter's timestamps and the replay's, in one form. */
const iso = (t: string | null) => (t === null ? null : new Date(t).toISOString());

interface Op {
  rowId: string;
  runId: string;
  at: string;
  opType: string;
  status: string;
  reason: string | null;
}

/** Per sync: each row's operations, oldest first. */
const opsBySync = new Map<string, Map<string, Op[]>>();

before(async () => {
  ({ server, wh } = await startDemoPostgres());
  run = warehouseRunner(wh, { dialect: postgresDialect, schema: 'hightouch_audit' });
  // A plain join written with a comma and a where clause; no order by: the replay orders.
  const raw = resultObjects(
    await wh.query(
      `select c.sync_id, c.row_id, c.sync_run_id, c.op_type, c.status, c.failure_reason, r.started_at
       from hightouch_audit.sync_changelog c, hightouch_audit.sync_runs r
       where c.sync_run_id = r.sync_run_id`,
      [],
      { maxRows: 10_000_000 },
    ),
  );
  for (const r of raw) {
    const sync = String(r.sync_id);
    const rows = opsBySync.get(sync) ?? new Map<string, Op[]>();
    opsBySync.set(sync, rows);
    const op: Op = {
      rowId: String(r.row_id),
      runId: String(r.sync_run_id),
      at: new Date(r.started_at as string).toISOString(),
      opType: String(r.op_type),
      status: String(r.status),
      reason: r.failure_reason === null ? null : String(r.failure_reason),
    };
    const list = rows.get(op.rowId);
    if (list) list.push(op);
    else rows.set(op.rowId, [op]);
  }
  for (const rows of opsBySync.values()) {
    for (const list of rows.values())
      list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  }
});

after(async () => {
  await wh?.close();
  await server?.stop();
});

interface Replayed {
  rowId: string;
  operations: number;
  retries: number;
  changes: number;
  entries: number;
  exits: number;
  flapping: number;
}

/** Walks each row's operations in order; only those at or after `since` count. */
function replayFlapping(syncId: string, since?: string): Map<string, Replayed> {
  const out = new Map<string, Replayed>();
  for (const [rowId, ops] of opsBySync.get(syncId) ?? []) {
    const r: Replayed = { rowId, operations: 0, retries: 0, changes: 0, entries: 0, exits: 0, flapping: 0 };
    let previous: Op | undefined;
    for (const op of ops) {
      const retry = previous !== undefined && previous.status !== 'succeeded';
      previous = op;
      if (since !== undefined && Date.parse(op.at) < Date.parse(since)) continue;
      r.operations++;
      if (retry) r.retries++;
      else if (op.status === 'succeeded') {
        if (op.opType === 'changed') r.changes++;
        if (op.opType === 'added') r.entries++;
        if (op.opType === 'removed') r.exits++;
      }
    }
    r.flapping = r.changes + Math.min(r.entries, r.exits);
    if (r.operations > 0) out.set(rowId, r);
  }
  return out;
}

interface Streaks {
  stuck: Map<string, { failures: number; since: string; last: string; reason: string | null }>;
  recovered: Map<string, { failures: number; since: string; recoveredAt: string }>;
}

/** Stuck: the trailing run of failed operations, K or longer. Recovered: latest op succeeded, and the latest K+ streak ended by a success. */
function replayStreaks(syncId: string, recoveredSince?: string): Streaks {
  const out: Streaks = { stuck: new Map(), recovered: new Map() };
  for (const [rowId, ops] of opsBySync.get(syncId) ?? []) {
    let streak: Op[] = [];
    let lastRecovery: { failures: number; since: string; recoveredAt: string } | undefined;
    for (const op of ops) {
      if (op.status === 'failed') {
        streak.push(op);
        continue;
      }
      if (op.status === 'succeeded' && streak.length >= K)
        lastRecovery = { failures: streak.length, since: streak[0].at, recoveredAt: op.at };
      streak = [];
    }
    const latest = ops[ops.length - 1];
    if (streak.length >= K)
      out.stuck.set(rowId, { failures: streak.length, since: streak[0].at, last: latest.at, reason: latest.reason });
    else if (
      latest.status === 'succeeded' &&
      lastRecovery &&
      (recoveredSince === undefined || Date.parse(lastRecovery.recoveredAt) >= Date.parse(recoveredSince))
    )
      out.recovered.set(rowId, lastRecovery);
  }
  return out;
}

const syncIds = () => [...opsBySync.keys()].sort();
const newestStart = (syncId: string) =>
  Math.max(...[...(opsBySync.get(syncId)?.values() ?? [])].flat().map((o) => Date.parse(o.at)));

describe('flapping counts retries apart', () => {
  for (const days of [null, 7] as const) {
    test(`every figure of the ranking of every sync (window ${days ?? 'all'}) matches the replay, in the default order`, async () => {
      for (const syncId of syncIds()) {
        const ranking = await loadFlapping(run, { syncId, days, orderBy: 'flapping' });
        // The loader's window ends at the newest run of the sync's log (runs with no changelog rows included).
        const since = ranking.scope.since;
        if (days !== null)
          assert.ok(
            since !== undefined && Date.parse(since) >= newestStart(syncId) - days * DAY_MS - 1,
            `${syncId}: a window`,
          );
        const expected = replayFlapping(syncId, since);
        const rows = ranking.data.rows;
        assert.equal(rows.length, Math.min(MAX_FLAPPING_ROWS, expected.size), `${syncId}: rows shown`);
        for (const r of rows) {
          const e = expected.get(r.rowId);
          assert.ok(e, `${syncId} ${r.rowId}: a row with operations`);
          assert.deepEqual(
            {
              operations: r.operations,
              retries: r.retries,
              changes: r.changes,
              entries: r.entries,
              exits: r.exits,
              flapping: r.flapping,
              cycles: r.cycles,
            },
            {
              operations: e.operations,
              retries: e.retries,
              changes: e.changes,
              entries: e.entries,
              exits: e.exits,
              flapping: e.flapping,
              cycles: Math.min(e.entries, e.exits),
            },
            `${syncId} ${r.rowId}`,
          );
        }
        // The order: the replay's top keys (flapping, then operations), whatever the ties on row id.
        const key = (r: { flapping: number; operations: number }) => `${r.flapping}/${r.operations}`;
        const expectedKeys = [...expected.values()]
          .sort((a, b) => b.flapping - a.flapping || b.operations - a.operations)
          .slice(0, MAX_FLAPPING_ROWS)
          .map(key);
        assert.deepEqual(rows.map(key), expectedKeys, `${syncId}: ranked by flapping, then operations`);
      }
    });
  }

  test('the retries order ranks by retries, with each figure as replayed', async () => {
    for (const syncId of syncIds()) {
      const { data } = await loadFlapping(run, { syncId, days: null, orderBy: 'retries' as FlappingOrder });
      const expected = replayFlapping(syncId);
      const top = [...expected.values()]
        .sort((a, b) => b.retries - a.retries || b.operations - a.operations)
        .slice(0, MAX_FLAPPING_ROWS);
      assert.deepEqual(
        data.rows.map((r) => `${r.retries}/${r.operations}`),
        top.map((r) => `${r.retries}/${r.operations}`),
        syncId,
      );
      for (const r of data.rows) assert.equal(r.retries, expected.get(r.rowId)?.retries, `${syncId} ${r.rowId}`);
    }
  });

  test('the top rows of the default order are real flappers, not pure retries, wherever real flappers exist', async () => {
    let syncsWithRetriers = 0;
    for (const syncId of syncIds()) {
      const expected = [...replayFlapping(syncId).values()];
      const flappers = expected.filter((r) => r.flapping > 0).length;
      const pureRetriers = expected.filter((r) => r.flapping === 0 && r.retries > 0 && r.retries >= r.operations - 1);
      if (pureRetriers.length > 0 && flappers > 0) syncsWithRetriers++;
      const { data } = await loadFlapping(run, { syncId, days: null, orderBy: 'flapping' });
      const shownFlappers = Math.min(flappers, data.rows.length);
      assert.ok(
        data.rows.slice(0, shownFlappers).every((r) => r.flapping > 0),
        `${syncId}: the first ${shownFlappers} rows flap`,
      );
      // No row without flapping ranks above one with flapping.
      const firstZero = data.rows.findIndex((r) => r.flapping === 0);
      if (firstZero >= 0)
        assert.ok(
          data.rows.slice(firstZero).every((r) => r.flapping === 0),
          `${syncId}: non-flapping rows come last`,
        );
    }
    assert.ok(syncsWithRetriers > 0, 'the demo has syncs where retried rows and real flappers coexist');
  });

  test('failures and rate per run after the follow-up', async () => {
    const syncId = syncIds()[0];
    const ranking = await loadFlapping(run, { syncId, days: null, orderBy: 'flapping' });
    const data = await loadFlappingActivity(run, ranking);
    const ops = opsBySync.get(syncId)!;
    for (const r of data.rows) {
      assert.equal(r.failures, ops.get(r.rowId)!.filter((o) => o.status === 'failed').length, r.rowId);
      assert.equal(r.ratePerRun, r.flapping / data.runsInWindow, r.rowId);
    }
  });
});

describe('stuck and recovered rows', () => {
  test('every sync: stuck rows (streak, failing since, latest failure, template) and how many, as replayed', async () => {
    let stuckSeen = 0;
    for (const syncId of syncIds()) {
      const data = await loadStuckRows(run, { syncId }, K);
      const expected = replayStreaks(syncId);
      assert.equal(data.minFailures, K);
      assert.equal(data.stuckRows, expected.stuck.size, `${syncId}: stuck rows in all`);
      assert.equal(data.stuck.length, Math.min(MAX_STUCK_ROWS, expected.stuck.size), `${syncId}: listed`);
      stuckSeen += data.stuck.length;
      for (const s of data.stuck) {
        const e = expected.stuck.get(s.rowId);
        assert.ok(e, `${syncId} ${s.rowId} is stuck`);
        assert.deepEqual(
          {
            consecutiveFailures: s.consecutiveFailures,
            failingSince: iso(s.failingSince),
            lastFailedAt: iso(s.lastFailedAt),
            template: s.template,
          },
          {
            consecutiveFailures: e.failures,
            failingSince: e.since,
            lastFailedAt: e.last,
            template: e.reason === null ? null : failureTemplate(e.reason),
          },
          `${syncId} ${s.rowId}`,
        );
      }
      // Longest streaks first.
      const lengths = [...expected.stuck.values()]
        .map((e) => e.failures)
        .sort((a, b) => b - a)
        .slice(0, MAX_STUCK_ROWS);
      assert.deepEqual(
        data.stuck.map((s) => s.consecutiveFailures),
        lengths,
        `${syncId}: longest streak first`,
      );
    }
    assert.ok(stuckSeen > 0, 'the demo has stuck rows');
  });

  for (const days of [null, 7] as const) {
    test(`every sync: recovered rows and time to recover (window ${days ?? 'all'}), as replayed`, async () => {
      let recoveredSeen = 0;
      for (const syncId of syncIds()) {
        const since = days === null ? undefined : new Date(newestStart(syncId) - days * DAY_MS).toISOString();
        const data = await loadStuckRows(run, since === undefined ? { syncId } : { syncId, since }, K);
        const expected = replayStreaks(syncId, since);
        assert.equal(data.recoveredRows, expected.recovered.size, `${syncId}: recovered rows in all`);
        assert.equal(data.recovered.length, Math.min(MAX_STUCK_ROWS, expected.recovered.size), `${syncId}: listed`);
        recoveredSeen += data.recovered.length;
        for (const r of data.recovered) {
          const e = expected.recovered.get(r.rowId);
          assert.ok(e, `${syncId} ${r.rowId} recovered`);
          assert.deepEqual(
            {
              failures: r.failures,
              failingSince: iso(r.failingSince),
              recoveredAt: iso(r.recoveredAt),
              recoverMs: r.recoverMs,
            },
            {
              failures: e.failures,
              failingSince: e.since,
              recoveredAt: e.recoveredAt,
              recoverMs: Date.parse(e.recoveredAt) - Date.parse(e.since),
            },
            `${syncId} ${r.rowId}`,
          );
        }
      }
      if (days === null) assert.ok(recoveredSeen > 0, 'the demo has rows that recovered from a streak');
    });
  }

  test('a longer minimum streak gives fewer stuck rows, each with at least that many failures', async () => {
    for (const syncId of syncIds()) {
      const three = await loadStuckRows(run, { syncId }, 3);
      const ten = await loadStuckRows(run, { syncId }, 10);
      assert.ok(ten.stuckRows <= three.stuckRows, syncId);
      assert.ok(
        ten.stuck.every((s) => s.consecutiveFailures >= 10),
        syncId,
      );
      assert.equal(
        ten.stuckRows,
        [...replayStreaks(syncId).stuck.values()].filter((e) => e.failures >= 10).length,
        syncId,
      );
    }
  });
});
