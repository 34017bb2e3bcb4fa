import assert from 'node:assert/strict';
import { createRng } from '../../src/demo/random';
import type { DemoWorkerWarehouse } from '../../src/warehouse/demo/demoWorkerClient';
import { QueryCancelledError } from '../../src/warehouse/warehouse';
import type { QueryResult } from '../../src/shared/queryResult';

/**
 * A seeded schedule of interleaved queries, cancels, worker crashes and pauses against the demo
 * worker client, and the checks that nothing is lost: every request settles, with its own result
 * or the error its kind of query must give, and the client holds nothing afterwards.
 */
export interface Schedule {
  seed: number;
  steps: number;
  client: DemoWorkerWarehouse;
  /** Kinds of query and how often each is picked. */
  modes: ReadonlyArray<readonly [string, number]>;
  sql(tag: number, mode: string): string;
  /**
   * Modes read with stream() instead of query(): every batch is taken (with a pause before each
   * ask, drawn up front) or, `stopAfterFirst`, the loop breaks after the first. The outcome's rows
   * are every row taken, in order.
   */
  streamModes?: Record<string, { batchRows: number; stopAfterFirst?: boolean }>;
  /** Whether a request of this kind, untouched by cancels and crashes, ended as it must. */
  expected(mode: string, outcome: Outcome, tag: number): boolean;
  /** Chances per step (the rest is queries). */
  abort: number;
  crash: number;
  /** Crash only a worker that is open (a reopen of the real demo takes long, and a crash then fails every query waiting). */
  crashOnlyReady?: boolean;
  pause: number;
  /** Longest pause between steps, in ms. */
  maxPauseMs: number;
  /** How long to wait, after the last step, for every request to settle before calling it lost. */
  settleWithinMs: number;
}

export type Outcome = { ok: true; result: QueryResult } | { ok: false; error: Error };

interface Tracked {
  tag: number;
  mode: string;
  sql: string;
  controller?: AbortController;
  abortedUnsettled: boolean;
  crashedInOpen: boolean;
  outcome?: Outcome;
  settles: number;
  promise: Promise<void>;
}

export interface ScheduleReport {
  requests: number;
  aborts: number;
  crashes: number;
  byOutcome: Record<string, number>;
}

export async function runSchedule(s: Schedule): Promise<ScheduleReport> {
  const rng = createRng(s.seed);
  const tracked: Tracked[] = [];
  const report: ScheduleReport = { requests: 0, aborts: 0, crashes: 0, byOutcome: {} };
  const totalWeight = s.modes.reduce((n, [, w]) => n + w, 0);
  const pickMode = () => {
    let u = rng.float() * totalWeight;
    for (const [mode, w] of s.modes) if ((u -= w) < 0) return mode;
    return s.modes[0][0];
  };
  // Set by a crash of an opening worker until the client has seen it exit: queries sent meanwhile wait for that open.
  let openCrash = false;
  let readyCrashes = 0;
  for (let step = 0; step < s.steps; step++) {
    if (openCrash && s.client.stateForTest().session !== 'opening') openCrash = false;
    const u = rng.float();
    if (u < s.abort) {
      const open = tracked.filter((t) => t.controller && !t.outcome && !t.controller.signal.aborted);
      if (open.length) {
        const t = rng.pick(open);
        t.abortedUnsettled = true;
        report.aborts++;
        t.controller!.abort();
      }
    } else if (u < s.abort + s.crash) {
      const state = s.client.stateForTest();
      const crashed = s.crashOnlyReady && state.session !== 'ready' ? undefined : s.client.crashWorkerForTest();
      if (crashed) {
        report.crashes++;
        if (state.session === 'ready') readyCrashes++;
        // A worker that dies while opening fails the queries waiting for it (the next query reopens).
        if (state.session === 'opening') {
          openCrash = true;
          for (const x of tracked) if (!x.outcome) x.crashedInOpen = true;
        }
      }
    } else if (u < s.abort + s.crash + s.pause) {
      await new Promise((r) => setTimeout(r, rng.int(0, s.maxPauseMs)));
    } else {
      const mode = pickMode();
      const tag = ++report.requests;
      const controller = rng.chance(0.6) ? new AbortController() : undefined;
      const sql = s.sql(tag, mode);
      const t: Tracked = {
        tag,
        mode,
        sql,
        controller,
        abortedUnsettled: false,
        crashedInOpen: openCrash,
        settles: 0,
        promise: Promise.resolve(),
      };
      const streamed = s.streamModes?.[mode];
      const run = streamed
        ? readStream(s.client, sql, { ...streamed, signal: controller?.signal, pauseMs: rng.int(0, s.maxPauseMs) })
        : s.client.query(sql, [], { signal: controller?.signal });
      t.promise = run.then(
        (result) => {
          t.settles++;
          t.outcome = { ok: true, result };
        },
        (error: Error) => {
          t.settles++;
          t.outcome = { ok: false, error };
        },
      );
      tracked.push(t);
    }
  }
  const all = Promise.all(tracked.map((t) => t.promise));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([all, new Promise((r) => (timer = setTimeout(r, s.settleWithinMs)))]);
  clearTimeout(timer);

  const lost = tracked.filter((t) => !t.outcome);
  assert.deepEqual(
    lost.map((t) => `#${t.tag} ${t.mode}${t.abortedUnsettled ? ' (cancelled)' : ''}`),
    [],
    `seed ${s.seed}: requests never settled (${lost.length} of ${tracked.length}); client holds ${JSON.stringify(s.client.stateForTest())}`,
  );
  const stoppedByCrash: string[] = [];
  for (const t of tracked) {
    const o = t.outcome!;
    const what = `seed ${s.seed}: #${t.tag} ${t.mode}${t.abortedUnsettled ? ' cancelled' : ''}${t.crashedInOpen ? ' crashed-in-open' : ''} -> ${o.ok ? `rows ${JSON.stringify(o.result.rows)}` : `${o.error.name}: ${o.error.message}`}`;
    assert.equal(t.settles, 1, what);
    if (o.ok) assert.equal(Number(o.result.rows[0]?.[0]), t.tag, `${what}: the result is another request's`);
    const key = o.ok ? 'ok' : o.error instanceof QueryCancelledError ? 'cancelled' : 'error';
    report.byOutcome[key] = (report.byOutcome[key] ?? 0) + 1;
    const cancelledNow = !o.ok && o.error instanceof QueryCancelledError && o.error.message === 'Query cancelled.';
    const stoppedInOpen = !o.ok && /demo database stopped while opening/.test(o.error.message);
    if (s.expected(t.mode, o, t.tag) || (t.abortedUnsettled && cancelledNow) || (t.crashedInOpen && stoppedInOpen))
      continue;
    // A crash fails the one query the worker held (the host sends one at a time), and only that one.
    const stoppedInFlight =
      !o.ok && /demo database stopped (while running|before it could start) this query/.test(o.error.message);
    assert.ok(stoppedInFlight, `${what}: not what this request must give`);
    stoppedByCrash.push(what);
  }
  assert.ok(
    stoppedByCrash.length <= readyCrashes,
    `seed ${s.seed}: ${readyCrashes} crashes failed ${stoppedByCrash.length} queries:\n${stoppedByCrash.join('\n')}`,
  );
  assert.deepEqual(
    { waiting: s.client.stateForTest().waiting, inFlight: s.client.stateForTest().inFlightSql },
    { waiting: 0, inFlight: undefined },
    `seed ${s.seed}: the client still holds requests`,
  );
  return report;
}

async function readStream(
  client: DemoWorkerWarehouse,
  sql: string,
  o: { batchRows: number; stopAfterFirst?: boolean; signal?: AbortSignal; pauseMs: number },
): Promise<QueryResult> {
  const rows: unknown[][] = [];
  let columns: QueryResult['columns'] = [];
  for await (const batch of client.stream(sql, [], { batchRows: o.batchRows, signal: o.signal })) {
    columns = batch.columns;
    rows.push(...batch.rows);
    if (o.stopAfterFirst) break;
    await new Promise((r) => setTimeout(r, o.pauseMs));
  }
  return { columns, rows, rowCount: rows.length, truncated: false, elapsedMs: 0 };
}
