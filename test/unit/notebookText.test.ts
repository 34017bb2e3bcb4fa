import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNotebook, serializeNotebook, type NotebookCellText } from '../../src/notebook/notebookText';
import { dialectFor } from '../../src/sql/dialects';
import { SqlScanner } from '../../src/sql/lexer';
import { rng as seeded } from '../support/seededRng';

const PG = dialectFor('postgres').lexical;
const BQ = dialectFor('bigquery').lexical;
const roundTrip = (text: string, traits = PG) => serializeNotebook(parseNotebook(text, traits));

const HAND_WRITTEN = [
  // Odd spacing, options, CRLF in a cell, no final line break.
  `-- a header comment before any marker\nselect 1;\n\n\n--%%   [markdown]\n--   # Title with spaces\n--\n-- text\n-- %% sql output=chart  chart=bar x=day\r\nselect day, count(*)\r\nfrom t group by 1;   \n-- %% sql\nselect 2`,
  // Markers inside a string, a quoted name and a block comment are text, not markers.
  `-- %% sql\nselect '\n-- %% sql\n' as s, "\n-- %% [markdown]\n" as q;\n/*\n-- %% sql\n*/\nselect 3;\n`,
  // Leading blank lines, trailing blank lines, an empty cell, a markdown cell with a bare line.
  `\n\n-- %% [markdown]\n-- hello\nnot a comment line\n-- %% sql\n\n-- %% sql\nselect 4;\n\n\n`,
  // A plain SQL file: no marker at all.
  `select * from hightouch_audit.sync_runs\nwhere status = 'failed';\n`,
  '',
];

test('hand-written files come back byte for byte after parse and serialize', () => {
  for (const text of HAND_WRITTEN) assert.equal(roundTrip(text), text, JSON.stringify(text));
});

test('cells: kinds, values without comment prefixes, options, and markers inside strings ignored', () => {
  const cells = parseNotebook(HAND_WRITTEN[0], PG);
  assert.deepEqual(
    cells.map((c) => [c.kind, c.value, c.options]),
    [
      ['sql', '-- a header comment before any marker\nselect 1;', {}],
      ['markdown', '  # Title with spaces\n\ntext', {}],
      ['sql', 'select day, count(*)\r\nfrom t group by 1;   ', { output: 'chart', chart: 'bar', x: 'day' }],
      ['sql', 'select 2', {}],
    ],
  );
  const quoted = parseNotebook(HAND_WRITTEN[1], PG);
  assert.equal(quoted.length, 1);
  assert.match(quoted[0].value, /select 3;$/);
  // BigQuery: `#` comments and backslash strings decide what is a marker there.
  const bq = parseNotebook("-- %% sql\nselect 'it\\'s\n-- %% sql\n' as a;\n-- %% sql\nselect 2", BQ);
  assert.equal(bq.length, 2);
  assert.equal(
    roundTrip("-- %% sql\nselect 'it\\'s\n-- %% sql\n' as a;\n", BQ),
    "-- %% sql\nselect 'it\\'s\n-- %% sql\n' as a;\n",
  );
});

test('an edited or new cell is written canonically; the others keep their text', () => {
  const cells = parseNotebook(HAND_WRITTEN[0], PG);
  cells[3] = { ...cells[3], value: 'select 20' };
  cells.push({ kind: 'markdown', value: '## Next\n\nmore', options: {} });
  const text = serializeNotebook(cells);
  assert.ok(
    text.startsWith(HAND_WRITTEN[0].slice(0, HAND_WRITTEN[0].indexOf('-- %% sql\nselect 2'))),
    'unedited cells keep their bytes',
  );
  assert.ok(
    text.endsWith('-- %% sql\nselect 20\n\n-- %% [markdown]\n-- ## Next\n--\n-- more\n\n'),
    JSON.stringify(text.slice(-80)),
  );
  assert.deepEqual(
    parseNotebook(text, PG)
      .map((c) => c.value)
      .slice(-2),
    ['select 20', '## Next\n\nmore'],
  );
});

test('fresh notebooks round-trip their values, and run as a script (markdown is comments)', () => {
  const r = seeded(7);
  const rng = () => r.int(1000) / 1000;
  const pieces = ['select 1', "'-- %% sql'", '\n', '  ', '-- note', '# h', ';', '/* x */', '"q"', 'é', '\r\n', '$$a$$'];
  for (let n = 0; n < 300; n++) {
    const cells: NotebookCellText[] = [];
    const count = 1 + Math.floor(rng() * 5);
    for (let i = 0; i < count; i++) {
      let value = '';
      const len = Math.floor(rng() * 8);
      for (let j = 0; j < len; j++) value += pieces[Math.floor(rng() * pieces.length)];
      const kind = rng() < 0.3 ? 'markdown' : 'sql';
      // What the serializer cannot keep apart: trailing line breaks (they separate cells), and SQL
      // that itself opens a string or comment the next marker would fall into.
      value = value.replace(/(\r?\n)+$/, '');
      if (kind === 'sql' && /['"$]|\/\*/.test(value)) value = 'select 1';
      cells.push({ kind, value: kind === 'markdown' ? value.replace(/\r/g, '') : value, options: {} });
    }
    const text = serializeNotebook(cells);
    const back = parseNotebook(text, PG);
    assert.deepEqual(
      back.map((c) => [c.kind, c.value]),
      cells.map((c) => [c.kind, c.value]),
      JSON.stringify(text),
    );
    assert.equal(serializeNotebook(back), text, 'and the text is stable');
    // Run as a script elsewhere, the markdown cells are only comments.
    const prose = serializeNotebook(cells.filter((c) => c.kind === 'markdown'));
    const scan = new SqlScanner(prose, PG);
    while (scan.next()) assert.equal(scan.kind, 'comment', JSON.stringify(prose));
  }
});
