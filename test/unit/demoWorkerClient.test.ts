import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDemoInWorker, type DemoWorkerWarehouse } from '../../src/warehouse/demo/demoWorkerClient';
import { QueryCancelledError, type RowBatch, type StreamOptions } from '../../src/warehouse/warehouse';
import { WarehouseError } from '../../src/warehouse/postgres/pgErrors';
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

/** Every batch of a stream, read to its end. */
async function readAll(sql: string, options: StreamOptions = {}, values: unknown[] = []): Promise<RowBatch[]> {
  const batches: RowBatch[] = [];
  for await (const batch of demo.stream(sql, values, options)) batches.push(batch);
  return batches;
}

test('stream: every row in order, in batches of batchRows, with the columns on each; JSON as text when asked', async () => {
  const sql = 'select sync_run_id, status from hightouch_audit.sync_runs order by sync_run_id';
  const whole = await demo.query(sql);
  const batches = await readAll(sql, { batchRows: 1000 });
  assert.ok(batches.length > 2, `${whole.rows.length} runs came in ${batches.length} batches`);
  assert.ok(batches.slice(0, -1).every((b) => b.rows.length === 1000));
  for (const b of batches) assert.deepEqual(b.columns, whole.columns);
  assert.deepEqual(
    batches.flatMap((b) => b.rows),
    whole.rows,
  );
  const [json] = await readAll(`select $1::int as n, '{"a": [1, 2]}'::jsonb as j`, { jsonAsText: true }, [7]);
  assert.deepEqual(json.rows, [[7, { $jsonText: '{"a": [1, 2]}' }]]);
  const [parsed] = await readAll(`select '{"a": [1, 2]}'::jsonb as j`);
  assert.deepEqual(parsed.rows, [[{ a: [1, 2] }]]);
});

test('stream: a statement without rows is one batch with its command; an empty result still says its columns', async () => {
  assert.deepEqual(await readAll('create temp table stream_written (id int)'), [
    { columns: [], rows: [], command: 'CREATE', affected: 0 },
  ]);
  const [inserted] = await readAll('insert into stream_written select generate_series(1, 3)');
  assert.deepEqual([inserted.command, inserted.affected, inserted.rows], ['INSERT', 3, []]);
  assert.deepEqual(await readAll('select id from stream_written where id > 10'), [
    { columns: [{ name: 'id', type: 'int4' }], rows: [] },
  ]);
});

test('stream: a consumer that stops after one batch made the worker produce about one batch; the cursor is closed', async () => {
  await demo.query('create temp sequence stream_probe');
  for await (const batch of demo.stream(
    "select g, nextval('stream_probe') from hightouch_audit.sync_changelog, generate_series(1, 3) g",
    [],
    { batchRows: 100 },
  )) {
    assert.equal(batch.rows.length, 100);
    break;
  }
  const produced = Number((await demo.query('select last_value from stream_probe')).rows[0][0]);
  assert.ok(produced <= 200, `the worker produced ${produced} rows for the one batch taken`);
  const cursors = await demo.query('select count(*)::int as n from pg_cursors');
  assert.equal(cursors.rows[0][0], 0, 'no cursor is left open');
  assert.deepEqual(demo.stateForTest(), { waiting: 0, inFlightSql: undefined, session: 'ready' });
});

test('stream: a query sent while a stream is open runs once the stream ends', async () => {
  const order: string[] = [];
  const stream = demo.stream('select g from generate_series(1, 30) g', [], { batchRows: 10 });
  assert.equal((await stream.next()).done, false);
  const behind = demo.query('select 43 as n').then((r) => (order.push('query'), r));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(demo.stateForTest().waiting, 1, 'the query waits its turn');
  let rest = 0;
  for (let step = await stream.next(); !step.done; step = await stream.next()) rest += step.value.rows.length;
  order.push('stream ended');
  assert.equal(rest, 20);
  assert.equal((await behind).rows[0][0], 43);
  assert.deepEqual(order, ['stream ended', 'query']);
});

test('stream: cancelling during a fetch ends it with QueryCancelledError; the next query runs', async () => {
  const ac = new AbortController();
  const stream = demo.stream(
    'select g, case when g > 10 then pg_sleep(600) end as slow from generate_series(1, 20) g',
    [],
    { batchRows: 10, signal: ac.signal },
  );
  const first = await stream.next();
  assert.equal(first.done ? 0 : first.value.rows.length, 10, 'the first batch came before the slow rows');
  const fetching = stream.next();
  await new Promise((r) => setTimeout(r, 300));
  ac.abort();
  await assert.rejects(fetching, QueryCancelledError);
  assert.equal((await demo.query('select 44 as n')).rows[0][0], 44);
});

test('stream: an SQL error, in the statement or at a later batch, is the error query() gives; the next query runs', async () => {
  await assert.rejects(readAll('select * from hightouch_audit.no_such_table'), (err: Error & { code?: string }) => {
    assert.equal(err.code, '42P01');
    return err instanceof WarehouseError;
  });
  const rows: unknown[][] = [];
  await assert.rejects(
    (async () => {
      for await (const b of demo.stream('select 1 / (15 - g) as x from generate_series(1, 20) g', [], {
        batchRows: 10,
      }))
        rows.push(...b.rows);
    })(),
    (err: Error & { code?: string }) => err.code === '22012',
  );
  assert.equal(rows.length, 10, 'the batch before the failing row arrived');
  assert.equal((await demo.query('select 45 as n')).rows[0][0], 45);
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
