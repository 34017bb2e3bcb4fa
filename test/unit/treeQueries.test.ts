import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listRunsQuery, listSyncsQuery, runFailuresQuery } from '../../src/sql/treeQueries';
import { runChangelogSql } from '../../src/sql/runQueryText';
import { postgresDialect, validateIdent } from '../../src/sql/dialect';
import { Parser } from 'node-sql-parser';
import { DIALECT_KINDS, dialectFor } from '../../src/sql/dialects';
import { documentedShape } from '../../src/sql/syncLogShape';

const loc = { dialect: postgresDialect, schema: 'hightouch_audit' };

test('values are bound, never spliced', () => {
  const hostile = "1' or '1'='1";
  const q = listRunsQuery(loc, hostile, 50, 50);
  assert.ok(!q.text.includes(hostile));
  assert.deepEqual(q.values, [hostile, 51, 50], 'one extra row tells whether another page exists');
  const f = runFailuresQuery(loc, 's', hostile, 100);
  assert.ok(!f.text.includes(hostile));
  assert.deepEqual(f.values, ['s', hostile, 101]);
});

test('queries are bounded and qualified with the schema', () => {
  const q = listSyncsQuery(loc, 500);
  assert.match(q.text, /from hightouch_audit\.sync_runs r/);
  assert.match(q.text, /limit \$1/);
  assert.deepEqual(q.values, [500]);
  assert.match(listRunsQuery(loc, 'x', 0, 50).text, /order by started_at desc/);
  assert.match(runFailuresQuery(loc, 'x', 'y', 10).text, /group by failure_reason/);
});

test('schema names are validated and quoted when needed', () => {
  assert.equal(postgresDialect.table('Audit', 'sync_runs'), '"Audit".sync_runs');
  assert.equal(postgresDialect.table('select', 'sync_runs'), '"select".sync_runs');
  assert.throws(() => listSyncsQuery({ dialect: postgresDialect, schema: 'a; drop table x' }), /Invalid identifier/);
  assert.throws(() => validateIdent('1abc', 'schema'), /Invalid schema "1abc"/);
});

test('Open Run Query joins on sync_run_id and quotes ids as literals', () => {
  const sql = runChangelogSql({
    dialect: postgresDialect,
    schema: 'hightouch_audit',
    syncId: "4'8",
    syncRunId: '9001',
    modelName: 'Model\n-- injected',
    destination: 'braze',
    startedAt: '2026-11-01T10:00:00.000Z',
  });
  assert.match(sql, /join hightouch_audit\.sync_runs r on r\.sync_run_id = c\.sync_run_id/);
  assert.doesNotMatch(sql, /on c\.sync_id = r\.sync_id/);
  assert.match(sql, /where c\.sync_id = '4''8'/);
  assert.match(sql, /and c\.sync_run_id = '9001'/);
  assert.equal(
    sql.split('\n').filter((l) => l.startsWith('--')).length,
    2,
    'a newline in a model name cannot start a new SQL line',
  );
});

test('without run counters: figures come from the changelog of the shown runs, in every dialect', () => {
  const parser = new Parser();
  const PARSER_DB = {
    postgres: 'postgresql',
    redshift: 'redshift',
    snowflake: 'snowflake',
    bigquery: 'bigquery',
    databricks: 'hive',
  } as const;
  const shape = { ...documentedShape(), runCounters: false, fromCatalog: true };
  for (const kind of DIALECT_KINDS) {
    const d = dialectFor(kind);
    const noCounters = { dialect: d, schema: 'hightouch_audit', shape };
    const syncs = listSyncsQuery(noCounters, 500);
    const runs = listRunsQuery(noCounters, 'abc', 50, 50);
    for (const q of [syncs, runs]) {
      // Counter names appear only as the names of figures counted in the changelog.
      for (const m of q.text.matchAll(/(\w+\.)?(num_\w+)/g))
        assert.ok(m[1] === 'f.' || q.text.slice(0, m.index).endsWith('as '), `${kind}: ${m[0]}`);
      assert.match(
        q.text,
        new RegExp(`from ${d.table('hightouch_audit', 'sync_changelog').replace(/[.*+?^${}()|[\]\\`]/g, '\\$&')} c\n`),
        kind,
      );
      assert.doesNotThrow(
        () => parser.astify(q.text.replace(/\$\d+|@p\d+|:p\d+|\?/g, '1'), { database: PARSER_DB[kind] }),
        `${kind}:\n${q.text}`,
      );
      if (kind === 'snowflake') assert.equal(q.text.split('?').length - 1, q.values.length);
    }
    // Only the shown runs are counted: the changelog is filtered by the page (or the latest runs).
    assert.match(runs.text, /c\.sync_run_id in \(select page\.sync_run_id from page\)/, kind);
    assert.match(syncs.text, /c\.sync_run_id in \(select latest\.sync_run_id from latest\)/, kind);
    assert.deepEqual(runs.values, d.boundLimit ? ['abc', 51, 50, 'abc'] : ['abc', 'abc'], kind);
    // With the counters, the counters are read and the changelog is not.
    const withCounters = { dialect: d, schema: 'hightouch_audit', shape: { ...shape, runCounters: true } };
    for (const q of [listSyncsQuery(withCounters), listRunsQuery(withCounters, 'abc', 0, 5)]) {
      assert.ok(!q.text.includes('sync_changelog') && !q.text.includes('SYNC_CHANGELOG'), kind);
      assert.match(q.text, /num_failed_remove/, kind);
    }
  }
});
