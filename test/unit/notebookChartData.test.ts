// A notebook chart's data shaped from a cell's rows (src/notebook/chartData.ts), and the outputs a
// finished cell gets (src/notebook/cellOutput.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_LABELS, MAX_SERIES, shapeChart } from '../../src/notebook/chartData';
import { cellOutput, TEXT_ROWS } from '../../src/notebook/cellOutput';
import { parseOutputComment, type ChartChoice } from '../../src/notebook/outputComment';
import { isNotebookResultOutput } from '../../src/shared/notebookOutput';
import type { QueryResult } from '../../src/shared/queryResult';

const cols = (...names: string[]) =>
  names.map((name) => ({ name, type: name.endsWith('_at') ? 'timestamptz' : 'text' }));
const chart = (c: Omit<ChartChoice, 'output'>): ChartChoice => ({ output: 'chart', ...c });

test('bar: one series per y column, numeric text read as numbers, rows with the same x added up', () => {
  const shaped = shapeChart(
    chart({ chart: 'bar', x: 'category', y: ['rows', 'failed'] }),
    cols('category', 'rows', 'failed'),
    [
      ['timeout', '10', 2],
      ['auth', 5, null],
      ['timeout', 1.5, 3],
    ],
  );
  assert.deepEqual(shaped, {
    chart: {
      kind: 'bar',
      x: 'category',
      labels: ['timeout', 'auth'],
      series: [
        { label: 'rows', values: [11.5, 5] },
        { label: 'failed', values: [5, null] },
      ],
      notes: [],
    },
  });
});

test('stacked with series=: one series per value of the column, gaps are null, NULL is a label', () => {
  const shaped = shapeChart(
    chart({ chart: 'stacked', x: 'day', y: ['rows'], series: 'category' }),
    cols('day', 'category', 'rows'),
    [
      ['mon', 'timeout', 3],
      ['mon', 'auth', 1],
      ['tue', 'timeout', 4],
      ['tue', null, 2],
    ],
  );
  assert.ok('chart' in shaped);
  assert.deepEqual(shaped.chart.labels, ['mon', 'tue']);
  assert.deepEqual(shaped.chart.series, [
    { label: 'timeout', values: [3, 4] },
    { label: 'auth', values: [1, null] },
    { label: 'NULL', values: [null, 2] },
  ]);
});

test('line over time: x put in time order, midnight timestamps shown as dates', () => {
  const shaped = shapeChart(chart({ chart: 'line', x: 'started_at', y: ['failed'] }), cols('started_at', 'failed'), [
    ['2026-03-02T00:00:00.000Z', 4],
    ['2026-03-01T00:00:00.000Z', 7],
    ['2026-02-28T00:00:00.000Z', 1],
  ]);
  assert.ok('chart' in shaped);
  assert.deepEqual(shaped.chart.labels, ['2026-02-28', '2026-03-01', '2026-03-02']);
  assert.deepEqual(shaped.chart.series[0].values, [1, 7, 4]);
  const timed = shapeChart(chart({ chart: 'line', x: 'started_at', y: ['n'] }), cols('started_at', 'n'), [
    ['2026-03-01T10:30:00.000Z', 1],
    ['2026-03-01T09:15:20.000Z', 2],
  ]);
  assert.ok('chart' in timed);
  assert.deepEqual(timed.chart.labels, ['2026-03-01 09:15:20 Z', '2026-03-01 10:30 Z']);
  // Not times: numbers in numeric order; anything else as the rows came.
  const numeric = shapeChart(chart({ chart: 'line', x: 'n', y: ['v'] }), cols('n', 'v'), [
    ['10', 1],
    ['9', 2],
  ]);
  assert.ok('chart' in numeric);
  assert.deepEqual(numeric.chart.labels, ['9', '10']);
  // A bar chart keeps the rows' order (the query's ORDER BY), with dates shortened all the same.
  const days = shapeChart(chart({ chart: 'bar', x: 'started_at', y: ['n'] }), cols('started_at', 'n'), [
    ['2026-03-02T00:00:00.000Z', 1],
    ['2026-03-01T00:00:00.000Z', 2],
  ]);
  assert.ok('chart' in days);
  assert.deepEqual(days.chart.labels, ['2026-03-02', '2026-03-01']);
  const bar = shapeChart(chart({ chart: 'bar', x: 'n', y: ['v'] }), cols('n', 'v'), [
    ['10', 1],
    ['9', 2],
  ]);
  assert.ok('chart' in bar);
  assert.deepEqual(bar.chart.labels, ['10', '9']);
});

test('columns: an exact name first, then one ignoring case (Snowflake upper-cases)', () => {
  const shaped = shapeChart(chart({ chart: 'bar', x: 'category', y: ['rows'] }), cols('CATEGORY', 'ROWS'), [['a', 1]]);
  assert.ok('chart' in shaped);
  assert.equal(shaped.chart.x, 'CATEGORY');
  assert.equal(shaped.chart.series[0].label, 'ROWS');
});

test('an unknown column: a message naming the columns there are', () => {
  const c = cols('day', 'category', 'rows');
  assert.deepEqual(shapeChart(chart({ chart: 'bar', x: 'dya', y: ['rows'] }), c, []), {
    problem: 'x= "dya" is not a column of this result; its columns are: day, category, rows.',
  });
  assert.deepEqual(shapeChart(chart({ chart: 'bar', x: 'day', y: ['rows', 'nope'] }), c, []), {
    problem: 'y= "nope" is not a column of this result; its columns are: day, category, rows.',
  });
  assert.match(
    (shapeChart(chart({ chart: 'bar', x: 'day', y: ['rows'], series: 'cat' }), c, []) as { problem: string }).problem,
    /^series= "cat" is not a column/,
  );
  assert.match(
    (shapeChart(chart({ chart: 'bar', x: 'c', y: ['b'] }), cols('A', 'a2', 'b'), []) as { problem: string }).problem,
    /its columns are: A, a2, b/,
  );
  assert.match(
    (
      shapeChart(chart({ chart: 'bar', x: 'x', y: ['b'] }), cols('X', 'x ', 'b').concat(cols('X')), []) as {
        problem: string;
      }
    ).problem,
    /matches 2 columns that differ only in case/,
  );
});

test('a y value that is not a number: the column, the row and the value', () => {
  assert.deepEqual(
    shapeChart(chart({ chart: 'bar', x: 'k', y: ['v'] }), cols('k', 'v'), [
      ['a', 1],
      ['b', '<b>x</b>'],
    ]),
    { problem: 'y= "v" holds "<b>x</b>" in row 2, which is not a number.' },
  );
});

test('kept readable: at most MAX_LABELS x values and MAX_SERIES series, with notes', () => {
  const many = Array.from({ length: MAX_LABELS + 5 }, (_, i) => [`k${i}`, i]);
  const shaped = shapeChart(chart({ chart: 'bar', x: 'k', y: ['v'] }), cols('k', 'v'), many);
  assert.ok('chart' in shaped);
  assert.equal(shaped.chart.labels.length, MAX_LABELS);
  assert.match(shaped.chart.notes[0], /first 2,000 of 2,005 x values/);
  const rows = Array.from({ length: MAX_SERIES + 3 }, (_, i) => ['d', `s${i}`, i + 1]);
  const folded = shapeChart(chart({ chart: 'stacked', x: 'd', y: ['v'], series: 's' }), cols('d', 's', 'v'), rows);
  assert.ok('chart' in folded);
  assert.equal(folded.chart.series.length, MAX_SERIES);
  assert.equal(folded.chart.series.at(-1)?.label, 'other');
  // The smallest four (1 + 2 + 3 + 4) go into "other"; nothing is lost from the total.
  assert.deepEqual(folded.chart.series.at(-1)?.values, [10]);
  const total = folded.chart.series.reduce((a, s) => a + (s.values[0] ?? 0), 0);
  assert.equal(
    total,
    rows.reduce((a, r) => a + (r[2] as number), 0),
  );
  assert.match(folded.chart.notes[0], /4 smaller series/);
});

const result = (rows: unknown[][]): QueryResult => ({
  columns: cols('category', 'rows'),
  rows,
  rowCount: rows.length,
  truncated: false,
  elapsedMs: 12,
});

test('a cell output: the JSON item for the renderer and the text table beside it', () => {
  const parts = cellOutput(result([['a', 1]]), parseOutputComment('select 1'), 'run-1');
  assert.ok(parts.json && isNotebookResultOutput(parts.json));
  assert.deepEqual(parts.json.rows, [['a', 1]]);
  assert.equal(parts.json.chart, undefined);
  assert.match(parts.text, /category \| rows/);
  assert.match(parts.text, /1 row in 12 ms\.$/);
});

test('a chart output carries the chart, not the rows; a bad one falls back to the grid with the reason', () => {
  const ok = cellOutput(
    result([['a', 1]]),
    parseOutputComment('-- synclogs: chart=bar x=category y=rows\nselect'),
    'r',
  );
  assert.ok(ok.json?.chart);
  assert.deepEqual(ok.json.rows, []);
  const bad = cellOutput(result([['a', 1]]), parseOutputComment('-- synclogs: chart=bar x=cat y=rows\nselect'), 'r');
  assert.equal(bad.json?.chart, undefined);
  assert.deepEqual(bad.json?.rows, [['a', 1]]);
  assert.match(
    bad.json?.problem ?? '',
    /^The chart could not be drawn: x= "cat" is not a column of this result; its columns are: category, rows\.$/,
  );
  assert.match(bad.text, /^The chart could not be drawn/);
  const typo = cellOutput(result([['a', 1]]), parseOutputComment('-- synclogs: chrt=bar\nselect'), 'r');
  assert.match(typo.json?.problem ?? '', /unknown setting "chrt="/);
});

test('text: no JSON item; statements without rows: text only; the text table stops at TEXT_ROWS', () => {
  assert.equal(cellOutput(result([['a', 1]]), parseOutputComment('-- synclogs: text\nselect'), 'r').json, undefined);
  const ddl = cellOutput(
    { columns: [], rows: [], rowCount: 3, truncated: false, elapsedMs: 1, command: 'UPDATE' },
    parseOutputComment('update t'),
    'r',
  );
  assert.deepEqual(ddl, { text: 'UPDATE finished: 3 rows affected.' });
  const big = cellOutput(
    result(Array.from({ length: TEXT_ROWS + 1 }, (_, i) => [`k${i}`, i])),
    parseOutputComment(''),
    'r',
  );
  assert.equal(big.json?.rows.length, TEXT_ROWS + 1);
  assert.match(big.text, /first 1,000 of 1,001 rows read/);
  assert.ok(!big.text.includes(`k${TEXT_ROWS}`), 'the last row is not in the text');
});
