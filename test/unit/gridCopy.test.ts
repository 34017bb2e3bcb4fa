import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatRange, uniqueKeys } from '../../src/shared/grid/rangeCopy';
import { inspectValue } from '../../webview/grid/inspectorText';
import { inertForSheets, markdownCopyField, visibleControls } from '../../src/shared/cellText';
import { jsonText } from '../../src/shared/jsonText';

const cols = [{ name: 'id' }, { name: 'reason' }];
const RLO = '\u202e';
const hostile = `a\tb\r\nc "q" ${RLO}fdp.exe | <img src=x onerror=1> \u0000\u0085`;

describe('grid copy formats', () => {
  it('TSV: a header line, tabs and line breaks inside values as spaces, NULL empty, CRLF lines', () => {
    const text = formatRange(
      cols,
      [
        [1, 'x'],
        [2, null],
      ],
      'tsv',
      true,
    );
    assert.equal(text, 'id\treason\r\n1\tx\r\n2\t\r\n');
    const one = formatRange(cols, [[1, hostile]], 'tsv', false);
    const fields = one.replace(/\r\n$/, '').split('\t');
    assert.equal(fields.length, 2, 'a tab inside a value does not make a column');
    assert.ok(!/[\r\n]/.test(one.replace(/\r\n$/, '')), 'a line break inside a value does not make a row');
    assert.ok(!one.includes(RLO) && one.includes('<U+202E>'), 'the override is shown, not applied');
    assert.ok(!one.includes('\u0000') && one.includes('<U+0000>') && one.includes('<U+0085>'));
  });

  it('a single cell without headers copies as its bare value', () => {
    assert.equal(formatRange([{ name: 'n' }], [[42]], 'tsv', false), '42');
  });

  it('CSV: RFC 4180 quoting keeps line breaks and quotes inside the field', () => {
    const text = formatRange(cols, [[1, 'say "hi",\nbye']], 'csv', true);
    assert.equal(text, 'id,reason\r\n1,"say ""hi"",\nbye"\r\n');
  });

  it('TSV and CSV: text a sheet would run as a formula starts with an apostrophe; numbers stay', () => {
    assert.equal(inertForSheets('=HYPERLINK("x")'), `'=HYPERLINK("x")`);
    assert.equal(inertForSheets('@SUM(A1)'), `'@SUM(A1)`);
    assert.equal(inertForSheets('-5'), '-5');
    assert.equal(inertForSheets('+1.5e3'), '+1.5e3');
    assert.equal(formatRange(cols, [[-3, '+cmd|calc']], 'csv', false), `-3,'+cmd|calc\r\n`);
  });

  it('Markdown: pipes, HTML and link syntax escaped; line breaks as spaces; NULL distinct from text', () => {
    const md = formatRange(
      cols,
      [
        [1, 'a|b'],
        [2, null],
        [3, 'NULL'],
        [4, ''],
      ],
      'markdown',
      true,
    );
    const lines = md.trimEnd().split('\n');
    assert.equal(lines[0], '| id | reason |');
    assert.equal(lines[1], '| --- | --- |');
    assert.equal(lines[2], '| 1 | a\\|b |');
    assert.equal(lines[3], '| 2 | *NULL* |');
    assert.equal(lines[4], '| 3 | NULL |');
    assert.equal(lines[5], '| 4 |   |');
    assert.equal(
      formatRange(
        [
          { name: 'n', type: 'int8' },
          { name: 'row_id', type: 'text' },
        ],
        [[-3, 'a-b #1']],
        'markdown',
        true,
      ),
      '| n | row\\_id |\n| ---: | --- |\n| -3 | a-b #1 |\n',
      'numbers right-aligned; block syntax cannot start in a cell, so it is not escaped',
    );
    const evil = markdownCopyField('x | y\n<img src=x onerror=1> [a](javascript:b) `c`');
    assert.ok(!/(^|[^\\])\|/.test(evil), `every pipe escaped: ${evil}`);
    assert.ok(!/(^|[^\\])[<[`]/.test(evil), `no raw <, [ or backtick: ${evil}`);
    assert.ok(!evil.includes('\n'));
    const rows = formatRange(cols, [[1, hostile]], 'markdown', false)
      .trimEnd()
      .split('\n');
    assert.equal(rows.length, 3, 'blank header, rule, one row');
    assert.equal(rows[2].split(/(?<!\\)\|/).length, 4, 'two cells: no pipe of the value splits the row');
  });

  it('JSON: objects keyed by column (repeated names kept), exact values, invisible characters escaped', () => {
    const text = formatRange(
      [{ name: 'a' }, { name: 'a' }, { name: '__proto__' }],
      [[1n, { k: [1, 2] }, hostile]],
      'json',
      true,
    );
    assert.ok(!text.includes(RLO), 'the override is escaped in the JSON text');
    const parsed = JSON.parse(text) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(parsed[0]), ['a', 'a_2', '__proto__']);
    assert.equal(parsed[0].a, '1', 'a bigint keeps its digits');
    assert.deepEqual(parsed[0].a_2, { k: [1, 2] });
    assert.equal(parsed[0]['__proto__'], hostile, 'the same value once parsed');
    const arrays = JSON.parse(formatRange(cols, [[null, jsonText('[[[1]]]')]], 'json', false)) as unknown[][];
    assert.deepEqual(arrays, [[null, '[[[1]]]']]);
    assert.deepEqual(uniqueKeys(['x', 'x', 'x_2']), ['x', 'x_2', 'x_2_2']);
  });

  it('shows controls and bidi marks as visible code points', () => {
    assert.equal(visibleControls(`a${RLO}b\u2066c\u200bd`), 'a<U+202E>b<U+2066>c<U+200B>d');
    assert.equal(visibleControls('plain ünïcode 日本'), 'plain ünïcode 日本');
  });
});

describe('cell inspector text', () => {
  it('pretty-prints JSON values and JSON text, keeps other text as it is', () => {
    assert.deepEqual(inspectValue({ a: 1 }), { kind: 'json', text: '{\n  "a": 1\n}', length: 7 });
    assert.equal(inspectValue('{"b":[1,2]}').text, '{\n  "b": [\n    1,\n    2\n  ]\n}');
    assert.equal(inspectValue(jsonText('{"c":true}')).kind, 'json');
    assert.deepEqual(inspectValue('{not json'), { kind: 'text', text: '{not json', length: 9 });
    assert.equal(inspectValue('<b>x</b>').text, '<b>x</b>');
    assert.equal(inspectValue(null).kind, 'null');
    assert.equal(inspectValue('').kind, 'text');
  });
});
