/**
 * A fake Snowflake service on 127.0.0.1 that speaks the REST protocol snowflake-sdk uses
 * (checked against snowflake-sdk 3.3's sources): login, query, abort, result chunks, telemetry
 * and session delete. Tests script the answer to each statement and read back what arrived.
 *
 *   POST /session/v1/login-request?warehouse=&databaseName=&schemaName=&roleName=&requestId=
 *        body (often gzip) {data: {ACCOUNT_NAME, LOGIN_NAME, PASSWORD | TOKEN, AUTHENTICATOR, ...}}
 *   POST /queries/v1/query-request?requestId=   body {sqlText, bindings, parameters, ...}
 *   POST /queries/v1/abort-request              body {requestId}   (or /queries/<id>/abort-request)
 *   GET  /chunks/<queryId>/<n>                  rows as JSON arrays joined by commas, no brackets
 *   POST /telemetry/send, POST /session?delete=true
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { rowCount, rowsBetween, type FakeRows } from './lazyRows';

/** A column as Snowflake describes it in `rowtype` (lower-case type names: fixed, real, text, ...). */
export interface FakeColumn {
  name: string;
  type: string;
  scale?: number;
  precision?: number;
  nullable?: boolean;
}

/** Cells go over the wire as Snowflake's JSON result format writes them: strings or null. */
export type WireCell = string | null;

export type FakeAnswer =
  /**
   * A result; rows beyond `firstChunkRows` are served as separate chunks of `chunkRows` rows
   * (made when fetched, for lazy rows). A chunk fetch from row `dropAtRow` on destroys the socket.
   */
  | {
      columns: FakeColumn[];
      rows: FakeRows<WireCell>;
      firstChunkRows?: number;
      chunkRows?: number;
      dropAtRow?: number;
    }
  /** A failed statement, as Snowflake reports it (e.g. code '002003', sqlState '42S02'). */
  | { error: { code: string; message: string; sqlState?: string } }
  /** Hold the request open until an abort-request for it arrives, then answer 000604. */
  | { hang: true }
  /** Destroy the socket without answering (a dropped connection). */
  | { drop: true };

export interface FakeQuery {
  sqlText: string;
  bindings?: Record<string, { type: string; value: unknown }>;
  parameters?: Record<string, unknown>;
  requestId: string;
  /** `retryCount` the driver put in the URL when it resent the request (0 for the first try). */
  retryCount: number;
}

export interface FakeLogin {
  accountName?: string;
  loginName?: string;
  authenticator?: string;
  password?: string;
  token?: string;
  query: Record<string, string>;
}

export type LoginAnswer = { ok: true } | { error: { code: string; message: string } };

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface SnowflakeFakeOptions {
  /** When set, password logins must use it (otherwise 390100, as Snowflake answers). */
  password?: string;
  /** Session parameters sent at login and with every result (merged over realistic defaults). */
  parameters?: Record<string, unknown>;
}

export interface SnowflakeFake {
  url: string;
  port: number;
  /** Every request, in arrival order, with its body decoded. */
  requests: FakeRequest[];
  logins: FakeLogin[];
  queries: FakeQuery[];
  /** Request ids named by abort requests (or query ids for the post-exec form). */
  aborts: string[];
  chunkFetches: string[];
  /** Rows sent so far, in the first answer and in chunks. */
  readonly rowsServed: number;
  sessionDeletes: number;
  setHandler(handler: (query: FakeQuery) => FakeAnswer | Promise<FakeAnswer>): void;
  setLoginHandler(handler: (login: FakeLogin) => LoginAnswer): void;
  close(): Promise<void>;
}

/** What a real account sends; the driver needs the formats (binary, timestamps) to read results. */
const DEFAULT_PARAMETERS: Record<string, unknown> = {
  TIMEZONE: 'America/Los_Angeles',
  TIMESTAMP_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
  TIMESTAMP_NTZ_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3',
  TIMESTAMP_LTZ_OUTPUT_FORMAT: '',
  TIMESTAMP_TZ_OUTPUT_FORMAT: '',
  DATE_OUTPUT_FORMAT: 'YYYY-MM-DD',
  TIME_OUTPUT_FORMAT: 'HH24:MI:SS',
  BINARY_OUTPUT_FORMAT: 'HEX',
  CLIENT_RESULT_CHUNK_SIZE: 160,
  QUERY_CONTEXT_CACHE_SIZE: 5,
};

export async function startSnowflakeFake(options: SnowflakeFakeOptions = {}): Promise<SnowflakeFake> {
  const parameters = Object.entries({ ...DEFAULT_PARAMETERS, ...options.parameters }).map(([name, value]) => ({
    name,
    value,
  }));
  let handler: (query: FakeQuery) => FakeAnswer | Promise<FakeAnswer> = () => ({ columns: [], rows: [] });
  let loginHandler = (login: FakeLogin): LoginAnswer =>
    options.password !== undefined &&
    (login.authenticator ?? 'SNOWFLAKE') === 'SNOWFLAKE' &&
    login.password !== options.password
      ? { error: { code: '390100', message: 'Incorrect username or password was specified.' } }
      : { ok: true };
  const hanging = new Map<string, (answer: unknown) => void>();
  /** Each chunk as where its rows are, made when it is fetched. */
  const chunks = new Map<string, { rows: FakeRows<WireCell>; start: number; end: number; drop: boolean }>();
  let rowsServed = 0;
  const sockets = new Set<Socket>();
  let queryCounter = 0;

  const fake: Omit<SnowflakeFake, 'url' | 'port' | 'close' | 'rowsServed'> = {
    requests: [],
    logins: [],
    queries: [],
    aborts: [],
    chunkFetches: [],
    sessionDeletes: 0,
    setHandler: (h) => (handler = h),
    setLoginHandler: (h) => (loginHandler = h),
  };

  const server = createServer((req, res) => {
    void readBody(req).then(
      (body) => route(req, res, body),
      () => res.destroy(),
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function route(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    fake.requests.push({ method: req.method ?? '', path: url.pathname, query, headers: req.headers, body });
    const json = body as Record<string, any> | undefined;

    if (url.pathname === '/session/v1/login-request') {
      const data = json?.data ?? {};
      const login: FakeLogin = {
        accountName: data.ACCOUNT_NAME,
        loginName: data.LOGIN_NAME,
        authenticator: data.AUTHENTICATOR,
        password: data.PASSWORD,
        token: data.TOKEN,
        query,
      };
      fake.logins.push(login);
      const answer = loginHandler(login);
      if ('error' in answer)
        return send(res, {
          success: false,
          code: answer.error.code,
          message: answer.error.message,
          data: { nextAction: 'RETRY_LOGIN' },
        });
      return send(res, {
        success: true,
        code: null,
        message: null,
        data: {
          token: `session-${fake.logins.length}`,
          masterToken: `master-${fake.logins.length}`,
          validityInSeconds: 3600,
          masterValidityInSeconds: 14400,
          sessionId: 1000 + fake.logins.length,
          parameters,
          sessionInfo: {
            databaseName: query.databaseName,
            schemaName: query.schemaName,
            warehouseName: query.warehouse,
            roleName: query.roleName,
          },
        },
      });
    }
    if (url.pathname === '/queries/v1/query-request') {
      const q: FakeQuery = {
        sqlText: json?.sqlText,
        bindings: json?.bindings,
        parameters: json?.parameters,
        requestId: query.requestId,
        retryCount: Number(query.retryCount ?? 0),
      };
      fake.queries.push(q);
      const queryId = `01fake-${++queryCounter}`;
      let answer: FakeAnswer;
      try {
        answer = await handler(q);
      } catch (err) {
        answer = { error: { code: '000603', message: `Fake handler failed: ${String(err)}`, sqlState: 'XX000' } };
      }
      if ('drop' in answer) return void req.socket.destroy();
      if ('hang' in answer) {
        hanging.set(q.requestId, (reply) => send(res, reply));
        res.on('close', () => hanging.delete(q.requestId));
        return;
      }
      if ('error' in answer)
        return send(res, failure(answer.error.code, answer.error.message, answer.error.sqlState, queryId));
      return send(res, result(answer, queryId, `http://127.0.0.1:${port}`));
    }
    const abort = /^\/queries\/(?:v1|([^/]+))\/abort-request$/.exec(url.pathname);
    if (abort) {
      const id = abort[1] ?? json?.requestId;
      fake.aborts.push(id);
      const reply = hanging.get(id);
      if (reply) {
        hanging.delete(id);
        reply(failure('000604', 'SQL execution canceled', '57014', 'aborted'));
      }
      return send(res, { success: true, code: null, message: null, data: null });
    }
    const chunk = /^\/chunks\/(.+)$/.exec(url.pathname);
    if (chunk && req.method === 'GET') {
      fake.chunkFetches.push(chunk[1]);
      const found = chunks.get(chunk[1]);
      if (!found) return send(res, { message: 'no such chunk' }, 404);
      if (found.drop) return void req.socket.destroy();
      const rows = rowsBetween(found.rows, found.start, found.end);
      rowsServed += rows.length;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      return void res.end(rows.map((r) => JSON.stringify(r)).join(','));
    }
    if (url.pathname === '/telemetry/send') return send(res, { success: true, code: null, message: null, data: null });
    if (url.pathname === '/session' && query.delete === 'true') {
      fake.sessionDeletes++;
      return send(res, { success: true, code: null, message: null, data: null });
    }
    return send(
      res,
      { success: false, code: '000404', message: `fake: no route for ${req.method} ${url.pathname}` },
      404,
    );
  }

  function result(answer: Extract<FakeAnswer, { columns: FakeColumn[] }>, queryId: string, base: string): unknown {
    const total = rowCount(answer.rows);
    const first = Math.min(total, answer.firstChunkRows ?? total);
    const per = Math.max(1, answer.chunkRows ?? total);
    const chunkList: { url: string; rowCount: number; uncompressedSize: number; compressedSize: number }[] = [];
    for (let start = first, n = 0; start < total; start += per, n++) {
      const end = Math.min(total, start + per);
      const drop = answer.dropAtRow !== undefined && start >= answer.dropAtRow;
      chunks.set(`${queryId}/${n}`, { rows: answer.rows, start, end, drop });
      chunkList.push({
        url: `${base}/chunks/${queryId}/${n}`,
        rowCount: end - start,
        uncompressedSize: 1,
        compressedSize: 1,
      });
    }
    const firstRows = rowsBetween(answer.rows, 0, first);
    rowsServed += firstRows.length;
    return {
      success: true,
      code: null,
      message: null,
      data: {
        parameters,
        rowtype: answer.columns.map((c) => ({
          name: c.name,
          type: c.type,
          scale: c.scale ?? (c.type === 'fixed' ? 0 : c.type.startsWith('timestamp') ? 9 : null),
          precision: c.precision ?? (c.type === 'fixed' ? 38 : null),
          nullable: c.nullable ?? true,
          length: c.type === 'text' ? 16777216 : null,
          byteLength: c.type === 'text' ? 16777216 : null,
          database: '',
          schema: '',
          table: '',
          collation: null,
        })),
        rowset: firstRows,
        total,
        returned: total,
        queryId,
        queryResultFormat: 'json',
        chunks: chunkList.length ? chunkList : undefined,
        chunkHeaders: chunkList.length ? { 'x-fake-chunk-key': `key-${queryId}` } : undefined,
        statementTypeId: 4096,
        version: 1,
        finalDatabaseName: 'DB',
        finalSchemaName: 'HIGHTOUCH_AUDIT',
        finalWarehouseName: 'WH',
        finalRoleName: 'ROLE',
      },
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    ...fake,
    get sessionDeletes() {
      return fake.sessionDeletes;
    },
    get rowsServed() {
      return rowsServed;
    },
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function failure(code: string, message: string, sqlState: string | undefined, queryId: string): unknown {
  return {
    success: false,
    code,
    message,
    data: { sqlState, queryId, errorCode: code, internalError: false, age: 0 },
    headers: null,
  };
}

function send(res: ServerResponse, body: unknown, status = 200): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The driver gzips request bodies, but only when compression finished before axios sent them. */
async function readBody(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  let raw = Buffer.concat(parts);
  if (!raw.length) return undefined;
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return raw.toString('utf8');
  }
}
