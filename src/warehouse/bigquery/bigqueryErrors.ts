import { QueryCancelledError } from '../warehouse';
import { WarehouseError } from '../warehouseError';

/**
 * Turns what @google-cloud/bigquery and google-auth-library throw into messages that say what went
 * wrong and what to do. Pure: no driver import. Messages never carry a token or a key.
 *
 * Shapes seen: the library's ApiError (`code` = HTTP status, `errors[]` = `{reason, message, location}`
 * from the JSON body, or from a job's `status.errors` with no code), node-fetch's FetchError
 * (`code` = ECONNREFUSED...), gaxios errors from the token endpoint (`response.data.error`), and
 * plain Errors from the auth library.
 */

export interface BigQueryErrorContext {
  projectId?: string;
  location?: string;
  /** The API endpoint, named in connection errors (the default is Google's). */
  endpoint?: string;
  statementTimeoutMs?: number;
  /** Token or key text to scrub out of any message that might echo it. */
  secrets?: readonly string[];
}

interface GoogleErrorItem {
  reason?: string;
  message?: string;
  location?: string;
}

interface RawError {
  code?: number | string;
  message?: string;
  reason?: string;
  errors?: GoogleErrorItem[];
  response?: { status?: number; statusCode?: number; data?: { error?: unknown; error_description?: string } };
}

const CONNECTION_LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);
const QUOTA_REASONS = new Set([
  'quotaExceeded',
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'billingTierLimitExceeded',
]);

/** The message for a query stopped by the timeout; shared with the adapter's own client-side timer. */
export function timeoutMessage(statementTimeoutMs?: number): string {
  const seconds = statementTimeoutMs ? ` (${Math.round(statementTimeoutMs / 1000)} s)` : '';
  return `Query cancelled: it ran longer than the query timeout${seconds}. Narrow the query or raise the timeout (syncLogs.queryTimeoutSeconds).`;
}

/** Maps anything the BigQuery client throws to a WarehouseError, or QueryCancelledError for a cancelled or timed-out job. */
export function toBigQueryError(err: unknown, ctx: BigQueryErrorContext = {}): WarehouseError | QueryCancelledError {
  if (err instanceof WarehouseError || err instanceof QueryCancelledError) return err;
  const raw = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as RawError;
  const item = raw.errors?.find((e) => e.reason || e.message) ?? {};
  const reason = item.reason ?? raw.reason;
  const status = httpStatus(raw);
  const nodeCode = typeof raw.code === 'string' ? raw.code : undefined;
  const serverMessage = item.message || raw.message || String(err);
  const code = reason ?? nodeCode ?? (status ? String(status) : undefined);
  const project = ctx.projectId ? `project "${ctx.projectId}"` : 'the project';
  const make = (message: string, lost = false, authFailed = false) =>
    new WarehouseError(scrubSecrets(message, ctx.secrets), code, lost, err, authFailed);

  if (reason === 'stopped' || reason === 'timeout' || /Job execution was cancelled/i.test(serverMessage)) {
    const timedOut = reason === 'timeout' || /timed? ?out|timeout/i.test(serverMessage);
    return Object.assign(
      new QueryCancelledError(timedOut ? timeoutMessage(ctx.statementTimeoutMs) : 'Query cancelled.'),
      { code },
    );
  }
  const tokenError = raw.response?.data?.error;
  if (status === 401 || reason === 'authError' || tokenError === 'invalid_grant' || tokenError === 'invalid_client') {
    return make(
      `Google refused the credentials (${tokenError ?? reason ?? status}): the token has expired or been revoked, or the service-account key was deleted. Sign in again or give a new token or key.`,
      false,
      true,
    );
  }
  if (/Could not load the default credentials/i.test(serverMessage)) {
    return make(
      'No application-default credentials were found on this machine. Run `gcloud auth application-default login`, or choose another sign-in method for this connection.',
    );
  }
  if ((reason && QUOTA_REASONS.has(reason)) || status === 429) {
    return make(
      `BigQuery refused the query for quota or rate limits: ${tagged(serverMessage, reason ?? status)} Wait a little and try again, or ask an administrator about the quotas of ${project}.`,
    );
  }
  if (reason === 'bytesBilledLimitExceeded') {
    return make(
      `BigQuery refused to run the query: it would bill more bytes than the limit set in syncLogs.bigquery.maximumBytesBilled. ${tagged(serverMessage, reason)} Narrow it (filter on the partition column, select fewer columns) or raise the setting.`,
    );
  }
  if (reason === 'billingNotEnabled') {
    return make(
      `Billing is not enabled for ${project}, which runs the queries: ${tagged(serverMessage, reason)} Choose a billing-enabled project for this connection.`,
    );
  }
  if (reason === 'accessDenied' || status === 403) {
    return make(
      `${tagged(serverMessage, reason ?? status)} Ask an administrator to grant roles/bigquery.jobUser on ${project} (to run queries) and roles/bigquery.dataViewer on the sync-log dataset.`,
    );
  }
  if (reason === 'notFound' || status === 404) {
    if (/\bJob\b/.test(serverMessage)) {
      return make(
        `${tagged(serverMessage, 'notFound')} The job ran in another location than expected: check the connection's location (e.g. US, EU) against the dataset's.`,
      );
    }
    return make(
      `${tagged(serverMessage, 'notFound')} Check the dataset (syncLogs.schema) and the project, and that warehouse sync logs are enabled for your syncs${ctx.location ? `; the connection runs in location ${ctx.location}` : ''}.`,
    );
  }
  if (reason === 'invalidQuery' || reason === 'invalid') {
    return make(tagged(withLineColumn(serverMessage), reason));
  }
  if (nodeCode === 'ECONNREFUSED') {
    return make(
      `Connection refused by ${endpointName(ctx)}. Check the API endpoint, and that no proxy or firewall blocks it.`,
    );
  }
  if (nodeCode === 'ENOTFOUND' || nodeCode === 'EAI_AGAIN') {
    return make(`Cannot find the host of ${endpointName(ctx)} (name lookup failed). Check your network, VPN or proxy.`);
  }
  if (nodeCode === 'ETIMEDOUT' || /network timeout|timeout of \d+ms exceeded/i.test(serverMessage)) {
    return make(`Timed out talking to ${endpointName(ctx)}. Check your network, VPN or proxy, and try again.`);
  }
  if (
    (nodeCode && CONNECTION_LOST_CODES.has(nodeCode)) ||
    /socket hang up|ECONNRESET|premature close/i.test(serverMessage)
  ) {
    return make(
      `The connection to ${endpointName(ctx)} was lost (${nodeCode ?? 'socket closed'}). The query did not finish; try again.`,
      true,
    );
  }
  if (reason === 'backendError' || reason === 'internalError' || (status !== undefined && status >= 500)) {
    return make(`BigQuery had an internal error: ${tagged(serverMessage, reason ?? status)} Try again in a moment.`);
  }
  return make(tagged(serverMessage, code));
}

/** `Server text (code).` with exactly one closing period. */
function tagged(message: string, code: string | number | undefined): string {
  const text = message.trim().replace(/\.+$/, '');
  return code === undefined ? `${text}.` : `${text} (${code}).`;
}

/** `... at [3:15]` -> `... at line 3, column 15`, the way the other warehouses' messages say it. */
export function withLineColumn(message: string): string {
  return message.replace(/ at \[(\d+):(\d+)\]/, ' at line $1, column $2');
}

function httpStatus(raw: RawError): number | undefined {
  if (typeof raw.code === 'number') return raw.code;
  return raw.response?.status ?? raw.response?.statusCode;
}

function endpointName(ctx: BigQueryErrorContext): string {
  return ctx.endpoint ? `the BigQuery API at ${ctx.endpoint}` : 'the BigQuery API (bigquery.googleapis.com)';
}

/** Removes secrets and bearer tokens from text; very short secrets are left alone (they would match ordinary words). */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1***');
  for (const secret of secrets) if (secret && secret.length >= 8) out = out.split(secret).join('***');
  return out;
}

/** The parts of a service-account JSON key the client needs. */
export interface ServiceAccountCredentials {
  client_email: string;
  private_key: string;
  project_id?: string;
}

/**
 * Reads a service-account key file's text. Errors name what is wrong and never quote the text
 * (JSON.parse's own message would echo part of the private key).
 */
export function parseServiceAccountKey(text: string | undefined): ServiceAccountCredentials {
  const fail = (why: string) =>
    new WarehouseError(
      `The service-account key ${why}. Paste the whole JSON key file downloaded from the Google Cloud console (IAM > Service accounts > Keys).`,
      'INVALID_KEY',
      false,
      undefined,
      true,
    );
  if (!text || !text.trim()) throw fail('is empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw fail('is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw fail('is not a JSON object');
  const key = parsed as Record<string, unknown>;
  if (key.type !== undefined && key.type !== 'service_account')
    throw fail(`is of type "${String(key.type).slice(0, 40)}", not "service_account"`);
  if (typeof key.client_email !== 'string' || !key.client_email.includes('@')) throw fail('has no "client_email"');
  if (typeof key.private_key !== 'string' || !/-----BEGIN (RSA )?PRIVATE KEY-----/.test(key.private_key)) {
    throw fail('has no "private_key" in PEM form');
  }
  return {
    client_email: key.client_email,
    private_key: key.private_key,
    project_id: typeof key.project_id === 'string' ? key.project_id : undefined,
  };
}
