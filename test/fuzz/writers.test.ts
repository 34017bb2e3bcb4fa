/**
 * Random results through the CLI's table, CSV and JSON writers: cells built from what breaks a
 * writer (control characters C0/DEL/C1, bidi controls, quotes, commas, CR/LF, surrogate pairs and
 * lone halves, huge cells, NULLs, numbers, JSON nested past the depth kept parsed), column names
 * from the same alphabet. CSV and JSON must read back to exactly the cells; the table must hold
 * no control character but its own line ends, one line per row. Seeded, bounded by iterations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_CHARS, formatChunks } from '../../src/cli/format';
import { cellText } from '../../src/shared/cellText';
import { isJsonText, parseJsonCell, stringifyJson } from '../../src/shared/jsonText';
import type { QueryResult } from '../../src/shared/queryResult';
import { rng } from '../support/seededRng';

const ITERATIONS = 400;

type Rng = ReturnType<typeof rng>;

const PIECES = [
  'a',
  'Z',
  '0',
  ' ',
  ',',
  '"',
  '""',
  "'",
  '\\',
  '\r',
  '\n',
  '\r\n',
  '\t',
  ';',
  '|',
  '↵',
  '…',
  '\x00',
  '\x07',
  '\x08',
  '\x1b',
  '\x1b[2J',
  '\x1b]0;title\x07',
  '\x1b[31m',
  '\x7f',
  '\x80',
  '\x85',
  '\x9b',
  '\x9f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u00a0',
  'é',
  'ß',
  'ﾃ',
  '漢',
  '😀',
  '👩‍👩‍👧',
  '\ud800',
  '\udfff',
  '[',
  ']',
  '{',
  '}',
  '$jsonText',
  'NULL',
  'null',
  '-',
  '1e5',
];

function randomText(r: Rng, max = 24): string {
  let s = '';
  const n = r.int(max + 1);
  for (let i = 0; i < n; i++) s += r.pick(PIECES);
  return s;
}

function randomJson(r: Rng, depth: number): unknown {
  switch (depth > 6 ? r.int(4) : r.int(7)) {
    case 0:
      return null;
    case 1:
      return r.int(2) === 0;
    case 2:
      return r.int(2000) - 1000 || 1;
    case 3:
      return randomText(r, 6);
    case 4:
    case 5:
      return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(4); i > 0; i--) o[randomText(r, 3)] = randomJson(r, depth + 1);
      return o;
    }
  }
}

/** A JSON cell as an adapter hands it over: from its text, so deep ones are kept as text. */
function jsonCell(r: Rng): unknown {
  if (r.int(4) === 0) {
    const depth = 90 + r.int(40);
    const inner = stringifyJson(randomJson(r, 0)) ?? 'null';
    return parseJsonCell(`${'['.repeat(depth)}${inner}${']'.repeat(depth)}`);
  }
  return parseJsonCell(stringifyJson(randomJson(r, 0)) ?? 'null');
}

function randomCell(r: Rng): unknown {
  switch (r.int(9)) {
    case 0:
      return null;
    case 1:
      return r.int(1_000_000) - 500_000 || 7;
    case 2:
      return (r.int(1_000_000) - 500_000) / 64 || 0.5;
    case 3:
      return r.int(2) === 0;
    case 4:
      return jsonCell(r);
    case 5:
      return r.int(20) === 0 ? randomText(r, 8).repeat(20_000) : randomText(r, 80);
    default:
      return randomText(r);
  }
}

function randomResult(r: Rng): QueryResult {
  const columns = Array.from({ length: 1 + r.int(5) }, () => ({
    name: r.int(4) === 0 ? 'dup' : randomText(r, 6),
    type: 'text',
  }));
  const rows = Array.from({ length: r.int(25) }, () => columns.map(() => randomCell(r)));
  return { columns, rows, rowCount: rows.length, truncated: false, elapsedMs: 1 };
}

/** RFC 4180, strictly: fields quoted when they hold `"`, `,`, CR or LF, quotes doubled, records end in CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let i = 0;
  while (i < text.length) {
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          assert.ok(q >= 0, 'an unterminated quoted field');
          field += text.slice(i, q);
          i = q + 1;
          if (text[i] === '"') {
            field += '"';
            i++;
          } else break;
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          assert.notEqual(text[i], '"', 'a quote inside an unquoted field');
          field += text[i++];
        }
      }
      record.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      assert.equal(text.slice(i, i + 2), '\r\n', `a record ends in CRLF at ${i}`);
      i += 2;
      break;
    }
    records.push(record);
  }
  return records;
}

/** What JSON.parse gives back for a cell: a kept text reads as the value it spells. */
const jsonValue = (cell: unknown): unknown => (isJsonText(cell) ? JSON.parse(cell.$jsonText) : (cell ?? null));

function outputOf(result: QueryResult, format: 'table' | 'csv' | 'json'): string {
  const chunks = [...formatChunks(result, format)];
  for (const c of chunks) assert.ok(c.length <= 2 * CHUNK_CHARS, `${format} chunk of ${c.length}`);
  return chunks.join('');
}

test('CSV reads back to exactly the cells, JSON to exactly the values, and the table stays inert, one line per row', () => {
  const r = rng(0x5eed11);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const result = randomResult(r);
    const where = `iteration ${iteration}`;

    const csv = parseCsv(outputOf(result, 'csv'));
    assert.deepEqual(
      csv,
      [result.columns.map((c) => c.name), ...result.rows.map((row) => row.map((v) => cellText(v) ?? ''))],
      where,
    );

    const json = JSON.parse(outputOf(result, 'json')) as Record<string, unknown>[];
    assert.equal(json.length, result.rows.length, where);
    const used = new Set<string>();
    const keys = result.columns.map((c) => {
      let key = c.name;
      for (let n = 2; used.has(key); n++) key = `${c.name}_${n}`;
      used.add(key);
      return key;
    });
    json.forEach((object, i) => {
      // JSON.parse puts integer-like keys first, so compare by key.
      assert.equal(Object.keys(object).length, result.columns.length, `${where}: a key per column`);
      assert.deepEqual(
        keys.map((k) => object[k]),
        result.rows[i].map(jsonValue),
        where,
      );
    });

    const table = outputOf(result, 'table');
    assert.ok(
      !/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]/.test(table),
      `${where}: ${JSON.stringify(table.slice(0, 300))}`,
    );
    assert.equal(table.split('\n').length, result.rows.length + 4, `${where}: header, rule, a line per row, footer`);
  }
});

test('stringifyJson writes what JSON.stringify writes, for random values and indents', () => {
  const r = rng(0xbeef);
  for (let i = 0; i < ITERATIONS * 5; i++) {
    const value = randomJson(r, 0);
    const indent = r.pick([0, 2, 4]);
    assert.equal(stringifyJson(value, { indent }), JSON.stringify(value, null, indent));
  }
});
