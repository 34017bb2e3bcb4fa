import * as assert from 'assert';
import * as vscode from 'vscode';
import { getApi, waitFor } from './api';
import { HealthWatch } from '../../src/services/healthWatch';
import type { ConnectionManager } from '../../src/warehouse/connectionManager';
import type { HealthAlert } from '../../src/analysis/healthChanges';
import type { HealthData, SyncHealth } from '../../src/shared/healthData';
import { syncHealth } from '../support/syncHealth';

// syncLogs.watch wired to VS Code: the setting starts and stops the polling, a state change
// notifies once and its action opens the health overview, a connection change starts a new
// baseline, and a failed check is logged and notifies nothing. The checks are scripted so each
// transition is known; the real container's watch is checked against the real setting.

const sync = (over: Partial<SyncHealth>): SyncHealth =>
  syncHealth({ syncId: '50744', modelName: 'MQL leads', destination: 'marketo', ...over });

const health = (s: SyncHealth): HealthData => ({
  days: 1,
  windowEnd: '2026-11-01T00:00:00Z',
  windowStart: '2026-10-31T00:00:00Z',
  logStale: false,
  minFailures: 3,
  syncs: [s],
  rules: { failing: '', stuckRising: '', stale: '', healthy: '', noRuns: '' },
});

const HEALTHY = health(sync({}));
const FAILING = health(sync({ state: 'failing', stateReason: 'last run: 180 of 228 attempted rows failed' }));

describe('Watch (syncLogs.watch)', function () {
  this.timeout(60_000);
  const config = () => vscode.workspace.getConfiguration('syncLogs');
  const log = vscode.window.createOutputChannel('Sync Logs watch test', { log: true });
  const connectionChanged = new vscode.EventEmitter<void>();
  const connections = { onDidChange: connectionChanged.event } as unknown as ConnectionManager;

  /** A watch whose checks answer `answers` in turn (an Error is thrown), recording what it notifies and opens. */
  function scripted(answers: (HealthData | Error)[]) {
    const calls = { checks: 0, opened: 0, alerts: [] as HealthAlert[][] };
    const watch = new HealthWatch(
      connections,
      async () => {
        const a = answers[Math.min(calls.checks++, answers.length - 1)];
        if (a instanceof Error) throw a;
        return a;
      },
      async () => {
        calls.opened++;
      },
      log,
      (alerts, open) => {
        calls.alerts.push(alerts);
        open();
      },
    );
    return { watch, calls };
  }

  afterEach(async () => {
    await config().update('watch', undefined, vscode.ConfigurationTarget.Global);
  });
  after(() => {
    log.dispose();
    connectionChanged.dispose();
  });

  it('is off by default: nothing is checked until the setting turns it on, and it stops when turned off', async () => {
    const { watch, calls } = scripted([HEALTHY]);
    try {
      assert.strictEqual(watch.enabled, false);
      await new Promise((r) => setTimeout(r, 300));
      assert.strictEqual(calls.checks, 0, 'no check while the watch is off');
      await config().update('watch', true, vscode.ConfigurationTarget.Global);
      await waitFor('the first check after turning the watch on', () => (calls.checks >= 1 ? true : undefined));
      assert.deepStrictEqual(calls.alerts, [], 'the first check is the baseline');
      await config().update('watch', false, vscode.ConfigurationTarget.Global);
      const seen = calls.checks;
      await new Promise((r) => setTimeout(r, 300));
      assert.strictEqual(calls.checks, seen, 'no check once turned off');
    } finally {
      watch.dispose();
    }
  });

  it('notifies once when a sync turns failing, and the notification opens the health overview', async () => {
    const { watch, calls } = scripted([HEALTHY, FAILING, FAILING]);
    try {
      assert.deepStrictEqual(await watch.tick(), []);
      const alerts = await watch.tick();
      assert.strictEqual(alerts.length, 1);
      assert.strictEqual(alerts[0].kind, 'failing');
      assert.match(alerts[0].message, /MQL leads/);
      assert.strictEqual(calls.opened, 1, "the notification's action opened the health overview");
      assert.deepStrictEqual(await watch.tick(), [], 'still failing: no second notification');
      assert.strictEqual(calls.alerts.length, 1);
    } finally {
      watch.dispose();
    }
  });

  it('starts a new baseline when the connection changes, and a failed check notifies nothing', async () => {
    const { watch, calls } = scripted([HEALTHY, new Error('connection reset by peer'), FAILING]);
    try {
      await watch.tick();
      assert.deepStrictEqual(await watch.tick(), [], 'a failed check notifies nothing');
      connectionChanged.fire();
      assert.deepStrictEqual(await watch.tick(), [], 'failing on a new connection is its baseline, not a change');
      assert.strictEqual(calls.alerts.length, 0);
    } finally {
      watch.dispose();
    }
  });

  it("the extension's own watch follows the setting on the demo connection", async () => {
    const api = await getApi();
    assert.strictEqual(api.container.watch.enabled, false);
    await config().update('watch', true, vscode.ConfigurationTarget.Global);
    assert.strictEqual(api.container.watch.enabled, true);
  });
});
