import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../support/postgresServer';

// Drives the built CLI as a user would; `node esbuild.mjs` (the test command's build stage) makes it.
const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const run = promisify(execFile);

let server: PostgresServer;
let db: pg.Client;
let loadOutput: { stdout: string; stderr: string };

const cli = (args: string[]) => run(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });
const count = async (sql: string) => Number((await db.query(`select count(*) as n from (${sql}) q`)).rows[0].n);

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first`);
  server = await startPostgres();
  loadOutput = await cli(['demo', 'load', '--url', server.url, '--scale', '0.3']);
  db = new pg.Client({ connectionString: server.url });
  await db.connect();
});

after(async () => {
  await db?.end();
  await server?.stop();
});

test('demo load reports progress and a summary on stderr, nothing on stdout', () => {
  assert.equal(loadOutput.stdout, '');
  assert.match(loadOutput.stderr, /changelog: [\d,]+/);
  assert.match(loadOutput.stderr, /rows\/s/);
  const summary = /([\d,]+) changelog rows, ([\d,]+) snapshot rows/.exec(loadOutput.stderr);
  assert.ok(summary, loadOutput.stderr);
  assert.ok(Number(summary[1].replace(/,/g, '')) > 10_000);
});

test("the seed's first example (most common sync error) returns rows", async () => {
  const { rows } = await db.query(`
    select failure_reason, count(*) as c
    from hightouch_audit.sync_snapshot
    where failure_reason is not null
    group by failure_reason
    order by c desc`);
  assert.ok(rows.length > 0);
  assert.ok(Number(rows[0].c) >= Number(rows[rows.length - 1].c));
});

/** The seed's "Track when users entered and exited a model", with the join condition and a row filter as parameters. */
const enterExitSql = (join: string, rows = 'true') => `
  with details as (
    select model_name, row_id, op_type as type, started_at as timestamp,
           lag(op_type) over (partition by model_name, row_id order by started_at) as lag_type
    from hightouch_audit.sync_changelog c
    join hightouch_audit.sync_runs r on ${join}
    where op_type != 'changed' and ${rows}
  )
  select row_id as user_id, model_name as audience, type, timestamp
  from details
  where (lag_type != type or lag_type is null)
  order by model_name, row_id, timestamp`;

test('enter/exit history joined on sync_run_id returns rows; the seed join on sync_id multiplies them', async (t) => {
  const corrected = await count(enterExitSql('c.sync_run_id = r.sync_run_id'));
  assert.ok(corrected > 0, 'the corrected query returns rows');
  const operations = await count("select 1 from hightouch_audit.sync_changelog where op_type != 'changed'");
  assert.ok(corrected <= operations, 'at most one row per add/remove operation');

  // The seed's join pairs every operation with every run of its sync: on the whole log that takes
  // minutes, so compare both joins on the same 20 rows that entered and left a model.
  const { rows: sample } = await db.query(`
    select sync_id, row_id from hightouch_audit.sync_changelog
    where op_type = 'removed' group by sync_id, row_id order by sync_id, row_id limit 20`);
  assert.equal(sample.length, 20);
  const subset = `(c.sync_id, c.row_id) in (${sample.map((r) => `(${db.escapeLiteral(r.sync_id)}, ${db.escapeLiteral(r.row_id)})`).join(', ')})`;
  const correctedSubset = await count(enterExitSql('c.sync_run_id = r.sync_run_id', subset));
  const uncorrectedSubset = await count(enterExitSql('c.sync_id = r.sync_id', subset));
  t.diagnostic(
    `20 sampled rows: ${correctedSubset} enter/exit rows joined on sync_run_id, ${uncorrectedSubset} joined on sync_id`,
  );
  assert.ok(correctedSubset >= 40, 'each sampled row entered and exited at least once');
  assert.ok(
    uncorrectedSubset > correctedSubset,
    `sync_id join: ${uncorrectedSubset} rows, sync_run_id join: ${correctedSubset}`,
  );
  const pairs = await count(
    `select 1 from hightouch_audit.sync_changelog c join hightouch_audit.sync_runs r on c.sync_id = r.sync_id where ${subset}`,
  );
  const ops = await count(`select 1 from hightouch_audit.sync_changelog c where ${subset}`);
  assert.ok(
    pairs > ops * 10,
    `every operation is paired with every run of its sync (${ops} operations, ${pairs} pairs)`,
  );
});

test("each run's counters equal its changelog counts by op_type and status", async () => {
  const counter = (op: string, opType: string) => `
    count(*) filter (where op_type = '${opType}') as planned_${op},
    count(*) filter (where op_type = '${opType}' and status in ('succeeded', 'failed')) as attempted_${op},
    count(*) filter (where op_type = '${opType}' and status = 'succeeded') as succeeded_${op},
    count(*) filter (where op_type = '${opType}' and status = 'failed') as failed_${op}`;
  const ops = ['add', 'change', 'remove'];
  const compare = ops
    .flatMap((op) =>
      ['planned', 'attempted', 'succeeded', 'failed'].map(
        (k) => `r.num_${k}_${op} is distinct from coalesce(c.${k}_${op}, 0)`,
      ),
    )
    .join(' or ');
  const { rows } = await db.query(`
    with c as (
      select sync_run_id, ${counter('add', 'added')}, ${counter('change', 'changed')}, ${counter('remove', 'removed')}
      from hightouch_audit.sync_changelog group by sync_run_id
    )
    select count(*)::int as runs, count(*) filter (where ${compare})::int as mismatched
    from hightouch_audit.sync_runs r left join c on c.sync_run_id = r.sync_run_id`);
  assert.ok(rows[0].runs > 10);
  assert.equal(rows[0].mismatched, 0);
});

test('query --format csv prints RFC 4180 CSV on stdout', async () => {
  const literal = await cli([
    'query',
    '--url',
    server.url,
    '--format',
    'csv',
    `select 'a,b' as "x y", 'say "hi"' as q, 3::int8 as n, null as nothing, E'two\\nlines' as t`,
  ]);
  assert.equal(literal.stdout, 'x y,q,n,nothing,t\r\n"a,b","say ""hi""",3,,"two\nlines"\r\n');
  assert.equal(literal.stderr, '');

  const sql = 'select op_type, status, count(*) as n from hightouch_audit.sync_changelog group by 1, 2 order by 1, 2';
  const { stdout } = await cli(['query', '--url', server.url, '--format', 'csv', sql]);
  const expected = (await db.query(sql)).rows.map((r) => `${r.op_type},${r.status},${r.n}\r\n`).join('');
  assert.equal(stdout, `op_type,status,n\r\n${expected}`);
  assert.ok(expected.length > 0);
});

test('query errors go to stderr with exit 1; usage errors exit 2', async () => {
  await assert.rejects(
    cli(['query', '--url', server.url, 'select * from hightouch_audit.no_such_table']),
    (err: { code: number; stdout: string; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.equal(err.stdout, '');
      assert.match(err.stderr, /Relation "hightouch_audit\.no_such_table" does not exist \(42P01\)/);
      return true;
    },
  );
  await assert.rejects(
    cli(['query', '--url', server.url, '--format', 'yaml', 'select 1']),
    (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr, /--format must be table, csv or json/);
      return true;
    },
  );
});

test('a wrong password in the URL is reported without the password', async () => {
  const secret = 'Sup3rSecretPassw0rd';
  const url = `postgres://${server.passwordRole.user}:${secret}@${server.host}:${server.port}/${server.database}`;
  await assert.rejects(cli(['query', '--url', url, 'select 1']), (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 1);
    assert.match(err.stderr, /Password authentication failed for user "synclogs_pw"/);
    assert.ok(!err.stderr.includes(secret));
    return true;
  });
});

test('loading again replaces the tables and says so', async () => {
  const again = await cli(['demo', 'load', '--url', server.url, '--scale', '0.1']);
  assert.match(again.stderr, /Replacing existing tables hightouch_audit\.sync_changelog.*dropped and recreated/);
  const reported = Number(/([\d,]+) changelog rows/.exec(again.stderr)?.[1].replace(/,/g, ''));
  assert.ok(reported > 0);
  assert.equal(
    await count('select 1 from hightouch_audit.sync_changelog'),
    reported,
    'no rows left over from the first load',
  );
});
