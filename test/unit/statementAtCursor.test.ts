import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseSqlToRun, hasCode, splitStatements, statementAtOffset, trimStatement } from '../../src/sql/statementAtCursor';
import { splitStatements as serverSplit, tokenize } from '../../src/server/sqlTokens';

/** The statement under the cursor written as `|` in the text. */
function at(textWithCursor: string): string | undefined {
  const offset = textWithCursor.indexOf('|');
  assert.ok(offset >= 0, 'the text needs a | for the cursor');
  const sql = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  return statementAtOffset(sql, offset)?.text;
}

const texts = (sql: string) => splitStatements(sql).map((s) => s.text);

describe('splitStatements', () => {
  it('splits on semicolons and trims whitespace and the semicolon', () => {
    assert.deepEqual(texts('select 1;\n  select 2 ;\n\nselect 3'), ['select 1', 'select 2', 'select 3']);
  });

  it('returns offsets that slice back to the text', () => {
    const sql = '  select 1;\n\n  select 2;  ';
    for (const s of splitStatements(sql)) assert.equal(sql.slice(s.start, s.end), s.text);
    assert.deepEqual(
      splitStatements(sql).map((s) => [s.start, s.end]),
      [
        [2, 10],
        [15, 23],
      ],
    );
  });

  it('skips empty statements and comment-only stretches', () => {
    assert.deepEqual(texts(';; select 1;;\n-- just a note\n;'), ['select 1']);
    assert.deepEqual(texts('-- nothing\n/* here */'), []);
    assert.deepEqual(texts(''), []);
  });

  it('ignores semicolons in single-quoted strings, with doubled quotes', () => {
    assert.deepEqual(texts("select 'a;b', 'it''s; fine' from t; select 2"), ["select 'a;b', 'it''s; fine' from t", 'select 2']);
  });

  it('ignores semicolons in Postgres E-strings with backslash escapes', () => {
    assert.deepEqual(texts("select E'a\\';b'; select 2"), ["select E'a\\';b'", 'select 2']);
    // A plain string: the backslash is an ordinary character and the string ends at the next quote.
    assert.deepEqual(texts("select 'a\\'; select 2"), ["select 'a\\'", 'select 2']);
  });

  it('ignores semicolons in double-quoted and backtick identifiers', () => {
    assert.deepEqual(texts('select "a;""b" from `x;y`; select 2'), ['select "a;""b" from `x;y`', 'select 2']);
  });

  it('ignores semicolons in line and block comments, nested block comments included', () => {
    assert.deepEqual(texts('select 1 -- no; split\n, 2; select 3'), ['select 1 -- no; split\n, 2', 'select 3']);
    assert.deepEqual(texts('select /* a; /* b; */ c; */ 1; select 2'), ['select /* a; /* b; */ c; */ 1', 'select 2']);
  });

  it('leaves leading and trailing comments out of the statement text', () => {
    assert.deepEqual(texts('-- latest runs\nselect 1 -- one\n;\n/* next */ select 2'), ['select 1', 'select 2']);
  });

  it('ignores semicolons in dollar quotes, tagged or not', () => {
    const fn = 'create function f() returns int as $$ begin return 1; end; $$ language plpgsql';
    assert.deepEqual(texts(`${fn}; select 2`), [fn, 'select 2']);
    const tagged = 'do $body$ begin perform 1; raise notice $x$;$x$; end $body$';
    assert.deepEqual(texts(`${tagged};select 3`), [tagged, 'select 3']);
  });

  it('does not take $1 parameters or $ inside identifiers for dollar quotes', () => {
    assert.deepEqual(texts('select $1; select a$b$ from t; select 3'), ['select $1', 'select a$b$ from t', 'select 3']);
  });

  it('runs an unterminated string or comment to the end', () => {
    assert.deepEqual(texts("select 1; select 'oops; select 3"), ['select 1', "select 'oops; select 3"]);
    assert.deepEqual(texts('select 1; /* open; select 2'), ['select 1']);
    assert.deepEqual(texts('select 1; select $$ open; 2'), ['select 1', 'select $$ open; 2']);
  });
});

describe('statementAtOffset', () => {
  it('picks the statement the cursor is in', () => {
    assert.equal(at('select 1;\nsel|ect 2;\nselect 3;'), 'select 2');
    assert.equal(at('|select 1;\nselect 2;'), 'select 1');
    assert.equal(at('select 1;\nselect 2|'), 'select 2');
  });

  it('picks the preceding statement right after its semicolon', () => {
    assert.equal(at('select 1;|\nselect 2;'), 'select 1');
    assert.equal(at('select 1;| select 2;'), 'select 1');
  });

  it('picks the statement between its last token and its semicolon', () => {
    assert.equal(at('select 1 | ;\nselect 2;'), 'select 1');
  });

  it('picks the nearest preceding statement from blank lines and comments between statements', () => {
    assert.equal(at('select 1;\n|\n\nselect 2;'), 'select 1');
    assert.equal(at('select 1;\n\n  |  \nselect 2;'), 'select 1');
    assert.equal(at('select 1;\n-- a |note\n;\nselect 2;'), 'select 1');
    assert.equal(at('select 1;\nselect 2;\n\n|'), 'select 2');
  });

  it('picks the statement from the indentation of its own first line', () => {
    assert.equal(at('select 1;\n|    select 2;'), 'select 2');
    assert.equal(at('select 1; | select 2;'), 'select 2');
  });

  it('picks the first statement from blank space before it', () => {
    assert.equal(at('\n|\n-- intro\nselect 1;\nselect 2'), 'select 1');
  });

  it('returns nothing for text with no statement', () => {
    assert.equal(at('|'), undefined);
    assert.equal(at('  -- only a comment |\n'), undefined);
  });

  it('clamps offsets outside the text', () => {
    assert.equal(statementAtOffset('select 1; select 2', 999)?.text, 'select 2');
    assert.equal(statementAtOffset('select 1; select 2', -5)?.text, 'select 1');
  });

  it('finds a statement inside a dollar-quoted body as the whole statement', () => {
    assert.equal(at('select 1;\ndo $$ begin perform 2;| end $$;\nselect 3;'), 'do $$ begin perform 2; end $$');
  });
});

describe('chooseSqlToRun', () => {
  const sql = 'select 1;\nselect 2;\nselect 3;';

  it('prefers a non-empty selection, trimmed of whitespace and the trailing semicolon', () => {
    const start = sql.indexOf('select 2');
    const picked = chooseSqlToRun(sql, { start: start - 1, end: start + 'select 2;\n'.length, cursor: 0 });
    assert.deepEqual(picked, { text: 'select 2', start, end: start + 8, source: 'selection' });
  });

  it('falls back to the statement under the cursor for an empty or blank selection', () => {
    const cursor = sql.indexOf('select 3') + 3;
    assert.deepEqual(chooseSqlToRun(sql, { start: cursor, end: cursor }), {
      text: 'select 3',
      start: sql.indexOf('select 3'),
      end: sql.indexOf('select 3') + 8,
      source: 'statement',
    });
    assert.equal(chooseSqlToRun(sql, { start: 9, end: 10, cursor: 10 })?.source, 'statement');
  });

  it('accepts a selection made backwards (anchor after active)', () => {
    const picked = chooseSqlToRun(sql, { start: 20, end: 10, cursor: 10 });
    assert.deepEqual(picked, { text: 'select 2', start: 10, end: 18, source: 'selection' });
  });

  it('returns nothing for empty or comment-only text', () => {
    assert.equal(chooseSqlToRun('', { start: 0, end: 0 }), undefined);
    assert.equal(chooseSqlToRun('  \n\t', { start: 1, end: 1 }), undefined);
    assert.equal(chooseSqlToRun('-- todo', { start: 0, end: 7 }), undefined);
  });
});

describe('helpers', () => {
  it('hasCode tells code from whitespace and comments', () => {
    assert.equal(hasCode('select 1'), true);
    assert.equal(hasCode(' /* x */ -- y\n'), false);
  });

  it('trimStatement keeps offsets in step', () => {
    assert.deepEqual(trimStatement('  select 1 ;;  ', 0, 15), { text: 'select 1', start: 2, end: 10 });
  });
});

describe('one splitter for Run Query and the language server', () => {
  // What the server analyses as a statement, trimmed as Run Query trims it.
  const serverTexts = (sql: string) =>
    serverSplit(tokenize(sql), sql.length)
      .filter((s) => s.tokens.length > 0)
      .map((s) => sql.slice(s.tokens[0].start, s.tokens[s.tokens.length - 1].end));

  it('cuts the same statements, whatever the quotes, comments and dollar tags (seeded)', () => {
    const pieces = ["'", "E'\\'", '"', '$$', '$a$', '$1', '/*', '*/', '--', '\n', ';', ' ', 'select 1', 'x', 'e'];
    let s = 7;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let n = 0; n < 500; n++) {
      let sql = '';
      for (let k = 0; k < 25; k++) sql += pieces[Math.floor(rand() * pieces.length)];
      assert.deepEqual(texts(sql), serverTexts(sql), JSON.stringify(sql));
    }
  });
});
