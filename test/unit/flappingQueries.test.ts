import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Parser } from 'node-sql-parser';
import { DIALECT_KINDS, dialectFor, type DialectKind } from '../../src/sql/dialects';
import type { Dialect, SqlQuery } from '../../src/sql/dialect';
import type { SyncLogLocation } from '../../src/sql/syncLogTables';
import { documentedShape, type SyncLogShape } from '../../src/sql/syncLogShape';
import { flappingRowsQuery, type FlappingOrderBy } from '../../src/sql/flappingQueries';
import { DEFAULT_STUCK_MIN_FAILURES, stuckRowsQuery } from '../../src/sql/stuckRowsQueries';
import { placeholders } from '../support/placeholders';
import { PARSER_DB, forParser } from '../support/sqlParser';

// The retry-aware flapping ranking and the stuck-rows query in every dialect: bound values,
// one window-function scan of the changelog, run order by run start, and SQL that parses.

const DIALECTS = DIALECT_KINDS.map(dialectFor);
const SINCE = '2026-11-01T10:00:00.000Z';
const DATABASE: Record<DialectKind, string | undefined> = {
  postgres: undefined,
  redshift: 'analytics',
  snowflake: 'analytics',
  bigquery: 'my-project',
  databricks: 'analytics',
};
const legacyShape: SyncLogShape = { ...documentedShape(false), failureReason: 'failed_reason', fromCatalog: true };
const locFor = (d: Dialect, shape?: SyncLogShape, database = DATABASE[d.name]): SyncLogLocation => ({
  dialect: d,
  schema: 'hightouch_audit',
  database,
  shape,
});
const ORDERS: FlappingOrderBy[] = ['flapping', 'retries', 'operations', 'changes', 'cycles'];

function queries(loc: SyncLogLocation): Record<string, SqlQuery> {
  const out: Record<string, SqlQuery> = {};
  for (const orderBy of ORDERS) {
    out[`flapping-${orderBy}`] = flappingRowsQuery(loc, { syncId: '4', orderBy, limit: 100 });
    out[`flapping-${orderBy}-since`] = flappingRowsQuery(loc, { syncId: '4', since: SINCE, orderBy, limit: 100 });
  }
  out.stuck = stuckRowsQuery(loc, { syncId: '4', minFailures: 3, limit: 100 });
  out.stuckSince = stuckRowsQuery(loc, { syncId: '4', minFailures: 5, since: SINCE, limit: 50 });
  return out;
}

test('placeholders are numbered in order of appearance and match the values, in every dialect', () => {
  for (const d of DIALECTS) {
    for (const [name, q] of Object.entries(queries(locFor(d)))) {
      const used = placeholders(d, q.text);
      assert.deepEqual(
        used,
        q.values.map((_, i) => i + 1),
        `${d.name} ${name}`,
      );
    }
    assert.deepEqual(queries(locFor(d)).stuckSince.values, ['4', SINCE], d.name);
  }
});

test('hostile ids are bound, never in the text; K and the limit are validated integers', () => {
  const hostile = "4'; drop table x; --";
  for (const d of DIALECTS) {
    for (const q of [
      flappingRowsQuery(locFor(d), { syncId: hostile, since: SINCE, orderBy: 'flapping', limit: 10 }),
      stuckRowsQuery(locFor(d), { syncId: hostile, minFailures: 3, limit: 10 }),
    ]) {
      assert.ok(!q.text.includes(hostile), d.name);
      assert.ok(q.values.includes(hostile), d.name);
    }
  }
  const pg = locFor(dialectFor('postgres'));
  assert.throws(() => stuckRowsQuery(pg, { syncId: '4', minFailures: 0, limit: 10 }), /minimum failures/);
  assert.throws(() => stuckRowsQuery(pg, { syncId: '4', minFailures: 2.5, limit: 10 }), /minimum failures/);
  assert.throws(() => stuckRowsQuery(pg, { syncId: '4', minFailures: 3, limit: -1 }), /Invalid limit/);
  assert.throws(() => stuckRowsQuery(pg, { syncId: '4', minFailures: 3, since: 'soon', limit: 10 }), /Invalid "since"/);
  assert.throws(
    () => flappingRowsQuery(pg, { syncId: '4', since: 'soon', orderBy: 'flapping', limit: 10 }),
    /Invalid "since"/,
  );
  assert.throws(
    () => flappingRowsQuery(pg, { syncId: '4', orderBy: 'attempts' as FlappingOrderBy, limit: 10 }),
    /Invalid flapping order/,
  );
  assert.match(
    stuckRowsQuery(pg, { syncId: '4', minFailures: 7, limit: 25 }).text,
    /where s\.failures >= 7\n[\s\S]*where kind_rank <= 25\n/,
  );
  assert.equal(DEFAULT_STUCK_MIN_FAILURES, 3);
});

test("one scan of the sync's changelog, joined to its runs on sync_run_id, ordered by run start then run id", () => {
  for (const d of DIALECTS) {
    const t = (table: string) => d.table('hightouch_audit', table, DATABASE[d.name]);
    for (const [name, q] of Object.entries(queries(locFor(d)))) {
      assert.equal(q.text.split(t('sync_changelog')).length - 1, 1, `${d.name} ${name}: one changelog scan`);
      assert.ok(q.text.includes(`from ${t('sync_changelog')} c\n`), `${d.name} ${name}`);
      assert.ok(q.text.includes(`join ${t('sync_runs')} r on r.sync_run_id = c.sync_run_id\n`), `${d.name} ${name}`);
      assert.doesNotMatch(q.text, /sync_id = [a-z]+\.sync_id/, `${d.name} ${name}: never joined on sync_id`);
      assert.doesNotMatch(q.text, /count\(case[^)]*else 0/i, `${d.name} ${name}: the dbt package's bug`);
      assert.doesNotMatch(q.text, /\bleast\(|\bgreatest\(|qualify/i, `${d.name} ${name}: one text for every dialect`);
    }
    const f = queries(locFor(d))['flapping-flapping-since'].text;
    assert.match(
      f,
      /lag\(c\.status\) over \(partition by c\.row_id order by r\.started_at, c\.sync_run_id\) as prev_status/,
      d.name,
    );
    // The window sees the whole sync: the time filter comes after it, so a row failing before the window still retries in it.
    assert.ok(f.indexOf(`o.started_at >= ${d.timestampParam(d.param(2))}`) > f.indexOf('lag('), d.name);
    assert.match(f, /count\(case when o\.prev_status in \('failed', 'aborted'\) then 1 end\) as retries/, d.name);
    assert.match(
      f,
      /count\(case when o\.op_type = 'changed' and o\.status = 'succeeded' and \(o\.prev_status is null or o\.prev_status not in \('failed', 'aborted'\)\) then 1 end\) as changes/,
      d.name,
    );
    assert.match(f, /\norder by flapping desc, operations desc, row_id\n/, d.name);
    const s = queries(locFor(d)).stuck.text;
    // Every window of the scan shares one partition and order (one sort); aggregates over an ordered window name their frame (Redshift requires it).
    const windows = [...s.matchAll(/over \(partition by c\.row_id order by ([^)]*)\)/g)].map((m) => m[1]);
    assert.equal(windows.length, 3, d.name);
    for (const w of windows)
      assert.match(
        w,
        /^r\.started_at desc, c\.sync_run_id desc( rows between unbounded preceding and current row)?$/,
        d.name,
      );
    assert.match(s, /first_value\(c\.status\) over \([^)]* rows between unbounded preceding and current row\)/, d.name);
    assert.match(
      s,
      /count\(case when c\.status <> 'failed' then 1 end\) over \([^)]* rows between unbounded preceding and current row\) as breaks/,
      d.name,
    );
    assert.doesNotMatch(s, /recovered_at >=/, `${d.name}: no window, every recovery`);
    assert.match(
      queries(locFor(d)).stuckSince.text,
      new RegExp(`s\\.recovered_at >= ${d.timestampParam(d.param(2)).replace(/[()$?]/g, '\\$&')}\\)\\)`),
      d.name,
    );
  }
});

test('failed_reason deployments: the stuck query reads the column by its name', () => {
  for (const d of DIALECTS) {
    const text = stuckRowsQuery(locFor(d, legacyShape), { syncId: '4', minFailures: 3, limit: 10 }).text;
    assert.match(text, /c\.failed_reason as reason/, d.name);
    assert.doesNotMatch(text, /c\.failure_reason/, d.name);
  }
});

for (const d of DIALECTS) {
  test(`the flapping and stuck-rows ${d.name} SQL parses (node-sql-parser '${PARSER_DB[d.name]}')`, () => {
    const parser = new Parser();
    const database = d.name === 'databricks' ? undefined : DATABASE[d.name];
    for (const shape of [undefined, legacyShape]) {
      for (const [name, q] of Object.entries(queries({ dialect: d, schema: 'hightouch_audit', database, shape }))) {
        assert.doesNotThrow(
          () => parser.astify(forParser(d, q.text), { database: PARSER_DB[d.name] }),
          `${d.name} ${name}:\n${q.text}`,
        );
      }
    }
  });
}
