import { QueryCancelledError } from '../warehouse';
import { WarehouseError } from '../warehouseError';
import { redactSecret } from '../postgres/pgErrors';

/**
 * Turns what @databricks/sql throws (HTTP errors from its Thrift transport, Thrift status errors,
 * operation state errors, network and TLS errors) into messages that say what went wrong and what
 * to do. Pure: recognises the driver's errors by shape, never imports it. Messages never carry the token.
 */

/** Where the error happened, for messages; `token` is only used to scrub it out. */
export interface DatabricksErrorContext {
  host?: string;
  port?: number;
  path?: string;
  token?: string;
  catalog?: string;
  schema?: string;
  /** The statement that failed, to show a syntax error's line. */
  sql?: string;
  statementTimeoutMs?: number;
}

interface RawError {
  name?: string;
  message?: string;
  code?: string | number;
  /** THTTPException: the transport's HTTP status. */
  statusCode?: number;
  /** OperationStateError: CANCELED, CLOSED, ERROR, TIMEOUT, UNKNOWN. */
  errorCode?: string;
  /** OperationStateError: the TGetOperationStatusResp that ended the operation. */
  response?: {
    errorMessage?: string | null;
    displayMessage?: string | null;
    sqlState?: string | null;
    errorCode?: number | null;
  };
  /** RetryError: the error or response of the last attempt. */
  payload?: unknown;
  cause?: unknown;
  type?: string;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

const CONNECTION_LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

/** The seconds a timeout message names, when known. */
function timeoutText(ctx: DatabricksErrorContext): string {
  const seconds = ctx.statementTimeoutMs ? ` (${Math.max(1, Math.round(ctx.statementTimeoutMs / 1000))} s)` : '';
  return `Query cancelled: it ran longer than the statement timeout${seconds}. Narrow the query or raise the timeout (syncLogs.queryTimeoutSeconds).`;
}

/** The QueryCancelledError for a statement stopped by the timeout. */
export function timeoutError(ctx: DatabricksErrorContext = {}): QueryCancelledError {
  return new QueryCancelledError(timeoutText(ctx));
}

/** Maps anything the Databricks driver throws to a WarehouseError, or QueryCancelledError for a cancel or timeout. */
export function toDatabricksError(
  err: unknown,
  ctx: DatabricksErrorContext = {},
): WarehouseError | QueryCancelledError {
  if (err instanceof WarehouseError || err instanceof QueryCancelledError) return err;
  let raw = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as RawError;
  // The driver's retry loop wraps the last failure; the failure says why.
  if (raw.payload && typeof raw.payload === 'object' && /retry/i.test(raw.message ?? '')) {
    const payload = raw.payload as RawError & { response?: unknown };
    raw = 'statusCode' in payload || 'code' in payload || 'message' in payload ? payload : raw;
  }
  const code = nodeCode(raw);
  const where = describeServer(ctx);
  const scrub = (text: string) => redactSecret(text, ctx.token);
  const make = (message: string, errCode = code, lost = false, authFailed = false) =>
    new WarehouseError(scrub(message), errCode, lost, err, authFailed);

  if (raw.statusCode !== undefined) return httpError(raw.statusCode, ctx, make);

  if (raw.errorCode === 'CANCELED') return new QueryCancelledError();
  if (raw.errorCode === 'TIMEOUT') return timeoutError(ctx);
  if (raw.errorCode === 'CLOSED') return make('The query was closed before it finished. Run it again.', 'CLOSED');

  if (code && TLS_CODES.has(code)) {
    return make(
      `The TLS certificate of ${where} could not be verified (${code}). Check the host name; if your network inspects TLS, ` +
        'give VS Code your company CA (the NODE_EXTRA_CA_CERTS environment variable) rather than turning checks off.',
    );
  }
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make(
        `Cannot find the host "${ctx.host ?? '?'}" (name lookup failed). Check the server hostname (from the SQL warehouse's Connection details), and your network or VPN.`,
      );
    case 'ECONNREFUSED':
      return make(
        `Connection refused by ${where}. Check the server hostname and port, and that no firewall or proxy blocks HTTPS to it.`,
      );
    case 'ETIMEDOUT':
      return make(
        `Timed out connecting to ${where}. Check the server hostname and port, and your network, VPN or firewall.`,
      );
  }

  const serverText = firstText(raw.response?.displayMessage, raw.response?.errorMessage, raw.message) ?? String(err);
  const sqlState = raw.response?.sqlState ?? sqlStateIn(serverText);
  const errorClass = /\[([A-Z][A-Z0-9_]+)(?:\.[A-Z0-9_]+)?\]/.exec(serverText)?.[1];
  const summary = stripPosition(firstLine(serverText));
  const stateText = sqlState ? ` (SQLSTATE ${sqlState})` : '';
  const classCode = errorClass ?? sqlState ?? code;

  if (
    (code && CONNECTION_LOST_CODES.has(code)) ||
    /socket hang up|premature close|ECONNRESET|network timeout/i.test(serverText)
  ) {
    return make(
      `The connection to ${where} was lost (${summary}). The query did not finish; the next query reconnects automatically.`,
      code ?? 'ECONNRESET',
      true,
    );
  }
  if (/invalid (SessionHandle|OperationHandle)|session.*(expired|not found|closed)/i.test(serverText)) {
    return make(
      `The Databricks session on ${where} has expired or was closed (${summary}). The next query opens a new session.`,
      classCode,
      true,
    );
  }
  switch (errorClass) {
    case 'QUERY_EXECUTION_TIMEOUT_EXCEEDED':
      return timeoutError(ctx);
    case 'TABLE_OR_VIEW_NOT_FOUND':
    case 'SCHEMA_NOT_FOUND':
    case 'CATALOG_NOT_FOUND':
      return make(
        `${summary}${stateText}. Check the catalog and schema (the syncLogs.schema setting${namespace(ctx)}) and that warehouse sync logs are enabled for your syncs.`,
        classCode,
      );
    case 'PARSE_SYNTAX_ERROR':
      return make(`${summary}${positionText(serverText, ctx.sql)}${stateText}.`, classCode);
    case 'INSUFFICIENT_PERMISSIONS':
      return make(
        `${summary}${stateText}. Ask an administrator to grant you USE CATALOG on the catalog, USE SCHEMA on the schema and SELECT on the sync log tables.`,
        classCode,
      );
    case 'UNRESOLVED_COLUMN':
      return make(
        `${summary}${stateText}. Columns differ between deployments: check information_schema.columns for this table.`,
        classCode,
      );
  }
  if (sqlState === '42601') return make(`${summary}${positionText(serverText, ctx.sql)}${stateText}.`, classCode);
  if (sqlState === '42P01')
    return make(
      `${summary}${stateText}. Check the catalog and schema (the syncLogs.schema setting) and that warehouse sync logs are enabled for your syncs.`,
      classCode,
    );
  return make(`${capitalize(summary)}${stateText}.`.replace(/\.\.$/, '.'), classCode);
}

function httpError(
  status: number,
  ctx: DatabricksErrorContext,
  make: (message: string, code?: string, lost?: boolean, authFailed?: boolean) => WarehouseError,
): WarehouseError {
  const where = describeServer(ctx);
  const code = `HTTP_${status}`;
  switch (status) {
    case 401:
      return make(
        `Databricks refused the token on ${where} (HTTP 401). It may be mistyped, expired or revoked: create a new personal access token (or sign in again) and reconnect.`,
        code,
        false,
        true,
      );
    case 403:
      return make(
        `Databricks refused the token on ${where} (HTTP 403). The token may be expired or revoked, or its user may not be allowed to use this SQL warehouse (ask an administrator for CAN USE). Reconnect with a valid token.`,
        code,
        false,
        true,
      );
    case 404:
      return make(
        `No SQL warehouse answers at HTTP path "${ctx.path ?? '?'}" on ${ctx.host ?? '?'} (HTTP 404). Copy the HTTP path from the warehouse's Connection details.`,
        code,
      );
    case 429:
      return make(`Databricks is rate-limiting requests from ${where} (HTTP 429). Wait a moment and try again.`, code);
    case 502:
    case 503:
    case 504:
      return make(
        `The SQL warehouse on ${where} is not available right now (HTTP ${status}); it may be starting or stopping. Try again in a minute.`,
        code,
        true,
      );
    default:
      return make(
        `Databricks answered HTTP ${status} on ${where}. Check the server hostname and HTTP path.`,
        code,
        status >= 500,
      );
  }
}

/** Node and node-fetch put the system error code on the error or its cause. */
function nodeCode(raw: RawError): string | undefined {
  if (typeof raw.code === 'string') return raw.code;
  const cause = raw.cause as RawError | undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  const errno = (raw as { errno?: unknown }).errno;
  return typeof errno === 'string' ? errno : undefined;
}

function firstText(...texts: Array<string | null | undefined>): string | undefined {
  return texts.find((t): t is string => typeof t === 'string' && t.trim() !== '');
}

/** The first line of a server message: Databricks appends the statement and a caret below it. */
function firstLine(text: string): string {
  return text.split('\n')[0].trim().replace(/\.$/, '');
}

function sqlStateIn(text: string): string | undefined {
  return /SQLSTATE:?\s*([0-9A-Z]{5})/.exec(text)?.[1];
}

/** Databricks reports `(line 1, pos 7)` with pos counted from 0; people count columns from 1. */
function positionText(text: string, sql: string | undefined): string {
  const m = /line (\d+),? pos(?:ition)? (\d+)/i.exec(text);
  if (!m) return '';
  const line = Number(m[1]);
  const column = Number(m[2]) + 1;
  const source = sql?.split('\n')[line - 1];
  const near = source !== undefined ? `: ${source.trim().slice(0, 80)}` : '';
  return ` at line ${line}, column ${column}${near}`;
}

/** Drops what the message repeats elsewhere: `SQLSTATE: 42P01`, `line 1 pos 14`. */
function stripPosition(text: string): string {
  return text
    .replace(/[;,]?\s*\(?line \d+,? pos(?:ition)? \d+\)?/i, '')
    .replace(/\s*SQLSTATE:?\s*[0-9A-Z]{5}[.;]?/, '')
    .replace(/[\s.;,]+$/, '');
}

function namespace(ctx: DatabricksErrorContext): string {
  if (!ctx.catalog && !ctx.schema) return '';
  return `; the session starts in ${[ctx.catalog, ctx.schema].filter(Boolean).join('.')}`;
}

function describeServer(ctx: DatabricksErrorContext): string {
  return `${ctx.host ?? '?'}${ctx.port && ctx.port !== 443 ? `:${ctx.port}` : ''}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
