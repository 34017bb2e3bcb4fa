import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  csvField,
  formatCsv,
  formatJson,
  formatLoadProgressLine,
  formatLoadSummary,
  formatTable,
} from '../../src/cli/format';
import type { QueryResult } from '../../src/shared/queryResult';

const result = (columns: string[], rows: unknown[][], extra: Partial<QueryResult> = {}): QueryResult => ({
  columns: columns.map((name) => ({ name, type: 'text' })),
  rows,
  rowCount: rows.length,
  truncated: false,
  elapsedMs: 1,
  ...extra,
});

test('csv quotes commas, quotes and line breaks (RFC 4180), with CRLF records', () => {
  const r = result(
    ['reason', 'n', 'fields'],
    [
      ['Invalid email, rejected', 3, { a: 1 }],
      ['He said "no"', 2, null],
      ['line1\nline2', 1, [1, 2]],
      ['plain', 0, 'x\r'],
    ],
  );
  assert.equal(
    formatCsv(r),
    'reason,n,fields\r\n' +
      '"Invalid email, rejected",3,"{""a"":1}"\r\n' +
      '"He said ""no""",2,\r\n' +
      '"line1\nline2",1,"[1,2]"\r\n' +
      'plain,0,"x\r"\r\n',
  );
  assert.equal(csvField(true), 'true');
  assert.equal(csvField(''), '');
  assert.equal(formatCsv(result([], [], { command: 'CREATE' })), '');
});

test('table aligns columns: numbers right, text left, long cells truncated, line breaks shown', () => {
  const r = result(
    ['failure_reason', 'c'],
    [
      ['Invalid email', 120],
      ['x'.repeat(60), 7],
      ['two\nlines', null],
    ],
  );
  r.columns[1].type = 'int8';
  const lines = formatTable(r, { maxCellWidth: 20 }).split('\n');
  assert.deepEqual(lines, [
    ' failure_reason       | c',
    '----------------------+------',
    ' Invalid email        |  120',
    ` ${'x'.repeat(19)}… |    7`,
    ' two↵lines            | NULL',
    '(3 rows)',
    '',
  ]);
  const widths = lines.slice(2, 5).map((l) => l.indexOf('|'));
  assert.equal(new Set(widths).size, 1, 'separators line up');
});

test('table footer tells when rows were left out; command results print their tag', () => {
  const truncated = formatTable(result(['n'], [[1], [2]], { rowCount: 50, truncated: true }));
  assert.match(truncated, /\(50 rows, first 2 shown\)\n$/);
  assert.equal(formatTable(result([], [], { command: 'INSERT', rowCount: 3 })), 'INSERT 3\n');
  assert.match(formatTable(result(['n'], [[1]])), /\(1 row\)/);
});

test('json is an array of objects keyed by column name, repeated names kept apart', () => {
  const r = result(
    ['?column?', '?column?', 'doc'],
    [
      [1, 'a', { k: [true] }],
      [2, null, null],
    ],
  );
  assert.deepEqual(JSON.parse(formatJson(r)), [
    { '?column?': 1, '?column?_2': 'a', doc: { k: [true] } },
    { '?column?': 2, '?column?_2': null, doc: null },
  ]);
  assert.equal(formatJson(result(['a'], [])), '[]\n');
});

test('load progress shows rows, rate and ETA; the summary shows totals', () => {
  const line = formatLoadProgressLine(
    { phase: 'changelog', rowsWritten: 1_000_000, rowsExpected: 10_000_000, message: '' },
    10_000,
  );
  assert.equal(line, 'changelog: 1,000,000 / 10,000,000 rows (10%), 100,000 rows/s, ETA 1m30s');
  assert.equal(formatLoadProgressLine({ phase: 'changelog', rowsWritten: 0, message: '' }, 0), 'changelog: 0 rows');
  const summary = formatLoadSummary(
    { syncs: 8, runs: 4000, changelogRows: 300_000, snapshotRows: 90_000, elapsedMs: 6000 },
    'hightouch_audit',
  );
  assert.match(summary, /schema hightouch_audit in 6s/);
  assert.match(summary, /300,000 changelog rows, 90,000 snapshot rows/);
  assert.match(summary, /50,000 changelog rows\/s/);
});

// ---- streamed output ----

import { CHUNK_CHARS, formatChunks, tableChunks } from '../../src/cli/format';
import { legacyCsv, legacyJson, legacyTable } from '../support/legacyCliFormat';
import { deepJsonText, deepJsonValue } from '../support/deepJson';

const FORMATS = ['table', 'csv', 'json'] as const;
const legacy = { table: legacyTable, csv: legacyCsv, json: legacyJson };

/** Results the old one-string formatters could print: the streamed chunks must add up to the same bytes. */
function variedResults(): QueryResult[] {
  const many = Array.from({ length: 30_000 }, (_, i) => [
    i,
    `row ${i}, "quoted"\nnext line`,
    i % 7 ? { n: i, tags: ['a', i] } : null,
    i % 3 === 0,
  ]);
  return [
    result(['n', 'text', 'doc', 'flag'], many),
    result(['big'], [['x'.repeat(3 * CHUNK_CHARS + 17)], ['😀'.repeat(CHUNK_CHARS)], ['short']]),
    result(['?column?', '?column?', 'a', 'a'], [[1, 2, 3, 4]]),
    result(['doc'], [[deepJsonValue(50)], [[]], [{}], ['']]),
    result(['n'], [[1], [2]], { rowCount: 50, truncated: true }),
    result(['empty'], []),
    result([], [], { command: 'INSERT', rowCount: 3 }),
    result([], [], { command: 'CREATE' }),
    result(
      ['ünïcödé', 'ﾃｰﾌﾞﾙ'],
      [
        ['naïve café', 'テスト'],
        ['tab\there', 'cr\rlf\r\n'],
      ],
    ),
  ];
}

test('every format comes as bounded chunks that add up to the old one-string output, byte for byte', () => {
  for (const r of variedResults()) {
    for (const format of FORMATS) {
      const chunks = [...formatChunks(r, format)];
      for (const c of chunks) assert.ok(c.length <= CHUNK_CHARS * 2, `a ${format} chunk of ${c.length} characters`);
      assert.equal(chunks.join(''), legacy[format](r), `${format} of ${r.columns.map((c) => c.name).join(',')}`);
    }
  }
  const big = [...formatChunks(variedResults()[0], 'csv')];
  assert.ok(big.length > 20, `a 30,000-row export comes in many chunks (${big.length})`);
});

test('a huge cell is cut into chunks between characters, never inside a surrogate pair', () => {
  const r = result(['e'], [['😀'.repeat(CHUNK_CHARS * 2)]]);
  for (const format of ['csv', 'json'] as const) {
    const chunks = [...formatChunks(r, format)];
    assert.ok(chunks.length >= 3);
    for (const c of chunks) {
      assert.ok(c.length <= CHUNK_CHARS, `${format}: ${c.length}`);
      assert.ok(!/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(c), `${format}: a chunk starts or ends inside a pair`);
    }
  }
});

test('table escapes terminal control characters as psql does; CSV and JSON stay exact', () => {
  const hostile = 'a\x1b[2J\x1b]0;pwned\x07b\x7f\x9b31mc\u202eexe.pdf\u2028d\u0000';
  const r = result([`col\x1b[31m`], [[hostile], ['x\r\ny\tz']], { command: undefined });
  const table = formatTable(r, { maxCellWidth: 200 });
  assert.ok(
    !/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/.test(table),
    JSON.stringify(table),
  );
  assert.match(table, /col\\x1B\[31m/);
  assert.ok(table.includes('a\\x1B[2J\\x1B]0;pwned\\x07b\\x7F\\u009B31mc\\u202Eexe.pdf\\u2028d\\x00'), table);
  assert.ok(table.includes('x↵y z'), 'line breaks and tabs keep their old marks');
  assert.equal(table.split('\n').length, 6, 'header, rule, 2 rows, footer, end');
  assert.equal(formatTable(result([], [], { command: 'SET\x1b]0;t\x07' })), 'SET\\x1B]0;t\\x07\n');
  assert.ok(formatCsv(r).includes(hostile));
  assert.equal(JSON.parse(formatJson(r))[0]['col\x1b[31m'], hostile);
});

test('JSON nested 10,000 levels prints as its text in every format; json output stays valid and exact', () => {
  const text = deepJsonText(10_000, '{"k": "v"}');
  // A parsed value past JSON.stringify's stack (about 5,000 levels) is written too.
  const r = result(
    ['j', 'n'],
    [
      [{ $jsonText: text }, 1],
      [deepJsonValue(5_000), 2],
    ],
  );
  const json = formatJson(r);
  assert.ok(json.includes(`"j": ${text}`), 'the kept text is embedded raw');
  const parsed = JSON.parse(json) as { j: unknown; n: number }[];
  assert.equal(parsed.length, 2);
  assert.equal(parsed[1].n, 2);
  assert.ok(json.length > 5_000 * 5_000, 'a parsed deep value is written (indented) without recursion');
  assert.ok(formatCsv(r).includes(`"${text.replace(/"/g, '""')}",1\r\n`));
  const table = formatTable(r);
  assert.ok(!table.includes('[object Object]'));
  assert.ok(table.includes(`${'['.repeat(39)}…`), table.slice(0, 200));
});

test('json keys follow column order and never collide', () => {
  const r = result(['2', '1', 'a', 'a', 'a_2'], [[1, 2, 3, 4, 5]]);
  const text = formatJson(r);
  assert.deepEqual(
    [...text.matchAll(/^ {4}"([^"]+)"/gm)].map((m) => m[1]),
    ['2', '1', 'a', 'a_2', 'a_2_2'],
  );
  assert.deepEqual(JSON.parse(text), [{ 2: 1, 1: 2, a: 3, a_2: 4, a_2_2: 5 }]);
});

test('the table measures columns in a first pass, then streams rows', () => {
  const rows = Array.from({ length: 5000 }, (_, i) => [i === 4999 ? 'the widest cell is last' : 'x']);
  const chunks = [...tableChunks(result(['c'], rows))];
  assert.ok(chunks[0].startsWith(` c\n${'-'.repeat(25)}\n`), 'the rule is as wide as the last row');
});
