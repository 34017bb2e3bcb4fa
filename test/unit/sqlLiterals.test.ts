import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresLiteral, redshiftLiteral, backslashLiteral } from '../../src/sql/dialects/literals';
import { commentLine, commentText } from '../../src/sql/sqlComment';
import { runChangelogSql } from '../../src/sql/runQueryText';
import { excludeFailedRowsSql } from '../../src/sql/excludeFailedRows';
import { DIALECT_KINDS, dialectFor } from '../../src/sql/dialects';
import { splitStatements } from '../../src/sql/statementAtCursor';

// Editor SQL (Open Run Query, Exclude Previously Failed Rows) is run later in a session whose
// settings we do not know. These tests read the literals the way Postgres's lexer does, with
// standard_conforming_strings on and off, and require the same value and the same end of string.

/** Postgres's reading of the string constant starting at `i` (plain '...' or E'...'). */
function readPgString(sql: string, i: number, standardConformingStrings: boolean): { value: string; end: number } {
  let escapes = !standardConformingStrings;
  if ((sql[i] === 'E' || sql[i] === 'e') && sql[i + 1] === "'") {
    escapes = true;
    i++;
  }
  assert.equal(sql[i], "'", `a string starts at ${i}`);
  let value = '';
  let j = i + 1;
  while (j < sql.length) {
    const c = sql[j];
    if (c === "'") {
      if (sql[j + 1] === "'") {
        value += "'";
        j += 2;
        continue;
      }
      return { value, end: j + 1 };
    }
    if (escapes && c === '\\') {
      const next = sql[j + 1];
      const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (next === undefined) break;
      if (/[0-7xuU]/.test(next)) throw new Error(`numeric escape \\${next}: the literal would depend on escape rules`);
      value += simple[next] ?? next;
      j += 2;
      continue;
    }
    value += c;
    j++;
  }
  throw new Error('unterminated string');
}

/** Redshift's reading of redshiftLiteral's output: quoted pieces and chr(92), joined by ||, maybe in parentheses. */
function readRedshiftValue(sql: string, backslashEscapes: boolean): string {
  let i = 0;
  const parens = sql.startsWith('(');
  if (parens) i++;
  let value = '';
  for (;;) {
    if (sql.startsWith('chr(92)', i)) {
      value += '\\';
      i += 'chr(92)'.length;
    } else {
      const s = readPgString(sql, i, !backslashEscapes);
      value += s.value;
      i = s.end;
    }
    if (sql.startsWith(' || ', i)) i += 4;
    else break;
  }
  if (parens) {
    assert.equal(sql[i], ')');
    i++;
  }
  assert.equal(i, sql.length, `nothing follows the value in ${sql}`);
  return value;
}

/** A seeded generator (mulberry32): the same strings on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE = [
  '',
  'abc',
  "a'b",
  '\\',
  "\\'",
  "\\'; drop table canary; --",
  "x\\'; drop table canary; select '",
  "'; drop table canary; --",
  '\\\\',
  'ends with \\',
  "E'\\x41'",
  '\\x41\\101\\u0041',
  'line\nbreak\r\n-- comment',
  '$$; drop table canary; $$',
  '/* not a comment */',
  'é\u2028ü\u202e',
];
const PIECES = [
  "'",
  "''",
  '\\',
  '\\\\',
  '\\n',
  '\n',
  '\r',
  ';',
  '--',
  ' ',
  'a',
  'E',
  "E'",
  '$$',
  '/*',
  '*/',
  'x41',
  '0',
  'é',
  '\u2028',
  '\t',
];

function* values(count: number): Generator<string> {
  yield* HOSTILE;
  const next = rng(11);
  for (let n = 0; n < count; n++) {
    let s = '';
    const len = Math.floor(next() * 12);
    for (let k = 0; k < len; k++) s += PIECES[Math.floor(next() * PIECES.length)];
    yield s;
  }
}

test('postgres literals: the same value and the same end with standard_conforming_strings on and off', () => {
  for (const v of values(3000)) {
    const lit = postgresLiteral(v);
    for (const scs of [true, false]) {
      const read = readPgString(lit, 0, scs);
      assert.equal(
        read.end,
        lit.length,
        `${JSON.stringify(v)} -> ${lit}: the string ends where the literal does (scs ${scs})`,
      );
      assert.equal(read.value, v, `${JSON.stringify(v)} -> ${lit} (scs ${scs})`);
    }
  }
});

test('postgres literals stay plain (and readable) without a backslash; E only when needed', () => {
  assert.equal(postgresLiteral('9001'), "'9001'");
  assert.equal(postgresLiteral("o'brien"), "'o''brien'");
  assert.equal(postgresLiteral('a\\b'), "E'a\\\\b'");
  assert.equal(postgresLiteral("\\'; drop table x; --"), "E'\\\\''; drop table x; --'");
  // Quotes are doubled even in E'': a lexer that ignores E still finds the same end.
  assert.ok(!/\\'/.test(postgresLiteral("\\'").replace(/\\\\/g, '')));
});

test('redshift literals: no backslash inside any quoted piece; the same value whether or not backslashes escape', () => {
  for (const v of values(3000)) {
    const lit = redshiftLiteral(v);
    assert.ok(!lit.includes('\\'), `${JSON.stringify(v)} -> ${lit}`);
    for (const escapes of [true, false])
      assert.equal(readRedshiftValue(lit, escapes), v, `${JSON.stringify(v)} -> ${lit} (escapes ${escapes})`);
  }
  assert.equal(redshiftLiteral('9001'), "'9001'");
  assert.equal(redshiftLiteral('\\'), 'chr(92)');
  assert.equal(redshiftLiteral('a\\'), "('a' || chr(92))");
});

test('backslash literals (Snowflake, BigQuery, Databricks): one string, no raw line break, value kept', () => {
  for (const v of values(2000)) {
    const lit = backslashLiteral(v);
    assert.ok(!/[\r\n]/.test(lit), 'BigQuery allows no raw line break in a quoted string');
    const read = readPgString(lit, 0, false);
    assert.equal(read.end, lit.length, lit);
    assert.equal(read.value, v, lit);
  }
});

const LINE_BREAKERS = ['\n', '\r', '\r\n', '\v', '\f', '\u0085', '\u2028', '\u2029', '\u0000', '\u001b'];

test('comments: no character that any lexer or editor takes as a line end survives', () => {
  for (const br of LINE_BREAKERS) {
    const line = commentLine(`run 7${br}drop table canary; --`);
    assert.equal(line, '-- run 7 drop table canary; --', JSON.stringify(br));
  }
  assert.equal(commentText('tab\tkept'), 'tab\tkept');
  assert.equal(commentText('é ü 中'), 'é ü 中');
});

const BREAK_ANY = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;

test('Open Run Query and Exclude: hostile names and ids stay inside their comment line in every dialect', () => {
  for (const kind of DIALECT_KINDS) {
    const dialect = dialectFor(kind);
    for (const br of LINE_BREAKERS) {
      const hostile = `x${br}drop table canary; --`;
      const run = runChangelogSql({
        dialect,
        schema: 'hightouch_audit',
        syncId: '1',
        syncRunId: hostile,
        modelName: hostile,
        destination: hostile,
        startedAt: hostile,
      });
      const lines = run.split(BREAK_ANY);
      // Two comment lines, then the query: the hostile text never starts a line of code.
      assert.ok(
        lines[0].startsWith('-- Changelog of run x drop table canary; --'),
        `${kind} ${JSON.stringify(br)}: ${lines[0]}`,
      );
      assert.ok(lines[1].startsWith('-- Run it'), kind);
      assert.equal(lines[2], 'select', kind);
      const exclude = excludeFailedRowsSql(
        { dialect, schema: 'hightouch_audit' },
        { modelSql: 'select 1 as id', syncId: hostile.replace(/\\/g, ''), primaryKey: 'id' },
      );
      const xl = exclude.split(BREAK_ANY);
      const code = xl.indexOf('select m.*');
      assert.ok(code >= 2 && xl.slice(0, code).every((l) => l.startsWith('-- ')), `${kind} ${JSON.stringify(br)}`);
    }
  }
});

test("Run Query's own splitter sees one statement in the generated text of every dialect, whatever the ids", () => {
  for (const dialect of DIALECT_KINDS.map(dialectFor)) {
    for (const v of values(500)) {
      const text = runChangelogSql({
        dialect,
        schema: 'hightouch_audit',
        syncId: v,
        syncRunId: v,
        modelName: v,
        destination: v,
        startedAt: null,
      });
      assert.equal(splitStatements(text, dialect.lexical).length, 1, `${dialect.name} ${JSON.stringify(v)}:\n${text}`);
      const exclude = excludeFailedRowsSql(
        { dialect, schema: 'hightouch_audit' },
        { modelSql: 'select 1 as id', syncId: v, primaryKey: 'id' },
      );
      assert.equal(
        splitStatements(exclude, dialect.lexical).length,
        1,
        `${dialect.name} ${JSON.stringify(v)}:\n${exclude}`,
      );
    }
  }
});
