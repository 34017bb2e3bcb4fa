/**
 * A fake BigQuery REST API (v2) on 127.0.0.1, speaking what @google-cloud/bigquery 8.x sends:
 *   POST /bigquery/v2/projects/P/jobs               jobs.insert (createQueryJob, own job id)
 *   GET  /bigquery/v2/projects/P/queries/ID         jobs.getQueryResults (paged: maxResults, pageToken)
 *   POST /bigquery/v2/projects/P/jobs/ID/cancel     jobs.cancel
 *   GET  /bigquery/v2/projects/P/jobs/ID            jobs.get
 *   POST /bigquery/v2/projects/P/queries            jobs.query (the library's fast path)
 * Rows go out as the real API sends them: `{f: [{v: "text"}]}`, every scalar a string.
 * A handler scripts each query's answer; every request is recorded for assertions on the wire.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { rowCount, rowsBetween, type FakeRows } from './lazyRows';

export interface FakeField {
  name: string;
  /** As the API spells it in schemas: INTEGER, FLOAT, BOOLEAN, STRING, TIMESTAMP, RECORD, JSON... */
  type: string;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  fields?: FakeField[];
}

export interface FakeError {
  /** HTTP status of the error response (400 invalidQuery, 403 accessDenied, 404 notFound...). */
  status: number;
  reason: string;
  message: string;
  location?: string;
}

/**
 * What the fake does with one query:
 * - rows: the job succeeds (`bytes`: what it processes, as a dry run reports it and
 *   maximumBytesBilled is checked against, as BigQuery does before running); cells are JS values in field order (strings go out as is, numbers and
 *   booleans as their text, objects of RECORD columns keyed by field name, arrays for REPEATED).
 * - error: the job fails. `at: 'job'` (default) answers jobs.insert with a DONE job carrying the
 *   error, as BigQuery does for a bad query; `at: 'insert'` fails the HTTP request itself.
 * - hang: the job runs until cancelled.
 * - drop: the connection is destroyed without an answer.
 * Rows may be lazy (made as pages are read, for a million-row result); a page that starts at or
 * past `dropAtRow` is answered by destroying the connection.
 */
export type FakeAnswer =
  | { fields: FakeField[]; rows: FakeRows; bytes?: number; dropAtRow?: number }
  | { error: FakeError; at?: 'insert' | 'job' }
  | { hang: true }
  | { drop: true };

/** One query as it arrived, with its parameters decoded for easy assertions. */
export interface FakeQuery {
  via: 'jobs.insert' | 'jobs.query';
  projectId: string;
  jobId: string;
  location?: string;
  sql: string;
  useLegacySql?: boolean;
  parameterMode?: string;
  /** `{ p1: { type: 'INT64', value: '42' } }`; arrays as `{ type: 'ARRAY<STRING>', value: ['a', 'b'] }`. */
  params: Record<string, { type: string; value: unknown }>;
  /** configuration.jobTimeoutMs as sent (a string on the wire). */
  jobTimeoutMs?: string;
  /** configuration.dryRun: only planned, never run. */
  dryRun?: boolean;
  /** configuration.query.maximumBytesBilled as sent (a string). */
  maximumBytesBilled?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export type FakeHandler = (query: FakeQuery) => FakeAnswer | Promise<FakeAnswer>;

export interface BigQueryFakeOptions {
  /** When set, any other bearer token gets 401 authError. */
  token?: string;
  handler?: FakeHandler;
  /** Cap rows per page below maxResults, as the real API does for large rows. */
  maxPageRows?: number;
  /** Record cancel requests but never answer them (the job keeps running): a server that does not acknowledge. */
  ignoreCancel?: boolean;
}

export interface BigQueryFake {
  /** Pass as `apiEndpoint`. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  queries: FakeQuery[];
  /** Job ids whose cancel request arrived. */
  cancels: string[];
  /** Result rows sent so far, over every page. */
  readonly rowsServed: number;
  setHandler(handler: FakeHandler): void;
  close(): Promise<void>;
}

interface FakeJob {
  projectId: string;
  jobId: string;
  location: string;
  query: FakeQuery;
  answer: FakeAnswer;
  cancelled: boolean;
  /** Long-polling getQueryResults calls waiting for the job to end. */
  waiters: Set<() => void>;
}

const PREFIX = /^\/bigquery\/v2\/projects\/([^/]+)(\/.*)$/;
/** The real API long-polls getQueryResults up to timeoutMs (10 s by default). */
const DEFAULT_POLL_MS = 10_000;

export async function startBigQueryFake(options: BigQueryFakeOptions = {}): Promise<BigQueryFake> {
  let handler: FakeHandler = options.handler ?? (() => ({ fields: [{ name: 'f0_', type: 'INTEGER' }], rows: [['1']] }));
  const requests: RecordedRequest[] = [];
  const queries: FakeQuery[] = [];
  const cancels: string[] = [];
  let rowsServed = 0;
  const jobs = new Map<string, FakeJob>();

  const server = createServer((req, res) => {
    void route(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, { status: 500, reason: 'internalError', message: String(err) });
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readJson(req);
    const query = Object.fromEntries(url.searchParams);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query, headers: req.headers, body });

    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      return sendJson(res, 401, {
        error: {
          code: 401,
          message:
            'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
          errors: [
            {
              message: 'Invalid Credentials',
              domain: 'global',
              reason: 'authError',
              location: 'Authorization',
              locationType: 'header',
            },
          ],
          status: 'UNAUTHENTICATED',
        },
      });
    }
    const m = PREFIX.exec(url.pathname);
    if (!m) return sendError(res, { status: 404, reason: 'notFound', message: `Not found: ${url.pathname}` });
    const projectId = decodeURIComponent(m[1]);
    const rest = m[2];
    let parts: RegExpExecArray | null;

    if (req.method === 'POST' && rest === '/jobs') return insertJob(projectId, body as InsertBody, req, res);
    if (req.method === 'POST' && rest === '/queries') return jobsQuery(projectId, body as QueryBody, req, res);
    if (req.method === 'GET' && (parts = /^\/queries\/([^/]+)$/.exec(rest)))
      return getQueryResults(jobFor(projectId, parts[1], res), query, res);
    if (req.method === 'POST' && (parts = /^\/jobs\/([^/]+)\/cancel$/.exec(rest))) {
      const job = jobFor(projectId, parts[1], res);
      if (!job) return;
      cancels.push(job.jobId);
      if (options.ignoreCancel) return;
      if (!isDone(job)) job.cancelled = true;
      job.waiters.forEach((wake) => wake());
      return sendJson(res, 200, { kind: 'bigquery#jobCancelResponse', job: jobResource(job) });
    }
    if (req.method === 'GET' && (parts = /^\/jobs\/([^/]+)$/.exec(rest))) {
      const job = jobFor(projectId, parts[1], res);
      if (job) sendJson(res, 200, jobResource(job));
      return;
    }
    sendError(res, { status: 404, reason: 'notFound', message: `Not found: ${req.method} ${url.pathname}` });
  }

  async function insertJob(
    projectId: string,
    body: InsertBody,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const ref = body?.jobReference ?? {};
    const jobId = ref.jobId ?? randomUUID();
    const location = ref.location ?? 'US';
    if (jobs.has(jobId))
      return sendError(res, {
        status: 409,
        reason: 'duplicate',
        message: `Already Exists: Job ${projectId}:${location}.${jobId}`,
      });
    const config = body?.configuration ?? {};
    const q = {
      ...describeQuery('jobs.insert', projectId, jobId, ref.location, config.query ?? {}, config.jobTimeoutMs),
      ...(config.dryRun ? { dryRun: true } : {}),
    };
    queries.push(q);
    let answer = await handler(q);
    if ('drop' in answer) return void req.socket.destroy();
    // A dry run's errors come back on the request itself, and it creates no job.
    if ('error' in answer && (answer.at === 'insert' || q.dryRun)) return sendError(res, answer.error);
    if (q.dryRun) {
      const bytes = String('fields' in answer ? (answer.bytes ?? 0) : 0);
      return sendJson(res, 200, {
        kind: 'bigquery#job',
        jobReference: { projectId, location },
        configuration: { jobType: 'QUERY', dryRun: true, query: { query: q.sql } },
        status: { state: 'DONE' },
        statistics: { totalBytesProcessed: bytes, query: { totalBytesProcessed: bytes, statementType: 'SELECT' } },
      });
    }
    const limit = q.maximumBytesBilled === undefined ? NaN : Number(q.maximumBytesBilled);
    if ('fields' in answer && (answer.bytes ?? 0) > limit) {
      const needed = Math.max(10 * 1024 * 1024, answer.bytes ?? 0);
      answer = {
        error: {
          status: 400,
          reason: 'bytesBilledLimitExceeded',
          message: `Query exceeded limit for bytes billed: ${limit}. ${needed} or higher required.`,
        },
      };
    }
    const job: FakeJob = { projectId, jobId, location, query: q, answer, cancelled: false, waiters: new Set() };
    jobs.set(jobId, job);
    sendJson(res, 200, jobResource(job));
  }

  async function jobsQuery(
    projectId: string,
    body: QueryBody,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const jobId = `job_${randomUUID().replace(/-/g, '')}`;
    const q = describeQuery('jobs.query', projectId, jobId, body?.location, body ?? {}, undefined);
    queries.push(q);
    const answer = await handler(q);
    if ('drop' in answer) return void req.socket.destroy();
    if ('error' in answer) return sendError(res, answer.error);
    const job: FakeJob = {
      projectId,
      jobId,
      location: body?.location ?? 'US',
      query: q,
      answer,
      cancelled: false,
      waiters: new Set(),
    };
    jobs.set(jobId, job);
    if ('hang' in answer)
      return sendJson(res, 200, {
        kind: 'bigquery#queryResponse',
        jobReference: jobReference(job),
        jobComplete: false,
      });
    sendJson(res, 200, { kind: 'bigquery#queryResponse', ...resultPage(job, answer, {}, body?.maxResults) });
  }

  async function getQueryResults(
    job: FakeJob | undefined,
    query: Record<string, string>,
    res: ServerResponse,
  ): Promise<void> {
    if (!job) return;
    if (!isDone(job)) {
      const waitMs = Math.min(Number(query.timeoutMs ?? DEFAULT_POLL_MS), DEFAULT_POLL_MS);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, waitMs);
        function done() {
          clearTimeout(timer);
          job!.waiters.delete(done);
          resolve();
        }
        job.waiters.add(done);
      });
    }
    if (job.cancelled) return sendError(res, cancelledError());
    const answer = job.answer;
    if ('error' in answer) return sendError(res, answer.error);
    if (!('fields' in answer)) {
      return sendJson(res, 200, {
        kind: 'bigquery#getQueryResultsResponse',
        jobReference: jobReference(job),
        jobComplete: false,
      });
    }
    const start = query.pageToken ? Number(query.pageToken) : Number(query.startIndex ?? 0);
    if (answer.dropAtRow !== undefined && start >= answer.dropAtRow) return void res.socket?.destroy();
    sendJson(res, 200, { kind: 'bigquery#getQueryResultsResponse', ...resultPage(job, answer, query) });
  }

  function resultPage(
    job: FakeJob,
    answer: { fields: FakeField[]; rows: FakeRows },
    query: Record<string, string>,
    bodyMaxResults?: number,
  ) {
    const total = rowCount(answer.rows);
    const start = query.pageToken ? Number(query.pageToken) : Number(query.startIndex ?? 0);
    const asked = query.maxResults !== undefined ? Number(query.maxResults) : (bodyMaxResults ?? total);
    const size = Math.min(asked, options.maxPageRows ?? Number.POSITIVE_INFINITY);
    const end = Math.min(total, start + size);
    const rows = rowsBetween(answer.rows, start, end);
    rowsServed += rows.length;
    return {
      jobReference: jobReference(job),
      jobComplete: true,
      cacheHit: false,
      schema: { fields: answer.fields },
      totalRows: String(total),
      totalBytesProcessed: '0',
      rows: rows.map((row) => ({ f: answer.fields.map((field, i) => ({ v: encodeCell(row[i], field) })) })),
      ...(end < total ? { pageToken: String(end) } : {}),
    };
  }

  function jobFor(projectId: string, jobId: string, res: ServerResponse): FakeJob | undefined {
    const job = jobs.get(decodeURIComponent(jobId));
    if (!job) sendError(res, { status: 404, reason: 'notFound', message: `Not found: Job ${projectId}:US.${jobId}` });
    return job;
  }

  function jobResource(job: FakeJob) {
    const error = job.cancelled ? cancelledError() : 'error' in job.answer ? job.answer.error : undefined;
    const status = error
      ? { state: 'DONE', errorResult: googleError(error), errors: [googleError(error)] }
      : { state: isDone(job) ? 'DONE' : 'RUNNING' };
    return {
      kind: 'bigquery#job',
      id: `${job.projectId}:${job.location}.${job.jobId}`,
      jobReference: jobReference(job),
      configuration: { jobType: 'QUERY', query: { query: job.query.sql } },
      status,
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    queries,
    cancels,
    get rowsServed() {
      return rowsServed;
    },
    setHandler(next) {
      handler = next;
    },
    async close() {
      for (const job of jobs.values()) job.waiters.forEach((wake) => wake());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface InsertBody {
  jobReference?: { projectId?: string; jobId?: string; location?: string };
  configuration?: { query?: QueryConfig; jobTimeoutMs?: string; dryRun?: boolean };
}

interface QueryConfig {
  query?: string;
  maximumBytesBilled?: string;
  useLegacySql?: boolean;
  parameterMode?: string;
  queryParameters?: WireParameter[];
}

interface QueryBody extends QueryConfig {
  location?: string;
  maxResults?: number;
}

interface WireParameter {
  name?: string;
  parameterType?: { type?: string; arrayType?: { type?: string } };
  parameterValue?: { value?: unknown; arrayValues?: Array<{ value?: unknown }> };
}

function describeQuery(
  via: FakeQuery['via'],
  projectId: string,
  jobId: string,
  location: string | undefined,
  config: QueryConfig,
  jobTimeoutMs: string | undefined,
): FakeQuery {
  const params: FakeQuery['params'] = {};
  (config.queryParameters ?? []).forEach((p, i) => {
    const type = p.parameterType?.type ?? '?';
    const name = p.name ?? `$${i + 1}`;
    params[name] =
      type === 'ARRAY'
        ? {
            type: `ARRAY<${p.parameterType?.arrayType?.type ?? '?'}>`,
            value: (p.parameterValue?.arrayValues ?? []).map((v) => v.value ?? null),
          }
        : { type, value: p.parameterValue?.value ?? null };
  });
  return {
    via,
    projectId,
    jobId,
    location,
    sql: config.query ?? '',
    useLegacySql: config.useLegacySql,
    parameterMode: config.parameterMode,
    params,
    jobTimeoutMs,
    ...(config.maximumBytesBilled !== undefined ? { maximumBytesBilled: config.maximumBytesBilled } : {}),
  };
}

function isDone(job: FakeJob): boolean {
  return job.cancelled || !('hang' in job.answer);
}

function jobReference(job: FakeJob) {
  return { projectId: job.projectId, jobId: job.jobId, location: job.location };
}

function cancelledError(): FakeError {
  return { status: 400, reason: 'stopped', message: 'Job execution was cancelled: User requested cancellation' };
}

function googleError(error: FakeError) {
  return { reason: error.reason, message: error.message, ...(error.location ? { location: error.location } : {}) };
}

/** A cell as the API writes it: scalars as text, REPEATED as [{v}], RECORD as {f: [{v}]}. */
function encodeCell(value: unknown, field: FakeField): unknown {
  if (value === null || value === undefined) return null;
  if (field.mode === 'REPEATED') {
    const element = { ...field, mode: 'NULLABLE' as const };
    return (value as unknown[]).map((item) => ({ v: encodeCell(item, element) }));
  }
  if (field.type === 'RECORD' || field.type === 'STRUCT') {
    const record = value as Record<string, unknown>;
    return { f: (field.fields ?? []).map((sub) => ({ v: encodeCell(record[sub.name], sub) })) };
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function sendError(res: ServerResponse, error: FakeError): void {
  sendJson(res, error.status, {
    error: { code: error.status, message: error.message, errors: [{ domain: 'global', ...googleError(error) }] },
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
