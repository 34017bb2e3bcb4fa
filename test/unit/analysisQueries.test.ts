import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Parser } from 'node-sql-parser';
import type { Dialect, SqlQuery } from '../../src/sql/dialect';
import {
  bigqueryDialect,
  databricksDialect,
  DIALECT_KINDS,
  dialectFor,
  postgresDialect,
  redshiftDialect,
  snowflakeDialect,
  type DialectKind,
} from '../../src/sql/dialects/index';
import { documentedShape, type SyncLogShape } from '../../src/sql/syncLogShape';
import type { SyncLogLocation } from '../../src/sql/syncLogTables';
import { scopeConditions, type AnalysisScope } from '../../src/sql/analysisScope';
import { binder } from '../../src/sql/binds';
import { newestRunQuery, scopeRunsQuery } from '../../src/sql/scopeRunsQuery';
import {
  failedRowsQuery,
  failureTextHistoryQuery,
  failureTextsQuery,
  failuresPerRunQuery,
  MAX_FAILED_ROWS_TEXTS,
  snapshotFailureTextsQuery,
} from '../../src/sql/errorBreakdownQueries';
import {
  flappingRowsQuery,
  MAX_ACTIVITY_ROWS,
  rowActivityQuery,
  rowsWithOperationsQuery,
} from '../../src/sql/flappingQueries';
import { modelOpsPerRunQuery, snapshotCountQuery } from '../../src/sql/modelOverTimeQueries';
import { rowSnapshotQuery, rowTimelineQuery } from '../../src/sql/rowTimelineQuery';
import { placeholders } from '../support/placeholders';
import { PARSER_DB, forParser } from '../support/sqlParser';

const DATABASE: Record<DialectKind, string | undefined> = {
  postgres: undefined,
  redshift: 'analytics',
  snowflake: 'analytics',
  bigquery: 'my-project',
  databricks: 'analytics',
};
const DIALECTS = DIALECT_KINDS.map(dialectFor);
const SINCE = '2026-11-01T10:00:00.000Z';
const locFor = (d: Dialect, shape?: SyncLogShape, database = DATABASE[d.name]): SyncLogLocation => ({
  dialect: d,
  schema: 'hightouch_audit',
  database,
  shape,
});
const legacyShape: SyncLogShape = { ...documentedShape(false), failureReason: 'failed_reason', fromCatalog: true };

/** Every builder with every optional part set, so every placeholder path is written. */
function allQueries(loc: SyncLogLocation): Record<string, SqlQuery> {
  const scope: AnalysisScope = { syncId: '4', syncRunId: '9', since: SINCE };
  return {
    scopeRuns: scopeRunsQuery(loc, scope, 500),
    scopeRunsAll: scopeRunsQuery(loc, {}, 500),
    newestRun: newestRunQuery(loc, '4'),
    newestRunAll: newestRunQuery(loc),
    failureTexts: failureTextsQuery(loc, scope, 1000),
    failureTextsSince: failureTextsQuery(loc, { syncId: '4', since: SINCE }, 1000),
    snapshotFailureTexts: snapshotFailureTextsQuery(loc, { syncId: '4' }, 1000),
    failureTextHistory: failureTextHistoryQuery(loc, { syncId: '4' }, 1000),
    failureTextHistoryAll: failureTextHistoryQuery(loc, {}, 1000),
    failuresPerRun: failuresPerRunQuery(loc, { syncId: '4', since: SINCE }, 5000),
    failedRowsChangelog: failedRowsQuery(loc, { scope, source: 'changelog', texts: ['a', "b'c"], limit: 200 }),
    failedRowsSnapshot: failedRowsQuery(loc, { scope: { syncId: '4' }, source: 'snapshot', texts: ['a'], limit: 200 }),
    failedRowsSnapshotRun: failedRowsQuery(
      { ...loc, shape: { ...(loc.shape ?? documentedShape()), snapshotHasRunId: true } },
      { scope: { syncId: '4' }, source: 'snapshot', texts: ['a', 'b'], limit: 200 },
    ),
    flappingOps: flappingRowsQuery(loc, { syncId: '4', since: SINCE, orderBy: 'operations', limit: 100 }),
    flappingChanges: flappingRowsQuery(loc, { syncId: '4', orderBy: 'changes', limit: 100 }),
    flappingCycles: flappingRowsQuery(loc, { syncId: '4', orderBy: 'cycles', limit: 100 }),
    flappingDefault: flappingRowsQuery(loc, { syncId: '4', since: SINCE, orderBy: 'flapping', limit: 100 }),
    rowActivity: rowActivityQuery(loc, { syncId: '4', since: SINCE, rowIds: ['r1', 'r2', 'r3'] }),
    rowsWithOperations: rowsWithOperationsQuery(loc, { syncId: '4', since: SINCE }),
    modelOps: modelOpsPerRunQuery(loc, { syncId: '4', since: SINCE }),
    modelOpsAll: modelOpsPerRunQuery(loc, { syncId: '4' }),
    snapshotCount: snapshotCountQuery(loc, '4'),
    rowTimeline: rowTimelineQuery(loc, { rowId: 'r1', syncId: '4', limit: 500 }),
    rowTimelineAll: rowTimelineQuery(loc, { rowId: 'r1', limit: 500 }),
    rowSnapshot: rowSnapshotQuery(loc, { rowId: 'r1', syncId: '4' }),
    rowSnapshotAll: rowSnapshotQuery(loc, { rowId: 'r1' }),
  };
}

test('placeholders match values in every builder and dialect, numbered in order of appearance', () => {
  for (const d of DIALECTS) {
    for (const [name, q] of Object.entries(allQueries(locFor(d)))) {
      const used = placeholders(d, q.text);
      const distinct = [...new Set(used)];
      assert.deepEqual(
        distinct,
        q.values.map((_, i) => i + 1),
        `${d.name} ${name}: every value has one placeholder, in order`,
      );
      assert.equal(used.length, distinct.length, `${d.name} ${name}: no placeholder reused`);
    }
  }
});

test('values are bound, never spliced: hostile ids and texts stay out of the SQL', () => {
  const hostile = "x' or '1'='1";
  for (const d of DIALECTS) {
    const loc = locFor(d);
    const qs = [
      failureTextsQuery(loc, { syncId: hostile, syncRunId: hostile }, 10),
      failedRowsQuery(loc, { scope: { syncId: hostile }, source: 'changelog', texts: [hostile], limit: 10 }),
      flappingRowsQuery(loc, { syncId: hostile, orderBy: 'operations', limit: 10 }),
      rowActivityQuery(loc, { syncId: hostile, rowIds: [hostile] }),
      rowTimelineQuery(loc, { rowId: hostile, limit: 10 }),
      modelOpsPerRunQuery(loc, { syncId: hostile }),
    ];
    for (const q of qs) {
      assert.ok(!q.text.includes(hostile), d.name);
      assert.ok(q.values.includes(hostile), d.name);
    }
  }
});

test('limits: bound on Postgres, literals elsewhere; +1 where the caller detects truncation', () => {
  const pg = locFor(postgresDialect);
  // Texts, then overlap pairs: each asks for one more than it reads.
  assert.deepEqual(failureTextsQuery(pg, {}, 1000, 50).values, [1001, 51]);
  assert.equal(failureTextHistoryQuery(pg, {}, 10).values.at(-1), 11);
  assert.equal(failuresPerRunQuery(pg, {}, 10).values.at(-1), 11);
  assert.equal(snapshotFailureTextsQuery(pg, {}, 10).values.at(-1), 11);
  assert.equal(rowTimelineQuery(pg, { rowId: 'r', limit: 10 }).values.at(-1), 11);
  assert.equal(flappingRowsQuery(pg, { syncId: 's', orderBy: 'operations', limit: 10 }).values.at(-1), 10);
  assert.equal(scopeRunsQuery(pg, {}, 10).values.at(-1), 10);
  for (const d of [redshiftDialect, snowflakeDialect, bigqueryDialect, databricksDialect]) {
    assert.match(
      failureTextsQuery(locFor(d), {}, 1000, 50).text,
      /\n {2}limit 1001\n\) texts_part\n[^]*\n {2}limit 51\n\) pairs_part$/,
      d.name,
    );
    assert.match(failureTextHistoryQuery(locFor(d), {}, 1000).text, /\nlimit 1001$/, d.name);
    assert.match(
      flappingRowsQuery(locFor(d), { syncId: 's', orderBy: 'cycles', limit: 25 }).text,
      /\nlimit 25$/,
      d.name,
    );
    assert.throws(() => failureTextsQuery(locFor(d), {}, 1.5), /Invalid limit/, d.name);
  }
});

test('identifiers: tables qualified and quoted per dialect', () => {
  for (const d of DIALECTS) {
    const t = (table: string) => d.table('hightouch_audit', table, DATABASE[d.name]);
    const q = allQueries(locFor(d));
    assert.ok(q.failureTexts.text.includes(`from ${t('sync_changelog')} c\n  where`), d.name);
    assert.ok(
      q.failureTextHistory.text.includes(
        `from ${t('sync_changelog')} c\njoin ${t('sync_runs')} r on r.sync_run_id = c.sync_run_id\nwhere`,
      ),
      d.name,
    );
    assert.ok(q.snapshotFailureTexts.text.includes(`from ${t('sync_snapshot')} s`), d.name);
    assert.ok(q.scopeRuns.text.includes(`from ${t('sync_runs')} r`), d.name);
    assert.ok(q.flappingOps.text.includes(`from ${t('sync_changelog')} c`), d.name);
    assert.ok(q.flappingOps.text.includes(`join ${t('sync_runs')} r on r.sync_run_id = c.sync_run_id`), d.name);
  }
  assert.ok(
    allQueries(locFor(snowflakeDialect)).failureTexts.text.includes('"ANALYTICS"."HIGHTOUCH_AUDIT"."SYNC_CHANGELOG" c'),
  );
  assert.ok(allQueries(locFor(bigqueryDialect)).scopeRuns.text.includes('`my-project.hightouch_audit.sync_runs` r'));
  assert.ok(
    allQueries(locFor(redshiftDialect)).rowSnapshot.text.includes('"analytics"."hightouch_audit"."sync_snapshot" s'),
  );
  assert.throws(
    () => failureTextsQuery({ dialect: postgresDialect, schema: 'a; drop table x' }, {}, 10),
    /Invalid identifier/,
  );
});

test('time: `since` is bound and converted by the dialect; every changelog-to-runs link is sync_run_id', () => {
  const expectedCast: Record<DialectKind, (p: string) => string> = {
    postgres: (p) => `cast(${p} as timestamptz)`,
    redshift: (p) => `cast(${p} as timestamptz)`,
    snowflake: (p) => `to_timestamp_tz(${p})`,
    bigquery: (p) => `timestamp(${p})`,
    databricks: (p) => `to_timestamp(${p})`,
  };
  for (const d of DIALECTS) {
    assert.equal(d.timestampParam(d.param(3)), expectedCast[d.name](d.param(3)), d.name);
    const q = allQueries(locFor(d));
    // Joined: the time filter is on the joined run; not joined: a semi-join on sync_run_id.
    assert.ok(q.failureTextsSince.text.includes(`wr.started_at >= ${d.timestampParam(d.param(3))}`), d.name);
    assert.ok(q.failuresPerRun.text.includes(`and c.sync_run_id in (select wr.sync_run_id from `), d.name);
    assert.ok(q.failuresPerRun.text.includes(`wr.started_at >= ${d.timestampParam(d.param(3))}`), d.name);
    assert.ok(q.failuresPerRun.values.includes(SINCE));
    for (const [name, query] of Object.entries(q)) {
      for (const on of query.text.match(/ on [^\n]*/g) ?? []) {
        assert.match(on, /^ on r\.sync_run_id = [cs]\.sync_run_id$/, `${d.name} ${name}`);
      }
      assert.doesNotMatch(query.text, /sync_id = [a-z]+\.sync_id/, `${d.name} ${name}: never joined on sync_id`);
    }
  }
  assert.throws(() => failureTextsQuery(locFor(postgresDialect), { since: 'last tuesday-ish' }, 10), /Invalid "since"/);
});

test('scopeConditions binds in text order (Snowflake `?` is positional)', () => {
  const b = binder(snowflakeDialect);
  const conditions = scopeConditions(
    locFor(snowflakeDialect),
    b,
    { syncId: 's', syncRunId: 'r', since: SINCE },
    { rows: 'c' },
  );
  assert.deepEqual(conditions.slice(0, 2), ['c.sync_id = ?', 'c.sync_run_id = ?']);
  assert.match(conditions[2], /wr\.sync_id = \? and wr\.started_at >= to_timestamp_tz\(\?\)\)$/);
  assert.deepEqual(b.query('').values, ['s', 'r', 's', SINCE]);
});

test('failureTextsQuery: one changelog scan, grouped once by (text, row) and read three ways (golden Postgres SQL)', () => {
  const q = failureTextsQuery(locFor(postgresDialect), { syncId: '4', since: SINCE }, 1000);
  assert.equal(
    q.text,
    `with per_row as (
  select c.failure_reason, c.sync_id, c.row_id, count(*) as n,
    count(*) over (partition by c.sync_id, c.row_id) as texts,
    row_number() over (partition by c.sync_id, c.row_id order by c.failure_reason) as nth
  from hightouch_audit.sync_changelog c
  where c.status = 'failed'
    and c.sync_id = $1
    and c.sync_run_id in (select wr.sync_run_id from hightouch_audit.sync_runs wr where wr.sync_id = $2 and wr.started_at >= cast($3 as timestamptz))
  group by c.failure_reason, c.sync_id, c.row_id
)
select * from (
  select cast('text' as varchar) as kind, failure_reason, sum(n) as failures, count(*) as failed_rows, cast(null as varchar) as sync_id, cast(null as varchar) as row_id
  from per_row
  group by failure_reason
  order by failed_rows desc, failures desc, failure_reason
  limit $4
) texts_part
union all
select cast('total' as varchar), cast(null as varchar), sum(n), sum(case when nth = 1 then 1 else 0 end), cast(null as varchar), cast(null as varchar)
from per_row
union all
select * from (
  select cast('pair' as varchar) as kind, failure_reason, n as failures, texts as failed_rows, cast(sync_id as varchar) as sync_id, cast(row_id as varchar) as row_id
  from per_row
  where texts > 1
  order by per_row.sync_id, per_row.row_id, failure_reason
  limit $5
) pairs_part`,
  );
  assert.deepEqual(q.values, ['4', '4', SINCE, 1001, 200_001]);
  for (const d of DIALECTS) {
    const text = failureTextsQuery(locFor(d), { syncId: '4', since: SINCE }, 10).text;
    assert.equal(text.match(/sync_changelog/gi)?.length, 1, `${d.name}: one changelog scan`);
    // One aggregate over the changelog; the others read its small result.
    assert.equal(text.match(/group by c\./g)?.length, 1, d.name);
    assert.doesNotMatch(text, /regexp|rlike| ~ |\bjoin\b/i, d.name);
    // The window is a semi-join on the small runs table, never a second changelog scan.
    assert.doesNotMatch(text, /\(select[^)]*sync_changelog/i, `${d.name}: no changelog subquery`);
  }
});

test('failed_reason deployments: the column is read by its name and returned as failure_reason', () => {
  for (const d of DIALECTS) {
    const q = allQueries(locFor(d, legacyShape));
    for (const name of [
      'failureTexts',
      'snapshotFailureTexts',
      'failureTextHistory',
      'failuresPerRun',
      'failedRowsChangelog',
      'failedRowsSnapshot',
      'rowTimeline',
    ]) {
      const text = q[name].text;
      assert.match(text, /[cs]\.failed_reason as failure_reason/, `${d.name} ${name}`);
      // failure_reason appears only as an output alias (and, in the breakdown, as its CTE's
      // column read back by name), never as a column of a table.
      assert.doesNotMatch(text, /[a-z]\.failure_reason/, `${d.name} ${name}`);
      if (name !== 'failureTexts')
        assert.doesNotMatch(text.replace(/as failure_reason/g, ''), /failure_reason/, `${d.name} ${name}`);
    }
    assert.match(q.failureTexts.text, /group by c\.failed_reason, c\.sync_id, c\.row_id\n/, d.name);
    assert.match(q.failureTexts.text, /order by c\.failed_reason\) as nth/, d.name);
    assert.match(
      q.failureTextHistory.text,
      /group by c\.failed_reason\norder by first_seen desc, c\.failed_reason/,
      d.name,
    );
    assert.match(q.failedRowsChangelog.text, /and c\.failed_reason in \(/, d.name);
  }
});

test('fields: selected where the deployment has them, absent on Redshift and without the column', () => {
  for (const d of DIALECTS) {
    const text = rowTimelineQuery(locFor(d), { rowId: 'r', limit: 10 }).text;
    assert.equal(/\bfields\b/.test(text), d.name !== 'redshift', d.name);
    assert.doesNotMatch(
      rowTimelineQuery(locFor(d, documentedShape(false)), { rowId: 'r', limit: 10 }).text,
      /\bfields\b/,
      d.name,
    );
  }
  assert.match(rowTimelineQuery(locFor(postgresDialect), { rowId: 'r', limit: 10 }).text, /, c\.fields\nfrom /);
  // Oldest first by run time, then run id.
  assert.match(
    rowTimelineQuery(locFor(postgresDialect), { rowId: 'r', limit: 10 }).text,
    /order by r\.started_at desc, c\.sync_run_id desc\n/,
  );
});

test('bound IN lists are capped: 500 failure texts, 200 row ids; empty lists are refused', () => {
  const loc = locFor(postgresDialect);
  const texts = Array.from({ length: MAX_FAILED_ROWS_TEXTS }, (_, i) => `t${i}`);
  assert.equal(MAX_FAILED_ROWS_TEXTS, 500);
  const q = failedRowsQuery(loc, { scope: {}, source: 'changelog', texts, limit: 10 });
  assert.equal(q.values.length, 501);
  assert.throws(
    () => failedRowsQuery(loc, { scope: {}, source: 'changelog', texts: [...texts, 'one more'], limit: 10 }),
    /Too many failure texts: 501 \(at most 500/,
  );
  assert.throws(
    () => failedRowsQuery(loc, { scope: {}, source: 'snapshot', texts: [...texts, 'x'], limit: 10 }),
    /Too many failure texts/,
  );
  assert.throws(
    () => failedRowsQuery(loc, { scope: {}, source: 'changelog', texts: [], limit: 10 }),
    /No failure texts/,
  );
  assert.equal(MAX_ACTIVITY_ROWS, 200);
  const ids = Array.from({ length: 200 }, (_, i) => `r${i}`);
  assert.equal(rowActivityQuery(loc, { syncId: 's', rowIds: ids }).values.length, 201);
  assert.throws(() => rowActivityQuery(loc, { syncId: 's', rowIds: [...ids, 'x'] }), /Too many row ids: 201/);
  assert.throws(() => rowActivityQuery(loc, { syncId: 's', rowIds: [] }), /No row ids/);
});

test('failedRowsQuery on the snapshot: NULL run columns, or the run when the snapshot has sync_run_id', () => {
  for (const d of DIALECTS) {
    const q = allQueries(locFor(d));
    assert.ok(
      q.failedRowsSnapshot.text.includes(
        `cast(null as ${d.stringType}) as sync_run_id, cast(null as timestamp) as started_at`,
      ),
      d.name,
    );
    assert.doesNotMatch(q.failedRowsSnapshot.text, /sync_runs|SYNC_RUNS/, d.name);
    assert.match(q.failedRowsSnapshotRun.text, /left join .* r on r\.sync_run_id = s\.sync_run_id/, d.name);
    assert.match(
      q.failedRowsSnapshotRun.text,
      /select s\.row_id, s\.sync_id, s\.sync_run_id, r\.started_at, s\.op_type, s\.failure_reason/,
      d.name,
    );
    assert.match(q.failedRowsChangelog.text, /order by r\.started_at desc, c\.sync_run_id desc, c\.row_id\n/, d.name);
  }
});

test('flapping: counts with sum(case ... else 0), cycles as a CASE, one aggregate, stable ties', () => {
  for (const d of DIALECTS) {
    const q = allQueries(locFor(d));
    for (const text of [q.flappingOps.text, q.modelOps.text]) {
      assert.doesNotMatch(text, /count\(case[^)]*else 0/i, `${d.name}: the dbt package's bug`);
      assert.equal(text.match(/group by/g)?.length, 1, d.name);
      assert.doesNotMatch(text, /least\(/i, d.name);
    }
    // One window (lag, for retries) over the changelog, none over the grouped rows (rowsWithOperationsQuery counts them).
    assert.equal(q.flappingOps.text.match(/ over \(/g)?.length, 1, d.name);
    assert.match(
      q.rowsWithOperations.text,
      /^select count\(\*\) as row_count\nfrom \(\n {2}select c\.row_id\n/,
      d.name,
    );
    assert.match(q.flappingOps.text, /\norder by operations desc, row_id\n/, d.name);
    assert.match(q.flappingDefault.text, /\norder by flapping desc, operations desc, row_id\n/, d.name);
    assert.match(q.flappingChanges.text, /\norder by changes desc, operations desc, row_id\n/, d.name);
    assert.match(
      q.flappingCycles.text,
      /\norder by case when entries < exits then entries else exits end desc, operations desc, row_id\n/,
      d.name,
    );
    assert.match(
      q.flappingOps.text,
      /^select row_id, operations, retries, changes, entries, exits, changes \+ case when entries < exits then entries else exits end as flapping\n/,
      d.name,
    );
    assert.match(q.rowActivity.text, /sum\(case when c\.status = 'failed' then 1 else 0 end\) as failures/, d.name);
  }
  assert.throws(
    () => flappingRowsQuery(locFor(postgresDialect), { syncId: 's', orderBy: 'chaos' as 'cycles', limit: 1 }),
    /Invalid flapping order/,
  );
});

test('modelOpsPerRunQuery: the seven per-run counters (what is left to retry is derived)', () => {
  const text = modelOpsPerRunQuery(locFor(postgresDialect), { syncId: '4' }).text;
  for (const [alias, cond] of [
    ['added', "c.op_type = 'added'"],
    ['changed', "c.op_type = 'changed'"],
    ['removed', "c.op_type = 'removed'"],
    ['failed', "c.status = 'failed'"],
    ['aborted', "c.status = 'aborted'"],
    ['ok_added', "c.op_type = 'added' and c.status = 'succeeded'"],
    ['ok_removed', "c.op_type = 'removed' and c.status = 'succeeded'"],
  ]) {
    assert.ok(text.includes(`sum(case when ${cond} then 1 else 0 end) as ${alias}`), alias);
  }
  assert.equal(text.match(/sum\(/g)?.length, 7);
  assert.match(text, /group by c\.sync_run_id/);
});

// ---- Parsing (as in dialects.test.ts): see test/support/sqlParser.ts for the parser's gaps.
for (const d of DIALECTS) {
  test(`every analysis builder's ${d.name} SQL parses (node-sql-parser '${PARSER_DB[d.name]}')`, () => {
    const parser = new Parser();
    // (A default parameter would turn an explicit undefined back into the catalog.)
    const database = d.name === 'databricks' ? undefined : DATABASE[d.name];
    for (const shape of [undefined, legacyShape]) {
      for (const [name, q] of Object.entries(allQueries({ dialect: d, schema: 'hightouch_audit', database, shape }))) {
        assert.doesNotThrow(
          () => parser.astify(forParser(d, q.text), { database: PARSER_DB[d.name] }),
          `${d.name} ${name}:\n${q.text}`,
        );
      }
    }
  });
}
