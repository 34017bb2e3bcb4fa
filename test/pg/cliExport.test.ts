/**
 * The built CLI (dist/cli.js) against a real server: exports written as they are produced (a big
 * CSV export into a file equals psql's, a reader that stops early ends it quietly), hostile text
 * kept off the terminal, and jsonb nested 10,000 levels (Postgres's own example of what it takes)
 * through the adapter, the CLI and the demo.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../support/postgresServer';
import { openPostgresWarehouse } from '../../src/warehouse/postgres/postgresWarehouse';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const run = promisify(execFile);
const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  run(process.execPath, [CLI, ...args], { maxBuffer: 256 * 1024 * 1024, env });

const DEEP_SQL = "select (repeat('[', 10000) || repeat(']', 10000))::jsonb as j, 1 as n";
const EXPORT_ROWS = 200_000;
// Columns whose text psql and the CLI print alike (psql writes booleans as t/f, timestamps in its DateStyle).
const EXPORT_SQL = `select g as id,
  'row ' || g || case when g % 3 = 0 then ', "quoted"' else '' end || case when g % 5 = 0 then E'\\r\\nnext line' else '' end as text,
  (g * 1.5)::text as amount, md5(g::text) as hash
  from generate_series(1, ${EXPORT_ROWS}) g`;

let server: PostgresServer;
let db: pg.Client;
let dir: string;

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first`);
  server = await startPostgres();
  db = new pg.Client({ connectionString: server.url });
  await db.connect();
  dir = await mkdtemp(join(tmpdir(), 'synclogs-cli-export-'));
});

after(async () => {
  await db?.end();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** RFC 4180 records (either line end); enough to compare two exports field by field. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else field += text[i++];
    } else if (c === '"') {
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else field += text[i++];
  }
  return records;
}

/** Runs the CLI with stdout going straight into a file, as `> file` does. */
async function exportToFile(args: string[], file: string): Promise<{ code: number | null; stderr: string }> {
  const out = await open(file, 'w');
  try {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', out.fd, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stderr };
  } finally {
    await out.close();
  }
}

test(`a ${EXPORT_ROWS.toLocaleString('en-US')}-row CSV export into a file equals psql --csv, field by field`, async () => {
  const file = join(dir, 'export.csv');
  const { code, stderr } = await exportToFile(
    ['query', '--url', server.url, '--format', 'csv', '--max-rows', String(EXPORT_ROWS), EXPORT_SQL],
    file,
  );
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  const ours = await readFile(file, 'utf8');
  const psql = await run('psql', ['--csv', '-X', '-q', '-d', server.url, '-c', EXPORT_SQL], {
    maxBuffer: 256 * 1024 * 1024,
  });
  const theirs = parseCsv(psql.stdout);
  const mine = parseCsv(ours);
  assert.equal(mine.length, EXPORT_ROWS + 1);
  assert.deepEqual(mine, theirs);
  assert.ok(ours.endsWith('\r\n'));
});

test('a reader that stops early (| head) ends the export quietly with exit 0', async () => {
  const child = spawn(
    process.execPath,
    [CLI, 'query', '--url', server.url, '--format', 'csv', '--max-rows', String(EXPORT_ROWS), EXPORT_SQL],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let got = 0;
  child.stdout.on('data', (d: Buffer) => {
    got += d.length;
    if (got > 1000) child.stdout.destroy();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});

test('control characters from the server are escaped on the terminal (cells and error messages) and exact in CSV', async () => {
  const hostile = "E'a\\x1b[2J\\x1b]0;pwned\\x07b\\u009bc\\u202ed'";
  const table = await cli(['query', '--url', server.url, `select ${hostile} as "x\x1b[31m"`]);
  assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/.test(table.stdout), JSON.stringify(table.stdout));
  assert.match(table.stdout, /a\\x1B\[2J\\x1B\]0;pwned\\x07b\\u009Bc\\u202Ed/);
  const csv = await cli(['query', '--url', server.url, '--format', 'csv', `select ${hostile} as x`]);
  assert.equal(csv.stdout, 'x\r\na\x1b[2J\x1b]0;pwned\x07b\u009bc\u202ed\r\n');
  await assert.rejects(
    cli(['query', '--url', server.url, `do $$ begin raise exception ${hostile}; end $$`]),
    (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/.test(err.stderr), JSON.stringify(err.stderr));
      assert.match(err.stderr, /synclogs: A\\x1B\[2J\\x1B\]0;pwned\\x07b\\u009Bc\\u202Ed \(P0001\)/);
      return true;
    },
  );
});

test('jsonb nested 10,000 levels comes out of the Postgres adapter as its exact text, and crosses postMessage', async () => {
  const text = (await db.query("select (repeat('[', 10000) || repeat(']', 10000))::jsonb::text as t")).rows[0]
    .t as string;
  const warehouse = await openPostgresWarehouse({ connectionString: server.url }, { poolSize: 1 });
  try {
    const result = await warehouse.query(DEEP_SQL);
    assert.deepEqual(result.rows[0], [{ $jsonText: text }, 1]);
    assert.deepEqual(structuredClone(result).rows[0][0], { $jsonText: text });
    const shallow = await warehouse.query(`select '{"a": [1, {"b": null}]}'::jsonb as j`);
    assert.deepEqual(shallow.rows[0][0], { a: [1, { b: null }] });
  } finally {
    await warehouse.close();
  }
});

test('the CLI prints jsonb nested 10,000 levels: valid json equal to what Postgres prints, its text in csv and table', async () => {
  const text = (await db.query("select (repeat('[', 10000) || repeat(']', 10000))::jsonb::text as t")).rows[0]
    .t as string;
  const json = await cli(['query', '--url', server.url, '--format', 'json', DEEP_SQL]);
  assert.equal(json.stderr, '');
  assert.equal(json.stdout, `[\n  {\n    "j": ${text},\n    "n": 1\n  }\n]\n`);
  JSON.parse(json.stdout);
  const csv = await cli(['query', '--url', server.url, '--format', 'csv', DEEP_SQL]);
  assert.equal(csv.stdout, `j,n\r\n${text},1\r\n`);
  const table = await cli(['query', '--url', server.url, DEEP_SQL]);
  assert.ok(!table.stdout.includes('[object Object]'));
  assert.match(table.stdout, /^ \[{39}… \| 1$/m);
});

test('the demo prints deep jsonb it can compute exactly, and fails with a message (not an empty result) where PGlite cannot', async () => {
  const env = { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') };
  // PGlite (Postgres in WebAssembly) computes about 6,000 levels; 3,000 is already past where JSON.stringify and structured clone overflow.
  const json = await cli(
    ['query', '--demo', '--format', 'json', "select (repeat('[', 3000) || repeat(']', 3000))::jsonb as j"],
    env,
  );
  assert.equal(json.stdout, `[\n  {\n    "j": ${'['.repeat(3000)}${']'.repeat(3000)}\n  }\n]\n`);
  await assert.rejects(
    cli(['query', '--demo', '--format', 'json', DEEP_SQL], env),
    (err: { code: number; stdout: string; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.equal(err.stdout, '');
      assert.match(err.stderr, /demo engine \(PGlite.*without an answer or an error/);
      return true;
    },
  );
});

test('--all streams every row: CSV equal to psql --csv, JSON byte for byte what --max-rows prints', async () => {
  const csvFile = join(dir, 'all.csv');
  const streamed = await exportToFile(['query', '--url', server.url, '--all', EXPORT_SQL], csvFile);
  assert.equal(streamed.code, 0, streamed.stderr);
  assert.equal(streamed.stderr, '');
  const psql = await run('psql', ['--csv', '-X', '-q', '-d', server.url, '-c', EXPORT_SQL], {
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.deepEqual(parseCsv(await readFile(csvFile, 'utf8')), parseCsv(psql.stdout));
  const small = 'select g as id, md5(g::text) as hash, (g % 2 = 0) as even from generate_series(1, 2500) g';
  const all = await cli(['query', '--url', server.url, '--all', '--format', 'json', small]);
  const capped = await cli(['query', '--url', server.url, '--format', 'json', '--max-rows', '2500', small]);
  assert.equal(all.stdout, capped.stdout);
  assert.equal(JSON.parse(all.stdout).length, 2500);
  const empty = await cli(['query', '--url', server.url, '--all', '--format', 'json', 'select 1 as n where false']);
  assert.equal(empty.stdout, '[]\n');
  const emptyCsv = await cli(['query', '--url', server.url, '--all', 'select 1 as n, 2 as m where false']);
  assert.equal(emptyCsv.stdout, 'n,m\r\n', 'an empty result still has its header');
});

test('--out FILE writes every row in the format its name says, and a failed export leaves no file', async () => {
  const jsonl = join(dir, 'rows.jsonl');
  const done = await cli([
    'query',
    '--url',
    server.url,
    '--out',
    jsonl,
    "select g as id, case when g = 2 then null else 'x' || g end as t from generate_series(1, 30000) g",
  ]);
  assert.match(done.stderr, /wrote 30,000 rows to .*rows\.jsonl/);
  const lines = (await readFile(jsonl, 'utf8')).split('\n').filter(Boolean);
  assert.equal(lines.length, 30000);
  assert.deepEqual(
    lines.slice(0, 3).map((l) => JSON.parse(l)),
    [
      { id: 1, t: 'x1' },
      { id: 2, t: null },
      { id: 3, t: 'x3' },
    ],
  );
  assert.ok(!existsSync(`${jsonl}.partial`));
  const tsv = join(dir, 'rows.tsv');
  await cli(['query', '--url', server.url, '--out', tsv, 'select \'a\tb\' as "x y", 2 as n']);
  assert.equal(await readFile(tsv, 'utf8'), 'x y\tn\r\na b\t2\r\n');
  // Fails after some rows were written (division by zero at row 20,000): nothing that looks whole is left.
  const broken = join(dir, 'broken.csv');
  await assert.rejects(
    cli([
      'query',
      '--url',
      server.url,
      '--out',
      broken,
      'select g, 1 / (20000 - g) as x from generate_series(1, 30000) g',
    ]),
    (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, /division by zero/i);
      return true;
    },
  );
  assert.ok(!existsSync(broken) && !existsSync(`${broken}.partial`), 'no file, no partial');
});
