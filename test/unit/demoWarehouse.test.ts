import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENERATOR_VERSION } from '../../src/demo/loader';
import type { LoadProgress } from '../../src/demo/loaderContract';
import { nextSegment, openDemoWarehouse } from '../../src/warehouse/demo/demoWarehouse';
import { demoPaths } from '../../src/warehouse/demo/demoStorage';
import { processStartId, readLockInfo } from '../../src/warehouse/demo/demoLock';
import { QueryCancelledError } from '../../src/warehouse/warehouse';
import type { WarehouseError } from '../../src/warehouse/postgres/pgErrors';

let storage: string;
let paths: ReturnType<typeof demoPaths>;

before(async () => {
  storage = await mkdtemp(join(tmpdir(), 'synclogs-demo-test-'));
  paths = demoPaths(storage);
});

after(async () => {
  await rm(storage, { recursive: true, force: true });
});

const readMarker = async () =>
  JSON.parse(await readFile(paths.versionFile, 'utf8')) as { version: string; builtAt: string; buildMs: number };

test('first open builds the demo at scale 1, replacing an old build, and writes the version file last', async (t) => {
  // An older generator's build: its marker and data must not be trusted.
  await mkdir(paths.dataDir, { recursive: true });
  await writeFile(join(paths.dataDir, 'leftover'), 'old');
  await writeFile(paths.versionFile, JSON.stringify({ version: 'old-generator' }));
  const progress: LoadProgress[] = [];
  const started = Date.now();
  const wh = await openDemoWarehouse(
    storage,
    (p) => progress.push(p),
    () => undefined,
  );
  t.diagnostic(`demo build (open + load at scale 1): ${Date.now() - started} ms`);
  try {
    assert.ok(
      progress.some((p) => p.phase === 'changelog'),
      'the loader reported progress',
    );
    assert.equal(existsSync(join(paths.dataDir, 'leftover')), false, 'the old data dir was deleted');
    const marker = await readMarker();
    assert.equal(marker.version, GENERATOR_VERSION);
    assert.ok(marker.buildMs > 0);
    assert.equal(wh.kind, 'demo');
    const segments = readdirSync(join(paths.dataDir, 'pg_wal')).filter((f) => /^[0-9A-F]{24}$/.test(f));
    t.diagnostic(`WAL segments kept after the build: ${segments.length}`);
    assert.ok(segments.length <= 3, `recycled WAL segments were trimmed (${segments.length} left)`);

    const counts = await wh.query(
      'select (select count(*) from hightouch_audit.sync_changelog) as changelog, (select count(*) from hightouch_audit.sync_runs) as runs',
    );
    assert.deepEqual(counts.columns, [
      { name: 'changelog', type: 'int8' },
      { name: 'runs', type: 'int8' },
    ]);
    const [changelog, runs] = counts.rows[0] as number[];
    t.diagnostic(`demo holds ${changelog} changelog rows, ${runs} runs`);
    assert.ok(changelog > 100_000 && runs > 10);

    const typed = await wh.query(
      'select started_at, sync_run_id from hightouch_audit.sync_runs order by started_at limit 1',
      [],
      { readOnly: true },
    );
    assert.equal(typed.columns[0].type, 'timestamptz');
    assert.match(String(typed.rows[0][0]), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  } finally {
    await wh.close();
  }
});

test('reopening uses the built data without rebuilding', async (t) => {
  const before = await readMarker();
  const progress: LoadProgress[] = [];
  const started = Date.now();
  const wh = await openDemoWarehouse(
    storage,
    (p) => progress.push(p),
    () => undefined,
  );
  t.diagnostic(`demo reopen: ${Date.now() - started} ms`);
  try {
    assert.deepEqual(progress, [], 'no build ran');
    assert.deepEqual(await readMarker(), before);
    const r = await wh.query('select count(*) from hightouch_audit.sync_snapshot');
    assert.ok((r.rows[0][0] as number) > 0);
  } finally {
    await wh.close();
  }
});

test('queries: multi-statement text returns the last result; maxRows; bound values; read-only; errors', async () => {
  const wh = await openDemoWarehouse(storage, undefined, () => undefined);
  try {
    const multi = await wh.query(
      'create temp table t (n int); insert into t select generate_series(1, 10); select n from t order by n',
    );
    assert.equal(multi.rowCount, 10);
    assert.deepEqual(multi.rows.slice(0, 2), [[1], [2]]);
    const insert = await wh.query('insert into t values (11), (12)');
    assert.equal(insert.command, 'INSERT');
    assert.equal(insert.rowCount, 2);

    const capped = await wh.query('select n from t order by n', [], { maxRows: 3 });
    assert.deepEqual(capped.rows, [[1], [2], [3]]);
    assert.equal(capped.rowCount, 4, 'the rows read: 3 kept and the one that shows there are more');
    assert.equal(capped.rowCountExact, false);
    assert.equal(capped.truncated, true);
    // Through a cursor, the engine produces only what is fetched: nextval() counts the rows made.
    await wh.query('create temp sequence probe');
    const probed = await wh.query("select n, nextval('probe') from t", [], { maxRows: 3 });
    assert.equal(probed.rows.length, 3);
    assert.deepEqual((await wh.query('select last_value from probe')).rows, [[4]]);
    const fits = await wh.query('select n from t where n > $1 order by n', [10], { maxRows: 5 });
    assert.deepEqual(
      [fits.rows, fits.rowCount, fits.truncated, fits.rowCountExact],
      [[[11], [12]], 2, false, undefined],
    );
    // What a cursor cannot hold runs as written: several statements, a write, an error (with its own position).
    const multiCapped = await wh.query('insert into t values (13); select count(*)::int from t', [], { maxRows: 5 });
    assert.deepEqual(multiCapped.rows, [[13]]);
    const written = await wh.query('delete from t where n = 13', [], { maxRows: 5 });
    assert.deepEqual([written.command, written.rowCount], ['DELETE', 1]);
    await assert.rejects(
      wh.query('select\n  failed_reason from hightouch_audit.sync_changelog', [], { maxRows: 5 }),
      (err: WarehouseError) => {
        assert.equal(err.code, '42703');
        assert.match(err.message, /failure_reason/);
        assert.doesNotMatch(
          err.message,
          /cursor|declare|synclogs_first_rows/i,
          "the cursor the adapter tried is not the user's concern",
        );
        return true;
      },
    );

    const bound = await wh.query('select count(*) from hightouch_audit.sync_changelog where status = $1', ['failed']);
    assert.ok((bound.rows[0][0] as number) > 0);

    await assert.rejects(
      wh.query('delete from hightouch_audit.sync_runs', [], { readOnly: true }),
      (err: WarehouseError) => err.code === '25006',
    );
    await assert.rejects(
      wh.query('select failed_reason from hightouch_audit.sync_changelog'),
      (err: WarehouseError) => {
        assert.equal(err.code, '42703');
        assert.match(err.message, /failure_reason/);
        return true;
      },
    );
    // A BEGIN left open by one query must not leak into the next.
    await wh.query('begin; delete from hightouch_audit.sync_runs');
    const runs = await wh.query('select count(*) from hightouch_audit.sync_runs');
    assert.ok((runs.rows[0][0] as number) > 0);
  } finally {
    await wh.close();
  }
});

test('abort rejects with QueryCancelledError, and queued queries behind it still run', async () => {
  const wh = await openDemoWarehouse(storage, undefined, () => undefined);
  try {
    const slow = wh.query('select count(*) from hightouch_audit.sync_changelog a, generate_series(1, 20)');
    const controller = new AbortController();
    const queued = wh.query('select 1', [], { signal: controller.signal });
    controller.abort();
    await assert.rejects(queued, QueryCancelledError);
    const after = wh.query('select 2 as two');
    assert.ok(((await slow).rows[0][0] as number) > 0);
    assert.deepEqual((await after).rows, [[2]]);
  } finally {
    await wh.close();
  }
});

test('a second opener while the lock is held opens a private copy; a stale lock is taken over', async (t) => {
  const logs: string[] = [];
  const first = await openDemoWarehouse(storage, undefined, () => undefined);
  try {
    assert.equal((await readLockInfo(paths.lockFile))?.pid, process.pid);
    const copyStarted = Date.now();
    const second = await openDemoWarehouse(storage, undefined, (line) => logs.push(line));
    t.diagnostic(`demo open as a private copy: ${Date.now() - copyStarted} ms`);
    try {
      assert.ok(
        logs.some((l) => /in use by another window/.test(l)),
        logs.join('\n'),
      );
      const copyDir = /private demo at (\S+);/.exec(logs.join('\n'))?.[1];
      assert.ok(copyDir && existsSync(copyDir));
      // The copy is separate: a write there does not reach the shared data.
      await second.query('delete from hightouch_audit.sync_snapshot');
      assert.ok(((await first.query('select count(*) from hightouch_audit.sync_snapshot')).rows[0][0] as number) > 0);
      await second.close();
      assert.equal(existsSync(copyDir), false, 'the copy is deleted on close');
    } finally {
      await second.close();
    }
  } finally {
    await first.close();
  }
  assert.equal(existsSync(paths.lockFile), false, 'closing releases the lock');

  // Another live process (our parent) holds the lock: copy again.
  await writeFile(paths.lockFile, JSON.stringify({ pid: process.ppid, version: GENERATOR_VERSION }));
  logs.length = 0;
  const copy = await openDemoWarehouse(storage, undefined, (line) => logs.push(line));
  await copy.close();
  assert.ok(logs.some((l) => l.includes(`pid ${process.ppid}`)));
  assert.equal((await readLockInfo(paths.lockFile))?.pid, process.ppid, "another process's lock is left alone");

  // The holder died without cleaning up: its lock is taken over and the shared data opened directly.
  // So is the lock of a holder whose pid now belongs to another live process (its start time differs).
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  for (const stale of [{ pid: dead }, { pid: process.ppid, started: `${processStartId(process.ppid)}-not` }]) {
    await writeFile(paths.lockFile, JSON.stringify({ ...stale, version: GENERATOR_VERSION }));
    logs.length = 0;
    const owner = await openDemoWarehouse(storage, undefined, (line) => logs.push(line));
    try {
      assert.deepEqual(logs, [], JSON.stringify(stale));
      assert.equal((await readLockInfo(paths.lockFile))?.pid, process.pid);
    } finally {
      await owner.close();
    }
    assert.equal(existsSync(paths.lockFile), false);
  }
});

test('waiting for a live holder that is still building says so, and gives up with what to do', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'synclogs-demo-wait-'));
  try {
    const { lockFile } = demoPaths(dir);
    // Our parent process is alive and has this start time: a real holder. No version file: still building.
    await writeFile(
      lockFile,
      JSON.stringify({
        pid: process.ppid,
        started: processStartId(process.ppid),
        version: GENERATOR_VERSION,
        createdAt: new Date().toISOString(),
      }),
    );
    const progress: LoadProgress[] = [];
    const opening = openDemoWarehouse(
      dir,
      (p) => progress.push(p),
      () => undefined,
      { waitMs: 1200, pollMs: 200 },
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error('the wait has no deadline')), 15_000)),
    );
    await assert.rejects(Promise.race([opening, late]), (err: Error) => {
      assert.match(
        err.message,
        new RegExp(
          `^Gave up after 1 s waiting for another VS Code window \\(pid ${process.ppid}, since [^)]+\\) to finish building the demo data\\.`,
        ),
      );
      assert.ok(err.message.includes(`delete ${lockFile}`), err.message);
      return true;
    });
    clearTimeout(timer);
    const waiting = progress.filter((p) => p.phase === 'waiting');
    assert.ok(waiting.length >= 2, `the wait was reported while it lasted (${waiting.length} reports)`);
    assert.match(
      waiting[0].message,
      new RegExp(`^Waiting for another VS Code window to release the demo \\(pid ${process.ppid}, since `),
    );
    assert.equal((await readLockInfo(lockFile))?.pid, process.ppid, "the holder's lock is left alone");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('WAL segment names advance within and across log files', () => {
  assert.equal(nextSegment('000000010000000000000010'), '000000010000000000000011');
  assert.equal(nextSegment('0000000100000000000000FF'), '000000010000000100000000');
});
