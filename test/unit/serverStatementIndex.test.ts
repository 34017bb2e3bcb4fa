import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diagnostics } from '../../src/server/diagnostics';
import type { DialectKind } from '../../src/shared/connection';
import type { ServerOptions } from '../../src/server/schemaModel';
import { splitStatements } from '../../src/server/statements';
import type { StatementIndex } from '../../src/server/statementIndex';
import {
  UNTOUCHED,
  absoluteStatement,
  afterEdit,
  chunkIndexAt,
  indexStatements as indexAs,
  lexicalOf,
  updateStatementIndex,
} from '../../src/server/statementIndex';
import { tokenize } from '../../src/sql/lexer';
import { DIALECT_KINDS } from '../../src/sql/dialects';

const indexStatements = (text: string, dialect: DialectKind = 'postgres') => indexAs(text, lexicalOf(dialect));

/** Seeded PRNG (mulberry32), so a failure replays exactly. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces that change how the rest of a file lexes (quotes, comment openers, dollar tags,
// semicolons) mixed with the queries users write, including ones diagnostics flag.
const PIECES = [
  ';',
  "'",
  "''",
  "E'\\'",
  '\\',
  '"',
  '`',
  '$$',
  '$t$',
  '$1',
  '#',
  '//',
  "'''",
  "r'",
  "\\'",
  '/*',
  '*/',
  '--',
  '\n',
  ' ',
  'e',
  'x',
  '(',
  ')',
  '.',
  "select c.failed_reason from hightouch_audit.sync_changelog c where c.op_type = 'add'",
  'select r.model_name from hightouch_audit.sync_changelog c join hightouch_audit.sync_runs r on c.sync_id = r.sync_id',
  "with d as (select row_id, status from hightouch_audit.sync_snapshot s where s.status != 'Failed') select * from d",
  'select failure_reason, count(*) as n from hightouch_audit.sync_snapshot group by failure_reason qualify n > 1',
];

const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)];

function randomText(rand: () => number, pieces: number): string {
  let text = '';
  for (let i = 0; i < pieces; i++) text += pick(rand, PIECES);
  return text;
}

/** Inserts, deletes or replaces a random stretch [start, end), as typing, cutting and pasting do. */
function randomEdit(rand: () => number, text: string): { text: string; start: number; end: number } {
  const start = Math.floor(rand() * (text.length + 1));
  const end = Math.min(text.length, start + Math.floor(rand() * (rand() < 0.8 ? 4 : 60)));
  const kind = rand();
  const replace = (from: number, to: number, insert: string) => ({
    text: text.slice(0, from) + insert + text.slice(to),
    start: from,
    end: to,
  });
  if (kind < 0.45) return replace(start, start, pick(rand, PIECES));
  if (kind < 0.75) return replace(start, end, '');
  return replace(start, end, randomText(rand, 1 + Math.floor(rand() * 3)));
}

/** The index must describe exactly the statements a from-scratch tokenize + split finds. */
function assertMatchesScratch(index: StatementIndex, text: string, context: string): void {
  assert.equal(index.text, text);
  const expected = splitStatements(tokenize(text, index.lexical), text.length);
  assert.equal(index.chunks.length, expected.length, `statement count, ${context}`);
  expected.forEach((s, k) => {
    assert.deepEqual(absoluteStatement(index, k), s, `statement ${k}, ${context}`);
    assert.equal(index.chunks[k].source, text.slice(s.start, s.end));
  });
}

describe('statement index', () => {
  it('cuts a document as tokenize + splitStatements does, an empty last statement included', () => {
    for (const text of [
      '',
      ';',
      'select 1',
      'select 1;',
      "select 1; select 'a;b'; -- c;\nselect 3",
      'select $t$ ; $t$; /* ; /* ; */ ; */ 2',
    ]) {
      assertMatchesScratch(indexStatements(text), text, JSON.stringify(text));
    }
  });

  it('finds the statement at an offset as statementAt does (after a `;` is the next one)', () => {
    const text = 'select 1; select 2;';
    const index = indexStatements(text);
    assert.equal(chunkIndexAt(index, 0), 0);
    assert.equal(chunkIndexAt(index, text.indexOf(';')), 0);
    assert.equal(chunkIndexAt(index, text.indexOf(';') + 1), 1);
    assert.equal(chunkIndexAt(index, text.length), 2);
  });

  it('reuses the statements an edit does not touch, at shifted offsets', () => {
    const before = 'select 1;\nselect 2;\nselect 3';
    const index = indexStatements(before);
    const after = updateStatementIndex(index, before.replace('select 1', 'select 10'));
    assert.equal(after.chunks[0] === index.chunks[0], false);
    assert.equal(after.chunks[1], index.chunks[1]);
    assert.equal(after.chunks[2], index.chunks[2]);
    assert.deepEqual(after.starts, [0, 10, 20]);
  });

  it('re-lexes the rest of the file when an edit opens a string that swallows later semicolons', () => {
    const before = "select 1; select 'a'; select 2";
    const after = updateStatementIndex(indexStatements(before), before.replace('select 1', "select '1"));
    assertMatchesScratch(after, "select '1; select 'a'; select 2", 'quote opened');
    assert.equal(after.chunks.length, 1);
  });

  it("takes an editor's change ranges instead of comparing texts, down to the character after a `;`", () => {
    const before = 's;t;u';
    const after = 's;v;u';
    // The edit replaced ";t" (offsets 1 to 3) with ";v".
    const index = updateStatementIndex(indexStatements(before), after, afterEdit(UNTOUCHED, 1, 3, before.length));
    assertMatchesScratch(index, after, 'replace across a `;`');
  });

  it('lexes with the dialect it was built for, and keeps it through edits', () => {
    const text = "select 'it\\'s; here' as a; # x; y\nselect 2";
    // Postgres: the backslash is an ordinary character, so the string ends after it.
    assert.deepEqual(
      indexStatements(text).chunks.map((c) => c.source),
      ["select 'it\\'s", " here' as a; # x; y\nselect 2"],
    );
    const bigquery = indexStatements(text, 'bigquery');
    assert.deepEqual(
      bigquery.chunks.map((c) => c.source),
      ["select 'it\\'s; here' as a", ' # x; y\nselect 2'],
    );
    const edited = updateStatementIndex(bigquery, text.replace('select 2', 'select 3'));
    assert.equal(edited.lexical, lexicalOf('bigquery'));
    assertMatchesScratch(edited, text.replace('select 2', 'select 3'), 'bigquery edit');
  });

  it('after random edits, equals a from-scratch run: statements and diagnostics, in every dialect (seeded)', () => {
    for (const dialect of DIALECT_KINDS)
      randomEdits(dialect, dialect === 'postgres' ? [1, 2, 3, 4, 5, 6, 7, 8] : [1, 2, 3]);
  });
});

/** Seeded random edits in one dialect: the index after each equals a from-scratch one, and so do the diagnostics. */
function randomEdits(dialect: DialectKind, seeds: readonly number[]): void {
  const options: ServerOptions = { dialect, schema: 'hightouch_audit' };
  const other: ServerOptions = { dialect: dialect === 'redshift' ? 'postgres' : 'redshift', schema: 'hightouch_audit' };
  let reported = 0;
  for (const seed of seeds) {
    const rand = seeded(seed);
    let text = randomText(rand, 40);
    let index = indexStatements(text, dialect);
    for (let step = 0; step < 120; step++) {
      // One to three edits between updates; half the time the update is told their ranges.
      let unchanged = UNTOUCHED;
      for (let e = Math.floor(rand() * 3); e >= 0; e--) {
        const edit = randomEdit(rand, text);
        unchanged = afterEdit(unchanged, edit.start, edit.end, text.length);
        text = edit.text;
      }
      const told = rand() < 0.5;
      index = updateStatementIndex(index, text, told ? unchanged : undefined);
      const context = `${dialect}, seed ${seed}, step ${step}, ranges ${told ? 'given' : 'found'}`;
      assertMatchesScratch(index, text, context);
      // Incremental first (its memo warm from earlier steps), then a from-scratch run on an
      // empty memo (switching the dialect empties it).
      const incremental = diagnostics(index, options);
      diagnostics('', other);
      assert.deepEqual(incremental, diagnostics(text, options), context);
      reported += incremental.length;
    }
  }
  // The generated files do hold mistakes, so the comparison above is not of empty lists.
  assert.ok(reported > 100 * (seeds.length / 8), `${dialect}: only ${reported} diagnostics over all steps`);
}
