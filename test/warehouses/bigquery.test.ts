/**
 * The BigQuery adapter through the real @google-cloud/bigquery client against the REST fake on
 * 127.0.0.1: auth, parameters, result types, paging, cancel, timeout and error mapping on the wire.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openBigQueryWarehouse, type BigQueryConfig } from '../../src/warehouse/bigquery/bigqueryWarehouse';
import { QueryCancelledError, type Warehouse } from '../../src/warehouse/warehouse';
import { WarehouseError } from '../../src/warehouse/warehouseError';
import {
  startBigQueryFake,
  type BigQueryFake,
  type BigQueryFakeOptions,
  type FakeAnswer,
  type FakeQuery,
} from '../fakes/bigqueryServer';

const TOKEN = 'ya29.fake-access-token-0123456789';
const PROJECT = 'sync-proj';

let fake: BigQueryFake | undefined;
let warehouse: Warehouse | undefined;

afterEach(async () => {
  await warehouse?.close();
  await fake?.close();
  warehouse = undefined;
  fake = undefined;
});

/** A fake that answers `SELECT 1` (the adapter's open check) and hands every other query to `handler`. */
async function startFake(
  handler: (q: FakeQuery) => FakeAnswer | Promise<FakeAnswer>,
  options: BigQueryFakeOptions = {},
): Promise<BigQueryFake> {
  fake = await startBigQueryFake({
    token: TOKEN,
    ...options,
    handler: (q) => (q.sql === 'SELECT 1' ? { fields: [{ name: 'f0_', type: 'INTEGER' }], rows: [['1']] } : handler(q)),
  });
  return fake;
}

function config(f: BigQueryFake, overrides: Partial<BigQueryConfig> = {}): BigQueryConfig {
  return { projectId: PROJECT, location: 'EU', auth: 'oauthToken', token: TOKEN, apiEndpoint: f.url, ...overrides };
}

async function open(
  f: BigQueryFake,
  overrides: Partial<BigQueryConfig> = {},
  statementTimeoutMs?: number,
): Promise<Warehouse> {
  warehouse = await openBigQueryWarehouse(config(f, overrides), { statementTimeoutMs });
  return warehouse;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  assert.fail('expected a rejection');
}

/** Polls (never sleeps blindly) until the condition holds, failing after `ms`. */
async function waitFor(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function rowsOf(n: number): FakeAnswer {
  return {
    fields: [
      { name: 'n', type: 'INTEGER' },
      { name: 'label', type: 'STRING' },
    ],
    rows: Array.from({ length: n }, (_, i) => [String(i + 1), `row ${i + 1}`]),
  };
}

const queriesFor = (f: BigQueryFake, jobId: string) =>
  f.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/queries/${jobId}`));

describe('BigQuery adapter against the REST fake', () => {
  it('opens with the OAuth token as a Bearer header and proves it with SELECT 1 as a job of its own id', async () => {
    const f = await startFake(() => rowsOf(1));
    const wh = await open(f);
    assert.equal(wh.kind, 'bigquery');
    assert.ok(f.requests.length >= 2);
    for (const r of f.requests) assert.equal(r.headers.authorization, `Bearer ${TOKEN}`);
    const [first] = f.queries;
    assert.equal(first.sql, 'SELECT 1');
    assert.equal(first.via, 'jobs.insert');
    assert.equal(first.projectId, PROJECT);
    assert.equal(first.location, 'EU');
    assert.equal(first.useLegacySql, false);
    assert.match(first.jobId, /^sync_logs_explorer_[0-9a-f]{32}$/);
    assert.equal(f.requests[0].path, `/bigquery/v2/projects/${PROJECT}/jobs`);
    assert.equal(queriesFor(f, first.jobId).length, 1);
  });

  it('fails at open with authFailed when the token is refused (401), without echoing the token', async () => {
    const f = await startFake(() => rowsOf(1));
    const wrong = 'ya29.expired-token-abcdefghijkl';
    const err = await rejection(open(f, { token: wrong }));
    assert.ok(err instanceof WarehouseError, String(err));
    assert.equal(err.authFailed, true);
    assert.match(err.message, /refused the credentials/);
    assert.ok(!err.message.includes(wrong));
    assert.equal(f.requests[0].headers.authorization, `Bearer ${wrong}`);
  });

  it('sends values as named parameters p1..pn typed from their JS values', async () => {
    const f = await startFake(() => rowsOf(1));
    const wh = await open(f);
    const when = new Date('2026-11-01T10:00:00.123Z');
    await wh.query('SELECT @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8', [
      42,
      1.5,
      "it's",
      true,
      null,
      when,
      2n ** 63n - 1n,
      ['a', 'b'],
    ]);
    const q = f.queries.at(-1)!;
    assert.equal(q.parameterMode, 'NAMED');
    assert.deepEqual(q.params, {
      p1: { type: 'INT64', value: '42' },
      p2: { type: 'FLOAT64', value: '1.5' },
      p3: { type: 'STRING', value: "it's" },
      p4: { type: 'BOOL', value: 'true' },
      p5: { type: 'STRING', value: null },
      p6: { type: 'TIMESTAMP', value: '2026-11-01T10:00:00.123Z' },
      p7: { type: 'INT64', value: '9223372036854775807' },
      p8: { type: 'ARRAY<STRING>', value: ['a', 'b'] },
    });
  });

  it('normalises every result type from raw rows, asking for int64 timestamps', async () => {
    const f = await startFake(() => ({
      fields: [
        { name: 'i', type: 'INTEGER' },
        { name: 'big', type: 'INTEGER' },
        { name: 'x', type: 'FLOAT' },
        { name: 'dec', type: 'NUMERIC' },
        { name: 'bigdec', type: 'BIGNUMERIC' },
        { name: 'ok', type: 'BOOLEAN' },
        { name: 's', type: 'STRING' },
        { name: 'ts', type: 'TIMESTAMP' },
        { name: 'dt', type: 'DATETIME' },
        { name: 'd', type: 'DATE' },
        { name: 'j', type: 'JSON' },
        { name: 'b', type: 'BYTES' },
        { name: 'tags', type: 'STRING', mode: 'REPEATED' },
        {
          name: 'rec',
          type: 'RECORD',
          fields: [
            { name: 'k', type: 'STRING' },
            { name: 'at', type: 'TIMESTAMP' },
          ],
        },
        { name: 'nothing', type: 'STRING' },
      ],
      rows: [
        [
          '7',
          '9007199254740993',
          '2.5',
          '12.50',
          '0.1000000000000000000000000000000000001',
          'true',
          'hello',
          '1793527200123456',
          '2026-11-01T10:00:00.5',
          '2026-11-01',
          '{"plan":"pro","seats":3}',
          Buffer.from([0xde, 0xad, 0xbe, 0xef]).toString('base64'),
          ['x', 'y'],
          { k: 'v', at: '1793527200000000' },
          null,
        ],
      ],
    }));
    const wh = await open(f);
    const result = await wh.query('SELECT everything');
    assert.deepEqual(
      result.columns.map((c) => `${c.name}:${c.type}`),
      [
        'i:int64',
        'big:int64',
        'x:float64',
        'dec:numeric',
        'bigdec:bignumeric',
        'ok:bool',
        's:string',
        'ts:timestamp',
        'dt:datetime',
        'd:date',
        'j:json',
        'b:bytes',
        'tags:array<string>',
        'rec:struct',
        'nothing:string',
      ],
    );
    assert.deepEqual(result.rows, [
      [
        7,
        '9007199254740993',
        2.5,
        12.5,
        '0.1000000000000000000000000000000000001',
        true,
        'hello',
        '2026-11-01T10:00:00.123456Z',
        '2026-11-01T10:00:00.5',
        '2026-11-01',
        { plan: 'pro', seats: 3 },
        '\\xdeadbeef',
        ['x', 'y'],
        { k: 'v', at: '2026-11-01T10:00:00Z' },
        null,
      ],
    ]);
    assert.equal(result.rowCount, 1);
    assert.equal(result.truncated, false);
    const get = queriesFor(f, f.queries.at(-1)!.jobId)[0];
    assert.equal(get.query['formatOptions.useInt64Timestamp'], 'true');
  });

  it('follows pageTokens across short pages until every row is read', async () => {
    const f = await startFake(() => rowsOf(10), { maxPageRows: 4 });
    const wh = await open(f);
    const result = await wh.query('SELECT n, label FROM t');
    assert.deepEqual(
      result.rows.map((r) => r[0]),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.equal(result.rowCount, 10);
    assert.equal(result.truncated, false);
    const gets = queriesFor(f, f.queries.at(-1)!.jobId);
    assert.equal(gets.length, 3);
    assert.deepEqual(
      gets.map((g) => g.query.pageToken),
      [undefined, '4', '8'],
    );
  });

  it('keeps maxRows rows, stops paging there, and reports the true total from totalRows', async () => {
    const f = await startFake(() => rowsOf(25), { maxPageRows: 4 });
    const wh = await open(f);
    const result = await wh.query('SELECT n, label FROM t', [], { maxRows: 10 });
    assert.deepEqual(
      result.rows.map((r) => r[0]),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.equal(result.rowCount, 25);
    assert.equal(result.truncated, true);
    const gets = queriesFor(f, f.queries.at(-1)!.jobId);
    assert.deepEqual(
      gets.map((g) => g.query.maxResults),
      ['10', '6', '2'],
    );
  });

  it('cancels a running job on the server when the signal aborts, and rejects within 2 s', async () => {
    const f = await startFake(() => ({ hang: true }));
    const wh = await open(f);
    const controller = new AbortController();
    const running = wh.query('SELECT slow()', [], { signal: controller.signal });
    await waitFor(() => f.queries.length === 2 && queriesFor(f, f.queries[1].jobId).length > 0);
    const started = Date.now();
    controller.abort();
    const err = await rejection(running);
    assert.ok(err instanceof QueryCancelledError, String(err));
    assert.ok(Date.now() - started < 2000);
    assert.deepEqual(f.cancels, [f.queries[1].jobId]);
    const cancel = f.requests.find((r) => r.path.endsWith('/cancel'))!;
    assert.equal(cancel.method, 'POST');
    assert.equal(cancel.path, `/bigquery/v2/projects/${PROJECT}/jobs/${f.queries[1].jobId}/cancel`);
    assert.equal(cancel.query.location, 'EU');
  });

  it('still cancels a job whose insert was in flight when the signal aborted', async () => {
    const f = await startFake(async () => {
      await new Promise((r) => setTimeout(r, 300));
      return { hang: true };
    });
    const wh = await open(f);
    const controller = new AbortController();
    const running = wh.query('SELECT slow()', [], { signal: controller.signal });
    await waitFor(() => f.queries.length === 2);
    controller.abort();
    const err = await rejection(running);
    assert.ok(err instanceof QueryCancelledError, String(err));
    assert.deepEqual(f.cancels, [f.queries[1].jobId]);
  });

  it('rejects a cancelled query after about 2 s when the server never acknowledges the cancel', async () => {
    const f = await startFake(() => ({ hang: true }), { ignoreCancel: true });
    const wh = await open(f);
    const controller = new AbortController();
    const running = wh.query('SELECT slow()', [], { signal: controller.signal });
    await waitFor(() => f.queries.length === 2 && queriesFor(f, f.queries[1].jobId).length > 0);
    const started = Date.now();
    controller.abort();
    const err = await rejection(running);
    assert.ok(err instanceof QueryCancelledError, String(err));
    const waited = Date.now() - started;
    assert.ok(waited >= 1500 && waited < 4000, `rejected after ${waited} ms`);
    assert.deepEqual(f.cancels, [f.queries[1].jobId]);
  });

  it('sends the timeout as jobTimeoutMs and cancels the job when the client-side timer fires', async () => {
    const f = await startFake(() => ({ hang: true }));
    const wh = await open(f, {}, 400);
    const started = Date.now();
    const err = await rejection(wh.query('SELECT slow()'));
    assert.ok(err instanceof QueryCancelledError, String(err));
    assert.match(err.message, /syncLogs\.queryTimeoutSeconds/);
    assert.ok(Date.now() - started < 3000);
    assert.equal(f.queries[1].jobTimeoutMs, '400');
    assert.deepEqual(f.cancels, [f.queries[1].jobId]);
  });

  it('maps a failed job the server timed out to the timeout message', async () => {
    const f = await startFake(() => ({
      error: { status: 400, reason: 'stopped', message: 'Job execution was cancelled: Job timed out after 1s' },
    }));
    const wh = await open(f, {}, 1000);
    const err = await rejection(wh.query('SELECT slow()'));
    assert.ok(err instanceof QueryCancelledError, String(err));
    assert.match(err.message, /\(1 s\).*syncLogs\.queryTimeoutSeconds/);
  });

  it('reports a syntax error with its line and column', async () => {
    const f = await startFake(() => ({
      error: {
        status: 400,
        reason: 'invalidQuery',
        location: 'query',
        message: 'Syntax error: Unexpected keyword FROM at [2:8]',
      },
    }));
    const wh = await open(f);
    const err = await rejection(wh.query('SELECT\n  a, b FROM'));
    assert.ok(err instanceof WarehouseError, String(err));
    assert.equal(err.code, 'invalidQuery');
    assert.equal(err.authFailed, false);
    assert.match(err.message, /Syntax error: Unexpected keyword FROM at line 2, column 8/);
    assert.ok(!err.message.includes(TOKEN));
  });

  it('reports a missing dataset with the syncLogs.schema hint', async () => {
    const f = await startFake(() => ({
      error: {
        status: 404,
        reason: 'notFound',
        message: `Not found: Dataset ${PROJECT}:hightouch_audit was not found in location EU`,
      },
    }));
    const wh = await open(f);
    const err = await rejection(wh.query('SELECT * FROM `hightouch_audit.sync_runs`'));
    assert.ok(err instanceof WarehouseError, String(err));
    assert.equal(err.code, 'notFound');
    assert.match(err.message, /Dataset sync-proj:hightouch_audit was not found/);
    assert.match(err.message, /syncLogs\.schema/);
    assert.match(err.message, /warehouse sync logs are enabled/);
  });

  it('reports access denied on jobs.insert (HTTP 403) with the roles to grant', async () => {
    const f = await startFake(() => ({
      at: 'insert',
      error: {
        status: 403,
        reason: 'accessDenied',
        message: `Access Denied: Project ${PROJECT}: User does not have bigquery.jobs.create permission in project ${PROJECT}.`,
      },
    }));
    const wh = await open(f);
    const err = await rejection(wh.query('SELECT 2'));
    assert.ok(err instanceof WarehouseError, String(err));
    assert.equal(err.authFailed, false);
    assert.match(err.message, /roles\/bigquery\.jobUser/);
    assert.match(err.message, /roles\/bigquery\.dataViewer/);
    assert.ok(!err.message.includes(TOKEN));
  });

  it('reports a dropped connection as connectionLost', async () => {
    const f = await startFake(() => ({ drop: true }));
    const wh = await open(f);
    const err = await rejection(wh.query('SELECT 2'));
    assert.ok(err instanceof WarehouseError, String(err));
    assert.equal(err.connectionLost, true);
    assert.match(err.message, /connection to the BigQuery API at http:\/\/127\.0\.0\.1:\d+ was lost/);
    assert.ok(!err.message.includes(TOKEN));
  });

  it('reports a refused connection at open', async () => {
    const f = await startFake(() => rowsOf(1));
    const url = f.url;
    await f.close();
    fake = undefined;
    const err = await rejection(
      openBigQueryWarehouse({ projectId: PROJECT, auth: 'oauthToken', token: TOKEN, apiEndpoint: url }),
    );
    assert.ok(err instanceof WarehouseError, String(err));
    assert.equal(err.code, 'ECONNREFUSED');
    assert.match(err.message, /Connection refused by the BigQuery API at http:\/\/127\.0\.0\.1/);
    assert.ok(!err.message.includes(TOKEN));
  });

  it("serves the library's own jobs.query fast path too (for other users of the fake)", async () => {
    const f = await startFake(() => rowsOf(3));
    const { BigQuery } = await import('@google-cloud/bigquery');
    const { OAuth2Client } = await import('google-auth-library');
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: TOKEN });
    const client = new BigQuery({ projectId: PROJECT, apiEndpoint: f.url, authClient });
    const [rows] = await client.query({ query: 'SELECT n, label FROM t WHERE n > @min', params: { min: 0 } });
    assert.deepEqual(rows, [
      { n: 1, label: 'row 1' },
      { n: 2, label: 'row 2' },
      { n: 3, label: 'row 3' },
    ]);
    assert.equal(f.queries[0].via, 'jobs.query');
    // The library's own typing sends a JS number as the value; the adapter sends text, as the REST reference documents.
    assert.deepEqual(f.queries[0].params, { min: { type: 'INT64', value: 0 } });
  });

  it('rejects a malformed service-account key before any request, without echoing it', async () => {
    const f = await startFake(() => rowsOf(1));
    const key =
      '{"type":"service_account","client_email":"x@y.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----\\nMIIsecret';
    const err = await rejection(open(f, { auth: 'serviceAccountKey', token: undefined, serviceAccountKey: key }));
    assert.ok(err instanceof WarehouseError, String(err));
    assert.match(err.message, /not valid JSON/);
    assert.ok(!err.message.includes('MIIsecret'));
    assert.equal(f.requests.length, 0);
  });
});

describe('BigQuery cost guard: dry run and maximumBytesBilled', () => {
  it('a dry run says the bytes the query would process, and runs nothing', async () => {
    const f = await startFake(() => ({
      fields: [{ name: 'n', type: 'INTEGER' }],
      rows: [['7']],
      bytes: 52_613_349_376,
    }));
    const w = await open(f);
    const before = f.queries.length;
    const requestsBefore = f.requests.length;
    const bytes = await w.estimateBytes!(
      'select count(*) as n from `sync-proj.hightouch_audit.sync_changelog` where sync_id = @p1',
      ['48213'],
    );
    assert.equal(bytes, 52_613_349_376);
    const sent = f.queries.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].dryRun, true);
    assert.deepEqual(sent[0].params.p1, { type: 'STRING', value: '48213' });
    assert.deepEqual(
      f.requests.slice(requestsBefore).map((r) => `${r.method} ${r.path.replace(/^.*\/projects\/[^/]+/, '')}`),
      ['POST /jobs'],
      'one insert, no results read',
    );
  });

  it('a dry run of a bad query fails with the query error, located', async () => {
    const f = await startFake(() => ({
      error: { status: 400, reason: 'invalidQuery', message: 'Unrecognized name: failed_reason at [1:8]' },
    }));
    const w = await open(f);
    const err = await rejection(w.estimateBytes!('select failed_reason from x'));
    assert.ok(err instanceof WarehouseError);
    assert.match(err.message, /Unrecognized name: failed_reason at line 1, column 8 \(invalidQuery\)/);
  });

  it('sends maximumBytesBilled with every job, and says which setting refused a query over it', async () => {
    const f = await startFake(() => ({
      fields: [{ name: 'n', type: 'INTEGER' }],
      rows: [['1']],
      bytes: 5_000_000_000,
    }));
    warehouse = await openBigQueryWarehouse(config(f), { maximumBytesBilled: 1_000_000_000 });
    const err = await rejection(warehouse.query('select * from big'));
    assert.equal(f.queries.at(-1)?.maximumBytesBilled, '1000000000');
    assert.ok(err instanceof WarehouseError);
    assert.equal((err as WarehouseError).code, 'bytesBilledLimitExceeded');
    assert.match(err.message, /syncLogs\.bigquery\.maximumBytesBilled/);
    assert.match(err.message, /Query exceeded limit for bytes billed: 1000000000/);
    // Under the limit the same query runs.
    f.setHandler((q) =>
      q.sql === 'SELECT 1'
        ? { fields: [{ name: 'f0_', type: 'INTEGER' }], rows: [['1']] }
        : { fields: [{ name: 'n', type: 'INTEGER' }], rows: [['1']], bytes: 999 },
    );
    const ok = await warehouse.query('select * from small');
    assert.deepEqual(ok.rows, [[1]]);
  });
});
