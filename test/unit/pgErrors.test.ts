import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecret, redactUrls, toWarehouseError, WarehouseError } from '../../src/warehouse/postgres/pgErrors';
import { QueryCancelledError } from '../../src/warehouse/warehouse';

const ctx = { host: 'db.example.com', port: 5433, database: 'analytics', user: 'alice', password: 'hunter2-secret' };
const serverError = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...extra });

test('wrong password: says what to check, keeps the SQLSTATE, never the password', () => {
  const err = toWarehouseError(serverError('28P01', 'password authentication failed for user "alice"'), ctx);
  assert.ok(err instanceof WarehouseError);
  assert.equal(err.code, '28P01');
  assert.match(err.message, /Password authentication failed for user "alice" on db\.example\.com:5433/);
  assert.ok(!err.message.includes(ctx.password));
});

test('connection failures name the host and what to do', () => {
  const notFound = toWarehouseError(
    Object.assign(new Error('getaddrinfo ENOTFOUND db.example.com'), { code: 'ENOTFOUND' }),
    ctx,
  );
  assert.match(notFound.message, /Cannot find the host "db\.example\.com".*network or VPN/);
  const refused = toWarehouseError(
    Object.assign(
      new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5433'), { code: 'ECONNREFUSED' })], ''),
      {},
    ),
    ctx,
  );
  assert.equal((refused as WarehouseError).code, 'ECONNREFUSED');
  assert.match(refused.message, /Connection refused by db\.example\.com:5433/);
});

test('missing relation, schema, column and permission messages', () => {
  const rel = toWarehouseError(serverError('42P01', 'relation "hightouch_audit.sync_runs" does not exist'), ctx);
  assert.match(rel.message, /^Relation "hightouch_audit\.sync_runs" does not exist \(42P01\)\. Check the schema name/);
  const schema = toWarehouseError(serverError('3F000', 'schema "nope" does not exist'), ctx);
  assert.match(schema.message, /Schema "nope" does not exist \(3F000\)/);
  const col = toWarehouseError(
    serverError('42703', 'column "failed_reason" does not exist', {
      hint: 'Perhaps you meant to reference the column "c.failure_reason".',
    }),
    ctx,
  );
  assert.match(col.message, /Unknown column "failed_reason" \(42703\)/);
  assert.match(col.message, /Perhaps you meant/);
  assert.match(col.message, /named failure_reason/);
  const sql = 'select 1\nfrom t where failed_reason is null';
  const placed = toWarehouseError(
    serverError('42703', 'column "failed_reason" does not exist', {
      position: String(sql.indexOf('failed_reason') + 1),
    }),
    { ...ctx, sql },
  );
  assert.match(placed.message, /Unknown column "failed_reason" at line 2, column 14 \(42703\)/);
  const other = toWarehouseError(serverError('42703', 'column c.wat does not exist'), ctx);
  assert.match(other.message, /Unknown column "c\.wat"/);
  const perm = toWarehouseError(serverError('42501', 'permission denied for table sync_runs'), ctx);
  assert.match(perm.message, /grant user "alice" USAGE on the schema and SELECT/);
});

test('cancel and statement timeout become QueryCancelledError with the SQLSTATE', () => {
  const user = toWarehouseError(serverError('57014', 'canceling statement due to user request'), ctx);
  assert.ok(user instanceof QueryCancelledError);
  assert.equal(user.message, 'Query cancelled.');
  const timeout = toWarehouseError(serverError('57014', 'canceling statement due to statement timeout'), {
    ...ctx,
    statementTimeoutMs: 30_000,
  });
  assert.ok(timeout instanceof QueryCancelledError);
  assert.match(timeout.message, /statement timeout \(30 s\)/);
  assert.equal((timeout as QueryCancelledError & { code?: string }).code, '57014');
});

test('a dropped connection says the next query reconnects', () => {
  const killed = toWarehouseError(serverError('57P01', 'terminating connection due to administrator command'), ctx);
  assert.ok(killed instanceof WarehouseError && killed.connectionLost);
  assert.match(killed.message, /was lost .* next query reconnects/);
  const eof = toWarehouseError(new Error('Connection terminated unexpectedly'), ctx);
  assert.ok(eof instanceof WarehouseError && eof.connectionLost);
});

test('syntax errors point at line and column', () => {
  const sql = 'select 1\nfrom t\nwher x';
  const err = toWarehouseError(
    serverError('42601', 'syntax error at or near "wher"', { position: String(sql.indexOf('wher') + 1) }),
    { ...ctx, sql },
  );
  assert.equal(err.message, 'Syntax error at or near "wher" at line 3, column 1 (42601).');
});

test('passwords never survive in messages, whatever the server said', () => {
  const err = toWarehouseError(
    new Error('odd failure mentioning hunter2-secret and postgres://alice:hunter2-secret@db/x'),
    ctx,
  );
  assert.ok(!err.message.includes('hunter2-secret'));
  assert.equal(redactUrls('postgres://bob:p%40ss@h:5432/db'), 'postgres://bob:***@h:5432/db');
  assert.equal(redactUrls('host=h password=s3cret user=u'), 'host=h password=*** user=u');
  assert.equal(redactSecret('pw is abc', 'abc'), 'pw is abc', 'very short secrets are left alone outside URLs');
});
