import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import {
  openDemoInWorker,
  type DemoWorkerOptions,
  type DemoWorkerWarehouse,
} from '../../src/warehouse/demo/demoWorkerClient';
import { QueryCancelledError } from '../../src/warehouse/warehouse';
import { runSchedule, type Outcome } from '../support/demoSchedule';

// The demo worker client against the real worker-side protocol over a fake database
// (test/fakes/fakeDemoWorker.ts): fast enough for many seeded schedules of interleaved queries,
// cancels and crashes. demoWorkerClient.test.ts runs a few against the real PGlite worker.

const scratch = mkdtempSync(join(tmpdir(), 'synclogs-fake-worker-'));
const workerPath = join(scratch, 'fakeDemoWorker.js');
const clients: DemoWorkerWarehouse[] = [];
let dirs = 0;

before(() => {
  buildSync({
    entryPoints: [join(__dirname, '../fakes/fakeDemoWorker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: workerPath,
    logLevel: 'error',
  });
});
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  rmSync(scratch, { recursive: true, force: true });
});

/** A storage dir whose fake.json tells the fake worker how to open. */
function storage(fake: { openMs?: number; failOpen?: boolean } = {}): string {
  const dir = join(scratch, `demo-${++dirs}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'fake.json'), JSON.stringify(fake));
  return dir;
}

async function client(dir: string, options: DemoWorkerOptions = {}): Promise<DemoWorkerWarehouse> {
  const c = await openDemoInWorker(dir, {
    workerPath,
    watchdog: { startMs: 5000, openSilenceMs: 5000, exitMs: 5000 },
    ...options,
  });
  clients.push(c);
  return c;
}

const fake = (spec: { tag: number; ms?: number; mode?: string }) => `fake ${JSON.stringify(spec)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fails (instead of hanging the suite) when a promise has not settled in time: that is the defect. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)),
  );
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

test('a query sent while the worker restarts survives a cancel of the query ahead of it', async () => {
  // Cancelling the running statement restarts the worker; a second cancel, of the query that was
  // waiting, arrives while the new worker opens. The old client ended that opening worker too, and
  // a query sent meanwhile waited on it for ever, its own Cancel doing nothing.
  const c = await client(storage({ openMs: 300 }));
  const running = new AbortController();
  const slow = c.query(fake({ tag: 1, ms: 400 }), [], { signal: running.signal });
  const next = new AbortController();
  const waiting = c.query(fake({ tag: 2 }), [], { signal: next.signal });
  await sleep(100);
  running.abort();
  await assert.rejects(slow, QueryCancelledError);
  await sleep(20);
  const sentDuringRestart = new AbortController();
  const third = c.query(fake({ tag: 3 }), [], { signal: sentDuringRestart.signal });
  await sleep(100);
  next.abort();
  await assert.rejects(waiting, QueryCancelledError);
  const r = await within(third, 5000, 'the query sent during the restart');
  assert.equal(r.rows[0][0], 3);
  assert.equal((await within(c.query(fake({ tag: 4 })), 5000, 'a later query')).rows[0][0], 4);
});

test('a result the host cannot read fails its query; one the worker cannot send is answered with why', async () => {
  const c = await client(storage());
  await assert.rejects(
    within(c.query(fake({ tag: 1, mode: 'deep' })), 5000, 'a deeply nested result'),
    /could not be (received|sent)/,
  );
  await assert.rejects(
    within(c.query(fake({ tag: 2, mode: 'unclonable' })), 5000, 'an unclonable result'),
    /the result could not be sent from the demo worker: DataCloneError/i,
  );
  assert.equal((await within(c.query(fake({ tag: 3 })), 5000, 'the next query')).rows[0][0], 3);
});

test('a query the worker never starts is failed by the watchdog, and the worker restarted', async () => {
  const c = await client(storage(), { watchdog: { startMs: 300 } });
  const lost = c.query(fake({ tag: 1, mode: 'lost' }));
  const behind = c.query(fake({ tag: 2 }));
  await assert.rejects(within(lost, 5000, 'a lost query'), /did not start the query within 300 ms.*restarted/);
  assert.equal(
    (await within(behind, 5000, 'the query behind it')).rows[0][0],
    2,
    'the query waiting behind it runs on the new worker',
  );
});

test('the statement timeout stops a running statement and the next query runs', async () => {
  const c = await client(storage(), { statementTimeoutMs: 200 });
  await assert.rejects(within(c.query(fake({ tag: 1, ms: 3000 })), 5000, 'a slow statement'), (err: Error) => {
    assert.ok(err instanceof QueryCancelledError);
    assert.match(err.message, /statement timeout \(200 ms\).*syncLogs\.queryTimeoutSeconds/);
    return true;
  });
  assert.equal((await within(c.query(fake({ tag: 2 })), 5000, 'the next query')).rows[0][0], 2);
});

test('a worker that exits by itself fails only the query it ran', async () => {
  const c = await client(storage());
  const dies = c.query(fake({ tag: 1, mode: 'exit' }));
  const behind = c.query(fake({ tag: 2 }));
  await assert.rejects(
    within(dies, 5000, 'the query that ended the worker'),
    /demo database stopped while running this query.*code 3/,
  );
  assert.equal((await within(behind, 5000, 'the query behind it')).rows[0][0], 2);
});

test('an open that never finishes is stopped by the watchdog; a failed open is not remembered', async () => {
  const dir = storage({ openMs: 2000 });
  await assert.rejects(
    within(openDemoInWorker(dir, { workerPath, watchdog: { openSilenceMs: 300 } }), 5000, 'a silent open'),
    /did not finish opening: its worker gave no sign of progress for 300 ms/,
  );
  writeFileSync(join(dir, 'fake.json'), JSON.stringify({ failOpen: true }));
  const c = new (await import('../../src/warehouse/demo/demoWorkerClient')).DemoWorkerWarehouse(dir, { workerPath });
  clients.push(c);
  await assert.rejects(within(c.query(fake({ tag: 1 })), 5000, 'a query on a failing open'), /fake open failure/);
  writeFileSync(join(dir, 'fake.json'), JSON.stringify({}));
  assert.equal(
    (await within(c.query(fake({ tag: 2 })), 5000, 'a query once the open works')).rows[0][0],
    2,
    'the next query opens again',
  );
});

test('closing while a restart is under way settles every query and ends every worker', async () => {
  const c = await client(storage({ openMs: 200 }));
  const running = new AbortController();
  const slow = c.query(fake({ tag: 1, ms: 1000 }), [], { signal: running.signal });
  await sleep(50);
  running.abort();
  await assert.rejects(slow, QueryCancelledError);
  const waiting = assert.rejects(within(c.query(fake({ tag: 2 })), 5000, 'a query waiting at close'), /closed/);
  await within(c.close(), 5000, 'close');
  await waiting;
  assert.deepEqual(c.stateForTest(), { waiting: 0, inFlightSql: undefined, session: undefined });
});

const okOnly = (mode: string, o: Outcome, tag: number) => mode === 'ok' && o.ok && o.result.rows[0][0] === tag;

test('randomized: interleaved queries, cancels and worker crashes; every query settles once, with its own result', async (t) => {
  for (let seed = 1; seed <= 6; seed++) {
    const c = await client(storage({ openMs: seed % 3 === 0 ? 30 : 0 }));
    const report = await runSchedule({
      seed,
      steps: 120,
      client: c,
      modes: [['ok', 1]],
      sql: (tag) => fake({ tag, ms: tag % 4 === 0 ? 40 : tag % 3 }),
      expected: okOnly,
      abort: 0.2,
      // Odd seeds: queries and cancels only (the old client lost a third of them); even ones add crashes.
      crash: seed % 2 ? 0 : 0.05,
      pause: 0.3,
      maxPauseMs: 25,
      settleWithinMs: 15_000,
    });
    t.diagnostic(`seed ${seed}: ${JSON.stringify(report)}`);
    assert.equal((await within(c.query(fake({ tag: 9999 })), 5000, 'a query after the schedule')).rows[0][0], 9999);
    await c.close();
  }
});

test('randomized: queries that crash the worker, cannot be sent back, time out or are lost are each failed, and the rest still run', async (t) => {
  const expected = (mode: string, o: Outcome, tag: number): boolean => {
    if (mode === 'ok') return okOnly(mode, o, tag);
    if (o.ok) return false;
    const m = o.error.message;
    switch (mode) {
      case 'exit':
        return /demo database stopped while running this query/.test(m);
      case 'unclonable':
        return /the result could not be sent from the demo worker/i.test(m);
      case 'deep':
        return /could not be (received|sent)/.test(m);
      case 'throws':
        return m === `fake failure ${tag}`;
      case 'slow':
        return o.error instanceof QueryCancelledError && /statement timeout/.test(m);
      case 'lost':
        return /did not start the query/.test(m);
      default:
        return false;
    }
  };
  for (let seed = 11; seed <= 13; seed++) {
    // Bounds well above what a loaded machine needs for a fake query (a few ms), well below the test's patience.
    const c = await client(storage(), {
      statementTimeoutMs: 500,
      watchdog: { startMs: 1500, openSilenceMs: 5000, exitMs: 5000 },
    });
    const report = await runSchedule({
      seed,
      steps: 80,
      client: c,
      modes: [
        ['ok', 12],
        ['exit', 1],
        ['unclonable', 1],
        ['deep', 1],
        ['throws', 1],
        ['slow', 1],
        ['lost', 0.3],
      ],
      sql: (tag, mode) => fake({ tag, mode, ms: mode === 'slow' ? 3000 : tag % 5 }),
      expected,
      abort: 0.15,
      crash: 0.03,
      pause: 0.3,
      maxPauseMs: 25,
      settleWithinMs: 30_000,
    });
    t.diagnostic(`seed ${seed}: ${JSON.stringify(report)}`);
    await c.close();
  }
});
