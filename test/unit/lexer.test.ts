import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lexStatement, tokenize, type Token } from '../../src/sql/lexer';
import { DIALECT_KINDS, dialectFor, type DialectKind } from '../../src/sql/dialects';
import { splitStatements } from '../../src/sql/statementAtCursor';
import { indexStatements } from '../../src/server/statementIndex';
import { rng } from '../support/seededRng';

// Golden tests of every lexical trait, dialect by dialect (the traits and their sources are in
// src/sql/dialects/<kind>.ts), then properties over random text in every dialect.

const lex = (kind: DialectKind, sql: string) => tokenize(sql, dialectFor(kind).lexical);
const kinds = (kind: DialectKind, sql: string) => lex(kind, sql).map((t) => [t.kind, t.text]);
const only = (kind: DialectKind, sql: string): Token => {
  const tokens = lex(kind, sql);
  assert.equal(
    tokens.length,
    1,
    `${kind}: one token in ${JSON.stringify(sql)}, got ${JSON.stringify(tokens.map((t) => t.text))}`,
  );
  return tokens[0];
};

describe('lexer: postgres', () => {
  it("doubles quotes; a backslash in '…' is an ordinary character", () => {
    assert.equal(only('postgres', "'it''s'").value, "it's");
    assert.deepEqual(kinds('postgres', "'a\\' x'"), [
      ['string', "'a\\'"],
      ['word', 'x'],
      ['string', "'"],
    ]);
  });

  it("reads E'…' (either case) with backslash escapes, as one token; xe'…' is no E-string", () => {
    const e = only('postgres', "E'a\\'b\\n'");
    assert.deepEqual([e.kind, e.value, e.open, e.close], ['string', "a'b\n", 2, 1]);
    assert.equal(only('postgres', "e'\\\\'").value, '\\');
    assert.deepEqual(kinds('postgres', "xe'a\\'"), [
      ['word', 'xe'],
      ['string', "'a\\'"],
    ]);
  });

  it('continues an E-string after a line break (and -- comments) with its escapes, not on the same line', () => {
    assert.deepEqual(kinds('postgres', "E'a'\n  -- note\n'\\'' ;"), [
      ['string', "E'a'"],
      ['comment', '-- note'],
      ['string', "'\\''"],
      ['semicolon', ';'],
    ]);
    assert.deepEqual(kinds('postgres', "E'a' '\\' ;"), [
      ['string', "E'a'"],
      ['string', "'\\'"],
      ['semicolon', ';'],
    ]);
    // A block comment breaks the continuation.
    assert.deepEqual(
      kinds('postgres', "E'a'\n/* */'\\' ;").map(([k]) => k),
      ['string', 'comment', 'string', 'semicolon'],
    );
  });

  it('quotes names with "…" and "" inside; a backtick is an operator character', () => {
    assert.equal(only('postgres', '"a""b"').value, 'a"b');
    assert.deepEqual(kinds('postgres', '`x;y`'), [
      ['op', '`'],
      ['word', 'x'],
      ['semicolon', ';'],
      ['word', 'y'],
      ['op', '`'],
    ]);
  });

  it('comments: -- and nested /* */; # and // are operators', () => {
    assert.deepEqual(kinds('postgres', '/* a /* b */ c */ 1 -- x'), [
      ['comment', '/* a /* b */ c */'],
      ['number', '1'],
      ['comment', '-- x'],
    ]);
    assert.deepEqual(kinds('postgres', 'a # b // c'), [
      ['word', 'a'],
      ['op', '#'],
      ['word', 'b'],
      ['op', '/'],
      ['op', '/'],
      ['word', 'c'],
    ]);
  });

  it('dollar quotes, tagged or not; not $1, not $ inside a name', () => {
    assert.deepEqual(kinds('postgres', '$$a;b$$ $body$ $x$ ; $body$ $1 a$b$'), [
      ['string', '$$a;b$$'],
      ['string', '$body$ $x$ ; $body$'],
      ['op', '$'],
      ['number', '1'],
      ['word', 'a$b$'],
    ]);
    const t = only('postgres', '$q$ x $q$');
    assert.deepEqual([t.value, t.open, t.close], [' x ', 3, 3]);
  });

  it('runs unterminated strings, names, comments and dollar quotes to the end', () => {
    for (const sql of ["'abc", "E'ab\\'", '"abc', '/* a /* b */', '$t$ abc $t']) {
      const t = only('postgres', sql);
      assert.equal(t.unterminated, true, sql);
      assert.equal(t.end, sql.length, sql);
      assert.equal(t.close, t.kind === 'comment' ? undefined : 0, sql);
    }
  });
});

describe('lexer: redshift', () => {
  it("backslashes escape in '…'; '' is a quote too", () => {
    assert.equal(only('redshift', "'a\\'b;c'").value, "a'b;c");
    assert.equal(only('redshift', "'it''s'").value, "it's");
  });

  it('has no E prefix, "…" names, nested comments, dollar quotes', () => {
    assert.deepEqual(kinds('redshift', "e'x'"), [
      ['word', 'e'],
      ['string', "'x'"],
    ]);
    assert.equal(only('redshift', '"a""b"').kind, 'quoted');
    assert.equal(only('redshift', '/* a /* b */ c */').kind, 'comment');
    assert.equal(only('redshift', '$$ begin; end $$').kind, 'string');
    assert.equal(only('redshift', '$fn$ a $fn$').kind, 'string');
  });

  it('runs unterminated text to the end', () => {
    for (const sql of ["'ab\\'", '"ab', '/* ab', '$$ ab']) assert.equal(only('redshift', sql).unterminated, true, sql);
  });
});

describe('lexer: snowflake', () => {
  it("backslashes escape in '…', and '' is a quote", () => {
    assert.equal(only('snowflake', "'a\\';b'").value, "a';b");
    assert.equal(only('snowflake', "'it''s'").value, "it's");
  });

  it('"…" names with "" inside, no backslash escapes', () => {
    assert.deepEqual(kinds('snowflake', '"A\\" x'), [
      ['quoted', '"A\\"'],
      ['word', 'x'],
    ]);
  });

  it('// and -- comments; block comments do not nest', () => {
    assert.deepEqual(kinds('snowflake', 'a // b;\n-- c;\n/* x /* y */ z */'), [
      ['word', 'a'],
      ['comment', '// b;'],
      ['comment', '-- c;'],
      ['comment', '/* x /* y */'],
      ['word', 'z'],
      ['op', '*'],
      ['op', '/'],
    ]);
  });

  it('$$…$$ only: $tag$ is no quote', () => {
    assert.equal(only('snowflake', '$$a;b$$').value, 'a;b');
    assert.deepEqual(kinds('snowflake', '$a$ ; $a$'), [
      ['op', '$'],
      ['word', 'a$'],
      ['semicolon', ';'],
      ['op', '$'],
      ['word', 'a$'],
    ]);
  });

  it('runs unterminated text to the end', () => {
    for (const sql of ["'ab\\'", '"ab', '/* ab', '$$ ab']) assert.equal(only('snowflake', sql).unterminated, true, sql);
  });
});

describe('lexer: bigquery', () => {
  it("keeps 'it\\'s; here' one string, and the statement whole", () => {
    assert.deepEqual(kinds('bigquery', "select 'it\\'s; here' as a;"), [
      ['word', 'select'],
      ['string', "'it\\'s; here'"],
      ['word', 'as'],
      ['word', 'a'],
      ['semicolon', ';'],
    ]);
    assert.equal(lex('bigquery', "'it\\'s; here'")[0].value, "it's; here");
  });

  it('# comments run to the end of the line, a ; in them included', () => {
    assert.deepEqual(kinds('bigquery', 'select 1 # a; b\n;'), [
      ['word', 'select'],
      ['number', '1'],
      ['comment', '# a; b'],
      ['semicolon', ';'],
    ]);
    assert.equal(lex('bigquery', '# a; b')[0].value, ' a; b');
  });

  it('"…" is a string; a doubled quote is no escape but two strings', () => {
    assert.equal(only('bigquery', '"a;\\"b"').value, 'a;"b');
    assert.deepEqual(kinds('bigquery', "'a''b'"), [
      ['string', "'a'"],
      ['string', "'b'"],
    ]);
  });

  it('triple-quoted strings hold line breaks and lone quotes', () => {
    const t = only('bigquery', "'''it's;\ntwo '' lines'''");
    assert.deepEqual([t.value, t.open, t.close], ["it's;\ntwo '' lines", 3, 3]);
    assert.equal(only('bigquery', '"""a "" \\""" b"""').value, 'a "" """ b');
  });

  it('raw strings keep backslashes (the quote after one does not end them), with b and any case', () => {
    const r = only('bigquery', "r'\\d+\\';'");
    assert.deepEqual([r.value, r.open, r.close], ["\\d+\\';", 2, 1]);
    assert.equal(only('bigquery', 'R"a\\"b"').value, 'a\\"b');
    assert.equal(only('bigquery', "rb'''x\\''''").value, "x\\'");
    assert.equal(only('bigquery', 'Br"x"').value, 'x');
    assert.equal(only('bigquery', "b'\\x41'").value, 'x41');
  });

  it('backtick names take backslash escapes; block comments do not nest; $$ is no quote', () => {
    assert.equal(only('bigquery', '`my-project.d;s.t\\``').value, 'my-project.d;s.t`');
    assert.deepEqual(
      kinds('bigquery', '/* a /* b */ c').map(([k]) => k),
      ['comment', 'word'],
    );
    // ($ is no GoogleSQL name character, but the word rule is shared: x$$ stays one word.)
    assert.deepEqual(kinds('bigquery', '$$x$$ ;'), [
      ['op', '$'],
      ['op', '$'],
      ['word', 'x$$'],
      ['semicolon', ';'],
    ]);
  });

  it('runs unterminated text to the end', () => {
    for (const sql of ["'ab\\'", '"ab', "'''ab''", '"""a"', "r'ab\\'", '`ab', '/* ab']) {
      const t = only('bigquery', sql);
      assert.equal(t.unterminated, true, sql);
      assert.equal(t.end, sql.length, sql);
    }
  });
});

describe('lexer: databricks', () => {
  it('\'…\' and "…" strings with backslash escapes; a doubled quote is two strings', () => {
    assert.equal(only('databricks', "'O\\'Connell;'").value, "O'Connell;");
    assert.equal(only('databricks', '"a\\"b"').value, 'a"b');
    assert.deepEqual(
      kinds('databricks', "'a''b'").map(([k]) => k),
      ['string', 'string'],
    );
  });

  it('raw strings have no escape character at all', () => {
    assert.deepEqual(kinds('databricks', "r'\\' x'"), [
      ['string', "r'\\'"],
      ['word', 'x'],
      ['string', "'"],
    ]);
    assert.equal(lex('databricks', "R'a\\nb'")[0].value, 'a\\nb');
  });

  it('backtick names with `` inside; nested comments; -- only; tagged dollar quotes', () => {
    assert.equal(only('databricks', '`a``b`').value, 'a`b');
    assert.equal(only('databricks', '/* a /* b; */ c; */').kind, 'comment');
    assert.deepEqual(
      kinds('databricks', 'a # b').map(([k]) => k),
      ['word', 'op', 'word'],
    );
    assert.equal(only('databricks', '$py$ return 1; $py$').value, ' return 1; ');
  });

  it('runs unterminated text to the end', () => {
    for (const sql of ["'ab\\'", '"ab', '`ab', '/* a /* b */', '$$ ab'])
      assert.equal(only('databricks', sql).unterminated, true, sql);
  });
});

describe('lexer: every dialect', () => {
  it('lexes what all five share the same way: words, numbers, operators, punctuation, -- comments', () => {
    const sql = 'select c.row_id, count(*) >= 1.5 from t where x <> 2 and y::text -- done';
    const expected = kinds('postgres', sql);
    for (const kind of DIALECT_KINDS) assert.deepEqual(kinds(kind, sql), expected, kind);
  });

  it('treats every Unicode space as white space and other non-ASCII letters as word characters', () => {
    for (const kind of DIALECT_KINDS) {
      assert.deepEqual(kinds(kind, 'select\u00a0é\u2003中文'), [
        ['word', 'select'],
        ['word', 'é'],
        ['word', '中文'],
      ]);
    }
  });

  it('lexes a 5,000-line file, finding each of its 5,000 semicolons', () => {
    const line = "select c.row_id, 'a;b' from hightouch_audit.sync_changelog c where c.op_type = 'added'; -- x\n";
    for (const kind of DIALECT_KINDS)
      assert.equal(lex(kind, line.repeat(5000)).filter((t) => t.kind === 'semicolon').length, 5000, kind);
  });
});

// Fragments that change how the rest of a text lexes, in some dialect or other, and plain code.
const FRAGMENTS = [
  "'",
  '"',
  '`',
  "'''",
  '"""',
  "''",
  "E'",
  "r'",
  'R"',
  "b'",
  "rb'",
  '\\',
  '\\\\',
  "\\'",
  '--',
  '#',
  '//',
  '/*',
  '*/',
  ';',
  ';;',
  '$',
  '$$',
  '$t$',
  '$1',
  'a$b$',
  '\n',
  '\r\n',
  ' ',
  '\t',
  'select',
  'x',
  'e',
  'r',
  '1.5',
  '(',
  ')',
  ',',
  '.',
  '::',
  '<>',
  'é',
  '中',
  '😀',
  '\u00a0',
  '\u2028',
];

function randomText(seed: number): string {
  const r = rng(seed);
  let text = '';
  for (let k = 1 + r.int(40); k > 0; k--) text += r.pick(FRAGMENTS);
  return text;
}

describe('lexer: properties over random text (seeded)', () => {
  it('tokens, with the white space between them, give the text back', () => {
    for (const kind of DIALECT_KINDS) {
      for (let seed = 1; seed <= 400; seed++) {
        const text = randomText(seed);
        const context = `${kind}: ${JSON.stringify(text)}`;
        let at = 0;
        let rebuilt = '';
        for (const t of lex(kind, text)) {
          assert.ok(t.start >= at && t.end > t.start, context);
          assert.ok(/^\s*$/.test(text.slice(at, t.start)), `only white space between tokens, ${context}`);
          assert.equal(t.text, text.slice(t.start, t.end), context);
          rebuilt += text.slice(at, t.start) + t.text;
          at = t.end;
        }
        assert.ok(/^\s*$/.test(text.slice(at)), context);
        assert.equal(rebuilt + text.slice(at), text, context);
      }
    }
  });

  it('one statement at a time gives the same tokens as the whole text at once', () => {
    for (const kind of DIALECT_KINDS) {
      const traits = dialectFor(kind).lexical;
      for (let seed = 1; seed <= 400; seed++) {
        const text = randomText(seed);
        const pieces: Token[] = [];
        for (let from = 0; from < text.length;) {
          const { tokens, end } = lexStatement(text, from, traits);
          for (const t of tokens) pieces.push({ ...t, start: t.start + from, end: t.end + from });
          if (end === from) break;
          from = end;
        }
        assert.deepEqual(pieces, tokenize(text, traits), `${kind}: ${JSON.stringify(text)}`);
      }
    }
  });

  it("split into statements, then joined, gives the text back: Run Query's and the server's", () => {
    for (const kind of DIALECT_KINDS) {
      const traits = dialectFor(kind).lexical;
      for (let seed = 1; seed <= 400; seed++) {
        const text = randomText(seed);
        const context = `${kind}: ${JSON.stringify(text)}`;
        // Run Query: statements are trimmed, so what lies between them must be `;`, comments, white space.
        let at = 0;
        let rebuilt = '';
        for (const s of splitStatements(text, traits)) {
          assert.equal(s.text, text.slice(s.start, s.end), context);
          assert.ok(s.start >= at, context);
          const between = text.slice(at, s.start);
          assert.ok(
            tokenize(between, traits).every((t) => t.kind === 'comment' || t.kind === 'semicolon'),
            `${context}, between: ${JSON.stringify(between)}`,
          );
          rebuilt += between + s.text;
          at = s.end;
        }
        assert.equal(rebuilt + text.slice(at), text, context);
        // The language server: each statement's source, joined by the `;` that ended it.
        const index = indexStatements(text, traits);
        assert.equal(index.chunks.map((c) => c.source + (c.terminated ? ';' : '')).join(''), text, context);
      }
    }
  });
});
