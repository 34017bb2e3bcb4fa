import { QueryCancelledError } from '../warehouse';
import { WarehouseError } from '../warehouseError';
import { redactSecret } from '../postgres/pgErrors';

/**
 * Turns what snowflake-sdk reports (server errors carry Snowflake's six-digit code and a SQLSTATE;
 * client errors a 40xxxx code and Node's error as `cause`) into messages that say what went wrong
 * and what to do. Pure: no driver import. Messages never carry the password, key or token.
 */

export interface SnowflakeErrorContext {
  account?: string;
  user?: string;
  /** The address the driver talks to (accessUrl), for connection messages. */
  host?: string;
  role?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  auth?: 'password' | 'keyPair' | 'oauthToken';
  /** Only used to scrub them out of messages. */
  secrets?: (string | undefined)[];
  statementTimeoutMs?: number;
}

interface RawError {
  code?: string | number;
  sqlState?: string;
  message?: string;
  name?: string;
  cause?: RawError & { code?: string };
  response?: { statusCode?: number; status?: number };
}

/** The driver's own codes (snowflake-sdk error_code.ts) that mean the service could not be reached. */
const NETWORK_CODES = new Set(['401001', '402001']);
const NODE_CONNECTION_LOST = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'ETIMEDOUT',
]);
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO|OCSP/i;

/** Maps anything the Snowflake driver throws to a WarehouseError, or QueryCancelledError for 000604/000630. */
export function toSnowflakeError(err: unknown, ctx: SnowflakeErrorContext = {}): WarehouseError | QueryCancelledError {
  if (err instanceof WarehouseError || err instanceof QueryCancelledError) return err;
  const raw = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as RawError;
  const code = normalizeCode(raw.code);
  const nodeCode = typeof raw.cause?.code === 'string' ? raw.cause.code : undefined;
  const serverMessage = (raw.message || String(err)).trim();
  const scrub = (text: string) =>
    ctx.secrets?.reduce<string>((out, s) => redactSecret(out, s), redactSecret(text)) ?? redactSecret(text);
  const make = (message: string, opts: { lost?: boolean; auth?: boolean; code?: string } = {}) =>
    new WarehouseError(scrub(message), opts.code ?? code ?? nodeCode, opts.lost ?? false, err, opts.auth ?? false);
  const where = describeAccount(ctx);
  const user = ctx.user ?? '?';

  switch (code) {
    case '000604':
      return Object.assign(new QueryCancelledError('Query cancelled.'), { code });
    case '000630': {
      const seconds = ctx.statementTimeoutMs ? ` (${Math.round(ctx.statementTimeoutMs / 1000)} s)` : '';
      return Object.assign(new QueryCancelledError(timeoutMessage(seconds)), { code });
    }
    case '390100':
      return make(
        `Incorrect user name or password for user "${user}" on ${where} (390100). Check the user name and password.`,
        { auth: true },
      );
    case '390144':
    case '394304':
      return make(
        `Snowflake refused the key pair of user "${user}" on ${where} (${code}): ${serverMessage} Check that the public key registered for the user (RSA_PUBLIC_KEY) matches this private key.`,
        { auth: true },
      );
    case '390303':
    case '390318':
    case '390104':
      return make(
        `Snowflake refused the OAuth token for user "${user}" on ${where} (${code}): ${serverMessage} Get a fresh token and connect again.`,
        { auth: true },
      );
    case '390102':
      return make(
        `User "${user}" is temporarily locked on ${where} after failed logins (390102). Wait a few minutes, then check the password.`,
      );
    case '390189':
    case '390190':
      return make(
        `${serverMessage} (${code}). Check the role setting of this connection${ctx.role ? ` ("${ctx.role}")` : ''}, or ask an administrator to grant it to user "${user}".`,
      );
    case '390201':
      return make(
        `${serverMessage} (390201). Check the warehouse, database and schema settings of this connection, and that your role may use them.`,
      );
    case '390111':
    case '390112':
    case '390114':
      return make(
        `The Snowflake session on ${where} has ended (${code}): ${serverMessage} The next query reconnects automatically.`,
        { lost: true },
      );
    case '407002':
      // The driver's own report after the server said the session is gone (390111) and it dropped it.
      return make(
        `The Snowflake session on ${where} has ended, so the query did not run. The next query reconnects automatically.`,
        { lost: true },
      );
    case '002003':
    case '002043':
      return make(
        `${serverMessage} (${code}). Check the schema (syncLogs.schema) and database of this connection, and that warehouse sync logs are enabled for your syncs; if the tables exist, ask an administrator to grant your role USAGE on the database and schema and SELECT on the tables.`,
      );
    case '000904':
      return make(
        `${serverMessage} (000904). Columns differ between deployments: check ${ctx.database ? `${ctx.database}.` : ''}INFORMATION_SCHEMA.COLUMNS for this table.`,
      );
    case '001003':
    case '001007':
      return make(`${serverMessage} (${code}).`);
    case '003001':
      return make(
        `${serverMessage} (003001). Ask an administrator to grant your role USAGE on the database and schema and SELECT on the sync-log tables.`,
      );
    case '000606':
      return make(
        `${serverMessage} (000606). Set a warehouse in this connection's settings, or grant the user a default warehouse.`,
      );
  }

  if (code && NETWORK_CODES.has(code)) {
    const nodeMessage = raw.cause?.message ?? serverMessage;
    if (nodeCode === 'ENOTFOUND' || nodeCode === 'EAI_AGAIN') {
      return make(
        `Cannot find the Snowflake host of ${where} (name lookup failed). Check the account identifier (e.g. myorg-myaccount), and your network or VPN.`,
        { code: nodeCode },
      );
    }
    if (nodeCode === 'ECONNREFUSED') {
      return make(
        `Connection refused by ${where}. Check the account identifier or access URL, and that no firewall or proxy blocks it.`,
        { code: nodeCode },
      );
    }
    if ((nodeCode && TLS_CODES.test(nodeCode)) || /certificate|OCSP/i.test(nodeMessage)) {
      return make(
        `The TLS certificate of ${where} could not be verified (${nodeCode ?? nodeMessage}). Check the account identifier, and any proxy that intercepts HTTPS.`,
        { code: nodeCode },
      );
    }
    return make(
      `The connection to ${where} was lost (${nodeMessage}). The query did not finish; the next query reconnects automatically.`,
      { lost: true, code: nodeCode ?? code },
    );
  }
  if ((nodeCode && NODE_CONNECTION_LOST.has(nodeCode)) || /^08/.test(raw.sqlState ?? '')) {
    return make(
      `The connection to ${where} was lost (${serverMessage}). The query did not finish; the next query reconnects automatically.`,
      { lost: true, code: nodeCode },
    );
  }
  if (code === '401002' || code === '401003') {
    const status = raw.response?.statusCode ?? raw.response?.status;
    if (status === 403 || status === 404) {
      return make(
        `${where} answered HTTP ${status}. Check the account identifier (e.g. myorg-myaccount or xy12345.us-east-1).`,
      );
    }
    return make(
      `${where} answered with an error${status ? ` (HTTP ${status})` : ''}: ${serverMessage}. Try again; if it persists, check Snowflake's status page.`,
    );
  }
  if (code === '404026') {
    return make(
      `The private key of this connection is not a PKCS#8 PEM key ("-----BEGIN PRIVATE KEY-----" or "-----BEGIN ENCRYPTED PRIVATE KEY-----"). Convert it with: openssl pkcs8 -topk8 -in key.pem -out key.p8`,
      { auth: true },
    );
  }
  if (/bad decrypt|passphrase|Unsupported PEM|DECODER routines/i.test(serverMessage)) {
    return make(`The private key could not be read: the passphrase is wrong or the key is not PKCS#8 PEM.`, {
      auth: true,
    });
  }
  const sqlstate = raw.sqlState && raw.sqlState !== code ? `, SQLSTATE ${raw.sqlState}` : '';
  const tag = code ? ` (${code}${sqlstate})` : '';
  return make(`${serverMessage.replace(/\.$/, '')}${tag}.`);
}

/** The message of a query stopped by the statement timeout, the server's or the client's. */
export function timeoutMessage(seconds = ''): string {
  return `Query cancelled: it ran longer than the statement timeout${seconds}. Narrow the query or raise the timeout (syncLogs.queryTimeoutSeconds).`;
}

/** Snowflake sends codes as strings ("002003"); a numeric one has lost its leading zeros. */
function normalizeCode(code: string | number | undefined): string | undefined {
  if (code === undefined || code === null || code === '') return undefined;
  const text = String(code);
  return /^\d{1,5}$/.test(text) ? text.padStart(6, '0') : text;
}

function describeAccount(ctx: SnowflakeErrorContext): string {
  if (ctx.account) return `Snowflake account "${ctx.account}"`;
  return ctx.host ? `Snowflake at ${ctx.host}` : 'Snowflake';
}
