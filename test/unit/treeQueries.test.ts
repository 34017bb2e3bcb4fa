import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listRunsQuery, listSyncsQuery, runFailuresQuery } from '../../src/sql/treeQueries';
import { runChangelogSql } from '../../src/sql/runQueryText';
import { postgresDialect, validateIdent } from '../../src/sql/dialect';

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
  assert.equal(sql.split('\n').filter((l) => l.startsWith('--')).length, 2, 'a newline in a model name cannot start a new SQL line');
});
