import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toSnowflakeError } from '../../src/warehouse/snowflake/snowflakeErrors';
import { WarehouseError } from '../../src/warehouse/warehouseError';
import { QueryCancelledError } from '../../src/warehouse/warehouse';

const ctx = {
  account: 'myorg-acct',
  user: 'alice',
  role: 'ANALYST',
  database: 'DB',
  secrets: ['hunter2-secret', undefined],
  statementTimeoutMs: 30_000,
};

/** A server error as snowflake-sdk externalizes it: Snowflake's code, message and SQLSTATE. */
const serverError = (code: string | number, message: string, sqlState?: string) =>
  Object.assign(new Error(message), { name: 'OperationFailedError', code, sqlState });
/** A network error: the driver's code 401001 with Node's error as the cause. */
const networkError = (nodeCode: string, message: string) =>
  Object.assign(new Error(message), {
    name: 'NetworkError',
    code: 401001,
    cause: Object.assign(new Error(message), { code: nodeCode }),
  });

const asWarehouseError = (err: unknown): WarehouseError => {
  assert.ok(err instanceof WarehouseError, `not a WarehouseError: ${String(err)}`);
  return err;
};

test('refused credentials are authFailed with what to check, never the secret', () => {
  const pw = asWarehouseError(
    toSnowflakeError(serverError('390100', 'Incorrect username or password was specified.'), ctx),
  );
  assert.equal(pw.authFailed, true);
  assert.equal(pw.code, '390100');
  assert.match(pw.message, /Incorrect user name or password for user "alice" on Snowflake account "myorg-acct"/);
  const jwt = asWarehouseError(toSnowflakeError(serverError('390144', 'JWT token is invalid.'), ctx));
  assert.equal(jwt.authFailed, true);
  assert.match(jwt.message, /key pair .*RSA_PUBLIC_KEY/);
  const oauth = asWarehouseError(
    toSnowflakeError(serverError('390318', 'OAuth access token expired. [hunter2-secret]'), ctx),
  );
  assert.equal(oauth.authFailed, true);
  assert.ok(!oauth.message.includes('hunter2-secret'));
  assert.match(oauth.message, /\*\*\*/);
});

test('a wrong role or warehouse at login is not an auth failure', () => {
  const role = asWarehouseError(
    toSnowflakeError(
      serverError('390189', "Role 'ADMIN' specified in the connect string is not granted to this user."),
      ctx,
    ),
  );
  assert.equal(role.authFailed, false);
  assert.match(role.message, /role setting .*\("ANALYST"\)/);
});

test('missing objects point at the schema setting and sync logs; privileges at an administrator', () => {
  const missing = asWarehouseError(
    toSnowflakeError(
      serverError('002003', "SQL compilation error:\nSchema 'DB.NOPE' does not exist or not authorized.", '02000'),
      ctx,
    ),
  );
  assert.equal(missing.code, '002003');
  assert.match(
    missing.message,
    /Schema 'DB\.NOPE' does not exist or not authorized\. \(002003\)\. Check the schema \(syncLogs\.schema\)/,
  );
  assert.match(missing.message, /sync logs are enabled/);
  const denied = asWarehouseError(
    toSnowflakeError(
      serverError(
        '003001',
        "SQL access control error:\nInsufficient privileges to operate on table 'SYNC_RUNS'",
        '42501',
      ),
      ctx,
    ),
  );
  assert.match(denied.message, /\(003001\)\. Ask an administrator to grant your role USAGE/);
  const column = asWarehouseError(
    toSnowflakeError(
      serverError(
        '000904',
        "SQL compilation error: error line 1 at position 7\ninvalid identifier 'FAILED_REASON'",
        '42000',
      ),
      ctx,
    ),
  );
  assert.match(column.message, /invalid identifier 'FAILED_REASON' \(000904\)\. .*DB\.INFORMATION_SCHEMA\.COLUMNS/s);
});

test("a syntax error keeps Snowflake's line and position", () => {
  const err = asWarehouseError(
    toSnowflakeError(
      serverError('001003', "SQL compilation error:\nsyntax error line 3 at position 12 unexpected 'form'.", '42000'),
      ctx,
    ),
  );
  assert.match(err.message, /line 3 at position 12 unexpected 'form'\. \(001003\)\.$/);
});

test('cancel and timeout become QueryCancelledError; the timeout names the setting', () => {
  const cancelled = toSnowflakeError(serverError('000604', 'SQL execution canceled', '57014'), ctx);
  assert.ok(cancelled instanceof QueryCancelledError);
  assert.equal(cancelled.message, 'Query cancelled.');
  const timeout = toSnowflakeError(
    serverError(
      '000630',
      'Statement reached its statement or warehouse timeout of 30 second(s) and was canceled.',
      '57014',
    ),
    ctx,
  );
  assert.ok(timeout instanceof QueryCancelledError);
  assert.match(timeout.message, /statement timeout \(30 s\).*syncLogs\.queryTimeoutSeconds/);
  // A code that lost its leading zeros (sent as a number) is still recognised.
  assert.ok(toSnowflakeError(serverError(604, 'SQL execution canceled'), ctx) instanceof QueryCancelledError);
});

test('network failures: unknown host, refused, TLS, and a dropped connection', () => {
  const dns = asWarehouseError(
    toSnowflakeError(networkError('ENOTFOUND', 'getaddrinfo ENOTFOUND myorg-acct.snowflakecomputing.com'), ctx),
  );
  assert.equal(dns.code, 'ENOTFOUND');
  assert.match(dns.message, /Cannot find the Snowflake host .*account identifier/);
  const refused = asWarehouseError(
    toSnowflakeError(networkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:443'), ctx),
  );
  assert.match(refused.message, /Connection refused by Snowflake account "myorg-acct"/);
  assert.equal(refused.connectionLost, false);
  const tls = asWarehouseError(
    toSnowflakeError(networkError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), ctx),
  );
  assert.match(tls.message, /TLS certificate .*proxy that intercepts HTTPS/);
  const reset = asWarehouseError(toSnowflakeError(networkError('ECONNRESET', 'socket hang up'), ctx));
  assert.equal(reset.connectionLost, true);
  assert.match(reset.message, /was lost \(socket hang up\).*reconnects automatically/);
});

test('an ended session is connectionLost', () => {
  const gone = asWarehouseError(
    toSnowflakeError(
      Object.assign(new Error('Unable to perform operation using terminated connection.'), {
        code: 407002,
        sqlState: '08003',
      }),
      ctx,
    ),
  );
  assert.equal(gone.connectionLost, true);
  const expired = asWarehouseError(
    toSnowflakeError(
      serverError('390114', 'Authentication token has expired.  The user must authenticate again.'),
      ctx,
    ),
  );
  assert.equal(expired.connectionLost, true);
});

test('a bad private key or passphrase is an auth failure with how to fix it', () => {
  const notPem = asWarehouseError(
    toSnowflakeError(
      Object.assign(
        new Error('Invalid private key. The specified value must be a string in pem format of type pkcs8'),
        { code: 404026 },
      ),
      ctx,
    ),
  );
  assert.equal(notPem.authFailed, true);
  assert.match(notPem.message, /openssl pkcs8 -topk8/);
  const pass = asWarehouseError(
    toSnowflakeError(
      Object.assign(new Error('error:1C800064:Provider routines::bad decrypt'), { code: 'ERR_OSSL_BAD_DECRYPT' }),
      ctx,
    ),
  );
  assert.equal(pass.authFailed, true);
  assert.match(pass.message, /passphrase is wrong/);
});

test('other errors keep the server text, code and SQLSTATE', () => {
  const other = asWarehouseError(
    toSnowflakeError(serverError('100038', "Numeric value 'abc' is not recognized", '22018'), ctx),
  );
  assert.equal(other.message, "Numeric value 'abc' is not recognized (100038, SQLSTATE 22018).");
  const plain = asWarehouseError(toSnowflakeError('boom', ctx));
  assert.equal(plain.message, 'boom.');
  const same = new WarehouseError('kept', 'X');
  assert.equal(toSnowflakeError(same, ctx), same);
});
