/**
 * Parquet exports against a real server, read back with a Parquet reader (hyparquet) and compared
 * with what Postgres itself says about the same rows: types (integers, bigints past 2^53, floats
 * with NaN and infinities, booleans, timestamps to the microsecond, dates, jsonb, arrays), NULL vs
 * empty text, unicode and hostile text; many row groups for a larger result; a statement failing
 * mid-stream leaves no file. Through the built CLI (dist/cli.js) and through exportBatches with the
 * adapter's stream, as the editor's Export calls it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { startPostgres, type PostgresServer } from '../support/postgresServer';
import { openPostgresWarehouse } from '../../src/warehouse/postgres/postgresWarehouse';
import { exportBatches } from '../../src/export/exportBatches';
import { streamWriter } from '../../src/cli/stdoutWriter';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const run = promisify(execFile);
const cli = (args: string[]) => run(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });

let server: PostgresServer;
let db: pg.Client;
let dir: string;

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first`);
  server = await startPostgres();
  db = new pg.Client({ connectionString: server.url });
  await db.connect();
  dir = await mkdtemp(join(tmpdir(), 'synclogs-parquet-'));
  await db.query(`create table typed (
    id int4, small int2, big int8, f float8, amount numeric, ok boolean,
    at timestamptz, wall timestamp, day date, doc jsonb, tags text[], note text)`);
  // Hostile text: NUL cannot be stored in Postgres text, so its look-alikes and every other control.
  const hostile = `'\\x1b[31mred\\r\\nnext\\t"quoted",comma' || chr(8238) || 'rtl' || chr(127) || chr(1)`;
  await db.query(`insert into typed values
    (1, 7, 9007199254740993, 1.5, 12345678901234567890.123456789, true,
     '2024-02-29 23:59:59.123456+05:30', '1999-12-31 23:59:59.999999', '2024-02-29',
     '{"a": [1, 2, {"b": null}], "é": "ü\\u2028"}', array['x', null, 'z'], 'héllo wörld 😀 日本語'),
    (2, null, -9223372036854775808, 'NaN', null, false,
     '1970-01-01 00:00:00+00', '0001-01-01 00:00:00', '0001-01-01',
     'null', array[]::text[], ''),
    (3, -32768, 9223372036854775807, '-Infinity', 0, null,
     'infinity', '-infinity', 'infinity', '"just a string"', null, null),
    (4, 32767, null, null, -1.5, true,
     null, null, null, null, array['{"quoted"}'], ${hostile})`);
});

after(async () => {
  await db?.end();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The file's rows, timestamps as their exact microseconds (hyparquet's default Date keeps milliseconds). */
async function readParquet(file: string): Promise<Record<string, unknown>[]> {
  const bytes = await readFile(file);
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return parquetReadObjects({ file: ab, parsers: { timestampFromMicroseconds: (micros: bigint) => micros } });
}

async function metadataOf(file: string) {
  const bytes = await readFile(file);
  return parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

test('a Parquet export has typed, nullable columns whose values equal what Postgres holds', async () => {
  const file = join(dir, 'typed.parquet');
  const { stderr } = await cli(['query', '--url', server.url, '--out', file, 'select * from typed order by id']);
  assert.match(stderr, /wrote 4 rows/);
  assert.deepEqual(
    (await readdir(dir)).filter((f) => f.endsWith('.partial')),
    [],
  );

  const meta = await metadataOf(file);
  const types = Object.fromEntries(
    meta.schema.slice(1).map((e) => [e.name, [e.type, e.logical_type?.type ?? e.converted_type, e.repetition_type]]),
  );
  assert.deepEqual(types, {
    id: ['INT32', undefined, 'OPTIONAL'],
    small: ['INT32', undefined, 'OPTIONAL'],
    big: ['INT64', undefined, 'OPTIONAL'],
    f: ['DOUBLE', undefined, 'OPTIONAL'],
    amount: ['BYTE_ARRAY', 'STRING', 'OPTIONAL'],
    ok: ['BOOLEAN', undefined, 'OPTIONAL'],
    at: ['INT64', 'TIMESTAMP', 'OPTIONAL'],
    wall: ['INT64', 'TIMESTAMP', 'OPTIONAL'],
    day: ['INT32', 'DATE', 'OPTIONAL'],
    doc: ['BYTE_ARRAY', 'JSON', 'OPTIONAL'],
    tags: ['BYTE_ARRAY', 'JSON', 'OPTIONAL'],
    note: ['BYTE_ARRAY', 'STRING', 'OPTIONAL'],
  });
  const at = meta.schema.find((e) => e.name === 'at')?.logical_type;
  const wall = meta.schema.find((e) => e.name === 'wall')?.logical_type;
  assert.deepEqual(at, { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' });
  assert.deepEqual(wall, { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' });

  // What Postgres says, computed by Postgres: epoch microseconds, days, exact text.
  const expected = await db.query<Record<string, string | boolean | null>>(`select id::text, small::text, big::text,
      f::text, amount::text, ok,
      case when isfinite(at) then (extract(epoch from at) * 1000000)::numeric(30,0)::text end as at,
      case when isfinite(wall) then (extract(epoch from wall) * 1000000)::numeric(30,0)::text end as wall,
      case when isfinite(day) then (day - date '1970-01-01')::text end as day,
      doc::text, to_jsonb(tags)::text as tags, note
    from typed order by id`);
  const rows = await readParquet(file);
  assert.equal(rows.length, expected.rows.length);
  const asText = (v: unknown) => (v === null || v === undefined ? null : String(v));
  for (const [i, want] of expected.rows.entries()) {
    const got = rows[i];
    const at = `row ${want.id}`;
    for (const col of ['id', 'small', 'big', 'at', 'wall'] as const)
      assert.equal(asText(got[col]), want[col], `${at} ${col}`);
    assert.equal(got.ok, want.ok, `${at} ok`);
    // Floats: Postgres spells them NaN / -Infinity, JavaScript the same.
    assert.equal(got.f === null ? null : String(got.f), want.f, `${at} f`);
    assert.equal(got.amount, want.amount, `${at} amount (numeric stays exact text)`);
    const day = got.day instanceof Date ? String(got.day.getTime() / 86_400_000) : asText(got.day);
    assert.equal(day, want.day, `${at} day`);
    for (const col of ['doc', 'tags'] as const) {
      const text = got[col];
      assert.deepEqual(
        text === null ? null : JSON.parse(String(text)),
        want[col] === null ? null : JSON.parse(String(want[col])),
        `${at} ${col}`,
      );
    }
    assert.equal(got.note, want.note, `${at} note (NULL vs empty, unicode, controls exact)`);
  }
  assert.equal(rows[1].note, '');
  assert.equal(rows[2].note, null);
  assert.equal(rows[2].at, null, 'infinity has no Parquet value: NULL');
});

test('a larger export is written in several row groups and keeps every row in order', async () => {
  const n = 250_000;
  const file = join(dir, 'big.parquet');
  const sql = `select g as id, 'row ' || g as label, g % 7 = 0 as seventh,
    timestamptz '2024-01-01' + g * interval '1 second' as at
    from generate_series(1, ${n}) g`;
  await cli(['query', '--url', server.url, '--out', file, '--format', 'parquet', sql]);
  const meta = await metadataOf(file);
  assert.equal(Number(meta.num_rows), n);
  assert.ok(meta.row_groups.length >= 3, `${meta.row_groups.length} row groups`);
  const rows = await readParquet(file);
  assert.equal(rows.length, n);
  const start = BigInt(Date.UTC(2024, 0, 1)) * 1000n;
  for (let i = 0; i < n; i += 997) {
    const g = i + 1;
    assert.deepEqual(rows[i], { id: g, label: `row ${g}`, seventh: g % 7 === 0, at: start + BigInt(g) * 1_000_000n });
  }
  assert.equal(rows[n - 1].id, n);
});

test('the editor path (exportBatches over the adapter stream) writes the same file the CLI does', async () => {
  const warehouse = await openPostgresWarehouse({ connectionString: server.url }, { poolSize: 1 });
  const file = join(dir, 'editor.parquet');
  try {
    const out = createWriteStream(file);
    const progress: number[] = [];
    const written = await exportBatches(
      warehouse.stream!('select * from typed order by id', [], { jsonAsText: true }),
      'parquet',
      streamWriter(out),
      (rows) => progress.push(rows),
    );
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    assert.equal(written.rows, 4);
    assert.equal(progress.at(-1), 4);
  } finally {
    await warehouse.close();
  }
  const cliFile = join(dir, 'typed.parquet');
  assert.deepEqual(await readParquet(file), await readParquet(cliFile));
});

test('a statement failing mid-stream leaves neither the file nor its .partial', async () => {
  const file = join(dir, 'failed.parquet');
  await assert.rejects(
    cli([
      'query',
      '--url',
      server.url,
      '--out',
      file,
      'select g, 1 / (g - 150000) as boom from generate_series(1, 200000) g',
    ]),
    (err: { stderr: string }) => /division by zero/i.test(err.stderr),
  );
  assert.ok(!existsSync(file));
  assert.ok(!existsSync(`${file}.partial`));
});

test('parquet to stdout is refused: it needs --out', async () => {
  await assert.rejects(
    cli(['query', '--url', server.url, '--all', '--format', 'parquet', 'select 1']),
    (err: { stderr: string }) => /give --out FILE\.parquet/.test(err.stderr),
  );
});
