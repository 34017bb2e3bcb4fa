import { randomUUID } from 'node:crypto';
import { BigQuery, type BigQueryOptions, type Job, type Query, type QueryResultsOptions } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import type { QueryResult } from '../../shared/queryResult';
import { bigqueryDialect } from '../../sql/dialects/bigquery';
import {
  QueryCancelledError,
  type QueryOptions,
  type RowBatch,
  type StreamOptions,
  type Warehouse,
} from '../warehouse';
import { WarehouseError } from '../warehouseError';
import { CancellableRun, runCancellable, type CancellableRunOptions } from '../cancellableRun';
import {
  bigQueryTypeName,
  normalizeRow,
  toQueryParameters,
  type BigQueryField,
  type BigQueryParameter,
  type BigQueryRawRow,
} from './bigqueryTypes';
import { parseServiceAccountKey, timeoutMessage, toBigQueryError, type BigQueryErrorContext } from './bigqueryErrors';

export interface BigQueryConfig {
  /** Project that runs (and is billed for) the jobs. */
  projectId: string;
  /** e.g. 'US', 'EU'. */
  location?: string;
  auth: 'serviceAccountKey' | 'oauthToken' | 'applicationDefault';
  /** The JSON key file's text (auth=serviceAccountKey). */
  serviceAccountKey?: string;
  /** An OAuth access token (auth=oauthToken). */
  token?: string;
  /** Tests: http://127.0.0.1:PORT. */
  apiEndpoint?: string;
}

export interface BigQueryOpenOptions {
  /** Sent as the job's jobTimeoutMs, and enforced by a client-side timer that cancels the job. */
  statementTimeoutMs?: number;
  /** Sent as every job's maximumBytesBilled: BigQuery refuses, before running, a query that would bill more. */
  maximumBytesBilled?: number;
}

/** Rows asked per page; the API may send fewer (it caps a page at about 10 MB) and says so with a pageToken. */
const PAGE_SIZE = 10_000;
/** A poll that says the job is still running normally long-polls on the server; this only guards against one that does not. */
const POLL_PAUSE_MS = 100;
/**
 * The library retries network errors and 5xx itself, by default 3 times with 2, 4, 8 s pauses.
 * A person is waiting for the answer, so retry once after about a second.
 */
const RETRY_OPTIONS = { autoRetry: true, maxRetries: 1, retryDelayMultiplier: 1, maxRetryDelay: 2, totalTimeout: 30 };

/**
 * Opens a BigQuery connection and runs `SELECT 1`, so refused credentials, a wrong project or a
 * missing permission fail now with a clear message rather than on the first real query.
 */
export async function openBigQueryWarehouse(
  config: BigQueryConfig,
  options: BigQueryOpenOptions = {},
): Promise<Warehouse> {
  const ctx: BigQueryErrorContext = {
    projectId: config.projectId,
    location: config.location,
    endpoint: config.apiEndpoint,
    statementTimeoutMs: options.statementTimeoutMs,
    secrets: [config.token, config.serviceAccountKey].filter((s): s is string => !!s),
  };
  if (!config.projectId) {
    throw new WarehouseError(
      'No BigQuery project is set for this connection. Set the project that runs the queries.',
      'NO_PROJECT',
    );
  }
  const client = new BigQuery(clientOptions(config));
  const warehouse = new BigQueryWarehouse(
    client,
    config.location,
    ctx,
    options.statementTimeoutMs,
    options.maximumBytesBilled,
  );
  await warehouse.query('SELECT 1', [], { maxRows: 1 });
  return warehouse;
}

function clientOptions(config: BigQueryConfig): BigQueryOptions {
  const base: BigQueryOptions = {
    projectId: config.projectId,
    location: config.location,
    apiEndpoint: config.apiEndpoint,
    retryOptions: RETRY_OPTIONS,
    userAgent: 'sync-logs-explorer',
  };
  switch (config.auth) {
    case 'oauthToken': {
      if (!config.token) {
        throw new WarehouseError(
          'No OAuth access token was given for this BigQuery connection. Give a token (e.g. from `gcloud auth print-access-token`).',
          'NO_TOKEN',
          false,
          undefined,
          true,
        );
      }
      // A bare access token: nothing to refresh it with, so a 401 means asking the user for a new one.
      const authClient = new OAuth2Client();
      authClient.setCredentials({ access_token: config.token });
      return { ...base, authClient };
    }
    case 'serviceAccountKey': {
      const key = parseServiceAccountKey(config.serviceAccountKey);
      return { ...base, credentials: { client_email: key.client_email, private_key: key.private_key } };
    }
    case 'applicationDefault':
      return base;
    default:
      throw new WarehouseError(
        `Unknown BigQuery sign-in method "${String(config.auth)}". Use serviceAccountKey, oauthToken or applicationDefault.`,
        'BAD_AUTH',
      );
  }
}

type RowsResult = Omit<QueryResult, 'elapsedMs'>;

/** Parts of a getQueryResults response this adapter reads (raw rows: the library's parsing is skipped). */
interface ResultsPage {
  jobComplete?: boolean;
  schema?: { fields?: BigQueryField[] };
  rows?: BigQueryRawRow[];
  totalRows?: string | number;
  pageToken?: string;
  numDmlAffectedRows?: string;
}

/** A job id chosen here, so a cancel can name the job even while jobs.insert is still in flight. */
function newJobId(): string {
  return `sync_logs_explorer_${randomUUID().replace(/-/g, '')}`;
}

class BigQueryWarehouse implements Warehouse {
  readonly kind = 'bigquery' as const;
  readonly dialect = bigqueryDialect;

  constructor(
    private readonly client: BigQuery,
    private readonly location: string | undefined,
    private readonly ctx: BigQueryErrorContext,
    private readonly statementTimeoutMs: number | undefined,
    private readonly maximumBytesBilled: number | undefined,
  ) {}

  /**
   * The bytes the query would process, from a dry run (free: BigQuery plans it, reads nothing and
   * bills nothing). On-demand billing charges for these bytes; the cost guard asks above a threshold.
   */
  async estimateBytes(sql: string, values: readonly unknown[] = []): Promise<number> {
    let params: BigQueryParameter[];
    try {
      params = toQueryParameters(values);
    } catch (err) {
      throw new WarehouseError((err as Error).message, 'INVALID_PARAMETER', false, err);
    }
    try {
      const [job] = await this.client.createQueryJob({ ...this.jobQuery(sql, params), dryRun: true });
      const stats = (
        job.metadata as
          { statistics?: { totalBytesProcessed?: string; query?: { totalBytesProcessed?: string } } } | undefined
      )?.statistics;
      const bytes = Number(stats?.query?.totalBytesProcessed ?? stats?.totalBytesProcessed);
      if (!Number.isFinite(bytes))
        throw new WarehouseError(
          "BigQuery's dry run did not say how many bytes the query would process.",
          'NO_ESTIMATE',
        );
      return bytes;
    } catch (err) {
      throw err instanceof WarehouseError ? err : toBigQueryError(err, this.ctx);
    }
  }

  private jobQuery(sql: string, params: BigQueryParameter[]): Query {
    return {
      query: sql,
      useLegacySql: false,
      location: this.location,
      ...(params.length
        ? { parameterMode: 'NAMED', queryParameters: params as NonNullable<Query['queryParameters']> }
        : {}),
      ...(this.maximumBytesBilled ? { maximumBytesBilled: String(Math.floor(this.maximumBytesBilled)) } : {}),
    };
  }

  /**
   * `readOnly` is ignored: BigQuery has no per-query read-only mode (a statement runs with the
   * caller's IAM permissions); the extension's own queries are SELECTs anyway.
   */
  async query(sql: string, values: readonly unknown[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    const { signal } = options;
    if (signal?.aborted) throw new QueryCancelledError();
    let params: BigQueryParameter[];
    try {
      params = toQueryParameters(values);
    } catch (err) {
      throw new WarehouseError((err as Error).message, 'INVALID_PARAMETER', false, err);
    }
    const started = performance.now();
    const result = await this.run(sql, params, options.maxRows ?? Number.POSITIVE_INFINITY, signal);
    return { ...result, elapsedMs: performance.now() - started };
  }

  /**
   * Runs one job under an id chosen here, so a cancel (user or timeout) can reach it even while
   * jobs.insert is still in flight: the cancel waits for the insert, then posts jobs.cancel.
   */
  private run(
    sql: string,
    params: BigQueryParameter[],
    maxRows: number,
    signal: AbortSignal | undefined,
  ): Promise<RowsResult> {
    const jobId = newJobId();
    let inserted: Promise<Job> | undefined;
    return runCancellable(
      this.runOptions(signal, () => inserted),
      (run) => {
        inserted = this.insert(jobId, sql, params);
        return inserted
          .then((job) => this.readResults(job, maxRows, () => run.reason !== undefined))
          .catch((err: unknown) => {
            throw toBigQueryError(err, this.ctx);
          });
      },
    );
  }

  /** A stop cancels the job once jobs.insert has answered (the job id is chosen here, so it is known). */
  private runOptions(signal: AbortSignal | undefined, inserted: () => Promise<Job> | undefined): CancellableRunOptions {
    return {
      signal,
      timeoutMs: this.statementTimeoutMs,
      timeoutError: () => new QueryCancelledError(timeoutMessage(this.statementTimeoutMs)),
      cancel: () => inserted()?.then((job) => job.cancel()),
    };
  }

  private async insert(jobId: string, sql: string, params: BigQueryParameter[]): Promise<Job> {
    const query: Query = {
      ...this.jobQuery(sql, params),
      jobId,
      ...(this.statementTimeoutMs ? { jobTimeoutMs: Math.max(1, Math.floor(this.statementTimeoutMs)) } : {}),
    };
    try {
      const [job] = await this.client.createQueryJob(query);
      return job;
    } catch (err) {
      // A retried insert whose first attempt did reach BigQuery finds the job it created: carry on with it.
      if ((err as { code?: unknown }).code === 409) return this.client.job(jobId, { location: this.location });
      throw err;
    }
  }

  /** One page of the job's results, once the job is complete (a poll long-waits while it runs). */
  private async page(job: Job, maxResults: number, pageToken: string | undefined, stopped: () => boolean) {
    for (;;) {
      const options = {
        autoPaginate: false,
        // Raw `{f: [{v}]}` rows: the library's parsing would lose microseconds and big integers.
        skipParsing: true,
        'formatOptions.useInt64Timestamp': true,
        maxResults: Math.max(1, Math.floor(maxResults)),
        pageToken,
      } as QueryResultsOptions;
      const [, , response] = await job.getQueryResults(options);
      if (stopped()) throw new QueryCancelledError();
      const page = (response ?? {}) as ResultsPage;
      if (page.jobComplete !== false) return page;
      await new Promise((resolve) => setTimeout(resolve, POLL_PAUSE_MS));
    }
  }

  /** Pages through the results, keeping at most maxRows rows; the true total comes from totalRows. */
  private async readResults(job: Job, maxRows: number, stopped: () => boolean): Promise<RowsResult> {
    const rows: unknown[][] = [];
    let pageToken: string | undefined;
    for (;;) {
      const page = await this.page(job, Math.min(PAGE_SIZE, maxRows - rows.length), pageToken, stopped);
      const fields = page.schema?.fields ?? [];
      for (const raw of page.rows ?? []) {
        if (rows.length >= maxRows) break;
        rows.push(normalizeRow(raw, fields));
      }
      if (rows.length >= maxRows || !page.pageToken) {
        const columns = fields.map((f) => ({ name: f.name, type: bigQueryTypeName(f) }));
        if (columns.length === 0) {
          // DML and DDL: no schema; DML says how many rows it touched.
          return {
            columns,
            rows: [],
            rowCount: Number(page.numDmlAffectedRows ?? 0),
            truncated: false,
            command: page.numDmlAffectedRows !== undefined ? 'DML' : undefined,
          };
        }
        const total = Math.max(Number(page.totalRows ?? rows.length), rows.length);
        return { columns, rows, rowCount: total, truncated: total > rows.length };
      }
      pageToken = page.pageToken;
    }
  }

  /**
   * Every row of one statement, page by page (getQueryResults with maxResults and pageToken) as
   * the consumer asks, one page asked ahead while the consumer writes the last. The job has run to
   * its end in BigQuery (results kept as a temporary table); a page is read only when wanted.
   */
  async *stream(
    sql: string,
    values: readonly unknown[] = [],
    options: StreamOptions = {},
  ): AsyncGenerator<RowBatch, void, undefined> {
    const { signal } = options;
    if (signal?.aborted) throw new QueryCancelledError();
    const pageRows = Math.max(1, Math.floor(options.batchRows ?? PAGE_SIZE));
    let params: BigQueryParameter[];
    try {
      params = toQueryParameters(values);
    } catch (err) {
      throw new WarehouseError((err as Error).message, 'INVALID_PARAMETER', false, err);
    }
    let inserted: Promise<Job> | undefined;
    const run = new CancellableRun(this.runOptions(signal, () => inserted));
    const stopped = () => run.reason !== undefined;
    let next: Promise<ResultsPage> | undefined;
    try {
      inserted = this.insert(newJobId(), sql, params);
      const job = await run.race(inserted);
      next = this.page(job, pageRows, undefined, stopped);
      for (let first = true; ; first = false) {
        const page = await run.race(next);
        next = undefined;
        const fields = page.schema?.fields ?? [];
        const columns = fields.map((f) => ({ name: f.name, type: bigQueryTypeName(f) }));
        if (columns.length === 0) {
          // DML and DDL: no schema; DML says how many rows it touched.
          const dml = page.numDmlAffectedRows !== undefined;
          yield { columns, rows: [], command: dml ? 'DML' : undefined, affected: Number(page.numDmlAffectedRows ?? 0) };
          return;
        }
        if (page.pageToken) {
          next = this.page(job, pageRows, page.pageToken, stopped);
          next.catch(() => undefined);
        }
        const rows = (page.rows ?? []).map((raw) => normalizeRow(raw, fields));
        // An empty result still says its columns (a CSV export writes its header).
        if (rows.length > 0 || first) yield { columns, rows };
        if (!next) return;
      }
    } catch (err) {
      throw run.reason ?? (err instanceof WarehouseError ? err : toBigQueryError(err, this.ctx));
    } finally {
      run.dispose();
    }
  }

  async close(): Promise<void> {
    // The REST client holds no session: requests are independent, nothing to close.
  }
}
