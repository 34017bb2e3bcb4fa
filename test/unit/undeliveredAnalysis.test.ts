import { test } from 'node:test';
import assert from 'node:assert/strict';
import { undeliveredAnalysis, type AnalysisHostMessage } from '../../src/shared/analysisProtocol';
import { deliver } from '../../src/shared/webviewDelivery';

const context = { connection: 'Demo', syncs: [], hasFields: true };

test('data that cannot be posted to an analysis panel comes back as an error in the same message', () => {
  const ready: AnalysisHostMessage = {
    type: 'state',
    panel: 'flapping',
    params: { syncId: '1', days: 30, order: 'operations' } as never,
    context,
    view: { phase: 'ready', data: {} as never, elapsedMs: 5, loadedAt: '2026-12-01T00:00:00Z' },
  };
  const instead = undeliveredAnalysis(ready, new RangeError('Maximum call stack size exceeded'));
  assert.equal(instead?.type, 'state');
  assert.equal(instead?.view.phase, 'error');
  assert.match(
    instead?.view.phase === 'error' ? instead.view.message : '',
    /could not be sent to this panel \(RangeError: Maximum call stack size exceeded\)/,
  );
  assert.equal(
    undeliveredAnalysis({ type: 'chart', view: { phase: 'loading', message: 'x' } }, new Error('x')),
    undefined,
    'no data, nothing to replace',
  );
});

test('through the delivery path: the panel gets the error once, never a loop', async () => {
  const posted: AnalysisHostMessage[] = [];
  let calls = 0;
  const post = (m: AnalysisHostMessage) => {
    calls++;
    if (m.view.phase === 'ready') throw new DOMException('could not be cloned', 'DataCloneError');
    posted.push(m);
    return Promise.resolve(true);
  };
  const logs: string[] = [];
  deliver(
    post,
    { type: 'chart', view: { phase: 'ready', data: {} as never, elapsedMs: 1, loadedAt: '' } },
    {
      onUndelivered: () => undefined,
      replacement: (m, e) => undeliveredAnalysis(m, e),
      log: (l) => logs.push(l),
    },
  );
  await new Promise((r) => setImmediate(r));
  assert.equal(calls, 2);
  assert.deepEqual(
    posted.map((m) => m.view.phase),
    ['error'],
  );
  assert.match(logs[0], /DataCloneError/);
});
