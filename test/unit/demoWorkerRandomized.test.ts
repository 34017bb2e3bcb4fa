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
import { QueryCancelledError, type RowBatch, type StreamOptions } from '../../src/warehouse/warehouse';
import { WarehouseError } from '../../src/warehouse/postgres/pgErrors';
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

const fakeStream = (spec: { tag: number; rows: number; ms?: number; mode?: string; at?: number }) =>
  `fake ${JSON.stringify(spec)}`;

/** The fake worker's stream counters (since its thread started): batches fetched, cursors closed. */
async function streamStats(c: DemoWorkerWarehouse): Promise<{ fetches: number; closed: number }> {
  const r = await within(c.query(fake({ tag: 0, mode: 'stats' })), 5000, 'the stream counters');
  return r.rows[0][1] as { fetches: number; closed: number };
}

/** Every batch of a stream, read to its end. */
async function readAll(c: DemoWorkerWarehouse, sql: string, options: StreamOptions = {}): Promise<RowBatch[]> {
  const batches: RowBatch[] = [];
  for await (const batch of c.stream(sql, [], options)) batches.push(batch);
  return batches;
}

test('a stream gives every row in order, batch by batch, with the columns on each', async () => {
  const c = await client(storage());
  const batches = await within(readAll(c, fakeStream({ tag: 7, rows: 25 }), { batchRows: 10 }), 5000, 'a stream');
  assert.deepEqual(
    batches.map((b) => b.rows.length),
    [10, 10, 5],
  );
  for (const b of batches)
    assert.deepEqual(
      b.columns.map((col) => col.name),
      ['tag', 'n'],
    );
  assert.deepEqual(
    batches.flatMap((b) => b.rows),
    Array.from({ length: 25 }, (_, i) => [7, i]),
  );
  const empty = await within(readAll(c, fakeStream({ tag: 8, rows: 0 })), 5000, 'an empty stream');
  assert.deepEqual(
    empty.map((b) => [b.columns.length, b.rows.length]),
    [[2, 0]],
    'an empty result still says its columns, once',
  );
  assert.deepEqual(await streamStats(c), { fetches: 4, closed: 2 });
});

test('the worker fetches a batch only when the consumer asks; a break closes the cursor and frees the worker', async () => {
  const c = await client(storage());
  const stream = c.stream(fakeStream({ tag: 1, rows: 1000 }), [], { batchRows: 10 });
  const first = await within(stream.next(), 5000, 'the first batch');
  assert.equal(first.done, false);
  // A slow consumer: while it holds the first batch, nothing more is fetched (and nothing else runs).
  await sleep(200);
  assert.deepEqual(c.stateForTest().inFlightSql, fakeStream({ tag: 1, rows: 1000 }));
  await within(stream.return(), 5000, 'stopping the stream');
  assert.deepEqual(c.stateForTest(), { waiting: 0, inFlightSql: undefined, session: 'ready' });
  assert.deepEqual(await streamStats(c), { fetches: 1, closed: 1 }, 'one batch fetched, the cursor closed');
  for await (const batch of c.stream(fakeStream({ tag: 2, rows: 1000 }), [], { batchRows: 10 })) {
    assert.deepEqual(batch.rows[0], [2, 0]);
    break;
  }
  assert.deepEqual(await streamStats(c), { fetches: 2, closed: 2 }, 'a for-await break does the same');
});

test('a query sent while a stream is open waits for it, then runs', async () => {
  const c = await client(storage());
  const order: string[] = [];
  const stream = c.stream(fakeStream({ tag: 1, rows: 30 }), [], { batchRows: 10 });
  await within(stream.next(), 5000, 'the first batch');
  const behind = c.query(fake({ tag: 2 })).then((r) => (order.push('query'), r));
  await sleep(100);
  assert.deepEqual(c.stateForTest().waiting, 1, 'the query waits while the stream is the one in flight');
  let rest = 0;
  for (let step = await stream.next(); !step.done; step = await stream.next()) rest += step.value.rows.length;
  order.push('stream ended');
  assert.equal(rest, 20);
  assert.equal((await within(behind, 5000, 'the query behind the stream')).rows[0][0], 2);
  assert.deepEqual(order, ['stream ended', 'query']);
});

test('cancelling a stream, during a fetch or between batches, ends it with QueryCancelledError; the next query runs', async () => {
  const c = await client(storage());
  const during = new AbortController();
  const stream = c.stream(fakeStream({ tag: 1, rows: 100, mode: 'slow', at: 1 }), [], {
    batchRows: 10,
    signal: during.signal,
  });
  await within(stream.next(), 5000, 'the first batch');
  const fetching = stream.next();
  await sleep(100);
  during.abort();
  await assert.rejects(within(fetching, 5000, 'a cancelled fetch'), QueryCancelledError);
  assert.equal((await within(c.query(fake({ tag: 2 })), 5000, 'the query after')).rows[0][0], 2);

  const between = new AbortController();
  const idle = c.stream(fakeStream({ tag: 3, rows: 100 }), [], { batchRows: 10, signal: between.signal });
  await within(idle.next(), 5000, 'the first batch');
  between.abort();
  await assert.rejects(within(idle.next(), 5000, 'the next batch after a cancel'), QueryCancelledError);
  assert.equal((await within(c.query(fake({ tag: 4 })), 5000, 'the query after')).rows[0][0], 4);

  const early = new AbortController();
  const blocker = c.query(fake({ tag: 5, ms: 200 }));
  const queued = readAll(c, fakeStream({ tag: 6, rows: 10 }), { signal: early.signal });
  early.abort();
  await assert.rejects(within(queued, 5000, 'a stream cancelled while it waited'), QueryCancelledError);
  await blocker;
  assert.deepEqual(await streamStats(c), { fetches: 0, closed: 0 }, 'the waiting stream never reached the worker');
});

test('a stream that fails gives the error query() gives, at its first batch or later; the next query runs', async () => {
  const c = await client(storage());
  await assert.rejects(
    within(readAll(c, fakeStream({ tag: 1, rows: 100, mode: 'throws' })), 5000, 'a failing stream'),
    (err: Error & { code?: string }) =>
      err instanceof WarehouseError && err.message === 'fake failure 1' && err.code === 'XX000',
  );
  const rows: unknown[][] = [];
  await assert.rejects(
    within(
      (async () => {
        for await (const b of c.stream(fakeStream({ tag: 2, rows: 100, mode: 'throws', at: 2 }), [], { batchRows: 10 }))
          rows.push(...b.rows);
      })(),
      5000,
      'a stream failing at its third fetch',
    ),
    /fake failure 2/,
  );
  assert.equal(rows.length, 20, 'the batches before the failure arrived');
  await assert.rejects(
    within(readAll(c, fakeStream({ tag: 3, rows: 100, mode: 'unclonable' })), 5000, 'rows that cannot be sent'),
    /the result could not be sent from the demo worker: DataCloneError/i,
  );
  await assert.rejects(
    within(readAll(c, fakeStream({ tag: 4, rows: 100, mode: 'deep' })), 5000, 'rows the host cannot read'),
    /could not be (received|sent)/,
  );
  assert.deepEqual(await streamStats(c), { fetches: 4, closed: 4 }, 'every failed stream closed its cursor');
  await assert.rejects(
    within(
      readAll(c, fakeStream({ tag: 5, rows: 100, mode: 'exit', at: 1 }), { batchRows: 10 }),
      5000,
      'a worker that dies',
    ),
    /demo database stopped while running this query.*code 3/,
  );
  assert.equal((await within(c.query(fake({ tag: 6 })), 5000, 'the query after')).rows[0][0], 6);
});

test('the statement timeout bounds each fetch, not the time the consumer takes between batches', async () => {
  const c = await client(storage(), { statementTimeoutMs: 300 });
  let rows = 0;
  for await (const batch of c.stream(fakeStream({ tag: 1, rows: 30 }), [], { batchRows: 10 })) {
    rows += batch.rows.length;
    await sleep(400);
  }
  assert.equal(rows, 30, 'a consumer slower than the timeout still gets every row');
  await assert.rejects(
    within(readAll(c, fakeStream({ tag: 2, rows: 100, mode: 'slow', at: 1 }), { batchRows: 10 }), 5000, 'a slow fetch'),
    (err: Error) => err instanceof QueryCancelledError && /statement timeout \(300 ms\)/.test(err.message),
  );
  assert.equal((await within(c.query(fake({ tag: 3 })), 5000, 'the query after')).rows[0][0], 3);
});

const okOnly = (mode: string, o: Outcome, tag: number) => mode === 'ok' && o.ok && o.result.rows[0][0] === tag;

/** A query's row, or a stream's rows [tag, 0…]: all 25 of them, or the first batch of 10 when it stopped there. */
const okOrStreamed = (mode: string, o: Outcome, tag: number) => {
  if (mode === 'ok') return okOnly(mode, o, tag);
  const expected = Array.from({ length: mode === 'streamStop' ? 10 : 25 }, (_, i) => [tag, i]);
  return o.ok && JSON.stringify(o.result.rows) === JSON.stringify(expected);
};

test('randomized: interleaved queries, streams, cancels and worker crashes; every request settles once, with its own result', async (t) => {
  for (let seed = 1; seed <= 6; seed++) {
    const c = await client(storage({ openMs: seed % 3 === 0 ? 30 : 0 }));
    const report = await runSchedule({
      seed,
      steps: 120,
      client: c,
      modes: [
        ['ok', 1],
        ['stream', 0.3],
        ['streamStop', 0.15],
      ],
      sql: (tag, mode) =>
        mode === 'ok' ? fake({ tag, ms: tag % 4 === 0 ? 40 : tag % 3 }) : fakeStream({ tag, rows: 25, ms: tag % 3 }),
      streamModes: { stream: { batchRows: 10 }, streamStop: { batchRows: 10, stopAfterFirst: true } },
      expected: okOrStreamed,
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
