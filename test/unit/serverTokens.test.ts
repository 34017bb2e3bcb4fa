import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { indexBefore, splitStatements, statementAt, tokenAt, tokenize } from '../../src/server/sqlTokens';

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
    const [w, q, s, b] = tokenize("SYNC_RUNS \"Mixed\" 'a''b' `bq`");
    assert.equal(w.value, 'sync_runs');
    assert.equal(q.value, 'Mixed');
    assert.equal(s.value, "a'b");
    assert.equal(b.value, 'bq');
  });

  it('runs unterminated strings, identifiers and block comments to the end', () => {
    for (const sql of ["select 'abc", 'select "abc', 'select /* abc', 'select $$abc']) {
      const last = tokenize(sql).at(-1);
      assert.ok(last?.unterminated, sql);
      assert.equal(last?.end, sql.length);
    }
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
    assert.deepEqual(statements[1].tokens.map((t) => t.text), ['select', "'x;y'"]);
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

  it('is linear enough for a 5,000-line file', () => {
    const line = "select c.row_id, c.status from hightouch_audit.sync_changelog c where c.op_type = 'added';\n";
    const big = line.repeat(5000);
    const started = performance.now();
    const tokens = tokenize(big);
    splitStatements(tokens, big.length);
    assert.ok(performance.now() - started < 1000);
    assert.equal(tokens.filter((t) => t.kind === 'semicolon').length, 5000);
  });
});
