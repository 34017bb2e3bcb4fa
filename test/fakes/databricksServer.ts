/**
 * A Databricks SQL warehouse fake for tests: the Thrift TCLIService over HTTPS on 127.0.0.1, built
 * from the driver's own generated Thrift code (so the wire format is exactly what @databricks/sql
 * speaks) and thrift's web server. Results are column-based TRowSets, paged over FetchResults.
 * Scriptable per test with setHandler; records every call so tests can assert on the wire.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { rowCount, rowsBetween, type FakeRows } from './lazyRows';

/* eslint-disable @typescript-eslint/no-require-imports */
// Untyped CommonJS modules (thrift has no typings here); the fake keeps their use small.
const thrift = require('thrift');
const TCLIService = require('@databricks/sql/thrift/TCLIService');
const T = require('@databricks/sql/thrift/TCLIService_types');
const Int64 = require('node-int64');

export type FakeColumnType =
  | 'BOOLEAN'
  | 'TINYINT'
  | 'SMALLINT'
  | 'INT'
  | 'BIGINT'
  | 'FLOAT'
  | 'DOUBLE'
  | 'STRING'
  | 'TIMESTAMP'
  | 'DATE'
  | 'DECIMAL'
  | 'BINARY'
  | 'ARRAY'
  | 'MAP'
  | 'STRUCT';

export interface FakeColumn {
  name: string;
  type: FakeColumnType;
  /** DECIMAL only. */
  precision?: number;
  scale?: number;
}

/** What the fake does with one statement. */
export type FakeAnswer =
  /**
   * Rows (lazy ones made as they are fetched), sent `batchSize` per FetchResults and at most the
   * request's maxRows (then the empty batch that ends a result). A FetchResults that starts at or
   * past `dropAtRow` drops every connection instead.
   */
  | { columns: FakeColumn[]; rows: FakeRows; batchSize?: number; dropAtRow?: number }
  /** An error: on ExecuteStatement's status (like a parse error), or as the operation's ERROR_STATE. */
  | { error: string; sqlState?: string; at?: 'execute' | 'status' }
  /** Keeps RUNNING until CancelOperation (then CANCELED); with honourTimeout, TIMEDOUT after queryTimeout. */
  | { hang: true; honourTimeout?: boolean }
  /** Drops every connection at the first FetchResults. */
  | { drop: true };

export interface FakeParam {
  name?: string;
  type?: string;
  value?: string;
}

export interface FakeStatement {
  statement: string;
  params: FakeParam[];
  /** queryTimeout on the wire, in seconds (undefined when not sent). */
  queryTimeout?: number;
  /** ExecuteStatement flags the driver sent. */
  runAsync: boolean;
  canReadArrowResult?: boolean;
}

export type FakeHandler = (statement: FakeStatement) => FakeAnswer;

/** One Thrift call as the fake received it. */
export interface FakeCall {
  method: string;
  /** The decoded request struct (TOpenSessionReq, TExecuteStatementReq, ...). */
  req: Record<string, unknown>;
}

export interface DatabricksFakeOptions {
  /** The token the fake accepts (Bearer); anything else gets authStatus. */
  token?: string;
  /** HTTP status for a refused token: 401 (default) or 403. */
  authStatus?: number;
  path?: string;
}

export interface DatabricksFake {
  host: string;
  port: number;
  path: string;
  token: string;
  /** Thrift calls in order. */
  calls: FakeCall[];
  /** Statements executed, in order. */
  statements: FakeStatement[];
  /** Authorization headers of every HTTP request. */
  authorizations: Array<string | undefined>;
  /** Result rows sent so far, over every FetchResults. */
  readonly rowsServed: number;
  setHandler(handler: FakeHandler): void;
  /** Names of the calls received, e.g. ['OpenSession', 'ExecuteStatement', ...]. */
  methods(): string[];
  close(): Promise<void>;
}

interface Operation {
  answer: FakeAnswer;
  statement: FakeStatement;
  cancelled: boolean;
  started: number;
  /** The first row the next FetchResults sends. */
  nextRow: number;
}

const SUCCESS = () => new T.TStatus({ statusCode: T.TStatusCode.SUCCESS_STATUS });
const FAKE_TLS_DIR = join(__dirname, 'tls');

/** The driver prints handle ids as UUIDs and rejects bytes that are not one. */
function newHandle(): { guid: Buffer; secret: Buffer } {
  const guid = Buffer.from(randomUUID().replace(/-/g, ''), 'hex');
  return { guid, secret: Buffer.from(guid) };
}

export async function startDatabricksFake(options: DatabricksFakeOptions = {}): Promise<DatabricksFake> {
  const token = options.token ?? 'dapi-fake-token';
  const path = options.path ?? '/sql/1.0/warehouses/fake';
  const calls: FakeCall[] = [];
  const statements: FakeStatement[] = [];
  const authorizations: Array<string | undefined> = [];
  const operations = new Map<string, Operation>();
  const sockets = new Set<Socket>();
  let handler: FakeHandler = () => ({ columns: [{ name: 'one', type: 'INT' }], rows: [[1]] });

  const record = (method: string, req: Record<string, unknown>) => calls.push({ method, req });
  const opOf = (req: { operationHandle?: { operationId?: { guid?: Buffer } } }) =>
    operations.get(req.operationHandle?.operationId?.guid?.toString('hex') ?? '');
  const dropAll = () => sockets.forEach((s) => s.destroy());
  let rowsServed = 0;

  const service = {
    OpenSession(req: Record<string, unknown>) {
      record('OpenSession', req);
      return new T.TOpenSessionResp({
        status: SUCCESS(),
        serverProtocolVersion: T.TProtocolVersion.SPARK_CLI_SERVICE_PROTOCOL_V8,
        sessionHandle: new T.TSessionHandle({ sessionId: new T.THandleIdentifier(newHandle()) }),
      });
    },
    CloseSession(req: Record<string, unknown>) {
      record('CloseSession', req);
      return new T.TCloseSessionResp({ status: SUCCESS() });
    },
    ExecuteStatement(req: Record<string, any>) {
      record('ExecuteStatement', req);
      const statement: FakeStatement = {
        statement: req.statement,
        params: (req.parameters ?? []).map((p: any) => ({
          name: p.name ?? undefined,
          type: p.type ?? undefined,
          value: p.value?.stringValue ?? undefined,
        })),
        queryTimeout: req.queryTimeout ? Number(req.queryTimeout.toNumber()) || undefined : undefined,
        runAsync: Boolean(req.runAsync),
        canReadArrowResult: req.canReadArrowResult ?? undefined,
      };
      statements.push(statement);
      const answer = handler(statement);
      if ('error' in answer && answer.at !== 'status') {
        return new T.TExecuteStatementResp({ status: errorStatus(answer.error, answer.sqlState) });
      }
      const handle = newHandle();
      operations.set(handle.guid.toString('hex'), {
        answer,
        statement,
        cancelled: false,
        started: Date.now(),
        nextRow: 0,
      });
      return new T.TExecuteStatementResp({
        status: SUCCESS(),
        operationHandle: new T.TOperationHandle({
          operationId: new T.THandleIdentifier(handle),
          operationType: T.TOperationType.EXECUTE_STATEMENT,
          hasResultSet: !('error' in answer),
        }),
      });
    },
    GetOperationStatus(req: Record<string, any>) {
      record('GetOperationStatus', req);
      const op = opOf(req);
      if (!op)
        return new T.TGetOperationStatusResp({
          status: errorStatus('Invalid OperationHandle', 'HY000', T.TStatusCode.INVALID_HANDLE_STATUS),
        });
      const { answer } = op;
      let state = T.TOperationState.FINISHED_STATE;
      const extra: Record<string, unknown> = {};
      if (op.cancelled) state = T.TOperationState.CANCELED_STATE;
      else if ('hang' in answer) {
        const timeout = op.statement.queryTimeout;
        const timedOut = answer.honourTimeout && timeout !== undefined && Date.now() - op.started >= timeout * 1000;
        state = timedOut ? T.TOperationState.TIMEDOUT_STATE : T.TOperationState.RUNNING_STATE;
      } else if ('error' in answer) {
        state = T.TOperationState.ERROR_STATE;
        Object.assign(extra, { errorMessage: answer.error, displayMessage: answer.error, sqlState: answer.sqlState });
      }
      return new T.TGetOperationStatusResp({
        status: SUCCESS(),
        operationState: state,
        hasResultSet: !('error' in answer),
        ...extra,
      });
    },
    CancelOperation(req: Record<string, any>) {
      record('CancelOperation', req);
      const op = opOf(req);
      if (op) op.cancelled = true;
      return new T.TCancelOperationResp({ status: SUCCESS() });
    },
    CloseOperation(req: Record<string, any>) {
      record('CloseOperation', req);
      return new T.TCloseOperationResp({ status: SUCCESS() });
    },
    GetResultSetMetadata(req: Record<string, any>) {
      record('GetResultSetMetadata', req);
      const op = opOf(req);
      const columns = resultColumns(op?.answer);
      return new T.TGetResultSetMetadataResp({
        status: SUCCESS(),
        schema: new T.TTableSchema({ columns: columns.map(columnDesc) }),
        resultFormat: T.TSparkRowSetType.COLUMN_BASED_SET,
      });
    },
    FetchResults(req: Record<string, any>) {
      record('FetchResults', req);
      const op = opOf(req);
      if (op && 'drop' in op.answer) {
        dropAll();
        return new Promise(() => undefined);
      }
      const answer: { columns: FakeColumn[]; rows: FakeRows; batchSize?: number; dropAtRow?: number } =
        op && 'columns' in op.answer ? op.answer : { columns: [], rows: [], batchSize: 1 };
      const start = op?.nextRow ?? 0;
      if (answer.dropAtRow !== undefined && start >= answer.dropAtRow) {
        dropAll();
        return new Promise(() => undefined);
      }
      if (op?.cancelled) {
        return new T.TFetchResultsResp({ status: errorStatus('The operation was cancelled', 'HY008') });
      }
      const asked = Number(req.maxRows?.toNumber?.() ?? req.maxRows) || Number.POSITIVE_INFINITY;
      const size = Math.max(1, Math.min(answer.batchSize ?? (rowCount(answer.rows) || 1), asked));
      const rows = rowsBetween(answer.rows, start, start + size);
      rowsServed += rows.length;
      if (op) op.nextRow += rows.length;
      // The driver reads "more rows" from hasMoreRows OR a non-empty batch, so a result ends with an empty batch.
      return new T.TFetchResultsResp({
        status: SUCCESS(),
        hasMoreRows: rows.length > 0,
        results: new T.TRowSet({
          startRowOffset: new Int64(start),
          rows: [],
          columns: answer.columns.map((c, i) =>
            encodeColumn(
              c,
              rows.map((r) => r[i]),
            ),
          ),
        }),
      });
    },
  };

  const tls = { key: readFileSync(join(FAKE_TLS_DIR, 'key.pem')), cert: readFileSync(join(FAKE_TLS_DIR, 'cert.pem')) };
  const server: Server = thrift.createWebServer({
    tls,
    services: {
      [path]: {
        transport: thrift.TBufferedTransport,
        protocol: thrift.TBinaryProtocol,
        processor: TCLIService,
        handler: service,
      },
    },
  });
  // Check the token before thrift's own request listener sees the call.
  const thriftListeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    authorizations.push(req.headers.authorization);
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(options.authStatus ?? 401, { 'Content-Type': 'text/plain' });
      res.end('Invalid access token.');
      return;
    }
    thriftListeners.forEach((listener) => listener.call(server, req, res));
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    path,
    token,
    calls,
    statements,
    authorizations,
    get rowsServed() {
      return rowsServed;
    },
    setHandler: (h) => (handler = h),
    methods: () => calls.map((c) => c.method),
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}

/** The result's columns; a statement that hangs or drops still announces one, as a real SELECT would. */
function resultColumns(answer: FakeAnswer | undefined): FakeColumn[] {
  if (!answer || 'error' in answer) return [];
  return 'columns' in answer ? answer.columns : [{ name: 'value', type: 'STRING' }];
}

function errorStatus(message: string, sqlState?: string, statusCode = T.TStatusCode.ERROR_STATUS) {
  return new T.TStatus({ statusCode, errorMessage: message, displayMessage: message, sqlState: sqlState ?? null });
}

function columnDesc(column: FakeColumn, index: number) {
  const typeQualifiers =
    column.type === 'DECIMAL'
      ? new T.TTypeQualifiers({
          qualifiers: {
            precision: new T.TTypeQualifierValue({ i32Value: column.precision ?? 38 }),
            scale: new T.TTypeQualifierValue({ i32Value: column.scale ?? 0 }),
          },
        })
      : undefined;
  return new T.TColumnDesc({
    columnName: column.name,
    position: index + 1,
    typeDesc: new T.TTypeDesc({
      types: [
        new T.TTypeEntry({
          primitiveEntry: new T.TPrimitiveTypeEntry({ type: T.TTypeId[`${column.type}_TYPE`], typeQualifiers }),
        }),
      ],
    }),
  });
}

/** One TColumn: values in the Thrift field for the type, with a null bitmap (bit i set = row i is NULL). */
function encodeColumn(column: FakeColumn, cells: unknown[]) {
  const nulls = Buffer.alloc(Math.ceil(cells.length / 8));
  cells.forEach((cell, i) => {
    if (cell === null || cell === undefined) nulls[i >> 3] |= 1 << (i % 8);
  });
  const values = (fill: unknown, map: (v: unknown) => unknown) =>
    cells.map((c) => (c === null || c === undefined ? fill : map(c)));
  switch (column.type) {
    case 'BOOLEAN':
      return new T.TColumn({ boolVal: new T.TBoolColumn({ values: values(false, Boolean), nulls }) });
    case 'TINYINT':
      return new T.TColumn({ byteVal: new T.TByteColumn({ values: values(0, Number), nulls }) });
    case 'SMALLINT':
      return new T.TColumn({ i16Val: new T.TI16Column({ values: values(0, Number), nulls }) });
    case 'INT':
      return new T.TColumn({ i32Val: new T.TI32Column({ values: values(0, Number), nulls }) });
    case 'BIGINT':
      return new T.TColumn({ i64Val: new T.TI64Column({ values: values(new Int64(0), toInt64), nulls }) });
    case 'FLOAT':
    case 'DOUBLE':
      return new T.TColumn({ doubleVal: new T.TDoubleColumn({ values: values(0, Number), nulls }) });
    case 'BINARY':
      return new T.TColumn({
        binaryVal: new T.TBinaryColumn({ values: values(Buffer.alloc(0), (v) => Buffer.from(v as Uint8Array)), nulls }),
      });
    default:
      // STRING, TIMESTAMP, DATE, DECIMAL and complex types travel as text (complex types as JSON).
      return new T.TColumn({
        stringVal: new T.TStringColumn({
          values: values('', (v) => (typeof v === 'string' ? v : JSON.stringify(v))),
          nulls,
        }),
      });
  }
}

function toInt64(value: unknown) {
  if (typeof value === 'bigint' || typeof value === 'string') {
    const buffer = Buffer.alloc(8);
    buffer.writeBigInt64BE(BigInt(value));
    return new Int64(buffer);
  }
  return new Int64(Number(value));
}
