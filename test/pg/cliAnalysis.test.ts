/**
 * The built CLI's analyses (dist/cli.js) on the demo in a real Postgres: each command's records
 * equal the loaders' results, a few figures equal independent SQL (or a replay here), and the
 * embedded demo answers `--demo` the same way. `check` exits 2 when it cannot run.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PostgresServer } from '../support/postgresServer';
import { startDemoPostgres } from '../support/demoPostgres';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { resultObjects } from '../../src/shared/queryResult';
import { postgresDialect } from '../../src/sql/dialect';
import { warehouseRunner, type QueryRunner } from '../../src/loaders/queryRunner';
import { loadFlapping } from '../../src/loaders/flappingLoader';
import { loadStuckRows } from '../../src/loaders/stuckRowsLoader';
import { loadTimeline } from '../../src/loaders/timelineLoader';
import { runCli } from '../../src/cli/commands';
import type { HealthData } from '../../src/shared/healthData';
import { failureTemplate } from '../../src/analysis/failureTemplates';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const exec = promisify(execFile);
let server: PostgresServer;
let wh: Warehouse;
let run: QueryRunner;
let dir: string;
let syncId: string;

const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  exec(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024, env });
const json = async (args: string[]) =>
  JSON.parse((await cli([...args, '--url', server.url, '--format', 'json'])).stdout);
const sql = async (text: string, values: unknown[] = []) =>
  resultObjects(await wh.query(text, values, { maxRows: 1_000_000 }));
/** The CLI's exit code and output, whether it succeeded or not. */
const outcome = (args: string[]) =>
  cli(args).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first`);
  ({ server, wh } = await startDemoPostgres());
  run = warehouseRunner(wh, { dialect: postgresDialect, schema: 'hightouch_audit' });
  dir = await mkdtemp(join(tmpdir(), 'synclogs-cli-analysis-'));
  // The sync with the most failed operations: every command has something to say about it.
  const [top] = await sql(
    `select sync_id::text as sync_id from hightouch_audit.sync_changelog where status = 'failed' group by 1 order by count(*) desc limit 1`,
  );
  syncId = String(top.sync_id);
});

after(async () => {
  await wh?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('errors: failures and rows in all and per category equal counts of failed operations and distinct rows in SQL', async () => {
  const report = await json(['errors', '--sync', syncId, '--window', 'all']);
  const [{ n, r }] = await sql(
    `select count(*)::int as n, count(distinct row_id)::int as r from hightouch_audit.sync_changelog where status = 'failed' and sync_id::text = $1`,
    [syncId],
  );
  assert.ok(Number(n) > 0);
  assert.equal(report.failures, n);
  assert.equal(report.rows, r);
  assert.ok(Number(r) < Number(n), 'retries: fewer rows than failures');
  assert.equal(report.rows_upper_bound, false);
  assert.equal(
    report.categories.reduce((s: number, c: { failures: number }) => s + c.failures, 0),
    n,
  );
  assert.equal(
    report.templates.reduce((s: number, t: { failures: number }) => s + t.failures, 0),
    n,
  );
  for (const t of report.templates)
    for (const key of ['template', 'category', 'rows', 'failures', 'first_seen', 'last_seen', 'new'])
      assert.ok(key in t, key);
  // A template's rows: distinct rows over its texts, in SQL (the top one, whose texts the loader classified).
  const top = report.templates[0];
  const texts = (
    await sql(
      `select distinct failure_reason from hightouch_audit.sync_changelog where status = 'failed' and sync_id::text = $1 and failure_reason is not null`,
      [syncId],
    )
  )
    .map((x) => String(x.failure_reason))
    .filter((x) => failureTemplate(x) === top.template);
  const [{ tr }] = await sql(
    `select count(distinct row_id)::int as tr from hightouch_audit.sync_changelog where status = 'failed' and sync_id::text = $1 and failure_reason = any($2)`,
    [syncId, texts],
  );
  assert.equal(top.rows, tr, top.template);
  // No window: nothing is new.
  assert.ok(report.templates.every((t: { new: boolean | null }) => t.new === false));
  const [{ first }] = await sql(
    `select min(r.started_at) as first from hightouch_audit.sync_changelog c join hightouch_audit.sync_runs r on r.sync_run_id = c.sync_run_id where c.status = 'failed' and c.sync_id::text = $1`,
    [syncId],
  );
  const firsts = report.templates.map((t: { first_seen: string | null }) =>
    t.first_seen === null ? Infinity : Date.parse(t.first_seen),
  );
  assert.equal(
    Math.min(...firsts),
    Date.parse(String(first)),
    JSON.stringify(report.templates.filter((t: { first_seen: unknown }) => t.first_seen === null).slice(0, 3)),
  );
  // The CSV has one record per template, in the same order, rows before failures.
  const csv = (
    await cli(['errors', '--sync', syncId, '--window', 'all', '--url', server.url, '--format', 'csv'])
  ).stdout
    .trimEnd()
    .split('\r\n');
  assert.equal(csv[0], 'template,category,rows,failures,first_seen,last_seen,new');
  assert.equal(csv.length - 1, report.templates.length);
});

test('errors --window: first and last seen over the whole log, not the window; new when first seen is in it', async () => {
  const report = await json(['errors', '--sync', syncId, '--window', '1d']);
  const [{ newest }] = await sql(
    `select max(started_at) as newest from hightouch_audit.sync_runs where sync_id::text = $1`,
    [syncId],
  );
  const since = new Date(String(newest)).getTime() - 86_400_000;
  const seen = await sql(
    `select c.failure_reason, min(r.started_at) as f, max(r.started_at) as l from hightouch_audit.sync_changelog c
     join hightouch_audit.sync_runs r on r.sync_run_id = c.sync_run_id where c.status = 'failed' and c.sync_id::text = $1 group by 1`,
    [syncId],
  );
  const byTemplate = new Map<string, { f: number; l: number }>();
  for (const s of seen) {
    const t = s.failure_reason === null ? '(no failure reason)' : failureTemplate(String(s.failure_reason));
    const g = byTemplate.get(t) ?? { f: Infinity, l: -Infinity };
    byTemplate.set(t, { f: Math.min(g.f, Date.parse(String(s.f))), l: Math.max(g.l, Date.parse(String(s.l))) });
  }
  assert.ok(report.templates.length > 0);
  let older = 0;
  for (const t of report.templates) {
    const g = byTemplate.get(t.template)!;
    assert.equal(Date.parse(t.first_seen), g.f, t.template);
    assert.equal(Date.parse(t.last_seen), g.l, t.template);
    assert.equal(t.new, g.f >= since, t.template);
    if (g.f < since) older++;
  }
  assert.ok(older > 0, 'some template is older than the window: its first seen is not clipped');
});

test('errors --categories: a user category from a JSONC file wins over the defaults, matched in the worker', async () => {
  const file = join(dir, 'cats.json');
  await writeFile(file, '// the team\'s\n[{ "name": "cli_test_email", "pattern": "email" }]\n');
  const report = await json(['errors', '--sync', syncId, '--window', 'all', '--categories', file]);
  const [{ n }] = await sql(
    `select count(*)::int as n from hightouch_audit.sync_changelog where status = 'failed' and sync_id::text = $1 and failure_reason ~* 'email'`,
    [syncId],
  );
  const mine = report.categories.find((c: { category: string }) => c.category === 'cli_test_email');
  assert.equal(mine?.failures ?? 0, n);
  const bad = await outcome(['errors', '--url', server.url, '--categories', join(dir, 'missing.json')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /cannot read/);
});

test("flapping: the loader's ranking in its order; operations equal a count in SQL", async () => {
  const records = await json(['flapping', '--sync', syncId, '--window', 'all']);
  const loaded = await loadFlapping(run, { syncId, days: null, orderBy: 'flapping' });
  assert.ok(loaded.data.rows.length > 0);
  assert.deepEqual(
    records.map((r: { row_id: string; operations: number; changes: number; cycles: number; retries: number }) => [
      r.row_id,
      r.operations,
      r.changes,
      r.cycles,
      r.retries,
    ]),
    loaded.data.rows.map((r) => [r.rowId, r.operations, r.changes, r.cycles, r.retries]),
  );
  const top = records[0];
  const [{ n }] = await sql(
    `select count(*)::int as n from hightouch_audit.sync_changelog where sync_id::text = $1 and row_id::text = $2`,
    [syncId, top.row_id],
  );
  assert.equal(top.operations, n);
});

test("stuck: the loader's rows; each streak equals a replay of the row's operations", async () => {
  const records = await json(['stuck', '--sync', syncId]);
  const loaded = await loadStuckRows(run, { syncId }, 3);
  assert.deepEqual(
    records.map((r: { row_id: string }) => r.row_id),
    loaded.stuck.map((r) => r.rowId),
  );
  assert.ok(records.length > 0, 'the demo has stuck rows');
  for (const r of records.slice(0, 3)) {
    const ops = await sql(
      `select c.status from hightouch_audit.sync_changelog c join hightouch_audit.sync_runs r on r.sync_run_id = c.sync_run_id
       where c.sync_id::text = $1 and c.row_id::text = $2 order by r.started_at desc, c.sync_run_id desc`,
      [syncId, r.row_id],
    );
    let streak = 0;
    while (streak < ops.length && ops[streak].status === 'failed') streak++;
    assert.equal(r.consecutive_failures, streak);
    assert.ok(streak >= 3);
  }
});

test('timeline: one record per operation on the row, oldest first', async () => {
  const [{ row_id: rowId }] = await sql(
    `select row_id::text as row_id from hightouch_audit.sync_changelog where sync_id::text = $1 group by 1 order by count(*) desc limit 1`,
    [syncId],
  );
  const out = await cli(['timeline', String(rowId), '--url', server.url, '--format', 'csv']);
  const lines = out.stdout.trimEnd().split('\r\n');
  const [{ n }] = await sql(`select count(*)::int as n from hightouch_audit.sync_changelog where row_id::text = $1`, [
    rowId,
  ]);
  const data = await loadTimeline(run, { rowId: String(rowId), syncId: null });
  assert.equal(lines.length - 1, Math.min(Number(n), data.events.length));
  const times = lines.slice(1).map((l) => Date.parse(l.split(',')[2]));
  for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1], 'oldest first');
});

test('check exits 2 when it cannot run, and a missing schema is an error, not an empty answer', async () => {
  const noServer = await outcome(['check', '--url', 'postgres://u@127.0.0.1:1/db', '--max-stuck-rows', '1']);
  assert.equal(noServer.code, 2);
  const noSchema = await outcome(['check', '--url', server.url, '--schema', 'nothing_here', '--max-stuck-rows', '1']);
  assert.equal(noSchema.code, 2);
  const stuck = await outcome(['stuck', '--url', server.url, '--schema', 'nothing_here', '--sync', syncId]);
  assert.equal(stuck.code, 1);
});

test('--demo: the embedded demo answers the same command', async () => {
  const env = { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') };
  const out = await cli(['errors', '--demo', '--window', '7d', '--format', 'json'], env);
  const report = JSON.parse(out.stdout);
  assert.ok(report.failures > 0);
  assert.equal(
    report.categories.reduce((s: number, c: { failures: number }) => s + c.failures, 0),
    report.failures,
  );
});

test("run: the waterfall per op type equals the run's changelog counted in SQL", async () => {
  const [{ id }] = await sql(
    `select sync_run_id::text as id from hightouch_audit.sync_runs where sync_id::text = $1 order by started_at desc limit 1`,
    [syncId],
  );
  const report = await json(['run', String(id)]);
  assert.equal(report.sync_run_id, String(id));
  const counted = await sql(
    `select op_type, count(*) filter (where status = 'succeeded')::int as succeeded, count(*) filter (where status = 'failed')::int as failed
     from hightouch_audit.sync_changelog where sync_run_id::text = $1 group by 1`,
    [id],
  );
  for (const c of counted) {
    const op = report.ops.find((o: { op_type: string }) => o.op_type === c.op_type);
    assert.ok(op, String(c.op_type));
    assert.equal(op.succeeded, c.succeeded);
    assert.equal(op.failed, c.failed);
  }
  assert.ok(report.comparison === null || typeof report.comparison.newly_failing === 'number');
  const missing = await outcome(['run', 'no-such-run', '--url', server.url]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No run "no-such-run"/);
});

test('check: exit 0 when every limit holds, 1 with the tripped check, its sync, figure and limit', async () => {
  // The health loader is another module's: here it is stood in for by the stuck-rows loader's own count.
  const stuckRows = (await loadStuckRows(run, { syncId }, 3)).stuckRows;
  assert.ok(stuckRows > 0);
  const loadHealth = async (): Promise<HealthData> => ({
    days: 1,
    windowEnd: null,
    windowStart: null,
    logStale: false,
    minFailures: 3,
    rules: { failing: '', stuckRising: '', stale: '', healthy: '', noRuns: '' },
    syncs: [
      {
        syncId,
        modelName: 'm',
        destination: 'd',
        primaryKey: null,
        state: 'failing',
        stateReason: '',
        lastRun: null,
        lastRunRows: null,
        rowsFailingNow: 0,
        rowsFailedInWindow: 0,
        rowsAttemptedInWindow: 0,
        failureRate: null,
        runs: [],
        runsInWindow: 0,
        failedRuns: 0,
        abortedRuns: 0,
        stuckRows,
        stuckRowsBefore: 0,
        newTemplates: [],
        newTemplateCount: 0,
      },
    ],
  });
  const check = async (limit: number) => {
    let stdout = '';
    const code = await runCli(['check', '--url', server.url, '--max-stuck-rows', String(limit)], {
      stdout: async (t) => void (stdout += t),
      stderr: () => undefined,
      stderrIsTTY: false,
      env: {},
      readStdin: async () => '',
      onInterrupt: () => () => undefined,
      version: 'test',
      healthLoaders: { loadHealth },
    });
    return { code, stdout };
  };
  assert.deepEqual(await check(stuckRows), { code: 0, stdout: '' });
  assert.deepEqual(await check(stuckRows - 1), {
    code: 1,
    stdout: `sync ${syncId}: stuck rows ${stuckRows} > ${stuckRows - 1}\n`,
  });
});

test('health and check on the real loader: stuck rows equal the per-sync stuck-rows scan; exit 0 and 1 from the built CLI', async () => {
  const records = await json(['health', '--window', '7d']);
  const mine = records.find((r: { sync_id: string }) => r.sync_id === syncId);
  assert.ok(mine, 'every sync has a record');
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
    assert.ok(key in mine, key);
  const stuckRows = (await loadStuckRows(run, { syncId }, 3)).stuckRows;
  assert.equal(mine.stuck_rows, stuckRows);
  const [{ n }] = await sql(
    `select count(*)::int as n from hightouch_audit.sync_snapshot where status = 'failed' and sync_id::text = $1`,
    [syncId],
  );
  assert.equal(mine.rows_failing, Number(n));
  const holds = await outcome(['check', '--url', server.url, '--sync', syncId, '--max-stuck-rows', String(stuckRows)]);
  assert.equal(holds.code, 0, holds.stderr);
  const trips = await outcome([
    'check',
    '--url',
    server.url,
    '--sync',
    syncId,
    '--max-stuck-rows',
    String(stuckRows - 1),
  ]);
  assert.equal(trips.code, 1);
  assert.equal(trips.stdout, `sync ${syncId}: stuck rows ${stuckRows} > ${stuckRows - 1}\n`);
  const unknown = await outcome(['check', '--url', server.url, '--sync', 'no-such-sync', '--max-stuck-rows', '1']);
  assert.equal(unknown.code, 2);
});
