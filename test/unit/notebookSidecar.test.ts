import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellHash } from '../../src/notebook/outputMatching';
import { ERROR_MIME, TEXT_MIME, savedItemOf, type SavedItem } from '../../src/notebook/savedItems';
import { SIDECAR_LIMITS, capItem, capText, type SidecarLimits } from '../../src/notebook/sidecarCaps';
import {
  SIDECAR_FORMAT,
  SIDECAR_READ_LIMIT,
  decodeSidecar,
  encodeSidecar,
  sidecarPathOf,
  type SavedCell,
} from '../../src/notebook/sidecarFormat';
import { NOTEBOOK_RESULT_MIME, type NotebookResultOutput } from '../../src/shared/notebookOutput';

const result = (rows: number, extra: Partial<NotebookResultOutput> = {}): NotebookResultOutput => ({
  version: 1,
  runId: 'run-1',
  columns: [
    { name: 'sync_id', type: 'text' },
    { name: 'rows', type: 'int4' },
  ],
  rows: Array.from({ length: rows }, (_, i) => [`s${i}`, i]),
  rowCount: rows,
  rowCountExact: true,
  elapsedMs: 12,
  ...extra,
});
const resultItem = (rows: number, extra?: Partial<NotebookResultOutput>): SavedItem => ({
  mime: NOTEBOOK_RESULT_MIME,
  json: result(rows, extra),
});
const textItem = (text: string): SavedItem => ({ mime: TEXT_MIME, text });
const cell = (index: number, sql: string, ...outputs: SavedItem[][]): SavedCell => ({
  index,
  hash: cellHash('sql', sql),
  outputs,
});
const bytes = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const decodeOk = (text: string) => {
  const d = decodeSidecar(text);
  assert.ok(d.ok, d.ok ? '' : d.reason);
  return d.cells;
};
const reasonOf = (text: string) => {
  const d = decodeSidecar(text);
  assert.equal(d.ok, false, 'the file is refused');
  return d.ok ? '' : d.reason;
};
const validFile = (cells: unknown[]) => JSON.stringify({ format: SIDECAR_FORMAT, version: 1, cells });

test('the sidecar is named after the whole notebook file, and ends in .json', () => {
  assert.equal(sidecarPathOf('/w/why.synclogs.sql'), '/w/why.synclogs.sql.outputs.json');
});

test('encode then decode gives the same cells back, one cell per line, and skips cells without outputs', () => {
  const cells = [
    cell(1, 'select 1', [resultItem(3), textItem('sync_id | rows\n3 rows in 12 ms.')]),
    cell(2, 'select nothing'),
    cell(4, 'select broken', [
      { mime: ERROR_MIME, error: { name: 'Error 42703', message: 'column "x" does not exist' } },
    ]),
  ];
  const encoded = encodeSidecar(cells);
  assert.equal(encoded.cells, 2);
  assert.equal(encoded.leftOut, 0);
  assert.deepEqual(decodeOk(encoded.text), [cells[0], cells[2]]);
  const lines = encoded.text.trimEnd().split('\n');
  assert.equal(lines.length, 4, 'a head line, one line per cell, a tail line');
  assert.match(lines[1], /"index":1,/);
  assert.match(lines[2], /"index":4,/);
  // Same outputs, same bytes: saving again without running changes nothing in git.
  assert.equal(encodeSidecar(cells).text, encoded.text);
});

test('the items VS Code hands over: ours are kept, the error loses its stack, any other type is left out', () => {
  assert.deepEqual(savedItemOf({ mime: NOTEBOOK_RESULT_MIME, data: bytes(result(2)) }), resultItem(2));
  assert.deepEqual(savedItemOf({ mime: TEXT_MIME, data: bytes('a | b') }), textItem('a | b'));
  assert.deepEqual(
    savedItemOf({ mime: ERROR_MIME, data: bytes({ name: 'Error', message: 'boom', stack: 'at /home/me/x.js:1' }) }),
    { mime: ERROR_MIME, error: { name: 'Error', message: 'boom' } },
  );
  assert.equal(savedItemOf({ mime: 'text/html', data: bytes('<b>hi</b>') }), undefined);
  assert.equal(savedItemOf({ mime: 'image/png', data: new Uint8Array([1, 2]) }), undefined);
  // Our mime type with JSON the renderer would refuse is not kept either.
  assert.equal(savedItemOf({ mime: NOTEBOOK_RESULT_MIME, data: bytes({ version: 2 }) }), undefined);
  assert.equal(savedItemOf({ mime: NOTEBOOK_RESULT_MIME, data: bytes('{not json') }), undefined);
});

test('caps: a result keeps its first rows and says so; the counts stay those of the run', () => {
  const capped = capItem(resultItem(1234, { problem: 'The chart could not be drawn: x.' }));
  assert.ok(capped && capped.mime === NOTEBOOK_RESULT_MIME);
  assert.equal(capped.json.rows.length, SIDECAR_LIMITS.rowsPerResult);
  assert.deepEqual(capped.json.rows[99], ['s99', 99]);
  assert.equal(capped.json.rowCount, 1234);
  assert.equal(
    capped.json.problem,
    "Saved output: the first 100 of 1,234 rows read are kept in the notebook's outputs file; run the cell again for all of them. The chart could not be drawn: x.",
  );
  assert.deepEqual(capItem(capped), capped, 'capping again changes nothing');
  assert.deepEqual(capItem(resultItem(5)), resultItem(5), 'a small result is kept whole, without a note');
});

test('caps: wide rows keep fewer rows to fit the item cap; an item that cannot fit is left out', () => {
  const limits: SidecarLimits = { ...SIDECAR_LIMITS, itemBytes: 4000 };
  const wide = resultItem(100);
  if (wide.mime !== NOTEBOOK_RESULT_MIME) throw new Error('a result');
  wide.json.rows = wide.json.rows.map((r) => [String(r[0]).padEnd(200, 'x'), r[1]]);
  const capped = capItem(wide, limits);
  assert.ok(capped && capped.mime === NOTEBOOK_RESULT_MIME);
  assert.ok(capped.json.rows.length > 0 && capped.json.rows.length < 20, `${capped.json.rows.length} rows`);
  assert.ok(new TextEncoder().encode(JSON.stringify(capped)).length <= 4000);
  assert.match(capped.json.problem ?? '', new RegExp(`first ${capped.json.rows.length} of 100 rows`));
  assert.equal(capItem(textItem('y'.repeat(5000)), { ...limits, textChars: 10_000 }), undefined);
});

test('caps: long text is cut at a line, with a line saying so', () => {
  const text = Array.from({ length: 3000 }, (_, i) => `row ${i} | ${'v'.repeat(10)}`).join('\n');
  const cut = capText(text, SIDECAR_LIMITS.textChars);
  assert.ok(cut.length < SIDECAR_LIMITS.textChars + 120);
  const [body, note] = [cut.slice(0, cut.lastIndexOf('\n')), cut.slice(cut.lastIndexOf('\n') + 1)];
  assert.ok(text.startsWith(`${body}\n`), 'whole lines kept');
  assert.match(note, /^\(Kept in the notebook's outputs file: the first [\d,]+ of [\d,]+ characters\.\)$/);
  assert.equal(capText('short', 10), 'short');
});

test('caps: past the total size, later cells are left out and counted', () => {
  const limits: SidecarLimits = { ...SIDECAR_LIMITS, sidecarBytes: 3000 };
  const cells = Array.from({ length: 10 }, (_, i) => cell(i, `select ${i}`, [textItem('t'.repeat(500))]));
  const encoded = encodeSidecar(cells, limits);
  assert.ok(encoded.cells > 0 && encoded.cells < 10);
  assert.equal(encoded.leftOut, 10 - encoded.cells);
  assert.ok(new TextEncoder().encode(encoded.text).length <= 3000);
  assert.deepEqual(
    decodeOk(encoded.text).map((c) => c.index),
    Array.from({ length: encoded.cells }, (_, i) => i),
    'the first cells are the ones kept',
  );
});

test('a damaged, foreign or other-version file is refused with its reason', () => {
  assert.match(reasonOf(''), /not JSON/);
  assert.match(reasonOf('{"format":"synclogs-notebook-outputs","version":1,"cells":[\n{"index":1'), /not JSON/);
  assert.match(reasonOf('[1,2]'), /not a synclogs-notebook-outputs file/);
  assert.match(reasonOf('{"cells":[]}'), /not a synclogs-notebook-outputs file/);
  assert.match(
    reasonOf(JSON.stringify({ format: SIDECAR_FORMAT, version: 2, cells: [] })),
    /version 2, and this extension reads version 1/,
  );
  assert.match(reasonOf(JSON.stringify({ format: SIDECAR_FORMAT, version: '1', cells: [] })), /version "1"/);
  assert.match(reasonOf(JSON.stringify({ format: SIDECAR_FORMAT, version: 1 })), /no list of cells/);
  assert.deepEqual(decodeOk(validFile([])), []);
});

test('a hostile file: wrong types, foreign items, HTML, huge sizes are refused or bounded, and text stays text', () => {
  const hash = cellHash('sql', 'select 1');
  const one = (outputs: unknown, extra: Record<string, unknown> = {}) =>
    validFile([{ index: 0, hash, outputs, ...extra }]);
  assert.match(reasonOf(validFile(['cell'])), /cell entry 0 is not an object/);
  assert.match(reasonOf(one([], { index: -1 })), /no index/);
  assert.match(reasonOf(one([], { index: 1.5 })), /no index/);
  assert.match(reasonOf(one([], { hash: 'select 1' })), /no cell hash/);
  assert.match(reasonOf(one('outputs')), /no list of outputs/);
  assert.match(reasonOf(one([{ mime: TEXT_MIME, text: 'x' }])), /not a list of items/);
  assert.match(reasonOf(one([[{ mime: TEXT_MIME, text: 42 }]])), /a text item has no text/);
  assert.match(reasonOf(one([[{ mime: 'text/html', text: '<img src=x onerror=alert(1)>' }]])), /type "text\/html"/);
  assert.match(
    reasonOf(one([[{ mime: NOTEBOOK_RESULT_MIME, json: { ...result(1), rows: 'x' } }]])),
    /not a result the renderer reads/,
  );
  assert.match(reasonOf(one([[{ mime: ERROR_MIME, error: { message: 1 } }]])), /error item has no name/);
  assert.match(reasonOf(one(Array.from({ length: 33 }, () => []))), /more than 32/);
  assert.match(reasonOf(validFile(Array.from({ length: 10_001 }, () => ({})))), /more than 10,000 cells/);
  assert.match(reasonOf(`"${'x'.repeat(SIDECAR_READ_LIMIT)}"`), /larger than/);
  // Markup in a text item is kept as the text it is (VS Code shows text/plain as text).
  const html = '<script>alert(1)</script><b>bold</b>';
  assert.deepEqual(decodeOk(one([[{ mime: TEXT_MIME, text: html }]]))[0].outputs, [[textItem(html)]]);
  // A result of 50,000 rows written by hand comes back capped like one the extension wrote.
  const [big] = decodeOk(one([[{ mime: NOTEBOOK_RESULT_MIME, json: result(50_000) }]]));
  const item = big.outputs[0][0];
  assert.ok(item.mime === NOTEBOOK_RESULT_MIME);
  assert.equal(item.json.rows.length, 100);
  assert.match(item.json.problem ?? '', /first 100 of 50,000 rows/);
});
