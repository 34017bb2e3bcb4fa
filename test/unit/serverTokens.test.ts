import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lexStatement, tokenize as lex } from '../../src/sql/lexer';
import { bigqueryDialect, postgresDialect } from '../../src/sql/dialects';
import { indexBefore, splitStatements, statementAt, tokenAt } from '../../src/server/statements';

// The language server's view of the lexer, on its default dialect (Postgres); every dialect's
// rules are tested in lexer.test.ts.
const PG = postgresDialect.lexical;
const tokenize = (sql: string) => lex(sql, PG);
const kinds = (sql: string) => tokenize(sql).map((t) => [t.kind, t.text]);

describe('tokenize', () => {
  it('splits words, quoted identifiers, strings, numbers, operators and punctuation with offsets', () => {
    const sql = `select c."Row Id", 'it''s' from t where n >= 1.5 and x <> 2 -- done`;
    assert.deepEqual(kinds(sql), [
      ['word', 'select'],
      ['word', 'c'],
      ['punct', '.'],
      ['quoted', '"Row Id"'],
      ['punct', ','],
      ['string', "'it''s'"],
      ['word', 'from'],
      ['word', 't'],
      ['word', 'where'],
      ['word', 'n'],
      ['op', '>='],
      ['number', '1.5'],
      ['word', 'and'],
      ['word', 'x'],
      ['op', '<>'],
      ['number', '2'],
      ['comment', '-- done'],
    ]);
    for (const t of tokenize(sql)) assert.equal(sql.slice(t.start, t.end), t.text);
  });

  it('lower-cases word values and unquotes strings and identifiers', () => {
    const [w, q, s] = tokenize("SYNC_RUNS \"Mixed\" 'a''b'");
    assert.equal(w.value, 'sync_runs');
    assert.equal(q.value, 'Mixed');
    assert.equal(s.value, "a'b");
    // Backticks quote names where the dialect says so (BigQuery, Databricks), not in Postgres.
    const [b] = lex('`bq`', bigqueryDialect.lexical);
    assert.equal(b.kind, 'quoted');
    assert.equal(b.value, 'bq');
  });

  it('runs unterminated strings, identifiers and block comments to the end', () => {
    for (const sql of ["select 'abc", 'select "abc', 'select /* abc', 'select $$abc']) {
      const last = tokenize(sql).at(-1);
      assert.ok(last?.unterminated, sql);
      assert.equal(last?.end, sql.length);
    }
  });

  it('knows backslash escapes in E-strings only', () => {
    // The E is part of the string token: it decides how the string reads.
    assert.deepEqual(kinds("select E'a\\'b' x"), [
      ['word', 'select'],
      ['string', "E'a\\'b'"],
      ['word', 'x'],
    ]);
    assert.equal(tokenize("E'a\\'b'")[0].value, "a'b");
    // In a plain string (or after a word ending in e) a backslash is an ordinary character.
    assert.deepEqual(kinds("select xe'a\\' x'").slice(2), [
      ['string', "'a\\'"],
      ['word', 'x'],
      ['string', "'"],
    ]);
  });

  it('nests block comments', () => {
    const sql = 'select /* a /* b */ c */ 1';
    assert.deepEqual(kinds(sql), [
      ['word', 'select'],
      ['comment', '/* a /* b */ c */'],
      ['number', '1'],
    ]);
    assert.equal(tokenize('select /* a /* b */ c').at(-1)?.unterminated, true);
  });

  it('takes tagged dollar quotes, but not $1 parameters or $ inside words', () => {
    assert.deepEqual(kinds('do $body$ a; $x$ b $body$; $1; a$b$'), [
      ['word', 'do'],
      ['string', '$body$ a; $x$ b $body$'],
      ['semicolon', ';'],
      ['op', '$'],
      ['number', '1'],
      ['semicolon', ';'],
      ['word', 'a$b$'],
    ]);
  });

  it('treats every Unicode space as white space', () => {
    assert.deepEqual(kinds('select\u00a0x\u2003from'), [
      ['word', 'select'],
      ['word', 'x'],
      ['word', 'from'],
    ]);
  });

  it('keeps dollar-quoted strings and `::` casts whole', () => {
    assert.deepEqual(kinds('select $$a;b$$::text'), [
      ['word', 'select'],
      ['string', '$$a;b$$'],
      ['op', '::'],
      ['word', 'text'],
    ]);
  });
});

describe('statements', () => {
  const sql = "select 1; -- a ; comment\nselect 'x;y';\n\nselect 3";
  const statements = splitStatements(tokenize(sql), sql.length);

  it('splits on semicolons outside strings and comments, dropping comments', () => {
    assert.equal(statements.length, 3);
    assert.deepEqual(
      statements[1].tokens.map((t) => t.text),
      ['select', "'x;y'"],
    );
  });

  it('finds the statement at an offset', () => {
    assert.equal(statementAt(statements, sql.indexOf('3')), statements[2]);
    assert.equal(statementAt(statements, 0), statements[0]);
  });

  it('finds tokens by offset', () => {
    const tokens = tokenize('select abc from t');
    assert.equal(tokenAt(tokens, 9)?.text, 'abc');
    assert.equal(tokenAt(tokens, 10)?.text, 'abc');
    assert.equal(indexBefore(tokens, 11), 1);
    assert.equal(indexBefore(tokens, 0), -1);
  });

  it('splits a 5,000-line file into its 5,000 statements and the empty one after the last `;`', () => {
    const line = "select c.row_id, c.status from hightouch_audit.sync_changelog c where c.op_type = 'added';\n";
    const big = line.repeat(5000);
    const tokens = tokenize(big);
    assert.equal(tokens.filter((t) => t.kind === 'semicolon').length, 5000);
    assert.equal(splitStatements(tokens, big.length).length, 5001);
  });

  it('lexes one statement at a time, offsets relative to its start', () => {
    const sql = "select 1; select 'a;b' -- c;\n; select 3";
    const second = lexStatement(sql, sql.indexOf(';') + 1, PG);
    assert.deepEqual(
      second.tokens.map((t) => [t.kind, t.start]),
      [
        ['word', 1],
        ['string', 8],
        ['comment', 14],
        ['semicolon', 20],
      ],
    );
    assert.equal(second.end, sql.indexOf('; select 3') + 1);
    assert.deepEqual(
      lexStatement(sql, second.end, PG).tokens.map((t) => t.text),
      ['select', '3'],
    );
  });
});
