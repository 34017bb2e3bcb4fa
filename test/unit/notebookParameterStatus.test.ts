// What the status bar says about the active sync-log notebook (src/notebook/parameterStatus.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOWN_IN_TEXT, VALUE_CHARS, parameterStatus } from '../../src/notebook/parameterStatus';

test('values in the text and one line each in the tooltip, with the connection', () => {
  const s = parameterStatus({ values: { sync_id: '1043' }, used: ['sync_id'], connection: 'Demo' });
  assert.equal(s.text, '$(symbol-parameter) :sync_id = 1043 · Demo');
  const lines = s.tooltip.split('\n');
  assert.ok(lines.includes(':sync_id = 1043'), s.tooltip);
  assert.match(s.tooltip, /Cells run on the "Demo" connection/);
  assert.match(s.tooltip, /Click to set/);
});

test('a parameter the cells use without a value says so; used ones come first, in order', () => {
  const s = parameterStatus({
    values: { old: 'x', sync_id: '7' },
    used: ['sync_run_id', 'sync_id'],
    connection: 'Analytics',
  });
  assert.equal(s.text, '$(symbol-parameter) :sync_run_id = (not set), :sync_id = 7 +1 · Analytics');
  assert.deepEqual(
    s.tooltip.split('\n').filter((l) => l.startsWith(':')),
    [':sync_run_id = (not set)', ':sync_id = 7', ':old = x'],
  );
  assert.equal(SHOWN_IN_TEXT, 2);
});

test('no parameters', () => {
  const s = parameterStatus({ values: {}, used: [], connection: 'Demo' });
  assert.equal(s.text, '$(symbol-parameter) No parameters · Demo');
  assert.match(s.tooltip, /^No notebook parameters\./);
});

test('a long value is cut in the text only; a newline cannot fake a line; icons stay text', () => {
  const long = 'x'.repeat(VALUE_CHARS + 10);
  const s = parameterStatus({
    values: { a: long, b: 'one\n:c = forged', d: '$(alert)' },
    used: [],
    connection: '$(zap) Prod',
  });
  assert.ok(s.text.includes(`:a = ${'x'.repeat(VALUE_CHARS - 1)}…`), s.text);
  assert.ok(!s.text.includes('$(zap)') || s.text.includes('\\$(zap)'), s.text);
  assert.ok(s.text.endsWith('· \\$(zap) Prod'), s.text);
  const lines = s.tooltip.split('\n');
  assert.ok(lines.includes(`:a = ${long}`), 'the tooltip has it whole');
  assert.ok(lines.includes(':b = one :c = forged'), s.tooltip);
  assert.ok(!lines.includes(':c = forged'));
  assert.ok(lines.includes(':d = $(alert)'), 'a tooltip string shows no icons');
});
