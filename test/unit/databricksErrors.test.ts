import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toDatabricksError, type DatabricksErrorContext } from '../../src/warehouse/databricks/databricksErrors';
import { QueryCancelledError } from '../../src/warehouse/warehouse';
import { WarehouseError } from '../../src/warehouse/warehouseError';

const ctx: DatabricksErrorContext = {
  host: 'dbc-123.cloud.databricks.com',
  path: '/sql/1.0/warehouses/abc',
  token: 'dapi0123456789abcdef',
};

/** Errors shaped like the driver's: THTTPException, StatusError, OperationStateError, node-fetch FetchError. */
const http = (statusCode: number) =>
  Object.assign(new Error(`Received a response with a bad HTTP status code: ${statusCode}`), { statusCode });
const status = (message: string) => ({ name: 'Status Error', message, code: -1 });
const opState = (errorCode: string, response?: Record<string, unknown>) =>
  Object.assign(new Error('The operation failed due to an error'), { errorCode, response });
const fetchError = (code: string, message = `request failed, reason: ${code}`) =>
  Object.assign(new Error(message), { type: 'system', code, errno: code });

function warehouseError(err: unknown, extra: Partial<DatabricksErrorContext> = {}): WarehouseError {
  const mapped = toDatabricksError(err, { ...ctx, ...extra });
  assert.ok(mapped instanceof WarehouseError, `expected WarehouseError, got ${mapped.name}`);
  return mapped;
}

describe('toDatabricksError', () => {
  it('401 and 403 mean the token was refused: authFailed, and the message says what to do', () => {
    for (const code of [401, 403]) {
      const err = warehouseError(http(code));
      assert.equal(err.authFailed, true);
      assert.equal(err.code, `HTTP_${code}`);
      assert.match(err.message, new RegExp(`refused the token on dbc-123.cloud.databricks.com \\(HTTP ${code}\\)`));
      assert.match(err.message, /token/);
    }
  });

  it('404 points at the HTTP path and is not an auth failure', () => {
    const err = warehouseError(http(404));
    assert.equal(err.authFailed, false);
    assert.match(err.message, /\/sql\/1\.0\/warehouses\/abc/);
  });

  it('network errors name the host and the likely cause', () => {
    assert.match(warehouseError(fetchError('ENOTFOUND')).message, /Cannot find the host "dbc-123/);
    assert.match(warehouseError(fetchError('ECONNREFUSED')).message, /Connection refused/);
    const reset = warehouseError(fetchError('ECONNRESET', 'request failed, reason: socket hang up'));
    assert.equal(reset.connectionLost, true);
  });

  it('certificate failures get a message about the certificate, not a generic one', () => {
    for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
      const err = warehouseError(fetchError(code));
      assert.match(err.message, /TLS certificate of dbc-123\.cloud\.databricks\.com could not be verified/);
      assert.equal(err.code, code);
    }
  });

  it('a missing table, schema or catalog points at syncLogs.schema and enabling sync logs', () => {
    const texts = [
      '[TABLE_OR_VIEW_NOT_FOUND] The table or view `hightouch_audit`.`sync_runs` cannot be found. SQLSTATE: 42P01; line 1 pos 14',
      '[SCHEMA_NOT_FOUND] The schema `main`.`hightouch_audit` cannot be found. SQLSTATE: 42704',
    ];
    for (const text of texts) {
      const err = warehouseError(
        opState('ERROR', { errorMessage: `${text}\n\tat org.apache.spark...`, displayMessage: text }),
        { catalog: 'main', schema: 'hightouch_audit' },
      );
      assert.match(err.message, /syncLogs\.schema/);
      assert.match(err.message, /main\.hightouch_audit/);
      assert.match(err.message, /sync logs are enabled/);
      assert.ok(!/line 1 pos/.test(err.message));
      assert.equal((err.message.match(/42P01|42704/g) ?? []).length, 1, 'SQLSTATE named once');
    }
  });

  it('a syntax error gives line and 1-based column, and the line of the statement', () => {
    const sql = 'select *\nfrom t wher x = 1';
    const err = warehouseError(
      status("[PARSE_SYNTAX_ERROR] Syntax error at or near 'x'. SQLSTATE: 42601 (line 2, pos 12)\n\n== SQL ==\n..."),
      { sql },
    );
    assert.equal(err.code, 'PARSE_SYNTAX_ERROR');
    assert.match(
      err.message,
      /^\[PARSE_SYNTAX_ERROR\] Syntax error at or near 'x' at line 2, column 13: from t wher x = 1 \(SQLSTATE 42601\)\.$/,
    );
  });

  it('missing permissions say what to ask an administrator for', () => {
    const err = warehouseError(
      opState('ERROR', {
        displayMessage:
          '[INSUFFICIENT_PERMISSIONS] Insufficient privileges: User does not have SELECT on Table x. SQLSTATE: 42501',
      }),
    );
    assert.equal(err.code, 'INSUFFICIENT_PERMISSIONS');
    assert.match(err.message, /Ask an administrator to grant/);
    assert.match(err.message, /SELECT/);
  });

  it('cancel and timeout states become QueryCancelledError; the timeout names the setting', () => {
    assert.ok(toDatabricksError(opState('CANCELED')) instanceof QueryCancelledError);
    for (const err of [
      opState('TIMEOUT'),
      status('[QUERY_EXECUTION_TIMEOUT_EXCEEDED] Query execution was cancelled after 30 s.'),
    ]) {
      const mapped = toDatabricksError(err, { statementTimeoutMs: 30_000 });
      assert.ok(mapped instanceof QueryCancelledError);
      assert.match(mapped.message, /\(30 s\).*syncLogs\.queryTimeoutSeconds/);
    }
  });

  it('an expired session is reported as a lost connection so the next query reopens', () => {
    const err = warehouseError(status('Invalid SessionHandle: SessionHandle [abc]'));
    assert.equal(err.connectionLost, true);
  });

  it('never repeats the token, and unwraps the driver retry error', () => {
    const err = warehouseError(status(`bad header Authorization: Bearer ${ctx.token}`));
    assert.ok(!err.message.includes(ctx.token as string));
    const retried = Object.assign(new Error('Max retry count exceeded'), {
      errorCode: 'ATTEMPTS_EXCEEDED',
      payload: fetchError('ECONNREFUSED'),
    });
    assert.match(warehouseError(retried).message, /Connection refused/);
  });
});
