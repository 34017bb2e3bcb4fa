import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDemoInWorker, type DemoWorkerWarehouse } from '../../src/warehouse/demo/demoWorkerClient';
import { QueryCancelledError } from '../../src/warehouse/warehouse';
import type { LoadProgress } from '../../src/demo/loaderContract';
import { offersDemoRebuild } from '../../src/warehouse/demo/demoDataErrors';
import { demoPaths } from '../../src/warehouse/demo/demoStorage';
import { runSchedule } from '../support/demoSchedule';

// The extension opens the demo through this client: the real bundled worker (dist/demoWorker.js,
// built by `node esbuild.mjs` before the tests) running the real PGlite build.
const workerPath = join(__dirname, '../../dist/demoWorker.js');
const storage = mkdtempSync(join(tmpdir(), 'synclogs-worker-test-'));
const progress: LoadProgress[] = [];
let demo: DemoWorkerWarehouse;

before(async () => {
  assert.ok(existsSync(workerPath), `build first: ${workerPath} is missing (run node esbuild.mjs)`);
  demo = await openDemoInWorker(storage, { workerPath, onProgress: (p) => progress.push(p) });
});
after(async () => {
  await demo?.close();
  rmSync(storage, { recursive: true, force: true });
});

// Long enough to be running when we cancel it, on any machine, and it writes nothing to disk.
const SLOW = 'select pg_sleep(600)';

test('the first open builds the demo in the worker and reports progress', async () => {
  assert.ok(
    progress.some((p) => p.phase === 'changelog'),
    'changelog progress arrived from the worker',
  );
  const r = await demo.query('select count(distinct sync_id) as syncs from hightouch_audit.sync_runs');
  assert.deepEqual(r.columns, [{ name: 'syncs', type: 'int8' }]);
  assert.ok((r.rows[0][0] as number) >= 8);
});

test('bound values, typed cells and errors cross the thread boundary', async () => {
  const r = await demo.query('select $1::text as t, now() as ts, \'{"a":1}\'::jsonb as j', ['x']);
  assert.equal(r.rows[0][0], 'x');
  assert.match(r.rows[0][1] as string, /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual(r.rows[0][2], { a: 1 });
  await assert.rejects(
    demo.query('select * from hightouch_audit.no_such_table'),
    (err: Error & { code?: string }) => err.code === '42P01',
  );
});

test('the extension thread stays responsive while a statement runs', async () => {
  const ac = new AbortController();
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const running = demo.query(SLOW, [], { signal: ac.signal });
  await new Promise((r) => setTimeout(r, 500));
  ac.abort();
  await assert.rejects(running, QueryCancelledError);
  clearInterval(timer);
  assert.ok(ticks >= 5, `timers fired while the statement ran (${ticks} ticks)`);
});

test('cancelling a running statement stops it; waiting ones and later ones still run', async () => {
  const ac = new AbortController();
  const running = demo.query(SLOW, [], { signal: ac.signal });
  const waiting = demo.query('select 41 + 1 as answer');
  await new Promise((r) => setTimeout(r, 300));
  ac.abort();
  await assert.rejects(running, QueryCancelledError);
  assert.equal((await waiting).rows[0][0], 42, 'a statement queued behind the cancelled one runs on the new worker');
  const after = await demo.query('select count(*) from hightouch_audit.sync_runs');
  assert.ok((after.rows[0][0] as number) > 0);
});

test('a statement cancelled before it starts never runs', async () => {
  const blocker = new AbortController();
  const first = demo.query(SLOW, [], { signal: blocker.signal });
  const ac = new AbortController();
  const second = demo.query('create table public.should_not_exist as select 1', [], { signal: ac.signal });
  ac.abort();
  await assert.rejects(second, QueryCancelledError);
  blocker.abort();
  await assert.rejects(first, QueryCancelledError);
  const r = await demo.query("select count(*) from pg_tables where tablename = 'should_not_exist'");
  assert.equal(r.rows[0][0], 0);
});

test('randomized, on the real worker: interleaved queries, cancels and crashes all settle with their own results', async (t) => {
  for (const seed of [101, 102]) {
    const report = await runSchedule({
      seed,
      steps: 40,
      client: demo,
      modes: [
        ['fast', 3],
        ['slow', 1],
      ],
      // A slow statement blocks PGlite for about half a second: long enough to be cancelled or crashed while it runs.
      sql: (tag, mode) =>
        mode === 'slow' ? `select ${tag} as tag, count(*) from generate_series(1, 1500000)` : `select ${tag} as tag`,
      expected: (_mode, o, tag) => o.ok && o.result.rows[0][0] === tag,
      abort: 0.2,
      crash: 0.06,
      crashOnlyReady: true,
      pause: 0.3,
      maxPauseMs: 300,
      settleWithinMs: 120_000,
    });
    t.diagnostic(`seed ${seed}: ${JSON.stringify(report)}`);
  }
  assert.equal((await demo.query('select 7 as seven')).rows[0][0], 7);
});

test('deeply nested jsonb gets an answer, and the demo goes on', async () => {
  const deep = demo.query(`select (repeat('[', 6000) || repeat(']', 6000))::jsonb as j`);
  const outcome = await Promise.race([
    deep.then(
      () => 'answered',
      (err: Error) => err.message,
    ),
    new Promise<string>((r) => setTimeout(() => r('no answer within 60 s'), 60_000).unref()),
  ]);
  assert.ok(outcome === 'answered' || /could not be (received|sent)/.test(outcome), outcome);
  assert.equal((await demo.query('select 8 as eight')).rows[0][0], 8);
});

test('a damaged page fails with a pointer to Rebuild Demo Data', async () => {
  const file = (await demo.query("select pg_relation_filepath('hightouch_audit.sync_runs') as f")).rows[0][0] as string;
  await demo.close();
  // Overwrite the page header of block 0: Postgres checks it on every read.
  const fd = openSync(join(demoPaths(storage).dataDir, file), 'r+');
  writeSync(fd, Buffer.alloc(64, 0xab), 0, 64, 0);
  closeSync(fd);
  demo = await openDemoInWorker(storage, { workerPath });
  await assert.rejects(
    demo.query('select count(*) from hightouch_audit.sync_runs'),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'XX001');
      assert.match(
        err.message,
        /^The demo data is damaged \(Invalid page in block 0 .*\)\. Run "Sync Logs: Rebuild Demo Data"/,
      );
      assert.ok(offersDemoRebuild(err));
      return true;
    },
  );
  assert.equal(
    (await demo.query('select 9 as nine')).rows[0][0],
    9,
    'statements that do not read the damaged page still run',
  );
});
