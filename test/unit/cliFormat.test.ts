import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, formatCsv, formatJson, formatLoadProgressLine, formatLoadSummary, formatTable } from '../../src/cli/format';
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
  const r = result(['?column?', '?column?', 'doc'], [[1, 'a', { k: [true] }], [2, null, null]]);
  assert.deepEqual(JSON.parse(formatJson(r)), [
    { '?column?': 1, '?column?_2': 'a', doc: { k: [true] } },
    { '?column?': 2, '?column?_2': null, doc: null },
  ]);
  assert.equal(formatJson(result(['a'], [])), '[]\n');
});

test('load progress shows rows, rate and ETA; the summary shows totals', () => {
  const line = formatLoadProgressLine({ phase: 'changelog', rowsWritten: 1_000_000, rowsExpected: 10_000_000, message: '' }, 10_000);
  assert.equal(line, 'changelog: 1,000,000 / 10,000,000 rows (10%), 100,000 rows/s, ETA 1m30s');
  assert.equal(formatLoadProgressLine({ phase: 'changelog', rowsWritten: 0, message: '' }, 0), 'changelog: 0 rows');
  const summary = formatLoadSummary({ syncs: 8, runs: 4000, changelogRows: 300_000, snapshotRows: 90_000, elapsedMs: 6000 }, 'hightouch_audit');
  assert.match(summary, /schema hightouch_audit in 6s/);
  assert.match(summary, /300,000 changelog rows, 90,000 snapshot rows/);
  assert.match(summary, /50,000 changelog rows\/s/);
});
