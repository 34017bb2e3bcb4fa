import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  chooseSqlToRun,
  hasCode as hasCodeIn,
  splitStatements as splitIn,
  statementAtOffset as statementIn,
  trimStatement,
} from '../../src/sql/statementAtCursor';
import { splitStatements as serverSplit } from '../../src/server/statements';
import { tokenize, type LexicalTraits } from '../../src/sql/lexer';
import {
  DIALECT_KINDS,
  bigqueryDialect,
  databricksDialect,
  dialectFor,
  postgresDialect,
  snowflakeDialect,
} from '../../src/sql/dialects';

// The Demo's dialect, Postgres, unless a test says otherwise.
const PG = postgresDialect.lexical;
const BQ = bigqueryDialect.lexical;
const splitStatements = (sql: string, lexical: LexicalTraits = PG) => splitIn(sql, lexical);
const statementAtOffset = (sql: string, offset: number, lexical: LexicalTraits = PG) =>
  statementIn(sql, offset, lexical);
const hasCode = (sql: string) => hasCodeIn(sql, PG);

/** The statement under the cursor written as `|` in the text. */
function at(textWithCursor: string, lexical: LexicalTraits = PG): string | undefined {
  const offset = textWithCursor.indexOf('|');
  assert.ok(offset >= 0, 'the text needs a | for the cursor');
  const sql = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  return statementAtOffset(sql, offset, lexical)?.text;
}

const texts = (sql: string, lexical: LexicalTraits = PG) => splitStatements(sql, lexical).map((s) => s.text);

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
    assert.deepEqual(texts("select 'a;b', 'it''s; fine' from t; select 2"), [
      "select 'a;b', 'it''s; fine' from t",
      'select 2',
    ]);
  });

  it('ignores semicolons in Postgres E-strings with backslash escapes', () => {
    assert.deepEqual(texts("select E'a\\';b'; select 2"), ["select E'a\\';b'", 'select 2']);
    // A plain string: the backslash is an ordinary character and the string ends at the next quote.
    assert.deepEqual(texts("select 'a\\'; select 2"), ["select 'a\\'", 'select 2']);
  });

  it('ignores semicolons in double-quoted and backtick identifiers, each where the dialect quotes names with it', () => {
    assert.deepEqual(texts('select "a;""b" from t; select 2'), ['select "a;""b" from t', 'select 2']);
    assert.deepEqual(texts('select a from `x;``y`; select 2', databricksDialect.lexical), [
      'select a from `x;``y`',
      'select 2',
    ]);
    assert.deepEqual(texts('select a from `x;\\`y`; select 2', BQ), ['select a from `x;\\`y`', 'select 2']);
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
    const picked = chooseSqlToRun(sql, { start: start - 1, end: start + 'select 2;\n'.length, cursor: 0 }, PG);
    assert.deepEqual(picked, { text: 'select 2', start, end: start + 8, source: 'selection' });
  });

  it('falls back to the statement under the cursor for an empty or blank selection', () => {
    const cursor = sql.indexOf('select 3') + 3;
    assert.deepEqual(chooseSqlToRun(sql, { start: cursor, end: cursor }, PG), {
      text: 'select 3',
      start: sql.indexOf('select 3'),
      end: sql.indexOf('select 3') + 8,
      source: 'statement',
    });
    assert.equal(chooseSqlToRun(sql, { start: 9, end: 10, cursor: 10 }, PG)?.source, 'statement');
  });

  it('accepts a selection made backwards (anchor after active)', () => {
    const picked = chooseSqlToRun(sql, { start: 20, end: 10, cursor: 10 }, PG);
    assert.deepEqual(picked, { text: 'select 2', start: 10, end: 18, source: 'selection' });
  });

  it('returns nothing for empty or comment-only text', () => {
    assert.equal(chooseSqlToRun('', { start: 0, end: 0 }, PG), undefined);
    assert.equal(chooseSqlToRun('  \n\t', { start: 1, end: 1 }, PG), undefined);
    assert.equal(chooseSqlToRun('-- todo', { start: 0, end: 7 }, PG), undefined);
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

describe('Run Query on BigQuery', () => {
  it("keeps a backslash-escaped quote inside the string: 'it\\'s; here' is one statement", () => {
    const sql = "select 'it\\'s; here' as a;\nselect 2";
    assert.deepEqual(texts(sql, BQ), ["select 'it\\'s; here' as a", 'select 2']);
    assert.equal(at("select 'it\\'s; he|re' as a;\nselect 2", BQ), "select 'it\\'s; here' as a");
    // The same text on Postgres: the backslash is a character, the string ends after it.
    assert.deepEqual(texts(sql), ["select 'it\\'s", "here' as a;\nselect 2"]);
  });

  it('ignores a semicolon in a # comment, and leaves the comment out of the statement', () => {
    const sql = 'select 1 # not; the end\n, 2;\n# a; note\nselect 3';
    assert.deepEqual(texts(sql, BQ), ['select 1 # not; the end\n, 2', 'select 3']);
    assert.equal(at('select 1;\n# a |note; here\nselect 3', BQ), 'select 1');
    assert.equal(chooseSqlToRun('# only; a comment', { start: 0, end: 0 }, BQ), undefined);
  });

  it('keeps double-quoted, triple-quoted and raw strings and backtick names whole', () => {
    const sql = `select "a;b", """x;\n''y""", '''p;q''' from \`p.d;t\`; select 2`;
    assert.deepEqual(texts(sql, BQ), [sql.slice(0, sql.indexOf('; select 2')), 'select 2']);
    const raw = String.raw`select r'\d;\'', br"\"; x" ; select 2`;
    assert.deepEqual(texts(raw, BQ), [String.raw`select r'\d;\'', br"\"; x"`, 'select 2']);
  });

  it('runs the statement under the cursor, not the whole file, through chooseSqlToRun', () => {
    const sql = "select 'a\\';b' as x; # ;\nselect 2;";
    const cursor = sql.indexOf('as x');
    assert.deepEqual(chooseSqlToRun(sql, { start: cursor, end: cursor }, BQ), {
      text: "select 'a\\';b' as x",
      start: 0,
      end: 19,
      source: 'statement',
    });
  });
});

describe('Run Query on the other dialects', () => {
  it('Snowflake: backslash escapes, // comments, $$ bodies', () => {
    assert.deepEqual(texts("select 'a\\';b' // c;\n; select $$x;y$$", snowflakeDialect.lexical), [
      "select 'a\\';b'",
      'select $$x;y$$',
    ]);
  });

  it('Databricks: "…" strings, backticks, nested comments, raw strings without escapes', () => {
    const sql = String.raw`select "a;b", ${'`c;d`'} /* x /* y; */ z; */; select r'\'; select 3`;
    assert.deepEqual(texts(sql, databricksDialect.lexical), [
      'select "a;b", `c;d`',
      String.raw`select r'\'`,
      'select 3',
    ]);
  });
});

describe('one splitter for Run Query and the language server', () => {
  // What the server analyses as a statement, trimmed as Run Query trims it.
  const serverTexts = (sql: string, lexical: LexicalTraits) =>
    serverSplit(tokenize(sql, lexical), sql.length)
      .filter((s) => s.tokens.length > 0)
      .map((s) => sql.slice(s.tokens[0].start, s.tokens[s.tokens.length - 1].end));

  it('cuts the same statements, whatever the quotes, comments and dollar tags, in every dialect (seeded)', () => {
    const pieces = [
      "'",
      "E'\\'",
      '"',
      '`',
      "'''",
      '"""',
      "r'",
      '\\',
      '#',
      '//',
      '$$',
      '$a$',
      '$1',
      '/*',
      '*/',
      '--',
      '\n',
      ';',
      ' ',
      'select 1',
      'x',
      'e',
    ];
    for (const kind of DIALECT_KINDS) {
      const lexical = dialectFor(kind).lexical;
      let s = 7;
      const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
      for (let n = 0; n < 500; n++) {
        let sql = '';
        for (let k = 0; k < 25; k++) sql += pieces[Math.floor(rand() * pieces.length)];
        assert.deepEqual(texts(sql, lexical), serverTexts(sql, lexical), `${kind}: ${JSON.stringify(sql)}`);
      }
    }
  });
});
