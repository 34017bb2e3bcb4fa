// The magic comment that picks a notebook cell's output (src/notebook/outputComment.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outputCommentText, parseOutputComment } from '../../src/notebook/outputComment';

const parse = (first: string) => parseOutputComment(`${first}\nselect 1`);

test('no comment, or a comment that is not ours: the grid, no problem', () => {
  assert.deepEqual(parseOutputComment('select 1'), { choice: { output: 'grid' } });
  assert.deepEqual(parseOutputComment('-- the failing rows\nselect 1'), { choice: { output: 'grid' } });
  assert.deepEqual(parseOutputComment(''), { choice: { output: 'grid' } });
});

test('table and text', () => {
  assert.deepEqual(parse('-- synclogs: table'), { choice: { output: 'grid' } });
  assert.deepEqual(parse('--synclogs:text'), { choice: { output: 'text' } });
  assert.deepEqual(parse('  -- SyncLogs :  TEXT  '), { choice: { output: 'text' } });
});

test('charts: kind, x, y list and series, in any order', () => {
  assert.deepEqual(parse('-- synclogs: chart=line x=started_at y=failed,succeeded'), {
    choice: { output: 'chart', chart: 'line', x: 'started_at', y: ['failed', 'succeeded'] },
  });
  assert.deepEqual(parse('-- synclogs: y=rows series=category chart=stacked x=day'), {
    choice: { output: 'chart', chart: 'stacked', x: 'day', y: ['rows'], series: 'category' },
  });
  assert.deepEqual(parse('-- synclogs: chart=BAR X=category Y=rows').choice, {
    output: 'chart',
    chart: 'bar',
    x: 'category',
    y: ['rows'],
  });
});

test('quoted names keep spaces, commas and doubled quotes', () => {
  assert.deepEqual(parse('-- synclogs: chart=bar x="error category" y="rows, failed","say ""hi"""').choice, {
    output: 'chart',
    chart: 'bar',
    x: 'error category',
    y: ['rows, failed', 'say "hi"'],
  });
});

test('the comment is read from the leading comment lines only', () => {
  assert.equal(outputCommentText('\n\n-- notes first\n-- synclogs: text\nselect 1'), 'text');
  assert.equal(outputCommentText('select 1\n-- synclogs: text'), undefined);
  assert.equal(outputCommentText('/* a block */\n-- synclogs: text\nselect 1'), undefined);
  assert.equal(outputCommentText('-- synclogs: text\r\nselect 1'), 'text');
});

test('bad input: the grid with a reason, never a throw', () => {
  const cases: [string, RegExp][] = [
    ['-- synclogs:', /says nothing after "synclogs:"/],
    ['-- synclogs: pie', /unknown word "pie"/],
    ['-- synclogs: chart=pie x=a y=b', /chart=pie is not a chart here: chart=bar, chart=stacked or chart=line/],
    ['-- synclogs: chart=bar x=a', /needs x=<column> and y=<column>/],
    ['-- synclogs: chart=bar y=a', /needs x=<column> and y=<column>/],
    ['-- synclogs: x=a y=b', /go with chart=bar/],
    ['-- synclogs: chart=bar x=a,b y=c', /x= takes one column \(it has 2\)/],
    ['-- synclogs: chart=bar x=a y=b colour=red', /unknown setting "colour="/],
    ['-- synclogs: chart=bar x=a y=b x=c', /"x=" is given twice/],
    ['-- synclogs: chart=stacked x=a y=b,c series=d', /series= splits one y column into series; y= has 2 \(b, c\)/],
    ['-- synclogs: chart=bar x="a y=b', /a quote in "x=" is not closed/],
    ['-- synclogs: chart=bar x= y=b', /"x=" has an empty name/],
    ['-- synclogs: chart=bar x=a, y=b', /"x=" has an empty name/],
    ['-- synclogs: chart=bar x="a"b y=c', /unexpected "b" after "x="/],
    ['-- synclogs: =a', /no name before "="/],
    ['-- synclogs: table text', /"table" takes nothing after it/],
    ['-- synclogs: text chart=bar', /"text" takes nothing after it/],
  ];
  for (const [line, reason] of cases) {
    const parsed = parse(line);
    assert.deepEqual(parsed.choice, { output: 'grid' }, line);
    assert.match(parsed.problem ?? '', /^The output comment was not followed: /, line);
    assert.match(parsed.problem ?? '', reason, line);
  }
});
