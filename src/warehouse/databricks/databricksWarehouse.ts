import https from 'node:https';
import { DBSQLClient, DBSQLParameter, DBSQLParameterType } from '@databricks/sql';
import type IDBSQLSession from '@databricks/sql/dist/contracts/IDBSQLSession';
import type IOperation from '@databricks/sql/dist/contracts/IOperation';
import type { QueryResult, ResultColumn } from '../../shared/queryResult';
import { databricksDialect } from '../../sql/dialects/databricks';
import {
  QueryCancelledError,
  type QueryOptions,
  type RowBatch,
  type StreamOptions,
  type Warehouse,
} from '../warehouse';
import { databricksBind, databricksTypeName, normalizeDatabricksCell, type ThriftColumnDesc } from './databricksTypes';
import { CancellableRun, type CancellableRunOptions } from '../cancellableRun';
import { timeoutError, toDatabricksError, type DatabricksErrorContext } from './databricksErrors';

export interface DatabricksConfig {
  host: string; // server hostname, e.g. dbc-123.cloud.databricks.com
  port?: number; // default 443
  path: string; // HTTP path, e.g. /sql/1.0/warehouses/abc
  auth: 'personalAccessToken' | 'oauthToken';
  token: string;
  catalog?: string;
  schema?: string; // initial namespace for the session
  /** Tests only: accept a self-signed certificate. */
  insecureTls?: boolean;
}

export interface DatabricksOpenOptions {
  /** Stops statements after this long, in the warehouse (STATEMENT_TIMEOUT, queryTimeout) and by a client-side cancel. */
  statementTimeoutMs?: number;
}

/** Rows asked for per round trip (direct results and each FetchResults). */
const FETCH_ROWS = 10_000;

// The driver logs to the console and a file by default; an extension host must stay quiet.
const quietLogger = { log: (): void => undefined };

/** What DBSQLClient keeps private but this adapter must reach to verify certificates (see installCertificateCheck). */
interface ConnectionProviderInternals {
  createHttpsAgent(): https.Agent;
}
interface ClientInternals {
  createConnectionProvider(options: unknown): ConnectionProviderInternals;
}

/**
 * Connects and opens a session now, so a refused token, a wrong host or HTTP path fails here
 * with a clear message rather than on the first query.
 */
export async function openDatabricksWarehouse(
  config: DatabricksConfig,
  options: DatabricksOpenOptions = {},
): Promise<Warehouse> {
  const ctx: DatabricksErrorContext = {
    host: config.host,
    port: config.port,
    path: config.path,
    token: config.token,
    catalog: config.catalog,
    schema: config.schema,
    statementTimeoutMs: options.statementTimeoutMs,
  };
  const client = new DBSQLClient({ logger: quietLogger });
  // Column-based results instead of Arrow: TIMESTAMP arrives as text with its microseconds (Arrow
  // gives a Date, which keeps milliseconds), and the test fake needs no Arrow encoder.
  client.getConfig().arrowEnabled = false;
  const agents = installCertificateCheck(client, !config.insecureTls);
  const timeoutSeconds = options.statementTimeoutMs
    ? Math.max(1, Math.ceil(options.statementTimeoutMs / 1000))
    : undefined;
  try {
    await client.connect({
      host: config.host,
      port: config.port ?? 443,
      path: config.path,
      authType: 'access-token', // a PAT and an OAuth access token both go out as a Bearer header
      token: config.token,
      telemetryEnabled: false,
      userAgentEntry: 'sync-logs-explorer',
      // Retries only apply to idempotent calls (status polls, cancel, close); keep a dead server from stalling a minute.
      retryMaxAttempts: 3,
      retriesTimeout: 30_000,
      ...(config.insecureTls ? { checkServerCertificate: false } : {}),
    });
    const session = await client.openSession({
      initialCatalog: config.catalog || undefined,
      initialSchema: config.schema || undefined,
      configuration: {
        // Column-based TIMESTAMP text is the session's wall clock: in UTC it can be read as an instant.
        TIMEZONE: 'UTC',
        ...(timeoutSeconds ? { STATEMENT_TIMEOUT: String(timeoutSeconds) } : {}),
      },
    });
    return new DatabricksWarehouse(client, session, agents, ctx, options.statementTimeoutMs);
  } catch (err) {
    await client.close().catch(() => undefined);
    agents.forEach((a) => a.destroy());
    throw toDatabricksError(err, ctx);
  }
}

/**
 * The driver's Thrift transport builds its HTTPS agent with `rejectUnauthorized: false`, whatever
 * the options say (its `checkServerCertificate` only reaches the optional native kernel). So the
 * agent is rebuilt here with certificate checks on unless the config asks otherwise. Returns the
 * agents made, so close() can drop their keep-alive sockets.
 */
function installCertificateCheck(client: DBSQLClient, verify: boolean): https.Agent[] {
  const agents: https.Agent[] = [];
  const internals = client as unknown as ClientInternals;
  const createProvider = internals.createConnectionProvider;
  if (typeof createProvider !== 'function') return agents;
  internals.createConnectionProvider = (connectionOptions: unknown) => {
    const provider = createProvider.call(client, connectionOptions);
    const createAgent = provider.createHttpsAgent;
    if (typeof createAgent === 'function') {
      provider.createHttpsAgent = () => {
        const made = createAgent.call(provider);
        const agent = new https.Agent({ ...made.options, rejectUnauthorized: verify });
        made.destroy();
        agents.push(agent);
        return agent;
      };
    }
    return provider;
  };
  return agents;
}

class DatabricksWarehouse implements Warehouse {
  readonly kind = 'databricks' as const;
  readonly dialect = databricksDialect;

  constructor(
    private readonly client: DBSQLClient,
    private readonly session: IDBSQLSession,
    private readonly agents: https.Agent[],
    private readonly ctx: DatabricksErrorContext,
    private readonly statementTimeoutMs: number | undefined,
  ) {}

  /** `readOnly` is ignored: Databricks SQL has no per-statement or per-session read-only mode. */
  async query(sql: string, values: readonly unknown[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    const { signal } = options;
    const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
    if (signal?.aborted) throw new QueryCancelledError();
    const started = performance.now();
    const ctx = { ...this.ctx, sql };
    let pending: Promise<IOperation> | undefined;
    const run = new CancellableRun(this.runOptions(signal, ctx, () => pending));
    try {
      pending = this.execute(sql, values);
      const operation = await run.race(pending);
      const result = await run.race(readAll(operation, maxRows));
      await operation.close().catch(() => undefined);
      return { ...result, elapsedMs: Math.round(performance.now() - started) };
    } catch (err) {
      throw run.reason ?? toDatabricksError(err, ctx);
    } finally {
      run.dispose();
    }
  }

  /**
   * Every row of one statement, chunk by chunk (FetchResults with maxRows) as the consumer asks:
   * the warehouse holds the rest until it is fetched. Stopping early closes the operation, so the
   * warehouse drops what was not read; a cancel (AbortSignal) sends CancelOperation.
   */
  async *stream(
    sql: string,
    values: readonly unknown[] = [],
    options: StreamOptions = {},
  ): AsyncGenerator<RowBatch, void, undefined> {
    const { signal } = options;
    if (signal?.aborted) throw new QueryCancelledError();
    const batchRows = Math.max(1, Math.floor(options.batchRows ?? FETCH_ROWS));
    const ctx = { ...this.ctx, sql };
    let pending: Promise<IOperation> | undefined;
    let operation: IOperation | undefined;
    let failed = false;
    const run = new CancellableRun(this.runOptions(signal, ctx, () => pending));
    try {
      pending = this.execute(sql, values, batchRows);
      operation = await run.race(pending);
      const columns = await run.race(columnsOf(operation));
      if (columns.length === 0) {
        await run.race(operation.finished());
        yield { columns, rows: [], command: 'OK' };
        return;
      }
      let first = true;
      do {
        const rows = await run.race(fetchRows(operation, columns, batchRows));
        // An empty result still says its columns (a CSV export writes its header).
        if (rows.length > 0 || first) yield { columns, rows };
        first = false;
      } while (await run.race(operation.hasMoreRows()));
    } catch (err) {
      failed = true;
      throw run.reason ?? toDatabricksError(err, ctx);
    } finally {
      run.dispose();
      if (operation && !failed) {
        // Done, or the consumer broke off: CloseOperation ends the statement and frees what was not
        // fetched (the driver sends nothing for an operation it has cancelled, so close, not cancel).
        await operation.close().catch(() => undefined);
      } else if (operation) {
        // Failed or cancelled: the connection may be gone, so closing must not hold the error back.
        void operation.close().catch(() => undefined);
      }
    }
  }

  private execute(sql: string, values: readonly unknown[], directRows = FETCH_ROWS): Promise<IOperation> {
    return this.session.executeStatement(sql, {
      namedParameters: namedParameters(values),
      queryTimeout: this.statementTimeoutMs ? Math.max(1, Math.ceil(this.statementTimeoutMs / 1000)) : undefined,
      maxRows: directRows,
      useCloudFetch: false,
      useLZ4Compression: false,
    });
  }

  /**
   * A stop (AbortSignal, or the client-side timeout) sends CancelOperation once the statement has
   * a handle (a stop during ExecuteStatement waits for it), and counts the server's answer as the
   * acknowledgement.
   */
  private runOptions(
    signal: AbortSignal | undefined,
    ctx: DatabricksErrorContext,
    pending: () => Promise<IOperation> | undefined,
  ): CancellableRunOptions {
    return {
      signal,
      timeoutMs: this.statementTimeoutMs,
      timeoutError: () => timeoutError(ctx),
      cancel: () => pending()?.then((op) => op.cancel()),
    };
  }

  async close(): Promise<void> {
    try {
      await this.session.close();
    } catch (err) {
      throw toDatabricksError(err, this.ctx);
    } finally {
      await this.client.close().catch(() => undefined);
      this.agents.forEach((a) => a.destroy());
    }
  }
}

/** values[i] is :p{i+1}, typed explicitly (see databricksBind). */
function namedParameters(values: readonly unknown[]): Record<string, DBSQLParameter> | undefined {
  if (values.length === 0) return undefined;
  const named: Record<string, DBSQLParameter> = {};
  values.forEach((value, i) => {
    const bind = databricksBind(value);
    named[`p${i + 1}`] = new DBSQLParameter({ type: DBSQLParameterType[bind.type], value: bind.value as never });
  });
  return named;
}

/** The result's columns in their order (none for a statement without rows). */
async function columnsOf(operation: IOperation): Promise<ResultColumn[]> {
  const schema = await operation.getSchema();
  const descs = [...((schema?.columns ?? []) as ThriftColumnDesc[])].sort(
    (a, b) => (a.position ?? 0) - (b.position ?? 0),
  );
  return descs.map((d) => ({ name: d.columnName, type: databricksTypeName(d) }));
}

/** One FetchResults round trip of at most maxRows rows, as arrays in column order. */
async function fetchRows(operation: IOperation, columns: ResultColumn[], maxRows: number): Promise<unknown[][]> {
  // The driver hands rows over as objects keyed by column name (a repeated name keeps its last value).
  const chunk = (await operation.fetchChunk({ maxRows, disableBuffering: true })) as Array<Record<string, unknown>>;
  return chunk.map((row) => columns.map((c) => normalizeDatabricksCell(row[c.name], c.type)));
}

/**
 * Fetches only the rows asked for (and one more, to know there are more), then stops: the first
 * page of a million-row result costs what a LIMIT costs, and the caller's close frees the rest in
 * the warehouse. The count is then "at least" (rowCountExact false); a result that ends within the
 * cap is counted exactly.
 */
async function readAll(operation: IOperation, maxRows: number): Promise<Omit<QueryResult, 'elapsedMs'>> {
  const columns = await columnsOf(operation);
  if (columns.length === 0) {
    await operation.finished();
    return { columns, rows: [], rowCount: 0, truncated: false, command: 'OK' };
  }
  const kept: unknown[][] = [];
  let more = false;
  do {
    const want = Math.min(FETCH_ROWS, Math.max(1, maxRows + 1 - kept.length));
    for (const row of await fetchRows(operation, columns, want)) {
      if (kept.length < maxRows) kept.push(row);
      else more = true;
    }
  } while (!more && (await operation.hasMoreRows()));
  return more
    ? { columns, rows: kept, rowCount: kept.length + 1, rowCountExact: false, truncated: true }
    : { columns, rows: kept, rowCount: kept.length, truncated: false };
}
