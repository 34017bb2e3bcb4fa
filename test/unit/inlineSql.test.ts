import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InlineSqlError, inlineSql, sqlValueLiteral } from '../../src/sql/inlineSql';
import { binder } from '../../src/sql/binds';
import {
  DIALECT_KINDS,
  bigqueryDialect,
  databricksDialect,
  dialectFor,
  postgresDialect,
  redshiftDialect,
  snowflakeDialect,
} from '../../src/sql/dialects';
import type { Dialect } from '../../src/sql/dialect';
import { tokenize } from '../../src/sql/lexer';
import { QueryRecord } from '../../src/panels/panelLoad';
import { panelSqlText } from '../../src/panels/panelSqlText';

// Show SQL's text: each bound value as a literal of the query's dialect, placeholders found by the
// project's lexer. Postgres and Redshift literals are checked on a real server in
// test/pg/inlineSql.test.ts; the backslash dialects' literals are decoded here by their documented
// escape rules, independently of the code under test.

const HOSTILE = [
  "plain'quote",
  "''",
  'back\\slash',
  '\\',
  "\\'; drop table t; --",
  'ends with a backslash\\',
  '$1 and ? and @p1 and :p1',
  "'$2' -- ?",
  'line\nbreak\r\nand -- a comment',
  'tab\there',
  '/* not a comment */',
  '$$ dollar $$',
  'é ü 中 😀',
  'bidi \u202e evil \u2066 and \u2028 separator \u0085 nel \u0007 bell',
  '"quoted ident"',
  '`backtick`',
];

/** Decodes one '…' literal of Snowflake, BigQuery or Databricks by their escape rules (\\, \', \n, \r, \uXXXX). */
function decodeBackslashLiteral(text: string): string {
  assert.ok(text.startsWith("'") && text.endsWith("'"), `one quoted literal: ${text}`);
  let out = '';
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i];
    assert.notEqual(c, "'", `an unescaped quote inside ${text}`);
    assert.ok(
      !/[\n\r\u2028\u2029\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(c),
      `a raw control character inside ${JSON.stringify(text)}`,
    );
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = text[++i];
    if (e === 'n') out += '\n';
    else if (e === 'r') out += '\r';
    else if (e === 'u') {
      out += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
      i += 4;
    } else out += e;
  }
  return out;
}

/** The query `select <p1> as v, <p2> as w from t where x = <p1>` written through the dialect's binder. */
function twoValueQuery(d: Dialect, a: unknown, b: unknown) {
  const bind = binder(d);
  const first = bind.bind(a);
  const second = bind.bind(b);
  // Snowflake's ? are positional: a value used twice is bound twice.
  const again = d.paramStyle === 'question' ? bind.bind(a) : first;
  return bind.query(`select ${first} as v, ${second} as w from t where x = ${again}`);
}

describe('inlineSql: each dialect', () => {
  test('postgres and redshift: $n replaced, quotes doubled', () => {
    const q = twoValueQuery(postgresDialect, "o'hara", 42);
    assert.equal(inlineSql(q, postgresDialect), "select 'o''hara' as v, 42 as w from t where x = 'o''hara'");
    assert.equal(
      inlineSql(twoValueQuery(redshiftDialect, "o'hara", 42), redshiftDialect),
      "select 'o''hara' as v, 42 as w from t where x = 'o''hara'",
    );
  });

  test('snowflake: each ? in order', () => {
    const q = twoValueQuery(snowflakeDialect, "o'hara", 42);
    assert.equal(q.text, 'select ? as v, ? as w from t where x = ?');
    assert.equal(inlineSql(q, snowflakeDialect), "select 'o\\'hara' as v, 42 as w from t where x = 'o\\'hara'");
  });

  test('bigquery @pN and databricks :pN, @p1 never taken for the start of @p10', () => {
    const b = binder(bigqueryDialect);
    const names = Array.from({ length: 10 }, (_, i) => b.bind(`v${i + 1}`));
    const text = inlineSql(b.query(`select ${names.join(', ')}`), bigqueryDialect);
    assert.equal(text, `select ${Array.from({ length: 10 }, (_, i) => `'v${i + 1}'`).join(', ')}`);
    const d = binder(databricksDialect);
    const p = d.bind('a');
    assert.equal(
      inlineSql(d.query(`select cast(${p} as string), x::string, ${d.bind(7)}`), databricksDialect),
      "select cast('a' as string), x::string, 7",
    );
  });

  test('every hostile value reads back as itself in the backslash dialects, as one literal', () => {
    for (const d of [snowflakeDialect, bigqueryDialect, databricksDialect]) {
      for (const h of HOSTILE) {
        const b = binder(d);
        const text = inlineSql(b.query(`select ${b.bind(h)} as v`), d);
        const literal = text.slice('select '.length, text.length - ' as v'.length);
        assert.equal(decodeBackslashLiteral(literal), h, `${d.name}: ${JSON.stringify(h)} → ${literal}`);
      }
    }
  });

  test('postgres and redshift: a hostile value never ends the statement or starts a comment', () => {
    for (const d of [postgresDialect, redshiftDialect]) {
      for (const h of HOSTILE) {
        const b = binder(d);
        const text = inlineSql(b.query(`select ${b.bind(h)} as v from t`), d);
        const kinds = tokenize(text, d.lexical).map((t) => t.kind);
        assert.ok(
          !kinds.includes('comment') && !kinds.includes('semicolon'),
          `${d.name}: ${JSON.stringify(h)} → ${text}`,
        );
        assert.ok(text.endsWith(' as v from t'), text);
        assert.ok(
          !/[\n\r\u2028\u2029\u202e\u2066\u0085\u0007]/.test(text),
          `no raw line break or bidi control: ${JSON.stringify(text)}`,
        );
      }
    }
  });
});

describe('inlineSql: what is not a placeholder stays as written', () => {
  test('inside string literals, quoted identifiers and comments', () => {
    const text = `select '$1', "$1", $1 -- $1 ?\n/* $2 @p1 */ from t where a = $1 and b = E'\\'$1'`;
    assert.equal(
      inlineSql({ text, values: ['v'] }, postgresDialect),
      `select '$1', "$1", 'v' -- $1 ?\n/* $2 @p1 */ from t where a = 'v' and b = E'\\'$1'`,
    );
    assert.equal(
      inlineSql({ text: 'select \'?\', "?", ? -- ?\n/* ? */', values: [1] }, snowflakeDialect),
      'select \'?\', "?", 1 -- ?\n/* ? */',
    );
    assert.equal(
      inlineSql({ text: "select '@p1', `@p1`, @p1 -- @p1", values: [true] }, bigqueryDialect),
      "select '@p1', `@p1`, TRUE -- @p1",
    );
    assert.equal(
      inlineSql({ text: "select ':p1', :p1 /* :p1 */", values: [null] }, databricksDialect),
      "select ':p1', NULL /* :p1 */",
    );
  });

  test('values that look like placeholders are not inlined again', () => {
    assert.equal(inlineSql({ text: 'select $1, $2', values: ['$2', '$1'] }, postgresDialect), "select '$2', '$1'");
    assert.equal(inlineSql({ text: 'select ?, ?', values: ['?', 'x'] }, snowflakeDialect), "select '?', 'x'");
  });

  test('inside literals with backslash escapes, where the dialect has them', () => {
    assert.equal(
      inlineSql({ text: "select 'it\\'s @p1', @p1", values: ['a'] }, bigqueryDialect),
      "select 'it\\'s @p1', 'a'",
    );
    assert.equal(
      inlineSql({ text: 'select r\'\\\' @p1\', "\\" @p1", `\\` @p1`, @p1 # @p1', values: [1] }, bigqueryDialect),
      'select r\'\\\' @p1\', "\\" @p1", `\\` @p1`, 1 # @p1',
    );
    assert.equal(inlineSql({ text: "select 'a\\'?', ?", values: [2] }, snowflakeDialect), "select 'a\\'?', 2");
    assert.equal(inlineSql({ text: "select 'a\\':p1', :p1", values: [3] }, databricksDialect), "select 'a\\':p1', 3");
    assert.equal(inlineSql({ text: "select E'a\\'$1', $1", values: [4] }, postgresDialect), "select E'a\\'$1', 4");
  });

  test('a dollar-quoted body is a string: its $1 stays', () => {
    assert.equal(inlineSql({ text: 'select $$ $1 $$, $1', values: [3] }, postgresDialect), 'select $$ $1 $$, 3');
  });
});

describe('inlineSql: refuses what it cannot write faithfully', () => {
  test('NUL in a value, in every dialect', () => {
    for (const kind of DIALECT_KINDS) {
      assert.throws(
        () => inlineSql({ text: `select ${dialectFor(kind).param(1)}`, values: ['a\u0000b'] }, dialectFor(kind)),
        InlineSqlError,
        kind,
      );
    }
  });

  test('a placeholder without a value, or a value without a placeholder', () => {
    assert.throws(() => inlineSql({ text: 'select $2', values: ['a'] }, postgresDialect), /placeholder 2/);
    assert.throws(() => inlineSql({ text: 'select ?', values: ['a', 'b'] }, snowflakeDialect), /binds 2 values/);
    assert.throws(() => inlineSql({ text: "select '$1'", values: ['a'] }, postgresDialect), /binds 1 value/);
  });

  test("an unterminated literal, in the dialect's own quoting", () => {
    assert.throws(() => inlineSql({ text: "select 'open, $1", values: ['a'] }, postgresDialect), /unterminated/);
    // Where backslashes escape, \' does not close the literal; where they do not, it does.
    assert.throws(() => inlineSql({ text: "select 'open\\', @p1", values: ['a'] }, bigqueryDialect), /unterminated/);
    assert.throws(() => inlineSql({ text: "select 'a\\', $1, 'b", values: ['a'] }, postgresDialect), /unterminated/);
  });

  test('non-finite numbers, objects and arrays', () => {
    assert.throws(() => sqlValueLiteral(Number.NaN, postgresDialect), InlineSqlError);
    assert.throws(() => sqlValueLiteral(Infinity, postgresDialect), InlineSqlError);
    assert.throws(() => sqlValueLiteral({ a: 1 }, postgresDialect), InlineSqlError);
    assert.throws(() => sqlValueLiteral(['a'], postgresDialect), InlineSqlError);
  });
});

describe('sqlValueLiteral', () => {
  test('numbers plain, negatives parenthesised so `-$1` cannot become a comment', () => {
    assert.equal(inlineSql({ text: 'select 5 -$1', values: [-3] }, postgresDialect), 'select 5 -(-3)');
    assert.equal(sqlValueLiteral(2.5, snowflakeDialect), '2.5');
    assert.equal(sqlValueLiteral(12n, bigqueryDialect), '12');
  });

  test('timestamps as the dialect conversion of an ISO literal', () => {
    const at = new Date('2026-11-01T10:00:00.000Z');
    assert.equal(sqlValueLiteral(at, postgresDialect), "cast('2026-11-01T10:00:00.000Z' as timestamptz)");
    assert.equal(sqlValueLiteral(at, snowflakeDialect), "to_timestamp_tz('2026-11-01T10:00:00.000Z')");
    assert.equal(sqlValueLiteral(at, bigqueryDialect), "timestamp('2026-11-01T10:00:00.000Z')");
    assert.equal(sqlValueLiteral(at, databricksDialect), "to_timestamp('2026-11-01T10:00:00.000Z')");
  });

  test('control characters: chr() in postgres and redshift, \\u escapes elsewhere; unicode text as is', () => {
    assert.equal(sqlValueLiteral('a\nb', postgresDialect), "('a' || chr(10) || 'b')");
    assert.equal(sqlValueLiteral('\u2028', redshiftDialect), 'chr(8232)');
    assert.equal(sqlValueLiteral('a\\b\n', redshiftDialect), "(('a' || chr(92) || 'b') || chr(10))");
    assert.equal(sqlValueLiteral('x\u202ey', bigqueryDialect), "'x\\u202ey'");
    assert.equal(sqlValueLiteral('a\nb', databricksDialect), "'a\\nb'");
    assert.equal(sqlValueLiteral('é 中 😀', postgresDialect), "'é 中 😀'");
  });
});

describe('the recording runner and the Show SQL text', () => {
  test('records each query with a copy of its values, then the text names panel, scope, connection and dialect', async () => {
    const record = new QueryRecord(1);
    const seen: string[] = [];
    const inner = {
      loc: { dialect: postgresDialect, schema: 'hightouch_audit' },
      rows: async (q: { text: string }) => (seen.push(q.text), []),
    };
    const run = record.wrap(inner, "the panel's load");
    const values = ['sync\n1 -- x'];
    await run.rows({ text: 'select count(*) from hightouch_audit.sync_runs where sync_id = $1', values });
    values[0] = 'changed later';
    await record.wrap(inner, 'the chart').rows({ text: 'select 1', values: [] });
    assert.equal(seen.length, 2, 'the queries still ran');
    const text = panelSqlText({
      kind: 'breakdown',
      scope: 'model\n-- drop',
      connectionName: 'Demo',
      connectionKind: 'demo',
      queries: record.queries,
    });
    const lines = text.split('\n');
    assert.equal(lines[0], '-- Error breakdown: model -- drop');
    assert.match(lines[1], /^-- Connection "Demo" \(demo\), postgres dialect\.$/);
    assert.ok(
      text.includes("select count(*) from hightouch_audit.sync_runs where sync_id = ('sync' || chr(10) || '1 -- x');"),
      text,
    );
    assert.ok(text.includes("-- 1. For the panel's load. Reads sync_runs."), text);
    assert.ok(text.includes('-- 2. For the chart.'), text);
    // Every line is a comment, a blank or SQL the lexer reads without stray comments or statements.
    assert.equal(tokenize(text, postgresDialect.lexical).filter((t) => t.kind === 'semicolon').length, 2);
  });
});
