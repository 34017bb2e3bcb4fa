import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../support/postgresServer';
import { openPostgresWarehouse } from '../../src/warehouse/postgres/postgresWarehouse';
import { QueryCancelledError, type Warehouse } from '../../src/warehouse/warehouse';
import { WarehouseError } from '../../src/warehouse/postgres/pgErrors';
import { KNOWN_TYPE_OIDS, pgTypeName } from '../../src/warehouse/postgres/pgTypes';

let server: PostgresServer;
let wh: Warehouse;
let admin: pg.Client;

before(async () => {
  server = await startPostgres();
  wh = await openPostgresWarehouse({ connectionString: server.url });
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
});

after(async () => {
  await wh?.close();
  await admin?.end();
  await server?.stop();
});

/** Polls until `fn` is true: the server's view of a backend changes asynchronously. */
async function eventually(fn: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const sleepers = async () =>
  Number(
    (
      await admin.query(
        "select count(*) n from pg_stat_activity where query like 'select pg_sleep(30)%' and state = 'active'",
      )
    ).rows[0].n,
  );

test('cells come back typed and JSON-able, with type names', async () => {
  const r = await wh.query(
    `select timestamptz '2024-05-06 07:08:09.123456+02' as ts, 9007199254740991::int8 as big, 9007199254740993::int8 as huge,
            '{"a": {"b": [1, true]}}'::jsonb as doc, 1.50::numeric as num, 'x'::text as t, true as flag,
            timestamp '2024-05-06 07:08:09' as wall, date '2024-05-06' as day, '\\xdeadbeef'::bytea as bin,
            array['a', null]::text[] as arr, $1::int4 + 1 as bound`,
    [41],
  );
  assert.deepEqual(
    r.columns.map((c) => `${c.name}:${c.type}`),
    [
      'ts:timestamptz',
      'big:int8',
      'huge:int8',
      'doc:jsonb',
      'num:numeric',
      't:text',
      'flag:bool',
      'wall:timestamp',
      'day:date',
      'bin:bytea',
      'arr:text[]',
      'bound:int4',
    ],
  );
  assert.deepEqual(r.rows[0], [
    '2024-05-06T05:08:09.123456Z',
    9007199254740991,
    '9007199254740993',
    { a: { b: [1, true] } },
    1.5,
    'x',
    true,
    '2024-05-06T07:08:09',
    '2024-05-06',
    '\\xdeadbeef',
    ['a', null],
    42,
  ]);
  assert.equal(r.rowCount, 1);
  assert.equal(r.truncated, false);
  assert.equal(r.command, undefined);
});

test('timestamps are read right whatever DateStyle the server defaults to', async () => {
  await admin.query(`alter role ${server.user} set datestyle = 'SQL, DMY'`);
  const other = await openPostgresWarehouse({ connectionString: server.url });
  try {
    const r = await other.query("select timestamptz '2024-05-06 07:08:09+00' as ts");
    assert.equal(r.rows[0][0], '2024-05-06T07:08:09Z');
  } finally {
    await other.close();
    await admin.query(`alter role ${server.user} reset datestyle`);
  }
});

test('type names agree with the server catalog', async () => {
  const { rows } = await admin.query(
    'select oid::int as oid, typname, typelem::int as elem from pg_type where oid = any($1)',
    [KNOWN_TYPE_OIDS],
  );
  assert.ok(rows.length > 60);
  for (const row of rows) {
    const expected = row.elem && row.typname.startsWith('_') ? `${row.typname.slice(1)}[]` : row.typname;
    assert.equal(pgTypeName(row.oid), expected, `oid ${row.oid}`);
  }
});

test('maxRows reads only the first rows (and one more) from the server, and says the count is "at least"', async () => {
  await wh.query('create table if not exists t_many as select g from generate_series(1, 200000) g');
  await wh.query('drop sequence if exists probe_seq; create sequence probe_seq');
  // nextval() runs once per row the server produces: it counts how far the scan went.
  const r = await wh.query("select g, nextval('probe_seq') as n from t_many order by g", [], { maxRows: 25 });
  assert.equal(r.rows.length, 25);
  assert.deepEqual(r.rows[24][0], 25);
  assert.equal(r.truncated, true);
  assert.equal(r.rowCountExact, false);
  assert.equal(r.rowCount, 26, 'the rows read: 25 kept and the one that shows there are more');
  const produced = await wh.query('select last_value from probe_seq');
  assert.ok(Number(produced.rows[0][0]) <= 26, `the server produced ${produced.rows[0][0]} rows`);
});

test('a result that fits in maxRows is counted exactly; without maxRows every row is counted', async () => {
  const fits = await wh.query('select g from t_many where g <= 25', [], { maxRows: 25 });
  assert.deepEqual([fits.rows.length, fits.rowCount, fits.truncated, fits.rowCountExact], [25, 25, false, undefined]);
  const all = await wh.query('select g, md5(g::text) from t_many', []);
  assert.deepEqual([all.rows.length, all.rowCount, all.truncated], [200000, 200000, false]);
  const params = await wh.query('select g from t_many where g > $1 order by g', [199_990], { maxRows: 5 });
  assert.deepEqual(
    params.rows.map((row) => row[0]),
    [199_991, 199_992, 199_993, 199_994, 199_995],
  );
});

test('statements without rows report their command tag; multi-statement text returns the last result', async () => {
  const created = await wh.query('create table if not exists t_cmd (id int)');
  assert.equal(created.command, 'CREATE');
  assert.deepEqual(created.rows, []);
  const inserted = await wh.query('insert into t_cmd select generate_series(1, 3)');
  assert.equal(inserted.command, 'INSERT');
  assert.equal(inserted.rowCount, 3);
  const multi = await wh.query('insert into t_cmd values (4); select count(*)::int as n from t_cmd', [], {
    maxRows: 10,
  });
  assert.deepEqual(multi.columns, [{ name: 'n', type: 'int4' }]);
  assert.deepEqual(multi.rows, [[4]]);
});

test('readOnly rejects a write and changes nothing', async () => {
  await wh.query('create table if not exists t_ro (id int)');
  await assert.rejects(wh.query('insert into t_ro values (1)', [], { readOnly: true }), (err: WarehouseError) => {
    assert.equal(err.code, '25006');
    assert.match(err.message, /read-only/);
    return true;
  });
  const r = await wh.query('select count(*)::int from t_ro', [], { readOnly: true });
  assert.deepEqual(r.rows, [[0]]);
});

test("the extension's read-only queries run without JIT, with larger hash tables when they ask; a user's query on the same connection keeps the server's settings", async () => {
  // One connection, so the plain queries run on the session the read-only one used.
  const one = await openPostgresWarehouse({ connectionString: server.url }, { poolSize: 1 });
  try {
    const settings = async (readOnly: boolean, hashGrouping = false) =>
      (
        await one.query("select current_setting('jit'), current_setting('hash_mem_multiplier')", [], {
          readOnly,
          hashGrouping,
        })
      ).rows[0];
    assert.deepEqual(await settings(false), ['on', '2'], "the test server's defaults");
    assert.deepEqual(await settings(true), ['off', '2']);
    assert.deepEqual(await settings(true, true), ['off', '4']);
    assert.deepEqual(await settings(false), ['on', '2']);
    // A higher multiplier of the server's is kept.
    await one.query('set hash_mem_multiplier = 8');
    assert.deepEqual(await settings(true, true), ['off', '8']);
  } finally {
    await one.close();
  }
});

for (const maxRows of [undefined, 1000])
  test(`abort cancels the statement in the server within a second; the pool stays usable (${maxRows === undefined ? 'every row' : 'first rows through a portal'})`, async () => {
    const controller = new AbortController();
    const running = wh.query('select pg_sleep(30)', [], { signal: controller.signal, maxRows });
    running.catch(() => undefined);
    await eventually(async () => (await sleepers()) === 1);
    const aborted = Date.now();
    controller.abort();
    await assert.rejects(running, QueryCancelledError);
    const took = Date.now() - aborted;
    assert.ok(took < 1000, `rejected after ${took} ms`);
    await eventually(async () => (await sleepers()) === 0, 1000);
    const again = await Promise.all([1, 2, 3, 4, 5].map((n) => wh.query('select $1::int as n', [n])));
    assert.deepEqual(
      again.map((r) => r.rows[0][0]),
      [1, 2, 3, 4, 5],
    );
  });

test('an already aborted signal never runs the statement', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    wh.query('create table t_never (id int)', [], { signal: controller.signal }),
    QueryCancelledError,
  );
  const r = await wh.query("select count(*)::int from pg_tables where tablename = 't_never'");
  assert.deepEqual(r.rows, [[0]]);
});

test('the statement timeout cancels long statements with a message that says so', async () => {
  const short = await openPostgresWarehouse({ connectionString: server.url }, { statementTimeoutMs: 300 });
  try {
    const started = Date.now();
    await assert.rejects(short.query('select pg_sleep(5)'), (err: Error) => {
      assert.ok(err instanceof QueryCancelledError);
      assert.match(err.message, /statement timeout \(0 s\)|statement timeout/);
      return true;
    });
    assert.ok(Date.now() - started < 3000);
    assert.deepEqual((await short.query('select 1 as one')).rows, [[1]]);
  } finally {
    await short.close();
  }
});

test('a wrong password fails at open with a clear message and without the password', async () => {
  const password = 'not-the-right-password-123';
  await assert.rejects(
    openPostgresWarehouse({
      host: server.host,
      port: server.port,
      database: server.database,
      user: server.passwordRole.user,
      password,
    }),
    (err: WarehouseError) => {
      assert.equal(err.code, '28P01');
      assert.match(err.message, /Password authentication failed for user "synclogs_pw" on 127\.0\.0\.1:\d+/);
      assert.ok(!err.message.includes(password));
      assert.ok(!String(err.stack).includes(password));
      return true;
    },
  );
  const url = `postgres://${server.passwordRole.user}:${encodeURIComponent(password)}@${server.host}:${server.port}/${server.database}`;
  await assert.rejects(
    openPostgresWarehouse({ connectionString: url }),
    (err: Error) => !err.message.includes(password) && /Password authentication failed/.test(err.message),
  );
  const right = await openPostgresWarehouse({
    host: server.host,
    port: server.port,
    database: server.database,
    user: server.passwordRole.user,
    password: server.passwordRole.password,
  });
  await right.close();
});

test('a refused connection says what to check', async () => {
  const { port } = await new Promise<{ port: number }>((resolve) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve({ port: p }));
    });
  });
  await assert.rejects(
    openPostgresWarehouse({ host: '127.0.0.1', port, user: 'x', database: 'y' }),
    (err: WarehouseError) => {
      assert.equal(err.code, 'ECONNREFUSED');
      assert.match(
        err.message,
        /Connection refused by 127\.0\.0\.1:\d+ \(database "y"\)\. Check that the server is running/,
      );
      return true;
    },
  );
});

test('a missing table or column is named in the message, with the SQLSTATE kept', async () => {
  await assert.rejects(wh.query('select * from hightouch_audit.sync_runs'), (err: WarehouseError) => {
    assert.equal(err.code, '42P01');
    assert.match(err.message, /Relation "hightouch_audit\.sync_runs" does not exist \(42P01\)\. Check the schema name/);
    return true;
  });
  await wh.query('create table if not exists t_cols (failure_reason text)');
  await assert.rejects(wh.query('select failed_reason from t_cols'), (err: WarehouseError) => {
    assert.equal(err.code, '42703');
    assert.match(err.message, /Unknown column "failed_reason"/);
    return true;
  });
});

test('a connection killed mid-query gives a clear error and the next query reconnects', async () => {
  // Settled before the terminate call returns: take the outcome now, so the rejection is never unhandled.
  const running = wh.query('select pg_sleep(30)');
  running.catch(() => undefined);
  await eventually(async () => (await sleepers()) === 1);
  await admin.query(
    "select pg_terminate_backend(pid) from pg_stat_activity where query like 'select pg_sleep(30)%' and state = 'active'",
  );
  await assert.rejects(running, (err: WarehouseError) => {
    assert.ok(err instanceof WarehouseError);
    assert.equal(err.connectionLost, true);
    assert.equal(err.code, '57P01');
    assert.match(err.message, /connection to .* was lost .*next query reconnects/);
    return true;
  });
  const results = await Promise.all([1, 2, 3, 4, 5, 6].map(() => wh.query('select pg_backend_pid() as pid')));
  assert.equal(results.length, 6);
});

test('a transaction a query leaves open is rolled back before its connection is reused', async () => {
  await wh.query('begin; create table t_leftover (id int)');
  const seen = await admin.query("select count(*)::int n from pg_tables where tablename = 't_leftover'");
  assert.equal(seen.rows[0].n, 0);
  const idleInTx = await admin.query(
    "select count(*)::int n from pg_stat_activity where state like 'idle in transaction%'",
  );
  assert.equal(idleInTx.rows[0].n, 0);
});

test('stream: every row in batches; stopping early closes the portal, so the server stops producing rows', async () => {
  let seen = 0;
  let batches = 0;
  for await (const batch of wh.stream!('select g from t_many order by g', [], { batchRows: 7000 })) {
    assert.deepEqual(batch.columns, [{ name: 'g', type: 'int4' }]);
    if (batches === 0) assert.deepEqual(batch.rows[0], [1]);
    seen += batch.rows.length;
    batches++;
  }
  assert.equal(seen, 200000);
  assert.equal(batches, Math.ceil(200000 / 7000));
  await wh.query('drop sequence if exists stream_probe; create sequence stream_probe');
  for await (const batch of wh.stream!("select g, nextval('stream_probe') from t_many", [], { batchRows: 1000 })) {
    assert.equal(batch.rows.length, 1000);
    break;
  }
  const produced = Number((await wh.query('select last_value from stream_probe')).rows[0][0]);
  // One batch taken, and the one fetched ahead while it was consumed: never the other 198,000.
  assert.ok(produced <= 2000, `the server produced ${produced} rows after one batch was taken`);
  // A statement without rows says its command; an error is the warehouse's, mapped.
  const written: unknown[] = [];
  for await (const b of wh.stream!('create table if not exists t_stream (id int)')) written.push(b);
  assert.deepEqual(written, [{ columns: [], rows: [], command: 'CREATE', affected: 0 }]);
  await assert.rejects(
    async () => {
      for await (const _ of wh.stream!('select nope from t_many')) void _;
    },
    (err: Error) => err instanceof WarehouseError && /nope/.test(err.message),
  );
  const again = await wh.query('select 1 as n');
  assert.deepEqual(again.rows, [[1]], 'the pool is still usable');
});

test('stream: abort cancels in the server and ends the stream with QueryCancelledError', async () => {
  const controller = new AbortController();
  const consume = (async () => {
    for await (const _ of wh.stream!('select pg_sleep(30)', [], { signal: controller.signal })) void _;
  })();
  consume.catch(() => undefined);
  await eventually(async () => (await sleepers()) === 1);
  controller.abort();
  await assert.rejects(consume, QueryCancelledError);
  await eventually(async () => (await sleepers()) === 0, 1000);
});
