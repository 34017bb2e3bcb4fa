import { connect } from 'node:net';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { SqlSink } from '../../demo/loaderContract';
import type { QueryResult, ResultColumn } from '../../shared/queryResult';
import { postgresDialect, type Dialect } from '../../sql/dialect';
import { redshiftDialect } from '../../sql/dialects/redshift';
import {
  QueryCancelledError,
  type QueryOptions,
  type RowBatch,
  type StreamOptions,
  type Warehouse,
} from '../warehouse';
import {
  normalizeCell,
  normalizeCellKeepingJson,
  pgTypeName,
  PG_SESSION_SETTINGS_SQL,
  REDSHIFT_SESSION_SETTINGS_SQL,
} from './pgTypes';
import { toWarehouseError, WarehouseError, type PgErrorContext } from './pgErrors';
import { CANCEL_GRACE_MS, CancellableRun, runCancellable, type CancellableRunOptions } from '../cancellableRun';

export interface PostgresOpenOptions {
  /** Server-side limit per statement; the server cancels longer statements. */
  statementTimeoutMs?: number;
  /** Connections kept open at most: tree queries run concurrently. */
  poolSize?: number;
  /** Redshift speaks the Postgres protocol; its SQL and session settings differ. */
  flavor?: 'postgres' | 'redshift';
}

// Every value arrives as the server's text and is normalised by pgTypes, the same way as in the demo.
const TEXT_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

/**
 * How the extension's own (read-only) queries begin on Postgres: planner settings that suit them,
 * set with SET LOCAL, so that they end with the transaction and a user's query on the same
 * connection keeps the server's own. Read from pg_settings, so a server without one (JIT came in
 * 11, hash_mem_multiplier in 13) sets the others. Redshift has neither.
 * - No JIT compilation: their plans cost past jit_above_cost on a million-row log, yet they run
 *   for well under a second to a few seconds, and compiling their many CASE expressions cost
 *   more than it saved (the health overview's stuck-row query: 494 against 438 ms at 1M rows).
 * - With `hashGrouping`, hash tables up to 4x work_mem (the default is 2x; a higher server
 *   setting is kept). The breakdown's grouping by (text, row) is estimated at four times its
 *   size, and at 10M rows Postgres sorted 3.2M operations on disk instead of hashing 234k groups
 *   in 86 MB (7.9 against 4.7 s). Not for every query: given the room, the health overview's
 *   stuck-row query hashed the 2.5M-row snapshot instead of the rows it checks (4.4 against 5.0 s).
 */
const readOnlyBegin = (flavor: 'postgres' | 'redshift', hashGrouping: boolean): string =>
  flavor === 'redshift'
    ? 'begin transaction read only'
    : `begin transaction read only;
select set_config(name, case name when 'jit' then 'off' else greatest(setting::float8, 4)::text end, true)
from pg_settings where name in ('jit'${hashGrouping ? ", 'hash_mem_multiplier'" : ''})`;

/** Rows per round trip of a streamed result: about a megabyte of changelog rows. */
const DEFAULT_BATCH_ROWS = 5_000;

/**
 * Opens a small pool on the pg driver. The first connection is made here, so a wrong password,
 * host or database fails now with a clear message rather than on the first query.
 */
export async function openPostgresWarehouse(
  config: pg.ClientConfig,
  options: PostgresOpenOptions = {},
): Promise<Warehouse> {
  const pool = new pg.Pool({
    application_name: 'sync-logs-explorer',
    connectionTimeoutMillis: 15_000,
    ...config,
    types: TEXT_TYPES,
    max: options.poolSize ?? 4,
    idleTimeoutMillis: 60_000,
  });
  // An idle connection that dies (server restart, network) is dropped by the pool; without this listener it would crash the host.
  pool.on('error', () => undefined);
  const warehouse = new PostgresWarehouse(
    pool,
    errorContext(config, options.statementTimeoutMs),
    options.statementTimeoutMs,
    options.flavor ?? 'postgres',
  );
  try {
    const client = await warehouse.acquire();
    client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return warehouse;
}

/** One plain connection for bulk writes; `close` ends it. */
export interface PostgresSink extends SqlSink {
  close(): Promise<void>;
}

/**
 * A single connection for the demo loader (`synclogs demo load`): session state and transactions
 * carry across calls, and `exec` is a simple query, so multi-statement text works.
 */
export async function connectPostgresSink(config: pg.ClientConfig): Promise<PostgresSink> {
  const client = new pg.Client({ application_name: 'synclogs demo load', connectionTimeoutMillis: 15_000, ...config });
  client.on('error', () => undefined);
  const ctx = errorContext(config);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw toWarehouseError(err, ctx);
  }
  const mapErrors = async <T>(sql: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      throw toWarehouseError(err, { ...ctx, sql });
    }
  };
  return {
    query: (sql, values) => mapErrors(sql, () => client.query(sql, values)),
    exec: (sql) => mapErrors(sql, () => client.query(sql)),
    close: () => client.end(),
  };
}

class PostgresWarehouse implements Warehouse {
  readonly kind: 'postgres' | 'redshift';
  readonly dialect: Dialect;
  private readonly prepared = new WeakSet<pg.PoolClient>();
  private readonly sessionSql: string;

  constructor(
    private readonly pool: pg.Pool,
    private readonly ctx: PgErrorContext,
    private readonly statementTimeoutMs: number | undefined,
    flavor: 'postgres' | 'redshift',
  ) {
    this.kind = flavor;
    this.dialect = flavor === 'redshift' ? redshiftDialect : postgresDialect;
    this.sessionSql = flavor === 'redshift' ? REDSHIFT_SESSION_SETTINGS_SQL : PG_SESSION_SETTINGS_SQL;
  }

  /** A pooled connection with this adapter's session settings applied (once per connection). */
  async acquire(): Promise<pg.PoolClient> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw toWarehouseError(err, this.ctx);
    }
    if (!this.prepared.has(client)) {
      // A checked-out client that loses its socket emits 'error'; the failing query reports it instead.
      client.on('error', () => undefined);
      try {
        await client.query(
          `${this.sessionSql}; set statement_timeout = ${Math.max(0, Math.floor(this.statementTimeoutMs ?? 0))}`,
        );
      } catch (err) {
        client.release(true);
        throw toWarehouseError(err, this.ctx);
      }
      this.prepared.add(client);
    }
    return client;
  }

  async query(sql: string, values: readonly unknown[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    const { signal, readOnly, hashGrouping } = options;
    const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
    if (signal?.aborted) throw new QueryCancelledError();
    const started = performance.now();
    const client = await this.acquire();
    let discard = false;
    try {
      if (signal?.aborted) throw new QueryCancelledError();
      if (readOnly) await client.query(readOnlyBegin(this.kind, hashGrouping === true));
      const result = Number.isFinite(maxRows)
        ? await this.firstRows(client, sql, values, maxRows, signal)
        : await this.runWhole(client, sql, values, maxRows, signal);
      return { ...result, elapsedMs: Math.round(performance.now() - started) };
    } catch (err) {
      if (signal?.aborted) throw err instanceof QueryCancelledError ? err : new QueryCancelledError();
      const mapped = toWarehouseError(err, { ...this.ctx, sql });
      if (mapped instanceof WarehouseError && mapped.connectionLost) discard = true;
      throw mapped;
    } finally {
      // Each query may get another pooled connection, so a transaction cannot span queries:
      // one left open (read-only wrapper, or a user's BEGIN) is rolled back before the connection is reused.
      if (!discard && !signal?.aborted && (readOnly || inTransaction(client))) {
        await client.query('rollback').catch(() => (discard = true));
      }
      // A cancel request may reach the backend after the statement ended and hit the next user of the
      // connection, and a dead connection is useless: neither goes back to the pool.
      client.release(discard || signal?.aborted ? true : undefined);
    }
  }

  async *stream(
    sql: string,
    values: readonly unknown[] = [],
    options: StreamOptions = {},
  ): AsyncGenerator<RowBatch, void, undefined> {
    const { signal } = options;
    const batchRows = Math.max(1, Math.floor(options.batchRows ?? DEFAULT_BATCH_ROWS));
    const toCell = options.jsonAsText ? normalizeCellKeepingJson : normalizeCell;
    if (signal?.aborted) throw new QueryCancelledError();
    const client = await this.acquire();
    const cursor = client.query(
      new Cursor<unknown[]>(sql, values.length ? [...values] : undefined, { rowMode: 'array', types: TEXT_TYPES }),
    );
    let discard = false;
    let done = false;
    let pending: Promise<unknown[][]> | undefined;
    // A cancelled connection is not reused: the CancelRequest may land after the statement ended.
    const run = new CancellableRun({
      signal,
      cancel: () => {
        discard = true;
        void sendCancelRequest(client);
      },
    });
    try {
      let columns: ResultColumn[] | undefined;
      let oids: number[] = [];
      let first = true;
      for (;;) {
        let raw: unknown[][];
        pending ??= cursor.read(batchRows);
        try {
          raw = await run.race(pending);
          pending = undefined;
        } catch (err) {
          if (run.reason) throw run.reason;
          pending = undefined;
          done = true;
          if (isMultiStatementError(err)) {
            throw new WarehouseError(
              'This text holds several statements; a streamed result (export, --all) takes one. Run them one at a time.',
              '42601',
            );
          }
          const mapped = toWarehouseError(err, { ...this.ctx, sql });
          if (mapped instanceof WarehouseError && mapped.connectionLost) discard = true;
          throw mapped;
        }
        if (signal?.aborted) throw new QueryCancelledError();
        if (columns === undefined) {
          const result = (cursor as unknown as { _result: pg.ResultBuilder })._result;
          oids = (result.fields ?? []).map((f) => f.dataTypeID);
          columns = (result.fields ?? []).map((f) => ({ name: f.name, type: pgTypeName(f.dataTypeID) }));
          if (columns.length === 0) {
            done = true;
            yield { columns, rows: [], command: result.command ?? undefined, affected: result.rowCount ?? 0 };
            return;
          }
        }
        if (raw.length === 0) {
          done = true;
          // An empty result still says its columns (a CSV export writes its header).
          if (first) yield { columns, rows: [] };
          return;
        }
        // From the second batch on, the next is asked for before this one is handed over: the server
        // sends it while the consumer writes (without this, the export waited on the network half
        // the time). Not after the first: a consumer that wanted only the first rows (Run Query's
        // cap) stops there, and a batch in flight would have to land before the portal can close.
        if (!first) {
          pending = cursor.read(batchRows);
          pending.catch(() => undefined);
        }
        first = false;
        yield { columns, rows: raw.map((row) => row.map((cell, i) => toCell(cell, oids[i]))) };
      }
    } finally {
      run.dispose();
      // A read still in flight must land before the portal can be closed (a cancelled connection
      // is dropped instead: its read may never land if the server stopped answering).
      if (pending && !discard) await pending.catch(() => undefined);
      // Stopped early (the consumer broke off): close the portal so the server stops producing rows.
      if (!done && !discard) await cursor.close().catch(() => (discard = true));
      if (!discard && inTransaction(client)) await client.query('rollback').catch(() => (discard = true));
      client.release(discard || signal?.aborted ? true : undefined);
    }
  }

  /**
   * Reads only the rows asked for (and one more, to know there are more) through a portal, then
   * closes it: the first page of a billion-row `select *` costs what a LIMIT costs, and the server
   * never produces the rest. The count is then "at least" (rowCountExact false). A text of several
   * statements cannot go through a portal (extended protocol, one statement): Postgres says so
   * before running anything, and it runs whole, counted, as before.
   */
  private async firstRows(
    client: pg.PoolClient,
    sql: string,
    values: readonly unknown[],
    maxRows: number,
    signal: AbortSignal | undefined,
  ): Promise<Omit<QueryResult, 'elapsedMs'>> {
    const cursor = client.query(
      new Cursor<unknown[]>(sql, values.length ? [...values] : undefined, { rowMode: 'array', types: TEXT_TYPES }),
    );
    const run = new CancellableRun(cancelOn(client, signal));
    try {
      let raw: unknown[][];
      try {
        raw = await run.race(cursor.read(maxRows + 1));
      } catch (err) {
        if (values.length === 0 && !run.reason && isMultiStatementError(err))
          return await this.runWhole(client, sql, values, maxRows, signal);
        throw err;
      }
      if (signal?.aborted) throw new QueryCancelledError();
      const result = (cursor as unknown as { _result: pg.ResultBuilder })._result;
      const oids = (result.fields ?? []).map((f) => f.dataTypeID);
      const columns: ResultColumn[] = (result.fields ?? []).map((f) => ({
        name: f.name,
        type: pgTypeName(f.dataTypeID),
      }));
      const more = raw.length > maxRows;
      const rows = (more ? raw.slice(0, maxRows) : raw).map((row) =>
        row.map((cell, i) => normalizeCell(cell, oids[i])),
      );
      await run.race(cursor.close());
      if (columns.length === 0)
        return {
          columns,
          rows: [],
          rowCount: result.rowCount ?? 0,
          truncated: false,
          command: result.command ?? undefined,
        };
      return more
        ? { columns, rows, rowCount: raw.length, rowCountExact: false, truncated: true }
        : { columns, rows, rowCount: rows.length, truncated: false };
    } finally {
      run.dispose();
    }
  }

  /**
   * Runs one statement (or a multi-statement text without values), keeping at most maxRows rows of
   * the last result and counting the rest as they stream past, so a huge result never sits in memory.
   */
  private runWhole(
    client: pg.PoolClient,
    sql: string,
    values: readonly unknown[],
    maxRows: number,
    signal: AbortSignal | undefined,
  ): Promise<Omit<QueryResult, 'elapsedMs'>> {
    if (signal?.aborted) return Promise.reject(new QueryCancelledError());
    return runCancellable(
      cancelOn(client, signal),
      () =>
        new Promise((resolve, reject) => {
          const config: pg.QueryArrayConfig = {
            text: sql,
            values: values.length ? [...values] : undefined,
            rowMode: 'array',
            types: TEXT_TYPES,
          };
          const query = new pg.Query(config);
          let current: unknown;
          let kept: unknown[][] = [];
          let count = 0;
          let oids: number[] = [];

          query.on('row', (row: unknown[], result?: pg.ResultBuilder) => {
            if (result !== current) {
              // A new statement of a multi-statement text: only the last one's rows are returned.
              current = result;
              kept = [];
              count = 0;
              oids = (result?.fields ?? []).map((f) => f.dataTypeID);
            }
            count++;
            if (kept.length < maxRows) kept.push(row.map((cell, i) => normalizeCell(cell, oids[i])));
          });
          query.on('error', (err: Error) => reject(err));
          query.on('end', (results: pg.ResultBuilder | pg.ResultBuilder[]) => {
            const last = Array.isArray(results) ? results[results.length - 1] : results;
            const columns: ResultColumn[] = (last?.fields ?? []).map((f) => ({
              name: f.name,
              type: pgTypeName(f.dataTypeID),
            }));
            if (last !== current) {
              // The last statement produced no rows: report its command tag and affected-row count.
              const command = columns.length === 0 ? (last?.command ?? undefined) : undefined;
              return resolve({
                columns,
                rows: [],
                rowCount: columns.length ? 0 : (last?.rowCount ?? 0),
                truncated: false,
                command,
              });
            }
            resolve({ columns, rows: kept, rowCount: count, truncated: count > kept.length });
          });
          client.query(query);
        }),
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Postgres refuses several statements in one prepared statement (42601, before running any of them). */
function isMultiStatementError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  return e?.code === '42601' && typeof e.message === 'string' && /multiple commands/.test(e.message);
}

/** pg tracks the server's transaction status (ReadyForQuery) without typing it: 'I' idle, 'T' in a transaction, 'E' failed one. */
function inTransaction(client: pg.PoolClient): boolean {
  const status = (client as unknown as { _txStatus?: string })._txStatus;
  return status === 'T' || status === 'E';
}

/**
 * A stop sends the protocol's CancelRequest; the statement then ends with the server's own
 * "canceling statement" error, or, if the server does not answer, the run gives up after the grace
 * period (the caller drops the connection rather than reuse it).
 */
function cancelOn(client: pg.PoolClient, signal: AbortSignal | undefined): CancellableRunOptions {
  return {
    signal,
    cancel: () => {
      void sendCancelRequest(client);
    },
  };
}

/** What identifies a backend to the server's cancel mechanism (set by pg at connect; not in its typings). */
interface BackendKey {
  processID: number;
  secretKey: number;
  host: string;
  port: number;
}

/**
 * Asks the server to cancel whatever this connection's backend is running: the protocol's
 * CancelRequest on a connection of its own (pg's Client.cancel does the same but uses a
 * deprecated getter). Resolves when the server has taken it and closed that connection.
 */
function sendCancelRequest(client: pg.PoolClient): Promise<void> {
  const { processID, secretKey, host, port } = client as unknown as BackendKey;
  return new Promise((resolve) => {
    const socket = host?.startsWith('/') ? connect(`${host}/.s.PGSQL.${port}`) : connect(port, host);
    socket.setTimeout(CANCEL_GRACE_MS, () => socket.destroy());
    socket.on('connect', () => {
      const message = Buffer.alloc(16);
      message.writeInt32BE(16, 0);
      message.writeInt32BE(80877102, 4); // the CancelRequest code
      message.writeInt32BE(processID, 8);
      message.writeInt32BE(secretKey, 12);
      socket.end(message);
    });
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
  });
}

/** What error messages may name: never the password itself, which is only kept to scrub it out. */
function errorContext(config: pg.ClientConfig, statementTimeoutMs?: number): PgErrorContext {
  const ctx: PgErrorContext = {
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: typeof config.password === 'string' ? config.password : undefined,
    statementTimeoutMs,
  };
  if (config.connectionString) {
    try {
      const url = new URL(config.connectionString);
      ctx.host ??= decodeURIComponent(url.hostname) || undefined;
      ctx.port ??= url.port ? Number(url.port) : undefined;
      ctx.database ??= decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
      ctx.user ??= decodeURIComponent(url.username) || undefined;
      ctx.password ??= decodeURIComponent(url.password) || undefined;
    } catch {
      // Not a URL (a key=value string): the messages name less, and redactUrls still hides password=...
    }
  }
  return ctx;
}
