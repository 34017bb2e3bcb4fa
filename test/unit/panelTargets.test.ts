import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DAYS, DEFAULT_HEALTH_DAYS, panelOpenOf } from '../../src/panels/panelTargets';
import {
  PARAMS_GUARDS,
  isAnalysisWebviewMessage,
  isPanelTarget,
  type PanelTarget,
} from '../../src/shared/analysisProtocol';

const targets: PanelTarget[] = [
  { panel: 'health' },
  { panel: 'health', days: null },
  { panel: 'breakdown', syncId: null },
  { panel: 'breakdown', syncId: '7', syncRunId: 'r1', days: 1, source: 'snapshot' },
  { panel: 'flapping', syncId: '7' },
  { panel: 'flapping', syncId: '7', days: 7, orderBy: 'retries', focus: 'stuck' },
  { panel: 'timeline', rowId: 'a@b.c', syncId: null },
  { panel: 'model', syncId: '7', days: 90 },
  { panel: 'run', syncId: '7', syncRunId: 'r9' },
];

test('every target opens its panel with params its guard accepts (what a restore would accept)', () => {
  for (const t of targets) {
    const { kind, params } = panelOpenOf(t);
    assert.equal(kind, t.panel);
    assert.ok(
      (PARAMS_GUARDS[kind] as (p: unknown) => boolean)(params),
      `${JSON.stringify(t)} -> ${JSON.stringify(params)}`,
    );
    assert.ok(isPanelTarget(t), JSON.stringify(t));
  }
});

test('what a target leaves out takes the panel default; what it says is kept, null included', () => {
  assert.deepEqual(panelOpenOf({ panel: 'health' }).params, { days: DEFAULT_HEALTH_DAYS });
  assert.deepEqual(panelOpenOf({ panel: 'health', days: null }).params, { days: null });
  assert.deepEqual(panelOpenOf({ panel: 'breakdown', syncId: '7' }).params, {
    syncId: '7',
    syncRunId: null,
    source: 'changelog',
    days: DEFAULT_DAYS,
  });
  assert.deepEqual(panelOpenOf({ panel: 'flapping', syncId: '7', focus: 'stuck' }).params, {
    syncId: '7',
    days: DEFAULT_DAYS,
    orderBy: 'flapping',
    focus: 'stuck',
  });
  assert.equal('focus' in panelOpenOf({ panel: 'flapping', syncId: '7' }).params, false);
});

test('the open message refuses a target a webview could forge', () => {
  const bad: unknown[] = [
    { panel: 'nope' },
    { panel: 'run', syncId: '7' },
    { panel: 'flapping', syncId: '7', focus: 'everything' },
    { panel: 'breakdown', syncId: 3 },
    { panel: 'timeline', rowId: 'x'.repeat(1001), syncId: null },
    { panel: 'health', days: -1 },
  ];
  for (const target of bad)
    assert.equal(isAnalysisWebviewMessage({ type: 'open', target }), false, JSON.stringify(target));
  assert.equal(isAnalysisWebviewMessage({ type: 'open', target: { panel: 'run', syncId: '7', syncRunId: 'r' } }), true);
  assert.equal(
    isAnalysisWebviewMessage({ type: 'runRows', selector: { kind: 'op', opType: 'added', status: 'failed' } }),
    true,
  );
  assert.equal(
    isAnalysisWebviewMessage({ type: 'runRows', selector: { kind: 'op', opType: 'upserted', status: 'failed' } }),
    false,
  );
});
