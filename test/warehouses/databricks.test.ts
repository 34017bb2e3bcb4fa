/**
 * The Databricks adapter through the real @databricks/sql driver against the TLS Thrift fake:
 * what is proven here is the glue (auth, TLS, binds, types, paging, cancel, timeout, errors).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startDatabricksFake, type DatabricksFake } from '../fakes/databricksServer';
import { openDatabricksWarehouse, type DatabricksConfig } from '../../src/warehouse/databricks/databricksWarehouse';
import { QueryCancelledError, type Warehouse } from '../../src/warehouse/warehouse';
import { WarehouseError } from '../../src/warehouse/warehouseError';

let fake: DatabricksFake;

const config = (extra: Partial<DatabricksConfig> = {}): DatabricksConfig => ({
  host: fake.host,
  port: fake.port,
  path: fake.path,
  auth: 'personalAccessToken',
  token: fake.token,
  insecureTls: true,
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  assert.fail('expected a rejection');
}

describe('databricks warehouse (real driver, fake Thrift server)', () => {
  before(async () => {
    fake = await startDatabricksFake();
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
    fake.statements.length = 0;
    fake.authorizations.length = 0;
  });

  it('opens a session eagerly (protocol >= V8, UTC, namespace) and closes it', async () => {
    const warehouse = await openDatabricksWarehouse(config({ catalog: 'main', schema: 'hightouch_audit' }));
    assert.deepEqual(fake.methods(), ['OpenSession']);
    const open = fake.calls[0].req as {
      client_protocol_i64: { toNumber(): number };
      configuration: Record<string, string>;
      initialNamespace: { catalogName: string; schemaName: string };
    };
    assert.ok(open.client_protocol_i64.toNumber() >= 42248, 'asks for SPARK_CLI_SERVICE_PROTOCOL_V8 or later');
    assert.equal(open.configuration.TIMEZONE, 'UTC');
    assert.equal(open.configuration.STATEMENT_TIMEOUT, undefined);
    assert.equal(open.initialNamespace.catalogName, 'main');
    assert.equal(open.initialNamespace.schemaName, 'hightouch_audit');
    assert.equal(fake.authorizations[0], `Bearer ${fake.token}`);
    await warehouse.close();
    assert.equal(fake.methods().at(-1), 'CloseSession');
  });

  it('a refused token fails at open with authFailed and a message without the token', async () => {
    for (const status of [401, 403]) {
      const strict = await startDatabricksFake({ authStatus: status });
      try {
        const token = 'dapi-wrong-token-123456';
        const err = await rejection(openDatabricksWarehouse({ ...config(), port: strict.port, token }));
        assert.ok(err instanceof WarehouseError, String(err));
        assert.equal(err.authFailed, true);
        assert.equal(err.code, `HTTP_${status}`);
        assert.match(err.message, /refused the token/);
        assert.ok(!err.message.includes(token));
      } finally {
        await strict.close();
      }
    }
  });

  it('checks the server certificate unless insecureTls is set', async () => {
    const err = await rejection(openDatabricksWarehouse(config({ insecureTls: false })));
    assert.ok(err instanceof WarehouseError, String(err));
    assert.match(err.message, /TLS certificate/);
    assert.equal(err.authFailed, false);
    assert.ok(!fake.methods().includes('OpenSession'), 'no Thrift call got through');
  });

  it('binds values as :p1..:pn with explicit types on the wire', async () => {
    const warehouse = await openDatabricksWarehouse(config());
    try {
      await warehouse.query('select :p1, :p2, :p3, :p4, :p5, :p6', [42, 2 ** 40, 'sync-7', true, null, 1.5]);
      const [statement] = fake.statements;
      assert.equal(statement.statement, 'select :p1, :p2, :p3, :p4, :p5, :p6');
      assert.deepEqual(statement.params, [
        { name: 'p1', type: 'INTEGER', value: '42' },
        { name: 'p2', type: 'BIGINT', value: String(2 ** 40) },
        { name: 'p3', type: 'STRING', value: 'sync-7' },
        { name: 'p4', type: 'BOOLEAN', value: 'TRUE' },
        { name: 'p5', type: undefined, value: undefined },
        { name: 'p6', type: 'DOUBLE', value: '1.5' },
      ]);
      assert.equal(statement.canReadArrowResult, false, 'asks for column-based results');
    } finally {
      await warehouse.close();
    }
  });

  it('normalises result types from the column-based result', async () => {
    fake.setHandler(() => ({
      columns: [
        { name: 'ts', type: 'TIMESTAMP' },
        { name: 'd', type: 'DATE' },
        { name: 'n', type: 'BIGINT' },
        { name: 'amount', type: 'DECIMAL', precision: 10, scale: 2 },
        { name: 'x', type: 'DOUBLE' },
        { name: 'ok', type: 'BOOLEAN' },
        { name: 's', type: 'STRING' },
        { name: 'tags', type: 'ARRAY' },
        { name: 'fields', type: 'MAP' },
        { name: 'raw', type: 'BINARY' },
      ],
      rows: [
        [
          '2026-11-01 10:00:00.123456',
          '2026-11-01',
          9007199254740991,
          '12.50',
          0.25,
          true,
          'hello',
          ['a', 'b'],
          { k: 'v' },
          Buffer.from([0xde, 0xad]),
        ],
        [null, null, null, null, null, null, null, null, null, null],
      ],
    }));
    const warehouse = await openDatabricksWarehouse(config());
    try {
      const result = await warehouse.query('select * from t');
      assert.deepEqual(
        result.columns.map((c) => `${c.name}:${c.type}`),
        [
          'ts:timestamp',
          'd:date',
          'n:bigint',
          'amount:decimal(10,2)',
          'x:double',
          'ok:boolean',
          's:string',
          'tags:array',
          'fields:map',
          'raw:binary',
        ],
      );
      assert.deepEqual(result.rows[0], [
        '2026-11-01T10:00:00.123456Z',
        '2026-11-01',
        9007199254740991,
        12.5,
        0.25,
        true,
        'hello',
        ['a', 'b'],
        { k: 'v' },
        '\\xdead',
      ]);
      assert.deepEqual(result.rows[1], Array(10).fill(null));
      assert.equal(result.rowCount, 2);
      assert.equal(result.truncated, false);
    } finally {
      await warehouse.close();
    }
  });

  it('pages through several FetchResults batches and keeps maxRows rows with the true count', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => [i + 1, `row ${i + 1}`]);
    fake.setHandler(() => ({
      columns: [
        { name: 'id', type: 'INT' },
        { name: 'label', type: 'STRING' },
      ],
      rows,
      batchSize: 2,
    }));
    const warehouse = await openDatabricksWarehouse(config());
    try {
      const all = await warehouse.query('select id, label from t');
      assert.deepEqual(all.rows, rows);
      assert.equal(all.rowCount, 7);
      const fetches = fake.methods().filter((m) => m === 'FetchResults').length;
      assert.ok(fetches >= 4, `4 data batches and the closing empty one, got ${fetches}`);

      const capped = await warehouse.query('select id, label from t', [], { maxRows: 3 });
      assert.deepEqual(capped.rows, rows.slice(0, 3));
      // Read no further than the cap and one more row: "at least 4", not a count of the whole result.
      assert.equal(capped.rowCount, 4);
      assert.equal(capped.rowCountExact, false);
      assert.equal(capped.truncated, true);
      const exact = await warehouse.query('select id, label from t', [], { maxRows: 7 });
      assert.equal(exact.rowCount, 7);
      assert.equal(exact.rowCountExact, undefined);
      assert.equal(exact.truncated, false);
    } finally {
      await warehouse.close();
    }
  });

  it('an abort sends CancelOperation and rejects with QueryCancelledError within 2 s', async () => {
    fake.setHandler(() => ({ hang: true }));
    const warehouse = await openDatabricksWarehouse(config());
    try {
      const controller = new AbortController();
      const running = warehouse.query('select sleep(600)', [], { signal: controller.signal });
      let abortedAt = 0;
      setTimeout(() => {
        abortedAt = Date.now();
        controller.abort();
      }, 300);
      const err = await rejection(running);
      assert.ok(err instanceof QueryCancelledError, String(err));
      // The adapter gives the server 2 s to acknowledge; the slack is for a loaded machine.
      assert.ok(Date.now() - abortedAt < 3500, 'rejects within about 2 s of the abort');
      assert.ok(fake.methods().includes('CancelOperation'), 'the cancel reached the server');
    } finally {
      await warehouse.close();
    }
  });

  it('applies the statement timeout on the server (session + queryTimeout) and cancels on the client', async () => {
    fake.setHandler(() => ({ hang: true }));
    const warehouse = await openDatabricksWarehouse(config(), { statementTimeoutMs: 400 });
    try {
      const open = fake.calls[0].req as { configuration: Record<string, string> };
      assert.equal(open.configuration.STATEMENT_TIMEOUT, '1');
      const err = await rejection(warehouse.query('select sleep(600)'));
      assert.ok(err instanceof QueryCancelledError, String(err));
      assert.match(err.message, /timeout/);
      assert.match(err.message, /syncLogs\.queryTimeoutSeconds/);
      assert.equal(fake.statements[0].queryTimeout, 1);
      assert.ok(fake.methods().includes('CancelOperation'));
    } finally {
      await warehouse.close();
    }
  });

  it('maps a server-side timeout (TIMEDOUT_STATE) to QueryCancelledError', async () => {
    fake.setHandler(() => ({ hang: true, honourTimeout: true }));
    // The client timer is longer than the server's whole-second timeout, so the server stops it first.
    const warehouse = await openDatabricksWarehouse(config(), { statementTimeoutMs: 1000 });
    try {
      const err = await rejection(warehouse.query('select sleep(600)'));
      assert.ok(err instanceof QueryCancelledError, String(err));
      assert.match(err.message, /syncLogs\.queryTimeoutSeconds/);
    } finally {
      await warehouse.close();
    }
  });

  it('maps a syntax error with its position, and a missing table to the schema hint', async () => {
    const syntax =
      "[PARSE_SYNTAX_ERROR] Syntax error at or near 'form'. SQLSTATE: 42601 (line 2, pos 9)\n\n== SQL ==\nselect *\n  select form t\n---------^^^";
    const missing =
      '[TABLE_OR_VIEW_NOT_FOUND] The table or view `hightouch_audit`.`sync_runs` cannot be found. Verify the spelling. SQLSTATE: 42P01; line 1 pos 14';
    fake.setHandler((s) =>
      s.statement.includes('form')
        ? { error: syntax, sqlState: '42601' }
        : { error: missing, sqlState: '42P01', at: 'status' },
    );
    const warehouse = await openDatabricksWarehouse(config());
    try {
      const parse = await rejection(warehouse.query('select *\n  select form t'));
      assert.ok(parse instanceof WarehouseError, String(parse));
      assert.equal(parse.code, 'PARSE_SYNTAX_ERROR');
      assert.match(parse.message, /Syntax error at or near 'form'/);
      assert.match(parse.message, /line 2, column 10/);

      const table = await rejection(warehouse.query('select * from hightouch_audit.sync_runs'));
      assert.ok(table instanceof WarehouseError, String(table));
      assert.equal(table.code, 'TABLE_OR_VIEW_NOT_FOUND');
      assert.match(table.message, /syncLogs\.schema/);
      assert.match(table.message, /sync logs are enabled/);
      assert.equal(table.connectionLost, false);
    } finally {
      await warehouse.close();
    }
  });

  it('reports a connection dropped mid-query as connectionLost', async () => {
    fake.setHandler(() => ({ drop: true }));
    const warehouse: Warehouse = await openDatabricksWarehouse(config());
    try {
      const err = await rejection(warehouse.query('select * from big'));
      assert.ok(err instanceof WarehouseError, String(err));
      assert.equal(err.connectionLost, true);
      assert.match(err.message, /connection .* was lost/);
    } finally {
      await warehouse.close().catch(() => undefined);
    }
  });
});
