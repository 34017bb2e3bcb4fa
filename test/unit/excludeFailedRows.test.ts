import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Parser } from 'node-sql-parser';
import type { Dialect } from '../../src/sql/dialect';
import { bigqueryDialect, databricksDialect, DIALECT_KINDS, dialectFor, postgresDialect, redshiftDialect, snowflakeDialect, type DialectKind } from '../../src/sql/dialects/index';
import { excludeFailedRowsSql, modelBody } from '../../src/sql/excludeFailedRows';

const DIALECTS = DIALECT_KINDS.map(dialectFor);
const loc = (d: Dialect, database?: string) => ({ dialect: d, schema: 'hightouch_audit', database });
const sql = (d: Dialect, modelSql: string, primaryKey = 'user_id', syncId = '42') => excludeFailedRowsSql(loc(d), { modelSql, syncId, primaryKey });

test('golden Postgres SQL: the model as a derived table, anti-joined to the failed snapshot rows', () => {
  assert.equal(
    sql(postgresDialect, 'select * from analytics.users;\n'),
    `-- The model's rows minus those whose latest sync attempt failed (sync_snapshot status 'failed') in sync 42.
-- Rows match on the model's user_id column, compared as text with sync_snapshot.row_id.
select m.*
from (
select * from analytics.users
) m
where not exists (
  select 1
  from hightouch_audit.sync_snapshot s
  where s.sync_id = '42'
    and s.status = 'failed'
    and s.row_id = cast(m.user_id as varchar)
)
`,
  );
});

test('per dialect: key quoted and cast to the dialect string type, sync id a literal, snapshot table qualified', () => {
  const expected: Record<DialectKind, [string, string, string]> = {
    postgres: ['cast(m.user_id as varchar)', "s.sync_id = '4\\'2'".replace("\\'", "''"), 'hightouch_audit.sync_snapshot s'],
    redshift: ['cast(m."user_id" as varchar)', "s.sync_id = '4''2'", '"hightouch_audit"."sync_snapshot" s'],
    snowflake: ['cast(m."USER_ID" as varchar)', "s.sync_id = '4\\'2'", '"HIGHTOUCH_AUDIT"."SYNC_SNAPSHOT" s'],
    bigquery: ['cast(m.`user_id` as string)', "cast(s.sync_id as string) = '4\\'2'", '`hightouch_audit.sync_snapshot` s'],
    databricks: ['cast(m.`user_id` as string)', "s.sync_id = '4\\'2'", '`hightouch_audit`.`sync_snapshot` s'],
  };
  for (const d of DIALECTS) {
    const text = sql(d, 'select * from users', 'user_id', "4'2");
    const [cast, syncFilter, table] = expected[d.name];
    assert.ok(text.includes(`and s.row_id = ${cast}\n`), `${d.name}: ${text}`);
    assert.ok(text.includes(`where ${syncFilter}\n`), `${d.name}: ${text}`);
    assert.ok(text.includes(`from ${table}\n`), `${d.name}: ${text}`);
    assert.ok(text.includes("and s.status = 'failed'"), d.name);
    assert.match(text, /^-- .*in sync 4'2\.\n-- /, `${d.name}: a short leading comment naming the sync`);
  }
});

test('Snowflake upper-cases the key (unquoted names fold to upper case); a key needing quotes is quoted', () => {
  assert.match(sql(snowflakeDialect, 'select id as user_id from users', 'user_id'), /cast\(m\."USER_ID" as varchar\)/);
  assert.match(sql(snowflakeDialect, 'select 1', 'UserId'), /cast\(m\."USERID" as varchar\)/);
  // Postgres keeps a mixed-case or reserved key name exactly, quoted.
  assert.match(sql(postgresDialect, 'select 1', 'UserId'), /cast\(m\."UserId" as varchar\)/);
  assert.match(sql(postgresDialect, 'select 1', 'user'), /cast\(m\."user" as varchar\)/);
  assert.match(sql(redshiftDialect, 'select 1', 'order'), /cast\(m\."order" as varchar\)/);
  assert.match(sql(databricksDialect, 'select 1', 'select'), /cast\(m\.`select` as string\)/);
  assert.throws(() => sql(postgresDialect, 'select 1', 'user id"; drop'), /Invalid primary key column/);
});

test('a leading WITH stays first inside the derived table; trailing semicolons and comments are stripped', () => {
  const model = `-- my model
with recent as (
  select * from users where created_at > '2026-01-01' -- a comment; with a semicolon
)
select * from recent
order by 1;  -- trailing comment
;
/* and a block
comment */
`;
  const text = sql(postgresDialect, model);
  assert.ok(text.includes(`from (\n-- my model\nwith recent as (\n  select * from users where created_at > '2026-01-01' -- a comment; with a semicolon\n)\nselect * from recent\norder by 1\n) m\n`), text);
  assert.equal(modelBody(postgresDialect, 'select 1 ;;  \n\t'), 'select 1');
  assert.equal(modelBody(postgresDialect, "select ';' as x; -- done"), "select ';' as x");
  assert.equal(modelBody(postgresDialect, 'select 1 as "a;b" /* ; */'), 'select 1 as "a;b"');
  assert.equal(modelBody(postgresDialect, 'select $$a;b$$ as x;'), 'select $$a;b$$ as x');
  assert.equal(modelBody(bigqueryDialect, "select 'it\\'s; fine' as x # note"), "select 'it\\'s; fine' as x");
  assert.equal(modelBody(bigqueryDialect, `select """a;\nb""" as x;`), `select """a;\nb""" as x`);
  assert.equal(modelBody(databricksDialect, 'select `a;b` from t;'), 'select `a;b` from t');
  assert.equal(modelBody(snowflakeDialect, "select 'a\\';b' as x;"), "select 'a\\';b' as x");
});

test('clear errors: empty model, empty key, several statements, unterminated quotes', () => {
  for (const d of DIALECTS) {
    assert.throws(() => sql(d, '   \n'), /model SQL is empty/, d.name);
    assert.throws(() => sql(d, '-- only a comment\n;'), /model SQL is empty/, d.name);
    assert.throws(() => sql(d, 'select 1', ''), /No primary key/, d.name);
    assert.throws(() => sql(d, 'select 1', '  '), /No primary key/, d.name);
    assert.throws(() => sql(d, 'select 1; select 2'), /more than one statement/, d.name);
    assert.throws(() => sql(d, 'delete from users; select * from users;'), /more than one statement/, d.name);
    assert.throws(() => sql(d, "select 'oops"), /ends inside a quoted/, d.name);
    assert.throws(() => sql(d, 'select 1 /* open'), /ends inside a \/\* comment/, d.name);
  }
  // A Postgres string keeps a backslash literally: 'a\' ends the string.
  assert.equal(modelBody(postgresDialect, "select 'a\\' as x;"), "select 'a\\' as x");
});

test('a newline in the sync id cannot start a new SQL line outside the comment', () => {
  const text = sql(postgresDialect, 'select 1 as user_id', 'user_id', '42\nselect 1');
  const lines = text.split('\n');
  assert.match(lines[0], /^-- .* in sync 42 select 1\.$/, 'folded into the comment line');
  assert.equal(lines[2], 'select m.*');
  assert.ok(text.includes("s.sync_id = '42\nselect 1'"), 'inside the literal it stays exact');
});

const PARSER_DB: Record<DialectKind, string> = { postgres: 'postgresql', redshift: 'redshift', snowflake: 'snowflake', bigquery: 'bigquery', databricks: 'hive' };

test('the produced SQL parses in every dialect, with plain and WITH models', () => {
  const parser = new Parser();
  for (const d of DIALECTS) {
    for (const model of ['select * from users;', 'with a as (select id as user_id from users) select * from a -- x\n']) {
      const text = sql(d, model);
      assert.doesNotThrow(() => parser.astify(text, { database: PARSER_DB[d.name] }), `${d.name}:\n${text}`);
    }
  }
});
