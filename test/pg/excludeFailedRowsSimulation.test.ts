import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../support/postgresServer';
import { createTablesSql } from '../../src/demo/schema';
import { postgresDialect } from '../../src/sql/dialect';
import { excludeFailedRowsSql, type ExcludeVariant } from '../../src/sql/excludeFailedRows';

// Consecutive planner runs of one sync, each planning against the model filtered by the generated
// anti-join, on a real Postgres. The planner is a small stand-in for the product's: it diffs the
// (filtered) model against sync_snapshot, a destination rejects rows with a bad e-mail on every
// add or change (permanently), and each run appends to sync_changelog, rewrites sync_snapshot and
// adds its sync_runs row, as the sync-log tables record them (ARCHITECTURE.md, "The sync-log tables").

const RUNS = 8;
const SYNC = '1';
const GOOD = Array.from({ length: 12 }, (_, i) => `g${i + 1}`);
/** Rejected from their first add on. */
const BAD_FROM_START = ['b1', 'b2'];
/** Delivered by run 1; from run 2 on its e-mail is bad, so its changes (and any re-add) fail. */
const GOES_BAD = 'b3';
const REJECTED = [...BAD_FROM_START, GOES_BAD];

/** What the model holds at run k (1-based): the same for every variant, so only the filter differs. */
function modelAt(k: number): Map<string, string> {
  const rows = new Map<string, string>();
  // g1..g3 change every run: a filter must not touch honest changes.
  GOOD.forEach((id, i) => rows.set(id, i < 3 ? `${id}+v${k}@example.com` : `${id}@example.com`));
  for (const id of BAD_FROM_START) rows.set(id, `${id} at example.com`);
  rows.set(GOES_BAD, k === 1 ? `${GOES_BAD}@example.com` : `${GOES_BAD}@example,com`);
  return rows;
}
const rejects = (email: string) => !/^[^@\s]+@[^@\s,]+\.[a-z]+$/.test(email);

/**
 * How the destination meets a remove of a row it never got (its add failed): some planners send
 * no remove at all, some send one that the destination refuses, some get a success (an idempotent delete).
 */
type NeverAddedRemove = 'not planned' | 'fails' | 'succeeds';

interface Op {
  run: number;
  rowId: string;
  opType: 'added' | 'changed' | 'removed';
  status: 'succeeded' | 'failed';
  reason: string | null;
}

interface Sim {
  /** Per run, the row ids the filtered model returned. */
  members: Set<string>[];
  ops: Op[];
}

let server: PostgresServer;
let client: pg.Client;

before(async () => {
  server = await startPostgres();
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
});

after(async () => {
  await client?.end();
  await server?.stop();
});

const runId = (k: number) => `run-${String(k).padStart(2, '0')}`;
const startedAt = (k: number) => new Date(Date.UTC(2026, 10, 1, k)).toISOString();

/** One sync, RUNS runs, in its own schema; `variant` undefined plans against the unfiltered model. */
async function simulate(
  schema: string,
  variant: ExcludeVariant | undefined,
  neverAdded: NeverAddedRemove,
  lastRuns?: number,
): Promise<Sim> {
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.query(createTablesSql(schema));
  await client.query(`create table ${schema}.model (id text, email text)`);
  const modelSql = `select id, email from ${schema}.model`;
  const query =
    variant === undefined
      ? modelSql
      : excludeFailedRowsSql(
          { dialect: postgresDialect, schema },
          { modelSql, syncId: SYNC, primaryKey: 'id', variant, lastRuns },
        );
  /** What the destination holds: id → e-mail. */
  const destination = new Map<string, string>();
  const sim: Sim = { members: [], ops: [] };
  for (let k = 1; k <= RUNS; k++) {
    await client.query(`truncate ${schema}.model`);
    const model = modelAt(k);
    await client.query(`insert into ${schema}.model select * from unnest($1::text[], $2::text[])`, [
      [...model.keys()],
      [...model.values()],
    ]);
    const filtered = new Map((await client.query(query)).rows.map((r) => [String(r.id), String(r.email)]));
    sim.members.push(new Set(filtered.keys()));
    const snapshot = new Map(
      (
        await client.query(
          `select row_id, op_type, status, failure_reason, fields->>'email' as email from ${schema}.sync_snapshot where sync_id = $1`,
          [SYNC],
        )
      ).rows.map((r) => [
        String(r.row_id),
        r as { op_type: string; status: string; failure_reason: string | null; email: string },
      ]),
    );
    const planned: { rowId: string; opType: Op['opType']; email: string }[] = [];
    for (const [id, email] of filtered) {
      const s = snapshot.get(id);
      // A failed operation is retried as what it was: a failed add is still an add.
      if (!s) planned.push({ rowId: id, opType: 'added', email });
      else if (s.status !== 'succeeded')
        planned.push({ rowId: id, opType: s.op_type === 'added' ? 'added' : 'changed', email });
      else if (s.email !== email) planned.push({ rowId: id, opType: 'changed', email });
    }
    for (const [id, s] of snapshot) {
      if (filtered.has(id)) continue;
      const neverDelivered = s.op_type === 'added' && s.status !== 'succeeded';
      if (!neverDelivered || neverAdded !== 'not planned')
        planned.push({ rowId: id, opType: 'removed', email: s.email });
    }
    const runOps: (Op & { email: string })[] = [];
    for (const p of planned) {
      let status: Op['status'];
      let reason: string | null = null;
      if (p.opType === 'removed') {
        const held = destination.delete(p.rowId);
        status = held || neverAdded === 'succeeds' ? 'succeeded' : 'failed';
        if (status === 'failed') reason = `NOT_FOUND: no contact ${p.rowId}`;
      } else if (rejects(p.email)) {
        status = 'failed';
        reason = `INVALID_EMAIL: ${p.email} is not a valid e-mail address`;
      } else {
        status = 'succeeded';
        destination.set(p.rowId, p.email);
      }
      runOps.push({ run: k, rowId: p.rowId, opType: p.opType, status, reason, email: p.email });
    }
    sim.ops.push(...runOps.map(({ email: _e, ...op }) => op));
    const count = (op: string, status?: string) =>
      runOps.filter((o) => o.opType === op && (status === undefined || o.status === status)).length;
    await client.query(
      `insert into ${schema}.sync_changelog (sync_id, sync_run_id, op_type, row_id, status, failure_reason, fields)
       select $1, $2, o, r, s, f, jsonb_build_object('id', r, 'email', e) from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) as t(o, r, s, f, e)`,
      [
        SYNC,
        runId(k),
        runOps.map((o) => o.opType),
        runOps.map((o) => o.rowId),
        runOps.map((o) => o.status),
        runOps.map((o) => o.reason),
        runOps.map((o) => o.email),
      ],
    );
    // The snapshot: the rows of the (filtered) model, each with its latest operation's outcome.
    const byRow = new Map(runOps.map((o) => [o.rowId, o]));
    const next = [...filtered].map(([id, email]) => {
      const op = byRow.get(id);
      const s = snapshot.get(id);
      if (op) return [op.opType, id, op.status, op.reason, email];
      return ['unchanged', id, s!.status, s!.failure_reason, email];
    });
    await client.query(`delete from ${schema}.sync_snapshot where sync_id = $1`, [SYNC]);
    await client.query(
      `insert into ${schema}.sync_snapshot (sync_id, op_type, row_id, status, failure_reason, fields)
       select $1, o, r, s, f, jsonb_build_object('id', r, 'email', e) from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as t(o, r, s, f, e)`,
      [SYNC, ...[0, 1, 2, 3, 4].map((i) => next.map((row) => row[i]))],
    );
    await client.query(
      `insert into ${schema}.sync_runs (sync_id, sync_run_id, primary_key, destination, model_name, status, started_at, finished_at,
         num_planned_add, num_planned_change, num_planned_remove, num_attempted_add, num_attempted_change, num_attempted_remove,
         num_succeeded_add, num_succeeded_change, num_succeeded_remove, num_failed_add, num_failed_change, num_failed_remove)
       values ($1, $2, 'id', 'hubspot', 'contacts', 'succeeded', $3, $3, $4, $5, $6, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        SYNC,
        runId(k),
        startedAt(k),
        count('added'),
        count('changed'),
        count('removed'),
        count('added', 'succeeded'),
        count('changed', 'succeeded'),
        count('removed', 'succeeded'),
        count('added', 'failed'),
        count('changed', 'failed'),
        count('removed', 'failed'),
      ],
    );
  }
  return sim;
}

/** Times a row came back into the filtered model after leaving it, within the first `runs` runs. */
function reentries(sim: Sim, rowId: string, runs = RUNS): number {
  let n = 0;
  for (let k = 1; k < runs; k++) if (!sim.members[k - 1].has(rowId) && sim.members[k].has(rowId)) n++;
  return n;
}
const membership = (sim: Sim, rowId: string) => sim.members.map((m) => (m.has(rowId) ? 1 : 0)).join('');
const opsOf = (sim: Sim, rowId: string) =>
  sim.ops.filter((o) => o.rowId === rowId).map((o) => `${o.run}:${o.opType}:${o.status}`);

/**
 * The excluded set the filter should have produced before run k, replayed here from the
 * simulation's own operations (not from SQL).
 */
function expectedExcluded(sim: Sim, k: number, variant: ExcludeVariant, lastRuns = 0): Set<string> {
  const before = sim.ops.filter((o) => o.run < k);
  const out = new Set<string>();
  const ids = new Set(before.map((o) => o.rowId));
  for (const id of ids) {
    const mine = before.filter((o) => o.rowId === id);
    const deliveries = mine.filter((o) => o.opType !== 'removed');
    if (variant === 'latestAttemptFailed' && deliveries.at(-1)?.status === 'failed') out.add(id);
    if (variant === 'failedInLastRuns' && deliveries.some((o) => o.status === 'failed' && o.run >= k - lastRuns))
      out.add(id);
  }
  if (variant === 'snapshotFailed' && k > 1) {
    // The snapshot after run k-1: rows of that run's filtered model whose latest operation failed.
    for (const id of sim.members[k - 2])
      if (before.filter((o) => o.rowId === id).at(-1)?.status === 'failed') out.add(id);
  }
  return out;
}

function assertFilterMatchesReplay(sim: Sim, variant: ExcludeVariant, lastRuns?: number): void {
  for (let k = 1; k <= RUNS; k++) {
    const model = [...modelAt(k).keys()];
    const excluded = new Set(model.filter((id) => !sim.members[k - 1].has(id)));
    assert.deepEqual(
      [...excluded].sort(),
      [...expectedExcluded(sim, k, variant, lastRuns)].filter((id) => model.includes(id)).sort(),
      `${variant}: excluded before run ${k}`,
    );
  }
}

for (const neverAdded of ['not planned', 'fails', 'succeeds'] as const) {
  describe(`a remove of a row the destination never got: ${neverAdded}`, () => {
    const tag = neverAdded.replace(' ', '_');
    let baseline: Sim;
    let snapshot: Sim;
    let latest: Sim;
    let lastRunsAll: Sim;
    let lastRuns3: Sim;
    before(async () => {
      baseline = await simulate(`sim_none_${tag}`, undefined, neverAdded);
      snapshot = await simulate(`sim_snapshot_${tag}`, 'snapshotFailed', neverAdded);
      latest = await simulate(`sim_latest_${tag}`, 'latestAttemptFailed', neverAdded);
      lastRunsAll = await simulate(`sim_last8_${tag}`, 'failedInLastRuns', neverAdded, RUNS);
      lastRuns3 = await simulate(`sim_last3_${tag}`, 'failedInLastRuns', neverAdded, 3);
    });

    test('the SQL excludes, before every run, exactly the rows a replay of the changelog says', () => {
      assertFilterMatchesReplay(snapshot, 'snapshotFailed');
      assertFilterMatchesReplay(latest, 'latestAttemptFailed');
      assertFilterMatchesReplay(lastRunsAll, 'failedInLastRuns', RUNS);
      assertFilterMatchesReplay(lastRuns3, 'failedInLastRuns', 3);
    });

    test('without a filter the rejected rows are retried every run (the problem the filter solves)', () => {
      for (const id of REJECTED) {
        assert.equal(membership(baseline, id), '11111111', id);
        assert.equal(
          baseline.ops.filter((o) => o.rowId === id && o.status === 'failed').length,
          id === GOES_BAD ? RUNS - 1 : RUNS,
          id,
        );
      }
    });

    test("the snapshot filter (the seed's) makes the rejected rows flap: in and out every other run, cycles growing", () => {
      for (const id of REJECTED) {
        const half = reentries(snapshot, id, RUNS / 2);
        const all = reentries(snapshot, id);
        assert.ok(all >= 3, `${id} came back ${all} times: ${membership(snapshot, id)}`);
        assert.ok(
          all > half && half >= 1,
          `${id}: the cycles keep coming (${half} in the first ${RUNS / 2} runs, ${all} in ${RUNS})`,
        );
        // Each time back it is attempted and fails again.
        assert.ok(
          snapshot.ops.filter((o) => o.rowId === id && o.status === 'failed' && o.opType !== 'removed').length >=
            all + 1,
          opsOf(snapshot, id).join(' '),
        );
      }
    });

    test('latest attempt failed: rejected rows are excluded after their first failure and stay out, no cycles', () => {
      for (const id of REJECTED) {
        const firstFail = latest.ops.find((o) => o.rowId === id && o.status === 'failed')!.run;
        assert.equal(reentries(latest, id), 0, `${id}: ${membership(latest, id)}`);
        assert.equal(membership(latest, id), '1'.repeat(firstFail) + '0'.repeat(RUNS - firstFail), id);
        // After it is excluded: at most its one remove, never another delivery attempt.
        const after = latest.ops.filter((o) => o.rowId === id && o.run > firstFail);
        assert.ok(
          after.length <= 1 && after.every((o) => o.opType === 'removed' && o.run === firstFail + 1),
          `${id}: ${opsOf(latest, id).join(' ')}`,
        );
      }
      // The row the destination held is removed from it once, when first excluded.
      assert.deepEqual(opsOf(latest, GOES_BAD), ['1:added:succeeded', '2:changed:failed', '3:removed:succeeded']);
    });

    test('failed in the last N runs: with N covering the runs it stays out; with N = 3 it is retried once every 4 runs, never flapping', () => {
      for (const id of REJECTED) {
        assert.equal(reentries(lastRunsAll, id), 0, `${id}: ${membership(lastRunsAll, id)}`);
        assert.equal(membership(lastRunsAll, id), membership(latest, id), id);
      }
      // Failed in run 1, out for runs 2-4, tried in run 5, out for 6-8.
      for (const id of BAD_FROM_START) assert.equal(membership(lastRuns3, id), '10001000', id);
      assert.equal(membership(lastRuns3, GOES_BAD), '11000100');
      for (const id of REJECTED) assert.ok(reentries(lastRuns3, id) < reentries(snapshot, id), id);
    });

    test('rows that never failed are unaffected by every variant', () => {
      for (const sim of [snapshot, latest, lastRunsAll, lastRuns3]) {
        for (const id of GOOD) {
          assert.equal(membership(sim, id), '11111111', id);
          assert.deepEqual(opsOf(sim, id), opsOf(baseline, id), id);
        }
      }
      assert.deepEqual(
        opsOf(baseline, 'g1'),
        Array.from({ length: RUNS }, (_, i) => `${i + 1}:${i === 0 ? 'added' : 'changed'}:succeeded`),
        'honest changes go through',
      );
    });
  });
}
