// The notebook output's guards (src/shared/notebookOutput.ts): the renderer draws whatever output
// of its mime type a notebook holds, and the host acts on what the renderer posts, so both check
// shapes. And the bounded list of the statements behind this session's outputs (cellRuns.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isNotebookResultOutput,
  isOutputHostMessage,
  isOutputRendererMessage,
  type NotebookResultOutput,
} from '../../src/shared/notebookOutput';
import { CellRuns } from '../../src/notebook/cellRuns';

const output: NotebookResultOutput = {
  version: 1,
  runId: 'r1',
  columns: [{ name: 'a', type: 'int8' }],
  rows: [[1], [null]],
  rowCount: 2,
  rowCountExact: true,
  elapsedMs: 3,
};
const chart = { kind: 'bar', x: 'a', labels: ['x', 'y'], series: [{ label: 's', values: [1, null] }], notes: [] };

test('a result output passes; each wrong field fails', () => {
  assert.ok(isNotebookResultOutput(output));
  assert.ok(isNotebookResultOutput({ ...output, rows: [], chart }));
  assert.ok(isNotebookResultOutput({ ...output, problem: 'why' }));
  const bad: unknown[] = [
    null,
    [],
    { ...output, version: 2 },
    { ...output, runId: 7 },
    { ...output, columns: [{ name: 'a' }] },
    { ...output, rows: ['<img>'] },
    { ...output, rows: '<img>' },
    { ...output, rowCount: -1 },
    { ...output, rowCountExact: 'yes' },
    { ...output, elapsedMs: NaN },
    { ...output, problem: { html: '<b>' } },
    { ...output, chart: { ...chart, kind: 'pie' } },
    { ...output, chart: { ...chart, series: [{ label: 's', values: [1] }] } },
    { ...output, chart: { ...chart, series: [{ label: 's', values: [1, '2'] }] } },
    { ...output, chart: { ...chart, series: [{ label: 's', values: [1, Infinity] }] } },
    { ...output, chart: { ...chart, labels: [1, 2] } },
    { ...output, chart: { ...chart, notes: undefined } },
  ];
  for (const b of bad) assert.equal(isNotebookResultOutput(b), false, JSON.stringify(b));
});

test('messages: copy with text, export with a run id only; notices back', () => {
  assert.ok(isOutputRendererMessage({ type: 'copy', text: 'a\tb' }));
  assert.ok(isOutputRendererMessage({ type: 'export', runId: 'r1' }));
  assert.equal(isOutputRendererMessage({ type: 'copy' }), false);
  assert.equal(isOutputRendererMessage({ type: 'export', sql: 'drop table x' }), false);
  assert.equal(isOutputRendererMessage({ type: 'run', sql: 'select 1' }), false);
  assert.equal(isOutputRendererMessage('copy'), false);
  assert.ok(isOutputHostMessage({ type: 'notice', runId: 'r1', text: 'Exported 3 rows.' }));
  assert.equal(isOutputHostMessage({ type: 'notice', runId: 'r1' }), false);
});

test('cell runs: found by id, the oldest forgotten past the limit', () => {
  const runs = new CellRuns(2);
  const run = (sql: string) => ({ notebook: 'file:///a.synclogs.sql', sql, values: [], connection: 'Demo' });
  runs.add('a', run('select 1'));
  runs.add('b', run('select 2'));
  runs.add('c', run('select 3'));
  assert.equal(runs.get('a'), undefined);
  assert.equal(runs.get('b')?.sql, 'select 2');
  assert.equal(runs.get('c')?.sql, 'select 3');
  assert.equal(runs.get('nope'), undefined);
});
