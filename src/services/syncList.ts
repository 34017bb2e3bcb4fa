import * as vscode from 'vscode';
import type { ConnectionManager } from '../warehouse/connectionManager';
import { resultObjects } from '../shared/queryResult';
import { listSyncsQuery } from '../sql/treeQueries';
import { toSyncSummary, type SyncSummary } from '../views/treeModel';
import type { HealthData } from '../shared/healthData';
import { warehouseRunner } from '../loaders/queryRunner';
import { loadHealth } from '../loaders/healthLoader';
import { DEFAULT_HEALTH_DAYS } from '../panels/panelTargets';

/** The most syncs listed (the tree says so when a connection has more). */
export const MAX_SYNCS = 500;

/**
 * The active connection's syncs, read once and shared by the tree, the panels' pickers and the
 * commands, so they never disagree about which syncs exist. Read again on Refresh and when the
 * active connection changes; `onDidChange` fires then, before the new list is read. Their health
 * (the overview's states, over the last day) is read after the list, once per list, and
 * `onDidChangeHealth` fires when it arrives, so the tree can sort worst first without waiting.
 */
export class SyncList implements vscode.Disposable {
  private syncs: Promise<SyncSummary[]> | undefined;
  private generation = 0;
  private healthRead: { version: number; promise: Promise<HealthData | undefined> } | undefined;
  private latestHealth: { version: number; data: HealthData } | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly healthEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeHealth = this.healthEmitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly minFailures: () => number,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = connections.onDidChange(() => this.refresh());
  }

  /** The health of the current list if it has been read (no query). */
  get currentHealth(): HealthData | undefined {
    return this.latestHealth?.version === this.generation ? this.latestHealth.data : undefined;
  }

  /**
   * The syncs' health over the last day, read once per list; undefined when it cannot be read
   * (the reason is logged: the tree then keeps its plain order).
   */
  health(): Promise<HealthData | undefined> {
    const version = this.generation;
    if (this.healthRead?.version === version) return this.healthRead.promise;
    const promise = this.readHealthNow().then(
      (data) => {
        if (this.generation === version) {
          this.latestHealth = { version, data };
          this.healthEmitter.fire();
        }
        return data;
      },
      (err) => {
        this.log.warn(`Sync health could not be read: ${(err as Error).message ?? String(err)}`);
        return undefined;
      },
    );
    this.healthRead = { version, promise };
    return promise;
  }

  /** Reads the health again, whatever is cached (the watch's checks). */
  async readHealthNow(): Promise<HealthData> {
    const { warehouse, info } = await this.connections.getSyncLog();
    if (info.problem) throw new Error(info.problem);
    return loadHealth(warehouseRunner(warehouse, info.location), {
      days: DEFAULT_HEALTH_DAYS,
      minFailures: this.minFailures(),
      now: new Date(),
    });
  }

  /** The syncs as last read; the first call (and the first after a refresh) queries the warehouse. */
  get(): Promise<SyncSummary[]> {
    this.syncs ??= this.fetch();
    return this.syncs;
  }

  /** The syncs, or none when they cannot be read (the caller shows its own message). */
  async getOrEmpty(): Promise<SyncSummary[]> {
    return this.get().catch(() => []);
  }

  async find(syncId: string): Promise<SyncSummary | undefined> {
    return (await this.getOrEmpty()).find((s) => s.syncId === syncId);
  }

  /** Counts refreshes: a reader holding an older generation knows its list was replaced. */
  get version(): number {
    return this.generation;
  }

  refresh(): void {
    this.syncs = undefined;
    this.generation++;
    this.changeEmitter.fire();
  }

  private async fetch(): Promise<SyncSummary[]> {
    const { warehouse, info } = await this.connections.getSyncLog();
    if (info.problem) throw new Error(info.problem);
    const q = listSyncsQuery(info.location, MAX_SYNCS);
    const result = await warehouse.query(q.text, q.values, { readOnly: true });
    return resultObjects(result).map(toSyncSummary);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
    this.healthEmitter.dispose();
  }
}
