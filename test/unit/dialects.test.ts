import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Parser } from 'node-sql-parser';
import type { Dialect } from '../../src/sql/dialect';
import { postgresDialect as reexported } from '../../src/sql/dialect';
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
import { driverBinds } from '../../src/sql/binds';
import { latestRowSql } from '../../src/sql/latestRow';
import { listRunsQuery, listSyncsQuery, runFailuresQuery } from '../../src/sql/treeQueries';
import { runChangelogSql } from '../../src/sql/runQueryText';
import type { SyncLogLocation } from '../../src/sql/syncLogTables';

const DATABASE: Record<DialectKind, string | undefined> = {
  postgres: undefined,
  redshift: 'analytics',
  snowflake: 'analytics',
  bigquery: 'my-project',
  databricks: 'analytics',
};
const locFor = (d: Dialect, database = DATABASE[d.name]): SyncLogLocation => ({
  dialect: d,
  schema: 'hightouch_audit',
  database,
});

const failuresGolden = (
  from: string,
  p1: string,
  p2: string,
  limit: string,
) => `select failure_reason, count(*) as row_count, min(row_id) as sample_row_id
from ${from}
where sync_id = ${p1} and sync_run_id = ${p2} and status = 'failed'
group by failure_reason
order by row_count desc, failure_reason
limit ${limit}`;

test('runFailuresQuery: golden SQL and values per dialect', () => {
  const cases: [Dialect, string, string, string, string, unknown[]][] = [
    [postgresDialect, 'hightouch_audit.sync_changelog', '$1', '$2', '$3', ['4', '9', 11]],
    [redshiftDialect, '"analytics"."hightouch_audit"."sync_changelog"', '$1', '$2', '11', ['4', '9']],
    [snowflakeDialect, '"ANALYTICS"."HIGHTOUCH_AUDIT"."SYNC_CHANGELOG"', '?', '?', '11', ['4', '9']],
    [bigqueryDialect, '`my-project.hightouch_audit.sync_changelog`', '@p1', '@p2', '11', ['4', '9']],
    [databricksDialect, '`analytics`.`hightouch_audit`.`sync_changelog`', ':p1', ':p2', '11', ['4', '9']],
  ];
  for (const [d, from, p1, p2, limit, values] of cases) {
    const q = runFailuresQuery(locFor(d), '4', '9', 10);
    assert.equal(q.text, failuresGolden(from, p1, p2, limit), d.name);
    assert.deepEqual(q.values, values, d.name);
  }
});

test('listRunsQuery and listSyncsQuery: limits bound on Postgres, integer literals elsewhere', () => {
  for (const d of [redshiftDialect, snowflakeDialect, bigqueryDialect, databricksDialect]) {
    const runs = listRunsQuery(locFor(d), 'abc', 50, 50);
    assert.match(runs.text, /\nlimit 51 offset 50$/, d.name);
    assert.deepEqual(runs.values, ['abc'], d.name);
    assert.ok(runs.text.includes(`where sync_id = ${d.param(1)}\n`), d.name);
    const syncs = listSyncsQuery(locFor(d), 500);
    assert.match(syncs.text, /\nlimit 500$/, d.name);
    assert.deepEqual(syncs.values, []);
    assert.ok(syncs.text.includes(`from ${d.table('hightouch_audit', 'sync_runs', DATABASE[d.name])} r\n`), d.name);
  }
  assert.deepEqual(listRunsQuery(locFor(postgresDialect), 'abc', 50, 50).values, ['abc', 51, 50]);
  for (const d of DIALECT_KINDS.map(dialectFor)) {
    assert.throws(() => listSyncsQuery(locFor(d), 1.5), /Invalid limit 1.5/, d.name);
    assert.throws(() => listRunsQuery(locFor(d), 'x', -1, 10), /Invalid offset -1/, d.name);
    assert.throws(() => listSyncsQuery(locFor(d), '5; drop table x' as unknown as number), /Invalid limit/, d.name);
  }
});

test('Snowflake ? placeholders: one per value, in order of appearance', () => {
  const loc = locFor(snowflakeDialect);
  for (const q of [listSyncsQuery(loc), listRunsQuery(loc, 's', 0, 10), runFailuresQuery(loc, 's', 'r', 5)]) {
    assert.equal(q.text.split('?').length - 1, q.values.length);
  }
});

test('runChangelogSql per dialect: literals, table names, no fields on Redshift', () => {
  const sql = (d: Dialect) =>
    runChangelogSql({
      dialect: d,
      schema: 'hightouch_audit',
      database: DATABASE[d.name],
      syncId: "4'8",
      syncRunId: '9001',
      modelName: 'm',
      destination: 'braze',
      startedAt: null,
      limit: 100,
    });
  assert.match(sql(postgresDialect), /where c\.sync_id = '4''8'/);
  assert.match(sql(redshiftDialect), /where c\.sync_id = '4''8'/);
  assert.doesNotMatch(sql(redshiftDialect), /fields/);
  assert.match(
    sql(redshiftDialect),
    /from "analytics"\."hightouch_audit"\."sync_changelog" c\njoin "analytics"\."hightouch_audit"\."sync_runs" r on r\.sync_run_id = c\.sync_run_id/,
  );
  for (const d of [snowflakeDialect, bigqueryDialect, databricksDialect]) {
    const s = sql(d);
    assert.ok(s.includes("where c.sync_id = '4\\'8'"), d.name);
    assert.ok(s.includes('  c.fields,'), d.name);
    assert.ok(s.endsWith('limit 100;\n'), d.name);
  }
  assert.match(sql(snowflakeDialect), /from "ANALYTICS"\."HIGHTOUCH_AUDIT"\."SYNC_CHANGELOG" c/);
  assert.match(
    sql(bigqueryDialect),
    /join `my-project\.hightouch_audit\.sync_runs` r on r\.sync_run_id = c\.sync_run_id/,
  );
  assert.throws(
    () =>
      runChangelogSql({
        dialect: postgresDialect,
        schema: 's',
        syncId: '1',
        syncRunId: '2',
        modelName: 'm',
        destination: 'd',
        startedAt: null,
        limit: NaN,
      }),
    /Invalid limit/,
  );
});

test('identifiers: validated everywhere, quoted and folded per dialect', () => {
  assert.equal(reexported, postgresDialect, 'src/sql/dialect still exports postgresDialect');
  assert.equal(postgresDialect.table('hightouch_audit', 'sync_runs'), 'hightouch_audit.sync_runs');
  assert.equal(postgresDialect.table('s', 't', 'Db'), '"Db".s.t');
  assert.equal(redshiftDialect.table('hightouch_audit', 'sync_runs'), '"hightouch_audit"."sync_runs"');
  assert.equal(snowflakeDialect.table('hightouch_audit', 'sync_runs'), '"HIGHTOUCH_AUDIT"."SYNC_RUNS"');
  assert.equal(snowflakeDialect.quoteIdent('Mixed_Case'), '"MIXED_CASE"');
  assert.equal(bigqueryDialect.table('hightouch_audit', 'sync_runs'), '`hightouch_audit.sync_runs`');
  assert.equal(
    bigqueryDialect.table('hightouch_audit', 'sync_runs', 'my-proj-42'),
    '`my-proj-42.hightouch_audit.sync_runs`',
  );
  assert.equal(databricksDialect.table('s', 't', 'main'), '`main`.`s`.`t`');
  for (const d of DIALECT_KINDS.map(dialectFor)) {
    for (const bad of ['a; drop table x', 'a"b', 'a`b', 'a.b', '1abc', '']) {
      assert.throws(() => d.table(bad, 'sync_runs'), /Invalid/, `${d.name} schema ${JSON.stringify(bad)}`);
    }
  }
  for (const d of [redshiftDialect, snowflakeDialect, databricksDialect])
    assert.throws(() => d.table('s', 't', 'my-db'), /Invalid/);
  assert.throws(() => bigqueryDialect.table('s', 't', 'my_project'), /Invalid BigQuery project/);
  assert.throws(() => bigqueryDialect.table('s', 't', 'proj-`x'), /Invalid BigQuery project/);
  assert.throws(() => bigqueryDialect.table('my-dataset', 't', 'my-project'), /Invalid dataset/);
});

test('literals for editor SQL escape per dialect', () => {
  // Correct whatever standard_conforming_strings says: E'' once a backslash is in the value.
  assert.equal(postgresDialect.literal("a'b"), "'a''b'");
  assert.equal(postgresDialect.literal("a'b\\c"), "E'a''b\\\\c'");
  // Redshift: no backslash inside any literal.
  assert.equal(redshiftDialect.literal("a'b"), "'a''b'");
  assert.equal(redshiftDialect.literal("a\\'b"), "('a' || chr(92) || '''b')");
  for (const d of [snowflakeDialect, bigqueryDialect, databricksDialect]) {
    assert.equal(d.literal("a'b\\c\nd"), "'a\\'b\\\\c\\nd'", d.name);
  }
});

test('bind values shaped for each driver', () => {
  const values = ['s', 5];
  assert.deepEqual(driverBinds(postgresDialect, values), { kind: 'positional', values: ['s', 5] });
  assert.deepEqual(driverBinds(redshiftDialect, values), { kind: 'positional', values: ['s', 5] });
  assert.deepEqual(driverBinds(snowflakeDialect, values), { kind: 'positional', values: ['s', 5] });
  assert.deepEqual(driverBinds(bigqueryDialect, values), { kind: 'named', values: { p1: 's', p2: 5 } });
  assert.deepEqual(driverBinds(databricksDialect, values), { kind: 'named', values: { p1: 's', p2: 5 } });
  assert.equal(bigqueryDialect.param(2), '@p2');
  assert.equal(databricksDialect.param(2), ':p2');
  assert.equal(snowflakeDialect.param(2), '?');
});

test('regex, JSON, time buckets and cast types per dialect', () => {
  const e = 'c.failure_reason';
  assert.equal(postgresDialect.regexContains(e, '$1'), 'c.failure_reason ~ $1');
  assert.equal(redshiftDialect.regexContains(e, '$1', true), 'c.failure_reason ~* $1');
  assert.equal(snowflakeDialect.regexContains(e, '?'), 'REGEXP_INSTR(c.failure_reason, ?) > 0');
  assert.equal(snowflakeDialect.regexContains(e, '?', true), "REGEXP_INSTR(c.failure_reason, ?, 1, 1, 0, 'i') > 0");
  assert.equal(bigqueryDialect.regexContains(e, '@p1', true), "REGEXP_CONTAINS(c.failure_reason, CONCAT('(?i)', @p1))");
  assert.equal(databricksDialect.regexContains(e, ':p1'), 'c.failure_reason RLIKE :p1');
  assert.equal(databricksDialect.regexContains(e, ':p1', true), "c.failure_reason RLIKE concat('(?i)', :p1)");
  assert.equal(postgresDialect.regexReplace(e, '$1', '$2'), "regexp_replace(c.failure_reason, $1, $2, 'g')");
  assert.equal(snowflakeDialect.regexReplace(e, '?', '?'), 'REGEXP_REPLACE(c.failure_reason, ?, ?)');

  assert.equal(postgresDialect.jsonText('c.fields', '$1'), 'c.fields->>$1');
  assert.throws(() => redshiftDialect.jsonText('c.fields', '$1'), /Redshift sync logs have no "fields" column/);
  assert.equal(snowflakeDialect.jsonText('c.fields', '?'), 'GET(c.fields, ?)::string');
  assert.equal(bigqueryDialect.jsonText('c.fields', '@p1'), "JSON_VALUE(c.fields, CONCAT('$.', @p1))");
  assert.equal(databricksDialect.jsonText('c.fields', ':p1'), "get_json_object(c.fields, concat('$.', :p1))");

  assert.equal(postgresDialect.truncTime('hour', 'r.started_at'), "date_trunc('hour', r.started_at)");
  assert.equal(redshiftDialect.truncTime('day', 'r.started_at'), "date_trunc('day', r.started_at)");
  assert.equal(snowflakeDialect.truncTime('hour', 'r.started_at'), "DATE_TRUNC('HOUR', r.started_at)");
  assert.equal(bigqueryDialect.truncTime('day', 'r.started_at'), 'TIMESTAMP_TRUNC(r.started_at, DAY)');
  assert.equal(databricksDialect.truncTime('hour', 'r.started_at'), "date_trunc('HOUR', r.started_at)");

  assert.deepEqual(
    DIALECT_KINDS.map((k) => dialectFor(k).stringType),
    ['varchar', 'varchar', 'varchar', 'string', 'string'],
  );
  assert.deepEqual(
    DIALECT_KINDS.map((k) => dialectFor(k).supportsQualify),
    [false, true, true, true, true],
  );
  assert.throws(() => dialectFor('oracle' as DialectKind), /Unknown warehouse dialect "oracle"/);
});

const latestSpec = (d: Dialect) => ({
  columns: ['row_id', 'status'],
  from: d.table('hightouch_audit', 'sync_changelog'),
  alias: 'c',
  where: `c.sync_id = ${d.param(1)}`,
  partitionBy: ['c.row_id'],
  orderBy: ['c.sync_run_id desc'],
});

test('latest row per partition: subquery on Postgres, QUALIFY elsewhere', () => {
  assert.equal(
    latestRowSql(postgresDialect, latestSpec(postgresDialect)),
    `select row_id, status
from (
  select c.row_id, c.status, row_number() over (partition by c.row_id order by c.sync_run_id desc) as latest_rn
  from hightouch_audit.sync_changelog c
  where c.sync_id = $1
) latest
where latest_rn = 1`,
  );
  assert.equal(
    latestRowSql(bigqueryDialect, { ...latestSpec(bigqueryDialect), where: undefined }),
    'select c.row_id, c.status\nfrom `hightouch_audit.sync_changelog` c\nwhere true\nqualify row_number() over (partition by c.row_id order by c.sync_run_id desc) = 1',
  );
  assert.match(
    latestRowSql(redshiftDialect, latestSpec(redshiftDialect)),
    /from "hightouch_audit"\."sync_changelog" c\nwhere c\.sync_id = \$1\nqualify /,
  );
  assert.throws(
    () => latestRowSql(postgresDialect, { ...latestSpec(postgresDialect), columns: ['a; drop'] }),
    /Invalid column/,
  );
});

// ---- Parsing: node-sql-parser has no Databricks mode; its 'hive' grammar is the closest (Spark SQL descends from HiveQL).
const PARSER_DB: Record<DialectKind, string> = {
  postgres: 'postgresql',
  redshift: 'redshift',
  snowflake: 'snowflake',
  bigquery: 'bigquery',
  databricks: 'hive',
};

/**
 * Works around parser gaps, never the builders: node-sql-parser's snowflake grammar rejects `?`
 * (it accepts Snowflake's equivalent numeric binds `:1`), so `?` is renumbered for parsing only.
 */
function forParser(d: Dialect, sql: string): string {
  let n = 0;
  return d.name === 'snowflake' ? sql.replace(/\?/g, () => `:${++n}`) : sql;
}

function assertParses(d: Dialect, sql: string, what: string): void {
  const parser = new Parser();
  assert.doesNotThrow(
    () => parser.astify(forParser(d, sql), { database: PARSER_DB[d.name] }),
    `${d.name} ${what}:\n${sql}`,
  );
}

function generated(d: Dialect, database: string | undefined): Record<string, string> {
  const loc: SyncLogLocation = { dialect: d, schema: 'hightouch_audit', database };
  const t = (table: string) => d.table('hightouch_audit', table, database);
  const out: Record<string, string> = {
    listSyncs: listSyncsQuery(loc).text,
    listRuns: listRunsQuery(loc, '4', 50, 50).text,
    runFailures: runFailuresQuery(loc, '4', '9', 10).text,
    runChangelog: runChangelogSql({
      dialect: d,
      schema: 'hightouch_audit',
      database,
      syncId: "4'8",
      syncRunId: '9',
      modelName: 'm',
      destination: 'x',
      startedAt: null,
    }),
    regexAndBuckets: `select ${d.truncTime('hour', 'r.started_at')} as h, count(*) as n from ${t('sync_runs')} r
where ${d.regexContains('r.error', d.param(1), true)} or ${d.regexContains('r.error', d.param(2))}
group by ${d.truncTime('hour', 'r.started_at')}`,
  };
  if (d.hasFieldsColumn) {
    out.jsonAndReplace = `select ${d.jsonText('c.fields', d.param(1))} as v, ${d.regexReplace('c.failure_reason', d.param(2), d.param(3))} as template, cast(c.row_id as ${d.stringType}) as id from ${t('sync_changelog')} c`;
  }
  return out;
}

for (const kind of ['snowflake', 'bigquery', 'redshift', 'postgres'] as const) {
  test(`generated ${kind} SQL parses (node-sql-parser '${PARSER_DB[kind]}')`, () => {
    const d = dialectFor(kind);
    for (const [what, sql] of Object.entries(generated(d, DATABASE[kind]))) assertParses(d, sql, what);
    assertParses(d, latestRowSql(d, latestSpec(d)), 'latestRow');
  });
}

test("generated databricks SQL parses (node-sql-parser 'hive'), without catalog and QUALIFY", () => {
  // The hive grammar rejects three-part names (`catalog`.`schema`.`t`) and QUALIFY, both valid
  // Databricks SQL; those two are covered by the golden tests above only.
  const d = databricksDialect;
  for (const [what, sql] of Object.entries(generated(d, undefined))) assertParses(d, sql, what);
  const parser = new Parser();
  assert.throws(
    () => parser.astify(listSyncsQuery(locFor(d, 'main')).text, { database: 'hive' }),
    'if this starts parsing, test the catalog form too',
  );
  assert.throws(
    () => parser.astify(latestRowSql(d, latestSpec(d)), { database: 'hive' }),
    'if this starts parsing, test QUALIFY too',
  );
});

test('the parser is not a rubber stamp: broken SQL fails in every mode used', () => {
  const parser = new Parser();
  for (const db of Object.values(PARSER_DB)) {
    assert.throws(() => parser.astify('select a from t where and limit', { database: db }), db);
    // (Not `select a, from t`: BigQuery really does allow a trailing comma there, and its grammar knows it.)
    assert.throws(() => parser.astify('select (a from t', { database: db }), db);
    assert.throws(() => parser.astify('select a from t where a = = 1', { database: db }), db);
  }
});
