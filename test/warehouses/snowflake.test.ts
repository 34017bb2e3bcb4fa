/**
 * The Snowflake adapter through the real snowflake-sdk, against the fake service in
 * test/fakes/snowflakeServer.ts: what is proven is the glue (login, binds, types, chunks, cancel,
 * timeouts, errors), checked on the wire.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSnowflakeFake, type SnowflakeFake } from '../fakes/snowflakeServer';
import { openSnowflakeWarehouse, type SnowflakeConfig } from '../../src/warehouse/snowflake/snowflakeWarehouse';
import { QueryCancelledError, type Warehouse } from '../../src/warehouse/warehouse';
import { WarehouseError } from '../../src/warehouse/warehouseError';

const PASSWORD = 'S3cret-horse-battery';
let fake: SnowflakeFake;
let wh: Warehouse;

const config = (extra: Partial<SnowflakeConfig> = {}): SnowflakeConfig => ({
  account: 'myorg-acct',
  username: 'alice',
  auth: 'password',
  password: PASSWORD,
  warehouse: 'WH',
  role: 'ANALYST',
  database: 'DB',
  schema: 'HIGHTOUCH_AUDIT',
  accessUrl: fake.url,
  ...extra,
});

/** Everything written to stdout/stderr while `fn` runs (the driver must not log anything). */
async function captureOutput<T>(fn: () => Promise<T>): Promise<{ value: T; output: string }> {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  let output = '';
  const grab = (chunk: unknown) => {
    output += String(chunk);
    return true;
  };
  process.stdout.write = grab as typeof process.stdout.write;
  process.stderr.write = grab as typeof process.stderr.write;
  try {
    return { value: await fn(), output };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

async function until(fn: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

before(async () => {
  fake = await startSnowflakeFake({ password: PASSWORD });
  wh = await openSnowflakeWarehouse(config());
});

after(async () => {
  await wh?.close();
  await fake?.close();
});

test('login carries account, user, context and the password, and nothing is logged', async () => {
  const logins = fake.logins.length;
  const { value: other, output } = await captureOutput(async () => {
    const w = await openSnowflakeWarehouse(config());
    await w.query('select 1');
    return w;
  });
  await other.close();
  const login = fake.logins[logins];
  assert.equal(login.accountName, 'myorg-acct');
  assert.equal(login.loginName, 'alice');
  assert.equal(login.authenticator, 'SNOWFLAKE');
  assert.equal(login.password, PASSWORD);
  assert.equal(login.query.warehouse, 'WH');
  assert.equal(login.query.databaseName, 'DB');
  assert.equal(login.query.schemaName, 'HIGHTOUCH_AUDIT');
  assert.equal(login.query.roleName, 'ANALYST');
  // The driver's cloud-platform probes (169.254.169.254, metadata.google.internal) were switched off.
  const body = fake.requests.filter((r) => r.path === '/session/v1/login-request')[logins].body as {
    data: { CLIENT_ENVIRONMENT: { PLATFORM: unknown } };
  };
  assert.deepEqual(body.data.CLIENT_ENVIRONMENT.PLATFORM, ['disabled']);
  assert.equal(output, '', 'the driver wrote to stdout/stderr');
  assert.ok(!existsSync(join(process.cwd(), 'snowflake.log')), 'the driver wrote snowflake.log');
});

test('a wrong password fails at open with a clear message and authFailed', async () => {
  const err = await openSnowflakeWarehouse(config({ password: 'wrong-password-123' })).then(
    () => assert.fail('open should fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof WarehouseError);
  assert.equal(err.authFailed, true);
  assert.equal(err.code, '390100');
  assert.match(err.message, /Incorrect user name or password for user "alice" on Snowflake account "myorg-acct"/);
  assert.ok(!err.message.includes('wrong-password-123'));
});

test('key pair: the login carries a JWT signed by the private key (passphrase-protected PKCS#8)', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'key-pass-phrase' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const logins = fake.logins.length;
  const w = await openSnowflakeWarehouse(
    config({ auth: 'keyPair', password: undefined, privateKey, privateKeyPassphrase: 'key-pass-phrase' }),
  );
  await w.close();
  const login = fake.logins[logins];
  assert.equal(login.authenticator, 'SNOWFLAKE_JWT');
  assert.equal(login.password, undefined);
  const [header, payload, signature] = (login.token ?? '').split('.');
  assert.ok(
    verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      createPublicKey(publicKey),
      Buffer.from(signature, 'base64url'),
    ),
  );
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  assert.match(claims.iss, /^MYORG-ACCT\.ALICE\.SHA256:/);
  assert.equal(claims.sub, 'MYORG-ACCT.ALICE');

  const bad = await openSnowflakeWarehouse(
    config({ auth: 'keyPair', password: undefined, privateKey, privateKeyPassphrase: 'not-it' }),
  ).catch((e: unknown) => e);
  assert.ok(bad instanceof WarehouseError && bad.authFailed, String(bad));
  assert.ok(!bad.message.includes('not-it') && !bad.message.includes('PRIVATE KEY-----\n'));
});

test('OAuth: the token is sent, and a refused token is authFailed', async () => {
  const logins = fake.logins.length;
  fake.setLoginHandler((l) =>
    l.token === 'good-token-1' ? { ok: true } : { error: { code: '390303', message: 'Invalid OAuth access token.' } },
  );
  try {
    const w = await openSnowflakeWarehouse(config({ auth: 'oauthToken', password: undefined, token: 'good-token-1' }));
    await w.close();
    assert.equal(fake.logins[logins].authenticator, 'OAUTH');
    assert.equal(fake.logins[logins].token, 'good-token-1');
    const err = await openSnowflakeWarehouse(
      config({ auth: 'oauthToken', password: undefined, token: 'stale-token-2' }),
    ).catch((e: unknown) => e);
    assert.ok(err instanceof WarehouseError && err.authFailed);
    assert.match(err.message, /refused the OAuth token .*fresh token/);
    assert.ok(!err.message.includes('stale-token-2'));
  } finally {
    fake.setLoginHandler(() => ({ ok: true }));
  }
});

test('bound values arrive typed in the query request, in order', async () => {
  fake.setHandler(() => ({ columns: [{ name: 'X', type: 'text' }], rows: [['ok']] }));
  await wh.query('select ? , ?, ?, ?, ?, ?', ['x', 42, 1.5, true, null, 12345678901234567890n]);
  const q = fake.queries[fake.queries.length - 1];
  assert.equal(q.sqlText, 'select ? , ?, ?, ?, ?, ?');
  assert.deepEqual(q.bindings, {
    1: { type: 'TEXT', value: 'x' },
    2: { type: 'FIXED', value: '42' },
    3: { type: 'REAL', value: '1.5' },
    4: { type: 'BOOLEAN', value: 'true' },
    5: { type: 'TEXT', value: null },
    6: { type: 'TEXT', value: '12345678901234567890' },
  });
});

test('cells come back as JSON values with Snowflake type names; UPPER names are lowered', async () => {
  fake.setHandler(() => ({
    columns: [
      { name: 'TS', type: 'timestamp_tz', scale: 9 },
      { name: 'LTZ', type: 'timestamp_ltz', scale: 6 },
      { name: 'NTZ', type: 'timestamp_ntz', scale: 9 },
      { name: 'DAY', type: 'date' },
      { name: 'BIG', type: 'fixed', scale: 0, precision: 38 },
      { name: 'SAFE', type: 'fixed', scale: 0 },
      { name: 'NUM', type: 'fixed', scale: 2, precision: 10 },
      { name: 'EXACT', type: 'fixed', scale: 20, precision: 38 },
      { name: 'F', type: 'real' },
      { name: 'FIELDS', type: 'variant' },
      { name: 'FLAG', type: 'boolean' },
      { name: 'mixedCase', type: 'text' },
      { name: 'BIN', type: 'binary' },
      { name: 'NOTHING', type: 'fixed' },
      { name: 'COUNT(*)', type: 'fixed' },
    ],
    rows: [
      [
        '1793527200.123456789 1500', // the instant 2026-11-01T10:00:00.123456789Z, in zone UTC+01:00 (1500 - 1440 = 60 min)
        '1793527200.123456',
        '1793527200.000001000',
        '20393',
        '9007199254740993',
        '9007199254740991',
        '1.50',
        '0.12345678901234567890',
        '1.5e3',
        '{"op":"upsert","n":[1,true,null]}',
        '1',
        'kept',
        'DEADBEEF',
        null,
        '3',
      ],
    ],
  }));
  const r = await wh.query('select ...');
  assert.deepEqual(
    r.columns.map((c) => `${c.name}:${c.type}`),
    [
      'ts:timestamp_tz',
      'ltz:timestamp_ltz',
      'ntz:timestamp_ntz',
      'day:date',
      'big:number',
      'safe:number',
      'num:number',
      'exact:number',
      'f:float',
      'fields:variant',
      'flag:boolean',
      'mixedCase:varchar',
      'bin:binary',
      'nothing:number',
      'count(*):number',
    ],
  );
  assert.deepEqual(r.rows[0], [
    '2026-11-01T10:00:00.123456789Z',
    '2026-11-01T10:00:00.123456Z',
    '2026-11-01T10:00:00.000001',
    '2025-11-01',
    '9007199254740993',
    9007199254740991,
    1.5,
    '0.12345678901234567890',
    1500,
    { op: 'upsert', n: [1, true, null] },
    true,
    'kept',
    '\\xdeadbeef',
    null,
    3,
  ]);
  assert.equal(r.rowCount, 1);
  assert.equal(r.truncated, false);
});

test('a result in chunks: maxRows keeps the first rows, counts all, and skips chunks it does not need', async () => {
  const rows = Array.from({ length: 25 }, (_, i) => [String(i), `row ${i}`]);
  fake.setHandler(() => ({
    columns: [
      { name: 'I', type: 'fixed' },
      { name: 'LABEL', type: 'text' },
    ],
    rows,
    firstChunkRows: 5,
    chunkRows: 5,
  }));

  const fetchesBefore = fake.chunkFetches.length;
  const capped = await wh.query('select * from big', [], { maxRows: 8 });
  assert.equal(capped.rows.length, 8);
  assert.deepEqual(capped.rows[7], [7, 'row 7']);
  assert.equal(capped.rowCount, 25);
  assert.equal(capped.truncated, true);
  const fetched = fake.chunkFetches.slice(fetchesBefore);
  assert.equal(fetched.length, 1, `only the chunk holding rows 5-9 is needed, got ${fetched.join(', ')}`);

  const before = fake.requests.length;
  const all = await wh.query('select * from big');
  assert.equal(all.rows.length, 25);
  assert.deepEqual(
    all.rows.map((r) => r[0]),
    rows.map((_, i) => i),
  );
  assert.equal(all.truncated, false);
  const chunkRequests = fake.requests.slice(before).filter((r) => r.path.startsWith('/chunks/'));
  assert.equal(chunkRequests.length, 4);
  // The driver sends the result's chunk headers (the encryption key on S3) with every download.
  assert.ok(chunkRequests.every((r) => String(r.headers['x-fake-chunk-key']).startsWith('key-')));
});

test('cancel reaches the server as an abort-request, and the query rejects quickly', async () => {
  fake.setHandler(() => ({ hang: true }));
  const controller = new AbortController();
  const queries = fake.queries.length;
  const pending = wh.query('select system$wait(60)', [], { signal: controller.signal });
  await until(() => fake.queries.length > queries);
  const requestId = fake.queries[queries].requestId;
  const t0 = Date.now();
  controller.abort();
  await assert.rejects(pending, (e: unknown) => e instanceof QueryCancelledError && e.message === 'Query cancelled.');
  assert.ok(Date.now() - t0 < 2500, 'cancel took too long');
  assert.ok(fake.aborts.includes(requestId), `abort-request for ${requestId} not seen: ${fake.aborts.join(', ')}`);
  // The session is still usable.
  fake.setHandler(() => ({ columns: [{ name: 'ONE', type: 'fixed' }], rows: [['1']] }));
  assert.deepEqual((await wh.query('select 1 as one')).rows, [[1]]);
});

test('statement timeout: sent as STATEMENT_TIMEOUT_IN_SECONDS, and a client timer cancels a hung query', async () => {
  const timed = await openSnowflakeWarehouse(config(), { statementTimeoutMs: 1000 });
  try {
    fake.setHandler(() => ({ hang: true }));
    const queries = fake.queries.length;
    const t0 = Date.now();
    await assert.rejects(timed.query('select system$wait(60)'), (e: unknown) => {
      assert.ok(e instanceof QueryCancelledError);
      assert.match(e.message, /statement timeout \(1 s\).*syncLogs\.queryTimeoutSeconds/);
      return true;
    });
    assert.ok(Date.now() - t0 < 4000);
    const q = fake.queries[queries];
    assert.deepEqual(q.parameters, { STATEMENT_TIMEOUT_IN_SECONDS: 1 });
    assert.ok(fake.aborts.includes(q.requestId));

    // Snowflake's own timeout (000630) reads the same.
    fake.setHandler(() => ({
      error: {
        code: '000630',
        message: 'Statement reached its statement or warehouse timeout of 1 second(s) and was canceled.',
        sqlState: '57014',
      },
    }));
    await assert.rejects(
      timed.query('select 2'),
      (e: unknown) => e instanceof QueryCancelledError && /syncLogs\.queryTimeoutSeconds/.test(e.message),
    );
  } finally {
    await timed.close();
  }
});

test('server errors become clear messages: syntax, missing object, privileges', async () => {
  fake.setHandler((q) => {
    if (q.sqlText.startsWith('selec ')) {
      return {
        error: {
          code: '001003',
          sqlState: '42000',
          message: "SQL compilation error:\nsyntax error line 1 at position 0 unexpected 'selec'.",
        },
      };
    }
    if (q.sqlText.includes('nope')) {
      return {
        error: {
          code: '002003',
          sqlState: '42S02',
          message: "SQL compilation error:\nObject 'DB.NOPE.SYNC_RUNS' does not exist or not authorized.",
        },
      };
    }
    return {
      error: {
        code: '003001',
        sqlState: '42501',
        message: "SQL access control error:\nInsufficient privileges to operate on schema 'HIGHTOUCH_AUDIT'",
      },
    };
  });
  const syntax = await wh.query('selec 1').catch((e: unknown) => e);
  assert.ok(syntax instanceof WarehouseError);
  assert.equal(syntax.code, '001003');
  assert.match(syntax.message, /syntax error line 1 at position 0 unexpected 'selec'\. \(001003\)/);
  const missing = await wh.query('select * from nope.sync_runs').catch((e: unknown) => e);
  assert.ok(missing instanceof WarehouseError && !missing.connectionLost);
  assert.match(
    missing.message,
    /does not exist or not authorized.*\(002003\).*syncLogs\.schema.*sync logs are enabled/s,
  );
  const denied = await wh.query('select * from hightouch_audit.sync_runs').catch((e: unknown) => e);
  assert.ok(denied instanceof WarehouseError);
  assert.match(denied.message, /Insufficient privileges.*\(003001\)\. Ask an administrator to grant/s);
});

test('a connection dropped mid-query: the driver resends the same request, and the query succeeds', async () => {
  let drops = 0;
  fake.setHandler(() => (drops++ === 0 ? { drop: true } : { columns: [{ name: 'N', type: 'fixed' }], rows: [['7']] }));
  const queries = fake.queries.length;
  const r = await wh.query('select 7 as n');
  assert.deepEqual(r.rows, [[7]]);
  const [first, retry] = fake.queries.slice(queries);
  assert.equal(
    retry.requestId,
    first.requestId,
    'the retry must reuse the request id, so Snowflake runs the statement once',
  );
  assert.equal(retry.retryCount, 1);
});

test('a connection that keeps dropping: cancel still ends the query promptly', async () => {
  fake.setHandler(() => ({ drop: true }));
  const controller = new AbortController();
  const queries = fake.queries.length;
  const pending = wh.query('select 1', [], { signal: controller.signal });
  await until(() => fake.queries.length > queries);
  const t0 = Date.now();
  controller.abort();
  await assert.rejects(pending, QueryCancelledError);
  assert.ok(Date.now() - t0 < 3000);
});

test('an ended session is reported as connectionLost and the next query logs in again', async () => {
  const logins = fake.logins.length;
  let gone = true;
  // Keyed on this test's own SQL: a request the driver still retries from an earlier test (one that
  // kept dropping the connection) must not take the one "session ended" answer.
  fake.setHandler((q) =>
    gone && q.sqlText === 'select 1 as ended_session'
      ? ((gone = false),
        { error: { code: '390111', message: 'Session no longer exists.  New login required to access the service.' } })
      : { columns: [{ name: 'N', type: 'fixed' }], rows: [['1']] },
  );
  const err = await wh.query('select 1 as ended_session').catch((e: unknown) => e);
  assert.ok(err instanceof WarehouseError, String(err));
  assert.equal(err.connectionLost, true);
  assert.match(err.message, /next query reconnects/);
  assert.deepEqual((await wh.query('select 1')).rows, [[1]]);
  assert.equal(fake.logins.length, logins + 1, 'a fresh login');
});

test('connection refused at open says so, without retrying for minutes', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const t0 = Date.now();
  const err = await openSnowflakeWarehouse(config({ accessUrl: `http://127.0.0.1:${port}` })).catch((e: unknown) => e);
  assert.ok(err instanceof WarehouseError, String(err));
  assert.equal(err.code, 'ECONNREFUSED');
  assert.match(err.message, /Connection refused by Snowflake account "myorg-acct"/);
  assert.ok(Date.now() - t0 < 20_000);
});

test('close() deletes the session on the server', async () => {
  const w = await openSnowflakeWarehouse(config());
  const deletes = fake.sessionDeletes;
  await w.close();
  assert.equal(fake.sessionDeletes, deletes + 1);
});
