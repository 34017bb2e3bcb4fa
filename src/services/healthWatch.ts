import * as vscode from 'vscode';
import type { ConnectionManager } from '../warehouse/connectionManager';
import { affectsSettings, readSetting } from './settingsReaders';
import { SETTING_DEFAULTS } from './settingDefaults';
import type { HealthData } from '../shared/healthData';
import { healthAlerts, nextDelayMs, type HealthAlert } from '../analysis/healthChanges';
import { isolate } from '../shared/displayText';

/**
 * syncLogs.watch: polls the active connection's health and notifies once per change (see
 * healthAlerts). Off by default: every check is a read of the changelog. A failed check backs
 * off; a connection change starts a new baseline.
 */
export class HealthWatch implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private baseline: HealthData | undefined;
  private failures = 0;
  private running = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly connections: ConnectionManager,
    private readonly check: () => Promise<HealthData>,
    private readonly openHealth: () => Thenable<unknown> | Promise<unknown>,
    private readonly log: vscode.LogOutputChannel,
    /** Where alerts go; the tests collect them instead of showing them. */
    private readonly notify: (alerts: HealthAlert[], open: () => void) => void = showAlerts,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsSettings(e, 'watch', 'watchIntervalMinutes')) this.restart();
      }),
      connections.onDidChange(() => {
        this.baseline = undefined;
        this.restart();
      }),
    );
    this.restart();
  }

  get enabled(): boolean {
    return readSetting('watch') === true;
  }

  private intervalMs(): number {
    const m = readSetting('watchIntervalMinutes');
    return (Number.isFinite(m) && m >= 1 ? m : SETTING_DEFAULTS.watchIntervalMinutes) * 60_000;
  }

  /** Runs one check now (for tests, and the first check when the watch is turned on). */
  async tick(): Promise<HealthAlert[]> {
    if (this.running) return [];
    this.running = true;
    try {
      const next = await this.check();
      const alerts = healthAlerts(this.baseline, next);
      this.baseline = next;
      this.failures = 0;
      if (alerts.length > 0) this.notify(alerts, () => void this.openHealth());
      return alerts;
    } catch (err) {
      this.failures++;
      this.log.warn(
        `Watch: the health check failed (${this.failures} in a row; next in ${Math.round(nextDelayMs(this.intervalMs(), this.failures) / 60_000)} min): ${(err as Error).message ?? String(err)}`,
      );
      return [];
    } finally {
      this.running = false;
    }
  }

  private restart(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.enabled) return;
    const loop = async () => {
      await this.tick();
      if (this.enabled) this.timer = setTimeout(() => void loop(), nextDelayMs(this.intervalMs(), this.failures));
    };
    void loop();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function showAlerts(alerts: HealthAlert[], open: () => void): void {
  // One notification per check: several syncs at once are one incident to look at.
  const text =
    alerts.length === 1
      ? alerts[0].message
      : `${alerts.length} sync health changes: ${alerts.map((a) => a.message).join('; ')}`;
  void vscode.window.showWarningMessage(`Sync Logs: ${isolate(text)}`, 'Open Sync Health').then((choice) => {
    if (choice) open();
  });
}
