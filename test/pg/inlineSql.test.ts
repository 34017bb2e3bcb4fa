import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { PostgresServer } from '../support/postgresServer';
import { startDemoPostgres } from '../support/demoPostgres';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { postgresDialect, redshiftDialect } from '../../src/sql/dialects';
import { inlineSql, sqlValueLiteral } from '../../src/sql/inlineSql';
import { warehouseRunner } from '../../src/loaders/queryRunner';
import { QueryRecord } from '../../src/panels/panelLoad';
import { loadBreakdown, loadBreakdownDetails, loadDrill } from '../../src/loaders/breakdownLoader';
import { loadFlapping, loadFlappingActivity } from '../../src/loaders/flappingLoader';
import { loadModelOverTime } from '../../src/loaders/modelOverTimeLoader';
import { loadTimeline } from '../../src/loaders/timelineLoader';
import { loadHealth } from '../../src/loaders/healthLoader';
import { loadRunExplained } from '../../src/loaders/runExplainedLoader';
import { loadStuckRows } from '../../src/loaders/stuckRowsLoader';
import { DEFAULT_CATEGORIES, compileCategories } from '../../src/analysis/errorCategories';

// Show SQL's promise on a real Postgres holding the demo: the text with its values inlined returns
// exactly the rows the bound query returned, for the queries the panels' loaders really run (recorded
// the way the panels record them), including a row id full of quotes, backslashes, placeholders and
// line breaks. And each literal form means its value under standard_conforming_strings on and off.

const HOSTILE_ROW_ID = "o'hara \\ $1 ? @p1 :p1 -- /* \n\r\u2028 \u202e é 中 \\'; drop table x; --";

let server: PostgresServer;
let wh: Warehouse;
let syncId: string;
let runId: string;
const cats = compileCategories(DEFAULT_CATEGORIES);

/** Rows as sorted JSON lines, so two answers compare whatever order the plan returned them in. */
const canonical = (rows: unknown[][]) =>
  rows.map((r) => JSON.stringify(r, (_k, v) => (v instanceof Date ? v.toISOString() : v))).sort();

before(async () => {
  ({ server, wh } = await startDemoPostgres());
  const [row] = (
    await wh.query(
      "select c.sync_id, c.sync_run_id from hightouch_audit.sync_changelog c where c.status = 'failed' group by 1, 2 order by count(*) desc limit 1",
      [],
    )
  ).rows;
  syncId = String(row[0]);
  runId = String(row[1]);
  // A row whose id is hostile text, stored through bound values, in a real run of the busiest failing sync.
  await wh.query(
    "insert into hightouch_audit.sync_changelog (sync_id, sync_run_id, op_type, row_id, status, failure_reason) values ($1, $2, 'added', $3, 'failed', $4)",
    [syncId, runId, HOSTILE_ROW_ID, `rejected: ${HOSTILE_ROW_ID}`],
  );
});

after(async () => {
  await wh?.close();
  await server?.stop();
});

describe('inlined analysis queries return the rows of their bound form', () => {
  test('every query the loaders run, recorded as the panels record them', async () => {
    const record = new QueryRecord(1);
    const run = record.wrap(warehouseRunner(wh, { dialect: postgresDialect, schema: 'hightouch_audit' }), 'test');
    const breakdown = await loadBreakdown(run, { syncId, syncRunId: null, source: 'changelog', days: 7 }, cats);
    await loadBreakdownDetails(run, breakdown, 'changelog', cats);
    const top = breakdown.data.categories[0];
    assert.ok(top, 'the busiest failing sync has a category');
    await loadDrill(run, breakdown, 'changelog', cats, { category: top.name });
    await loadFlappingActivity(run, await loadFlapping(run, { syncId, days: null, orderBy: 'operations' }));
    await loadModelOverTime(run, { syncId, days: 30 });
    const timeline = await loadTimeline(run, { rowId: HOSTILE_ROW_ID, syncId });
    assert.ok(timeline.events.length >= 1, 'the hostile row has its operation');
    await loadHealth(run, { days: 7, minFailures: 3, now: new Date() });
    await loadRunExplained(run, runId);
    await loadStuckRows(run, { syncId }, 3);

    const queries = record.queries;
    assert.ok(queries.length >= 10, `the loaders ran ${queries.length} queries`);
    let withValues = 0;
    let withHostile = 0;
    for (const { query } of queries) {
      const inlined = inlineSql(query, postgresDialect);
      if (query.values.length) {
        withValues++;
        // Inlining again with no values throws on any placeholder the first pass left behind.
        assert.equal(inlineSql({ text: inlined, values: [] }, postgresDialect), inlined);
      }
      if (query.values.includes(HOSTILE_ROW_ID)) withHostile++;
      const bound = await wh.query(query.text, query.values, { maxRows: 1_000_000 });
      const literal = await wh.query(inlined, [], { maxRows: 1_000_000 });
      assert.deepEqual(
        literal.columns.map((c) => c.name),
        bound.columns.map((c) => c.name),
      );
      assert.deepEqual(canonical(literal.rows), canonical(bound.rows), `same rows for:\n${inlined.slice(0, 600)}`);
    }
    assert.ok(withValues >= 8, `${withValues} of the queries bind values`);
    assert.ok(withHostile >= 1, 'the hostile row id went through at least one query');
  });
});

describe('each literal form is its value on a real server, whatever standard_conforming_strings says', () => {
  const VALUES = [HOSTILE_ROW_ID, '\\', 'a\\', "'", "''", '\\x41\\101 \\n', '\t\u0001\u0085\u2029', "E'x'", '$$ $1 $$'];

  for (const setting of ['on', 'off']) {
    test(`standard_conforming_strings ${setting}: postgres and redshift forms`, async () => {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        await client.query(`set standard_conforming_strings = ${setting}`);
        // Redshift's form (no backslash inside any literal, chr() for the rest) is plain SQL Postgres also reads.
        for (const dialect of [postgresDialect, redshiftDialect]) {
          for (const v of VALUES) {
            const literal = sqlValueLiteral(v, dialect);
            const { rows } = await client.query(`select (${literal}) = $1 as same, (${literal}) as got`, [v]);
            assert.equal(
              rows[0].same,
              true,
              `${dialect.name} ${JSON.stringify(v)} as ${literal} read ${JSON.stringify(rows[0].got)}`,
            );
          }
        }
      } finally {
        await client.end();
      }
    });
  }
});
