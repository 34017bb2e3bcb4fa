import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseServiceAccountKey,
  scrubSecrets,
  toBigQueryError,
  withLineColumn,
} from '../../src/warehouse/bigquery/bigqueryErrors';
import { QueryCancelledError } from '../../src/warehouse/warehouse';
import { WarehouseError } from '../../src/warehouse/warehouseError';

const TOKEN = 'ya29.a0AfH6SMBsecret-token-value';
const ctx = { projectId: 'proj', location: 'US', endpoint: 'http://127.0.0.1:9', secrets: [TOKEN] };

/** The library's ApiError: `code` is the HTTP status, `errors` the JSON body's items. */
function apiError(code: number | undefined, reason: string, message: string): Error {
  return Object.assign(new Error(message), { code, errors: [{ reason, message, domain: 'global' }] });
}

function mapped(err: unknown): WarehouseError {
  const out = toBigQueryError(err, ctx);
  assert.ok(out instanceof WarehouseError, `expected a WarehouseError, got ${String(out)}`);
  return out;
}

describe('toBigQueryError', () => {
  it('marks a 401 as refused credentials so the stored secret is forgotten', () => {
    const err = mapped(apiError(401, 'authError', 'Invalid Credentials'));
    assert.equal(err.authFailed, true);
    assert.equal(err.code, 'authError');
    assert.match(err.message, /refused the credentials/);
  });

  it('marks a revoked service-account key (token endpoint invalid_grant) as refused credentials', () => {
    const gaxios = Object.assign(new Error('invalid_grant: Invalid JWT Signature.'), {
      response: { status: 400, data: { error: 'invalid_grant' } },
    });
    assert.equal(mapped(gaxios).authFailed, true);
  });

  it('names the roles to grant for accessDenied, without asking for new credentials', () => {
    const err = mapped(
      apiError(
        403,
        'accessDenied',
        'Access Denied: Table proj:hightouch_audit.sync_runs: User does not have permission to query table.',
      ),
    );
    assert.equal(err.authFailed, false);
    assert.match(err.message, /roles\/bigquery\.jobUser on project "proj"/);
    assert.match(err.message, /roles\/bigquery\.dataViewer/);
  });

  it('tells quota and rate limits apart from permissions, though both come as 403', () => {
    const err = mapped(
      apiError(403, 'quotaExceeded', 'Quota exceeded: Your project exceeded quota for free query bytes scanned.'),
    );
    assert.match(err.message, /quota or rate limits/);
    assert.doesNotMatch(err.message, /roles\//);
  });

  it('points a missing dataset or table at syncLogs.schema, the project and the sync-log setting', () => {
    const err = mapped(
      apiError(404, 'notFound', 'Not found: Table proj:hightouch_audit.sync_changelog was not found in location US'),
    );
    assert.match(
      err.message,
      /^Not found: Table proj:hightouch_audit\.sync_changelog was not found in location US \(notFound\)\. Check the dataset \(syncLogs\.schema\)/,
    );
    assert.match(err.message, /warehouse sync logs are enabled/);
  });

  it('points a missing job at the location instead', () => {
    const err = mapped(apiError(404, 'notFound', 'Not found: Job proj:US.abc'));
    assert.match(err.message, /location/);
    assert.doesNotMatch(err.message, /syncLogs\.schema/);
  });

  it('turns [line:column] into words, also for a failed job (no HTTP code)', () => {
    const err = mapped(apiError(undefined, 'invalidQuery', 'Unrecognized name: failed_reason at [3:15]'));
    assert.equal(err.message, 'Unrecognized name: failed_reason at line 3, column 15 (invalidQuery).');
    assert.equal(withLineColumn('Syntax error: x at [1:8]'), 'Syntax error: x at line 1, column 8');
  });

  it('maps a job cancelled by the user or by the timeout to QueryCancelledError', () => {
    const user = toBigQueryError(
      apiError(400, 'stopped', 'Job execution was cancelled: User requested cancellation'),
      ctx,
    );
    assert.ok(user instanceof QueryCancelledError);
    assert.equal(user.message, 'Query cancelled.');
    const timeout = toBigQueryError(
      apiError(undefined, 'stopped', 'Job execution was cancelled: Job timed out after 30s'),
      { ...ctx, statementTimeoutMs: 30_000 },
    );
    assert.ok(timeout instanceof QueryCancelledError);
    assert.match(timeout.message, /\(30 s\).*syncLogs\.queryTimeoutSeconds/);
  });

  it('maps network errors: refused, unknown host, and a dropped connection (connectionLost)', () => {
    const net = (code: string) =>
      Object.assign(new Error(`request to http://127.0.0.1:9/x failed, reason: ${code}`), { code, type: 'system' });
    assert.match(
      mapped(net('ECONNREFUSED')).message,
      /Connection refused by the BigQuery API at http:\/\/127\.0\.0\.1:9/,
    );
    assert.match(mapped(net('ENOTFOUND')).message, /Cannot find the host/);
    const lost = mapped(net('ECONNRESET'));
    assert.equal(lost.connectionLost, true);
    assert.equal(mapped(net('ECONNREFUSED')).connectionLost, false);
  });

  it('tells a missing application-default login how to sign in', () => {
    assert.match(
      mapped(new Error('Could not load the default credentials. Browse to ...')).message,
      /gcloud auth application-default login/,
    );
  });

  it('never lets the token through, even when the server echoes it', () => {
    const err = mapped(apiError(400, 'invalid', `Bad header Authorization: Bearer ${TOKEN}`));
    assert.ok(!err.message.includes(TOKEN));
    assert.match(err.message, /Bearer \*\*\*/);
    assert.equal(scrubSecrets(`x ${TOKEN} y`, [TOKEN]), 'x *** y');
  });

  it('keeps other server messages with their reason, ending in one period', () => {
    const err = mapped(apiError(400, 'invalid', 'Query parameter p3 has no value.'));
    assert.equal(err.message, 'Query parameter p3 has no value (invalid).');
  });

  it('passes through errors that are already mapped', () => {
    const cancelled = new QueryCancelledError();
    assert.equal(toBigQueryError(cancelled, ctx), cancelled);
  });
});

describe('parseServiceAccountKey', () => {
  const good = {
    type: 'service_account',
    project_id: 'proj',
    client_email: 'sa@proj.iam.gserviceaccount.com',
    private_key: '-----BEGIN PRIVATE KEY-----\nMIIEsecretbits\n-----END PRIVATE KEY-----\n',
  };

  it('returns the email and key of a well-formed key file', () => {
    const key = parseServiceAccountKey(JSON.stringify(good));
    assert.equal(key.client_email, good.client_email);
    assert.equal(key.private_key, good.private_key);
    assert.equal(key.project_id, 'proj');
  });

  it('names what is wrong and never quotes the key text', () => {
    const cases: Array<[string | undefined, RegExp]> = [
      [undefined, /is empty/],
      ['{"private_key": "-----BEGIN PRIVATE KEY-----MIIEsecretbits', /is not valid JSON/],
      ['["MIIEsecretbits"]', /not a JSON object/],
      [JSON.stringify({ ...good, type: 'authorized_user' }), /type "authorized_user", not "service_account"/],
      [JSON.stringify({ ...good, client_email: undefined }), /no "client_email"/],
      [JSON.stringify({ ...good, private_key: 'MIIEsecretbits' }), /no "private_key" in PEM form/],
    ];
    for (const [text, why] of cases) {
      const err = (() => {
        try {
          parseServiceAccountKey(text);
        } catch (e) {
          return e as WarehouseError;
        }
        assert.fail(`accepted ${text}`);
      })();
      assert.ok(err instanceof WarehouseError);
      assert.match(err.message, why);
      assert.ok(!err.message.includes('MIIEsecretbits'));
      assert.equal(err.authFailed, true);
    }
  });
});
