import { QueryCancelledError } from '../warehouse';
import { WarehouseError } from '../warehouseError';

export { WarehouseError };

/**
 * Turns driver and server errors (pg and PGlite share SQLSTATEs) into messages that say what
 * went wrong and what to do. Pure: no driver import. Messages never carry the password.
 */

/** Where the error happened, for messages; `password` is only used to scrub it out. */
export interface PgErrorContext {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  /** The statement that failed, to turn a character position into line:column. */
  sql?: string;
  statementTimeoutMs?: number;
}

interface RawError {
  code?: string;
  message?: string;
  hint?: string;
  detail?: string;
  position?: string | number;
  errors?: RawError[];
}

const CONNECTION_LOST_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', 'ECONNRESET', 'EPIPE']);

/** Maps anything a Postgres driver throws to a WarehouseError, or QueryCancelledError for 57014. */
export function toWarehouseError(err: unknown, ctx: PgErrorContext = {}): WarehouseError | QueryCancelledError {
  if (err instanceof WarehouseError || err instanceof QueryCancelledError) return err;
  const raw = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as RawError;
  // Node reports a failed connect to every address of a host as an AggregateError: its first part says why.
  const first = !raw.code && raw.errors?.length ? raw.errors[0] : raw;
  const code = first.code ?? raw.code;
  const serverMessage = first.message || raw.message || String(err);
  const where = describeServer(ctx);
  const scrub = (text: string) => redactSecret(text, ctx.password);
  const make = (message: string, lost = false) => new WarehouseError(scrub(message), code, lost, err, code === '28P01');
  const hint = first.hint ? ` Hint: ${first.hint}` : '';

  switch (code) {
    case '57014': {
      const timedOut = /statement timeout/i.test(serverMessage);
      const seconds = ctx.statementTimeoutMs ? ` (${Math.round(ctx.statementTimeoutMs / 1000)} s)` : '';
      const cancelled = new QueryCancelledError(
        timedOut
          ? `Query cancelled: it ran longer than the statement timeout${seconds}. Narrow the query or raise the timeout (syncLogs.queryTimeoutSeconds).`
          : 'Query cancelled.',
      );
      return Object.assign(cancelled, { code });
    }
    case '28P01':
      return make(
        `Password authentication failed for user "${ctx.user ?? '?'}" on ${where}. Check the user name and password.`,
      );
    case '28000':
      return make(
        `The server refused the connection on ${where}: ${serverMessage}. Ask its administrator to allow this user and address (pg_hba.conf), or try another SSL mode.`,
      );
    case '3D000':
      return make(`Database "${ctx.database ?? '?'}" does not exist on ${where}. Check the database name.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make(
        `Cannot find the host "${ctx.host ?? '?'}" (name lookup failed). Check the host name, and your network or VPN.`,
      );
    case 'ECONNREFUSED':
      return make(
        `Connection refused by ${where}. Check that the server is running and listening on that host and port, and that no firewall blocks it.`,
      );
    case 'ETIMEDOUT':
      return make(`Timed out connecting to ${where}. Check the host and port, and your network, VPN or firewall.`);
    case '42P01':
      return make(
        `${capitalize(serverMessage)} (42P01). Check the schema name (the syncLogs.schema setting) and that warehouse sync logs are enabled for your syncs.${hint}`,
      );
    case '3F000':
      return make(
        `${capitalize(serverMessage)} (3F000). Check the schema name (the syncLogs.schema setting); Hightouch writes sync logs to hightouch_audit unless configured otherwise.`,
      );
    case '42703':
      return make(describeMissingColumn(serverMessage, first.hint, positionText(first.position, ctx.sql)));
    case '42501':
      return make(
        `${capitalize(serverMessage)} (42501). Ask an administrator to grant user "${ctx.user ?? '?'}" USAGE on the schema and SELECT on its tables.`,
      );
    case '25006':
      return make(
        `${capitalize(serverMessage)} (25006). This query runs read-only: it may read the sync logs but not change anything.`,
      );
    case '42601':
      return make(`${capitalize(serverMessage)}${positionText(first.position, ctx.sql)} (42601).${hint}`);
  }
  if (
    (code && CONNECTION_LOST_CODES.has(code)) ||
    /Connection terminated|connection closed|socket hang up/i.test(serverMessage)
  ) {
    return make(
      `The connection to ${where} was lost (${serverMessage}). The query did not finish; the next query reconnects automatically.`,
      true,
    );
  }
  if (/timeout expired|connection timeout/i.test(serverMessage)) {
    return make(`Timed out connecting to ${where}. Check the host and port, and your network, VPN or firewall.`);
  }
  if (/SASL|password must be a string/i.test(serverMessage)) {
    return make(`The server on ${where} asks for a password, and none was given for user "${ctx.user ?? '?'}".`);
  }
  const detail = first.detail ? ` Detail: ${first.detail}` : '';
  const sqlstate = code ? ` (${code})` : '';
  return make(
    `${capitalize(serverMessage)}${positionText(first.position, ctx.sql)}${sqlstate}.${detail}${hint}`.replace(
      /\.\.(\s|$)/g,
      '.$1',
    ),
  );
}

function describeMissingColumn(message: string, hint?: string, at = ''): string {
  const name = /column "?([^"]+?)"? does not exist/.exec(message)?.[1];
  const what = name ? `Unknown column "${name}"${at}` : `${capitalize(message)}${at}`;
  const known =
    name && /(^|\.)failed_reason$/.test(name)
      ? ' The column is named failure_reason (the vendor page calls it failed_reason).'
      : ' Columns differ between deployments: check information_schema.columns for this table.';
  return `${what} (42703).${hint ? ` Hint: ${hint}` : ''}${known}`;
}

/** ` at line L, column C` from a 1-based character position into the statement. */
function positionText(position: string | number | undefined, sql: string | undefined): string {
  const pos = Number(position);
  if (!Number.isInteger(pos) || pos < 1) return '';
  if (sql === undefined) return ` at character ${pos}`;
  const before = sql.slice(0, pos - 1).split('\n');
  return ` at line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function describeServer(ctx: PgErrorContext): string {
  const host = ctx.host ?? 'localhost';
  const port = ctx.port ?? 5432;
  return ctx.database ? `${host}:${port} (database "${ctx.database}")` : `${host}:${port}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Removes a password from text: the literal secret, and the password part of any URL.
 * Very short secrets are only removed from URLs, where they cannot be confused with ordinary words.
 */
export function redactSecret(text: string, password?: string): string {
  let out = redactUrls(text);
  if (password && password.length >= 4) out = out.split(password).join('***');
  return out;
}

/** `postgres://user:secret@host/db` -> `postgres://user:***@host/db`; `password=secret` -> `password=***`. */
export function redactUrls(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):[^@\s/]*@/gi, '$1:***@')
    .replace(/\b(password\s*=\s*)('[^']*'|[^\s&]+)/gi, '$1***');
}
