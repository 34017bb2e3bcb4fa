// JSON nested too deep to travel parsed ({ $jsonText }) through the timeline, the field diff and panel delivery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTimeline, type TimelineRowInput } from '../../src/analysis/rowTimeline';
import { diffFields, renderValue } from '../../src/analysis/fieldsDiff';
import { normalizeCell } from '../../src/warehouse/postgres/pgTypes';
import { deliver } from '../../src/shared/webviewDelivery';
import { hasStatement, pgliteFailedSilently } from '../../src/warehouse/demo/pgliteSilentFailure';
import { deepJsonText, deepJsonValue } from '../support/deepJson';

const ev = (syncRunId: string, startedAt: string, fields: unknown): TimelineRowInput => ({
  syncId: 's1',
  syncRunId,
  startedAt,
  opType: 'changed',
  status: 'succeeded',
  failureReason: null,
  fields,
});

test('the timeline shows deep fields as their text, not null, and still diffs their top-level fields', () => {
  const deepBefore = `{"tier": "gold", "doc": ${deepJsonText(10_000)}}`;
  const deepAfter = `{"tier": "silver", "doc": ${deepJsonText(10_000)}}`;
  // As the Postgres adapter hands them over (and the demo worker posts them).
  const before = normalizeCell(deepBefore, 3802);
  const after = structuredClone(normalizeCell(deepAfter, 3802));
  const t = buildTimeline([ev('r1', '2025-01-01T00:00:00Z', before), ev('r2', '2025-01-02T00:00:00Z', after)], [], {
    rowId: 'u1',
    syncId: 's1',
    hasFields: true,
    truncated: false,
  });
  assert.equal(t.events[0].fields, deepBefore);
  assert.equal(t.events[1].fields, deepAfter);
  assert.equal(t.hasFields, true);
  assert.deepEqual(
    t.events[1].changes,
    [{ field: 'tier', kind: 'changed', before: '"gold"', after: '"silver"' }],
    'the deep, equal doc is not a change',
  );
  structuredClone(t); // what the panel posts
});

test('the field diff compares and renders values nested thousands deep without recursing', () => {
  const a = { doc: deepJsonValue(10_000, 1) };
  const b = { doc: deepJsonValue(10_000, 2) };
  const changes = diffFields(a, b);
  assert.equal(changes.length, 1);
  assert.equal(changes[0].before, `${'['.repeat(300)}…`);
  assert.deepEqual(diffFields(a, { doc: deepJsonValue(10_000, 1) }), []);
  assert.equal(renderValue({ $jsonText: '[1, 2]' }), '[1, 2]');
});

test('a message postMessage cannot take is replaced once by what the panel shows instead, and logged', async () => {
  const posted: string[] = [];
  const logged: string[] = [];
  const post = (m: { type: string }) => {
    if (m.type === 'showResult') return Promise.reject(new RangeError('Maximum call stack size exceeded'));
    if (m.type === 'throws') throw new Error('could not serialize');
    posted.push(m.type);
    return Promise.resolve(true);
  };
  const handlers = {
    onUndelivered: () => assert.fail('nothing is undelivered here'),
    replacement: (m: { type: string }) => (m.type === 'showError' ? { type: 'showResult' } : { type: 'showError' }),
    log: (line: string) => logged.push(line),
  };
  deliver(post, { type: 'showResult' }, handlers);
  deliver(post, { type: 'throws' }, handlers);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(posted, ['showError', 'showError']);
  assert.equal(logged.length, 2);
  assert.ok(
    logged.some((l) => /"showResult".*RangeError: Maximum call stack size exceeded/.test(l)),
    logged.join('\n'),
  );
  assert.ok(
    logged.some((l) => /"throws".*could not serialize/.test(l)),
    'a synchronous throw is caught too',
  );

  // A replacement that fails too is logged, not replaced again (no loop).
  const failing = () => Promise.reject(new Error('gone'));
  const lines: string[] = [];
  deliver(failing, { type: 'showResult' }, { ...handlers, log: (l) => lines.push(l) });
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.equal(lines.length, 2);

  let undelivered = 0;
  deliver(() => Promise.resolve(false), { type: 'x' }, { ...handlers, onUndelivered: () => undelivered++ });
  await new Promise((r) => setImmediate(r));
  assert.equal(undelivered, 1);
});

test('a demo answer without a command tag is a silent engine failure unless the SQL held no statement', () => {
  const crashed = [{ fields: [] }];
  assert.equal(pgliteFailedSilently(crashed, "select (repeat('[', 10000) || repeat(']', 10000))::jsonb"), true);
  assert.equal(pgliteFailedSilently(crashed, '  -- only a comment\n /* and a block */ ;'), false);
  assert.equal(pgliteFailedSilently(crashed, ''), false);
  assert.equal(pgliteFailedSilently([{ command: 'SELECT', fields: [] }], 'select'), false);
  assert.equal(pgliteFailedSilently([{ command: 'SELECT', fields: [1] }, { fields: [] }], 'select 1; select 2'), true);
  assert.equal(hasStatement("select '--'"), true);
});
