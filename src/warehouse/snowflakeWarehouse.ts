import type { Readable } from 'node:stream';
import type { Binds, Connection, ConnectionOptions, RowStatement, SnowflakeLogger } from 'snowflake-sdk';
import type { QueryResult, ResultColumn } from '../shared/queryResult';
import { snowflakeDialect } from '../sql/dialects/snowflake';
import { QueryCancelledError, type QueryOptions, type Warehouse } from './warehouse';
import { WarehouseError } from './warehouseError';
import { timeoutMessage, toSnowflakeError, type SnowflakeErrorContext } from './snowflakeErrors';
import {
  normalizeSnowflakeCell,
  snowflakeColumnName,
  snowflakeTypeName,
  type SnowflakeColumnMeta,
} from './snowflakeTypes';

export interface SnowflakeConfig {
  account: string; // e.g. "myorg-myaccount"
  username: string;
  auth: 'password' | 'keyPair' | 'oauthToken';
  password?: string; // auth=password
  privateKey?: string; // auth=keyPair: PEM text (PKCS#8)
  privateKeyPassphrase?: string;
  token?: string; // auth=oauthToken
  warehouse?: string;
  role?: string;
  database?: string;
  schema?: string;
  /** Overrides https://<account>.snowflakecomputing.com; tests use http://127.0.0.1:PORT. */
  accessUrl?: string;
}

export interface SnowflakeOpenOptions {
  /** Sent as STATEMENT_TIMEOUT_IN_SECONDS with every statement, and enforced by a client timer too. */
  statementTimeoutMs?: number;
}

type SnowflakeSdk = typeof import('snowflake-sdk');

/** How long to wait for Snowflake to acknowledge a cancel before giving up on the statement anyway. */
const CANCEL_GRACE_MS = 2000;

/** Login attempts on network errors: the driver's default (7, with back-off) keeps a bad host busy for minutes. */
const LOGIN_RETRIES = 2;

const SILENT_LOGGER: SnowflakeLogger = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

let driver: SnowflakeSdk | undefined;

/**
 * Loads snowflake-sdk once (about 0.5 s, with a native part), quiet: its default logger writes
 * snowflake.log into the working directory and to the console, and at load time it probes cloud
 * metadata addresses (169.254.169.254, metadata.google.internal) for its telemetry unless told not to.
 * `require`, not `import()`: the package is CommonJS, and the bundle keeps it external.
 */
function loadDriver(): SnowflakeSdk {
  if (driver) return driver;
  process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
  let sdk: SnowflakeSdk;
  try {
    sdk = require('snowflake-sdk') as SnowflakeSdk;
  } catch (err) {
    throw new WarehouseError(
      `The Snowflake driver (snowflake-sdk) could not be loaded: ${err instanceof Error ? err.message : String(err)}. Reinstall the extension.`,
      'DRIVER_MISSING',
      false,
      err,
    );
  }
  sdk.configure({ logLevel: 'OFF', customLogger: SILENT_LOGGER, additionalLogToConsole: false });
  driver = sdk;
  return sdk;
}

/**
 * Opens a Snowflake session. The login happens here, so a wrong password, key or token fails now
 * (authFailed) rather than on the first query.
 */
export async function openSnowflakeWarehouse(
  config: SnowflakeConfig,
  options: SnowflakeOpenOptions = {},
): Promise<Warehouse> {
  const sdk = loadDriver();
  const ctx = errorContext(config, options.statementTimeoutMs);
  const connect = () => connectSession(sdk, config, ctx);
  return new SnowflakeWarehouse(await connect(), connect, ctx, options.statementTimeoutMs);
}

async function connectSession(
  sdk: SnowflakeSdk,
  config: SnowflakeConfig,
  ctx: SnowflakeErrorContext,
): Promise<Connection> {
  let connection: Connection;
  try {
    connection = sdk.createConnection(connectionOptions(config));
  } catch (err) {
    // The driver validates options synchronously: a malformed account or a key that is not PEM.
    throw toSnowflakeError(err, ctx);
  }
  // connectAsync() without a callback resolves even when the login is refused, so use connect(callback).
  await new Promise<void>((resolve, reject) => {
    connection.connect((err) => (err ? reject(toSnowflakeError(err, ctx)) : resolve()));
  });
  return connection;
}

function connectionOptions(config: SnowflakeConfig): ConnectionOptions {
  const base: ConnectionOptions = {
    account: config.account,
    username: config.username,
    accessUrl: config.accessUrl,
    warehouse: config.warehouse,
    role: config.role,
    database: config.database,
    schema: config.schema,
    // Otherwise a NULL fetched as text arrives as the string "NULL".
    representNullAsStringNull: false,
    sfRetryMaxLoginRetries: LOGIN_RETRIES,
  };
  switch (config.auth) {
    case 'keyPair':
      return {
        ...base,
        authenticator: 'SNOWFLAKE_JWT',
        privateKey: config.privateKey,
        privateKeyPass: config.privateKeyPassphrase,
      };
    case 'oauthToken':
      return { ...base, authenticator: 'OAUTH', token: config.token };
    default:
      return { ...base, authenticator: 'SNOWFLAKE', password: config.password };
  }
}

class SnowflakeWarehouse implements Warehouse {
  readonly kind = 'snowflake' as const;
  readonly dialect = snowflakeDialect;
  /** Set when the session died; the next query logs in again. */
  private stale = false;
  private reconnecting: Promise<Connection> | undefined;

  constructor(
    private connection: Connection,
    private readonly connect: () => Promise<Connection>,
    private readonly ctx: SnowflakeErrorContext,
    private readonly statementTimeoutMs: number | undefined,
  ) {}

  /**
   * Snowflake has no read-only transaction or session mode, so `readOnly` is not enforced here;
   * the role's grants are what keep the extension's queries from writing.
   */
  async query(sql: string, values: readonly unknown[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    if (options.signal?.aborted) throw new QueryCancelledError();
    const started = performance.now();
    const connection = await this.session();
    try {
      const result = await this.run(connection, sql, values, options);
      return { ...result, elapsedMs: Math.round(performance.now() - started) };
    } catch (err) {
      if (err instanceof WarehouseError && err.connectionLost) this.stale = true;
      throw err;
    }
  }

  private async session(): Promise<Connection> {
    if (!this.stale) return this.connection;
    this.reconnecting ??= this.connect().then(
      (fresh) => {
        const old = this.connection;
        this.connection = fresh;
        this.stale = false;
        this.reconnecting = undefined;
        old.destroy(() => undefined);
        return fresh;
      },
      (err) => {
        this.reconnecting = undefined;
        throw err;
      },
    );
    return this.reconnecting;
  }

  /**
   * Runs one statement and streams at most maxRows rows of it. The row count comes from the
   * result's header (`returned`), so rows past the cap are counted without being downloaded:
   * the driver only fetches the result chunks that overlap the rows we keep.
   */
  private run(
    connection: Connection,
    sql: string,
    values: readonly unknown[],
    options: QueryOptions,
  ): Promise<Omit<QueryResult, 'elapsedMs'>> {
    const { signal } = options;
    const maxRows = Math.max(0, options.maxRows ?? Number.POSITIVE_INFINITY);
    const timeoutMs = this.statementTimeoutMs;
    const ctx = this.ctx;

    return new Promise((resolve, reject) => {
      let settled = false;
      let cancelling: 'user' | 'timeout' | undefined;
      let statement: RowStatement | undefined;
      let stream: Readable | undefined;
      let graceTimer: NodeJS.Timeout | undefined;
      let timeoutTimer: NodeJS.Timeout | undefined;

      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(graceTimer);
        clearTimeout(timeoutTimer);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const cancelledError = () =>
        cancelling === 'timeout'
          ? new QueryCancelledError(timeoutMessage(timeoutMs ? ` (${Math.round(timeoutMs / 1000)} s)` : ''))
          : new QueryCancelledError();
      const cancel = (why: 'user' | 'timeout') => {
        if (cancelling || settled) return;
        cancelling = why;
        if (stream) {
          // The statement has finished; only the download of its rows is left to stop.
          stream.destroy();
          return finish(() => reject(cancelledError()));
        }
        try {
          statement?.cancel(() => undefined);
        } catch {
          // Nothing to cancel yet: the grace timer below still settles the query.
        }
        graceTimer = setTimeout(() => finish(() => reject(cancelledError())), CANCEL_GRACE_MS);
      };
      const onAbort = () => cancel('user');
      const fail = (err: unknown) =>
        finish(() => {
          if (cancelling) return reject(cancelledError());
          reject(toSnowflakeError(err, ctx));
        });

      const onComplete = (err: unknown, stmt: RowStatement) => {
        if (settled) return;
        if (err) return fail(err);
        if (cancelling) return finish(() => reject(cancelledError()));
        const meta: SnowflakeColumnMeta[] = (stmt.getColumns() ?? []).map((c) => ({
          name: c.getName(),
          type: c.getType(),
          scale: c.getScale(),
        }));
        const columns: ResultColumn[] = meta.map((c) => ({
          name: snowflakeColumnName(c.name),
          type: snowflakeTypeName(c.type),
        }));
        const total = Number(stmt.getNumRows() ?? 0);
        const keep = Math.min(total, maxRows);
        const rows: unknown[][] = [];
        const done = () =>
          finish(() =>
            resolve({ columns, rows, rowCount: Math.max(total, rows.length), truncated: total > rows.length }),
          );
        if (keep <= 0) return done();
        const rowStream = stmt.streamRows({ start: 0, end: keep - 1 });
        stream = rowStream;
        rowStream.on('data', (row: unknown[]) => {
          rows.push(row.map((cell, i) => normalizeSnowflakeCell(cell, meta[i])));
        });
        rowStream.on('error', fail);
        rowStream.on('end', done);
      };

      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs && timeoutMs > 0) timeoutTimer = setTimeout(() => cancel('timeout'), timeoutMs);
      try {
        statement = connection.execute({
          sqlText: sql,
          binds: values.length ? (values.map(toBind) as Binds) : undefined,
          streamResult: true,
          rowMode: 'array',
          // Exact text for numbers and VARIANTs; snowflakeTypes turns them into JSON values.
          fetchAsString: ['Number', 'JSON'],
          parameters:
            timeoutMs && timeoutMs > 0 ? { STATEMENT_TIMEOUT_IN_SECONDS: Math.ceil(timeoutMs / 1000) } : undefined,
          complete: (err, stmt) => onComplete(err, stmt as RowStatement),
        }) as RowStatement;
      } catch (err) {
        // The driver checks options synchronously (e.g. an unsupported bind value).
        fail(err);
      }
    });
  }

  async close(): Promise<void> {
    const connection = this.connection;
    // Logging out deletes the session on the server; a session that is already gone needs nothing.
    await new Promise<void>((resolve) => {
      try {
        connection.destroy(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}

/** snowflake-sdk binds strings, numbers, booleans and null (objects as VARIANT); JSON cannot carry bigint. */
function toBind(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return value;
}

function errorContext(config: SnowflakeConfig, statementTimeoutMs: number | undefined): SnowflakeErrorContext {
  let host: string | undefined;
  try {
    host = config.accessUrl ? new URL(config.accessUrl).host : undefined;
  } catch {
    host = config.accessUrl;
  }
  return {
    account: config.account,
    user: config.username,
    host,
    role: config.role,
    warehouse: config.warehouse,
    database: config.database,
    schema: config.schema,
    auth: config.auth,
    secrets: [config.password, config.token, config.privateKey, config.privateKeyPassphrase],
    statementTimeoutMs,
  };
}
