import * as vscode from 'vscode';
import type { ConnectionManager } from '../warehouse/connectionManager';
import { resultObjects } from '../shared/queryResult';
import { listSyncsQuery } from '../sql/treeQueries';
import { toSyncSummary, type SyncSummary } from '../views/treeModel';

/** The most syncs listed (the tree says so when a connection has more). */
export const MAX_SYNCS = 500;

/**
 * The active connection's syncs, read once and shared by the tree, the panels' pickers and the
 * commands, so they never disagree about which syncs exist. Read again on Refresh and when the
 * active connection changes; `onDidChange` fires then, before the new list is read.
 */
export class SyncList implements vscode.Disposable {
  private syncs: Promise<SyncSummary[]> | undefined;
  private generation = 0;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly connections: ConnectionManager) {
    this.subscription = connections.onDidChange(() => this.refresh());
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
  }
}
