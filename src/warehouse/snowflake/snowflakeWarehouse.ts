import type { Readable } from 'node:stream';
import type * as SnowflakeSdkModule from 'snowflake-sdk';
import type { Binds, Connection, ConnectionOptions, RowStatement, SnowflakeLogger } from 'snowflake-sdk';
import type { QueryResult, ResultColumn } from '../../shared/queryResult';
import { snowflakeDialect } from '../../sql/dialects/snowflake';
import {
  QueryCancelledError,
  type QueryOptions,
  type RowBatch,
  type StreamOptions,
  type Warehouse,
} from '../warehouse';
import { WarehouseError } from '../warehouseError';
import { CancellableRun, runCancellable, type CancellableRunOptions } from '../cancellableRun';
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
  /** A stream fails when no rows arrive for this long (default RESULT_STALL_MS; tests shorten it). */
  resultStallMs?: number;
}

type SnowflakeSdk = typeof SnowflakeSdkModule;

/** Login attempts on network errors: the driver's default (7, with back-off) keeps a bad host busy for minutes. */
const LOGIN_RETRIES = 2;

/** Rows per streamed batch (the driver downloads whole chunks, of about 100k to a few MB, underneath). */
const STREAM_BATCH_ROWS = 5_000;

/**
 * A chunk download that fails is retried by the driver 10 times with back-off up to 16 s (about two
 * minutes, and not configurable): a stream gives up when no rows arrive for this long instead.
 */
const RESULT_STALL_MS = 30_000;

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
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS with a native part, loaded on first use
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
  return new SnowflakeWarehouse(
    await connect(),
    connect,
    ctx,
    options.statementTimeoutMs,
    options.resultStallMs ?? RESULT_STALL_MS,
  );
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
    private readonly resultStallMs: number,
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

  /**
   * Every row of one statement, batch by batch as the consumer asks. The statement runs to its
   * end in Snowflake (its result is kept there as chunks); the driver then downloads the chunks
   * as rows are read, a few ahead (resultPrefetch), and stops when the consumer stops reading, so
   * the first batch costs the first chunk and breaking off leaves the rest undownloaded.
   */
  async *stream(
    sql: string,
    values: readonly unknown[] = [],
    options: StreamOptions = {},
  ): AsyncGenerator<RowBatch, void, undefined> {
    const { signal } = options;
    const batchRows = Math.max(1, Math.floor(options.batchRows ?? STREAM_BATCH_ROWS));
    if (signal?.aborted) throw new QueryCancelledError();
    const connection = await this.session();
    let statement: RowStatement | undefined;
    let download: Readable | undefined;
    const run = new CancellableRun(
      this.runOptions(
        signal,
        () => statement,
        () => download,
        true,
      ),
    );
    try {
      const stmt = await run.race(
        new Promise<RowStatement>((resolve, reject) => {
          try {
            statement = this.execute(connection, sql, values, (err, done) =>
              err ? reject(toSnowflakeError(err, this.ctx)) : resolve(done),
            );
          } catch (err) {
            reject(toSnowflakeError(err, this.ctx));
          }
        }),
      );
      const meta = columnMeta(stmt);
      const columns = resultColumns(meta);
      if (Number(stmt.getNumRows() ?? 0) === 0) {
        // An empty result still says its columns (a CSV export writes its header).
        yield { columns, rows: [] };
        return;
      }
      const rows = stmt.streamRows();
      download = rows;
      for (;;) {
        const raw = await run.race(withStallLimit(readRows(rows, batchRows), this.resultStallMs));
        if (raw === undefined) return;
        yield { columns, rows: raw.map((row) => row.map((cell, i) => normalizeSnowflakeCell(cell, meta[i]))) };
      }
    } catch (err) {
      if (err instanceof WarehouseError && err.connectionLost) this.stale = true;
      throw (
        run.reason ??
        (err instanceof QueryCancelledError || err instanceof WarehouseError ? err : toSnowflakeError(err, this.ctx))
      );
    } finally {
      run.dispose();
      // Stopped early, or failed: no more chunks are downloaded.
      download?.destroy();
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
    const maxRows = Math.max(0, options.maxRows ?? Number.POSITIVE_INFINITY);
    const ctx = this.ctx;
    let statement: RowStatement | undefined;
    let download: Readable | undefined;
    return runCancellable(
      this.runOptions(
        options.signal,
        () => statement,
        () => download,
      ),
      () =>
        new Promise((resolve, reject) => {
          const onComplete = (err: unknown, stmt: RowStatement) => {
            if (err) return reject(toSnowflakeError(err, ctx));
            const meta = columnMeta(stmt);
            const columns = resultColumns(meta);
            const total = Number(stmt.getNumRows() ?? 0);
            const keep = Math.min(total, maxRows);
            const rows: unknown[][] = [];
            const done = () =>
              resolve({ columns, rows, rowCount: Math.max(total, rows.length), truncated: total > rows.length });
            if (keep <= 0) return done();
            const rowStream = stmt.streamRows({ start: 0, end: keep - 1 });
            download = rowStream;
            rowStream.on('data', (row: unknown[]) => {
              rows.push(row.map((cell, i) => normalizeSnowflakeCell(cell, meta[i])));
            });
            rowStream.on('error', (e) => reject(toSnowflakeError(e, ctx)));
            rowStream.on('end', done);
          };
          try {
            statement = this.execute(connection, sql, values, (err, stmt) => onComplete(err, stmt));
          } catch (err) {
            // The driver checks options synchronously (e.g. an unsupported bind value).
            reject(toSnowflakeError(err, ctx));
          }
        }),
    );
  }

  /** How a statement stops: a running one is cancelled in Snowflake; one whose rows are downloading just stops reading. */
  private runOptions(
    signal: AbortSignal | undefined,
    statement: () => RowStatement | undefined,
    download: () => Readable | undefined,
    streaming = false,
  ): CancellableRunOptions {
    const timeoutMs = this.statementTimeoutMs;
    return {
      signal,
      timeoutMs,
      timeoutError: () =>
        new QueryCancelledError(timeoutMessage(timeoutMs ? ` (${Math.round(timeoutMs / 1000)} s)` : '')),
      cancel: () => {
        const rows = download();
        if (rows) {
          // The statement has finished; only the download of its rows is left to stop.
          rows.destroy();
          // A stream also tells Snowflake, which drops nothing but sees that the reader has gone.
          if (streaming) statement()?.cancel(() => undefined);
          return Promise.resolve();
        }
        statement()?.cancel(() => undefined);
      },
    };
  }

  private execute(
    connection: Connection,
    sql: string,
    values: readonly unknown[],
    complete: (err: unknown, stmt: RowStatement) => void,
  ): RowStatement {
    const timeoutMs = this.statementTimeoutMs;
    return connection.execute({
      sqlText: sql,
      binds: values.length ? (values.map(toBind) as Binds) : undefined,
      streamResult: true,
      rowMode: 'array',
      // Exact text for numbers and VARIANTs; snowflakeTypes turns them into JSON values.
      fetchAsString: ['Number', 'JSON'],
      parameters:
        timeoutMs && timeoutMs > 0 ? { STATEMENT_TIMEOUT_IN_SECONDS: Math.ceil(timeoutMs / 1000) } : undefined,
      complete: (err, stmt) => complete(err, stmt as RowStatement),
    }) as RowStatement;
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

/**
 * Up to `max` rows from the driver's row stream, or undefined at its end. Reading in batches
 * (not a promise per row) keeps a million-row stream cheap; the stream's buffer holds the rest.
 */
function readRows(stream: Readable, max: number): Promise<unknown[][] | undefined> {
  return new Promise((resolve, reject) => {
    const out: unknown[][] = [];
    const finish = (value: unknown[][] | undefined) => {
      stream.off('readable', pull);
      stream.off('end', onEnd);
      stream.off('error', onError);
      resolve(value);
    };
    const onEnd = () => finish(out.length ? out : undefined);
    const onError = (err: unknown) => {
      stream.off('readable', pull);
      stream.off('end', onEnd);
      stream.off('error', onError);
      reject(err);
    };
    function pull() {
      let row: unknown[] | null;
      while (out.length < max && (row = stream.read() as unknown[] | null) !== null) out.push(row);
      if (out.length >= max) finish(out);
      else if (stream.readableEnded) onEnd();
    }
    stream.on('readable', pull);
    stream.on('end', onEnd);
    stream.on('error', onError);
    pull();
  });
}

/** The read, or a WarehouseError when it has made no progress for `ms`. */
function withStallLimit<T>(read: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new WarehouseError(
            `Snowflake stopped sending the result: no rows arrived for ${Math.round(ms / 1000)} s while its chunks were downloading (the connection may have dropped). Run the statement again.`,
            'RESULT_STALLED',
          ),
        ),
      ms,
    );
  });
  return Promise.race([read, stalled]).finally(() => clearTimeout(timer));
}

function columnMeta(stmt: RowStatement): SnowflakeColumnMeta[] {
  return (stmt.getColumns() ?? []).map((c) => ({ name: c.getName(), type: c.getType(), scale: c.getScale() }));
}

function resultColumns(meta: SnowflakeColumnMeta[]): ResultColumn[] {
  return meta.map((c) => ({ name: snowflakeColumnName(c.name), type: snowflakeTypeName(c.type) }));
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
