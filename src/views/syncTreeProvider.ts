import * as vscode from 'vscode';
import { COMMANDS } from '../shared/ids';
import type { ConnectionManager } from '../warehouse/connectionManager';
import { MAX_SYNCS, type SyncList } from '../services/syncList';
import { readSetting, treeHealthEnabled } from '../services/settingsReaders';
import type { SyncLogLocation } from '../sql/syncLogTables';
import { resultObjects } from '../shared/queryResult';
import { listRunsQuery, runFailuresQuery } from '../sql/treeQueries';
import type { SqlQuery } from '../sql/dialect';
import { groupByTemplate } from '../analysis/failureTemplates';
import {
  failureItem,
  pageOf,
  runErrorItem,
  runItem,
  sortByHealth,
  syncItem,
  toFailureGroup,
  toReasonCount,
  toRunSummary,
  type FailureGroup,
  type ItemDescriptor,
  type RunSummary,
  type SyncSummary,
} from './treeModel';
import { tooltipMarkdown } from './tooltipMarkdown';
import { isolate } from '../shared/displayText';

export type SyncTreeNode =
  | { type: 'connection'; name: string; kind: string; schema: string }
  | { type: 'sync'; sync: SyncSummary }
  | { type: 'run'; sync: SyncSummary; run: RunSummary }
  | { type: 'loadMore'; sync: SyncSummary; shown: number }
  | { type: 'failure'; sync: SyncSummary; run: RunSummary; group: FailureGroup }
  | { type: 'runError'; run: RunSummary; error: string }
  | { type: 'message'; text: string; detail?: string; isError?: boolean };

const MAX_FAILURE_GROUPS = 100;
/** Distinct failure texts read per run before folding them into templates. */
const MAX_RUN_FAILURE_TEXTS = 1000;

interface RunPages {
  runs: RunSummary[];
  hasMore: boolean;
}

/**
 * Connection → syncs → runs → failed rows grouped by reason. Every level is one bounded,
 * aggregated query in the warehouse; results are cached until Refresh.
 */
export class SyncTreeProvider implements vscode.TreeDataProvider<SyncTreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<SyncTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private runPages = new Map<string, RunPages>();
  /** The node objects handed to VS Code: a redraw must fire with the same object. */
  private syncNodes = new Map<string, SyncTreeNode>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly syncList: SyncList,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // The list is read again on Refresh and on a connection change: the runs below it go with it.
    this.subscription = vscode.Disposable.from(
      syncList.onDidChange(() => this.redraw()),
      // Health arrives after the list: re-sort and re-badge the syncs, keeping the runs read.
      syncList.onDidChangeHealth(() => this.changeEmitter.fire(undefined)),
    );
  }

  /** Reads everything again: the sync list (shared with the panels and commands) and the runs. */
  refresh(): void {
    this.syncList.refresh();
  }

  private redraw(): void {
    this.runPages = new Map();
    this.syncNodes = new Map();
    this.changeEmitter.fire(undefined);
  }

  /** Fetches the next page of runs of a sync and redraws that sync. */
  async loadMoreRuns(node: Extract<SyncTreeNode, { type: 'loadMore' }>): Promise<void> {
    const current = this.runPages.get(node.sync.syncId);
    const next = await this.fetchRuns(node.sync.syncId, current?.runs.length ?? 0);
    this.runPages.set(node.sync.syncId, { runs: [...(current?.runs ?? []), ...next.runs], hasMore: next.hasMore });
    this.changeEmitter.fire(this.syncNodes.get(node.sync.syncId));
  }

  getTreeItem(node: SyncTreeNode): vscode.TreeItem {
    const conn = this.connections.activeName;
    switch (node.type) {
      case 'connection': {
        // A workspace can name a connection: isolated like warehouse text, beside the description.
        const item = new vscode.TreeItem(isolate(node.name), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `connection:${node.name}`;
        item.description = `${node.kind} · ${node.schema}`;
        item.iconPath = new vscode.ThemeIcon('database');
        // The demo is built in: it can be switched away from, not edited or removed.
        item.contextValue = node.kind === 'demo' ? 'demoConnection' : 'connection';
        item.tooltip = `Active connection "${isolate(node.name)}" (${node.kind}), schema ${node.schema}. Switch with "Sync Logs: Select Connection"${node.kind === 'demo' ? '' : '; right-click to edit or remove it'}.`;
        return item;
      }
      case 'sync': {
        const state = this.syncList.currentHealth?.syncs.find((h) => h.syncId === node.sync.syncId);
        return withId(toTreeItem(syncItem(node.sync, this.formatOptions(), state)), `${conn}/sync:${node.sync.syncId}`);
      }
      case 'run':
        return withId(
          toTreeItem(runItem(node.run, this.formatOptions())),
          `${conn}/run:${node.sync.syncId}:${node.run.syncRunId}`,
        );
      case 'failure':
        return toTreeItem(failureItem(node.group));
      case 'runError':
        return toTreeItem(runErrorItem(node.error));
      case 'loadMore': {
        const item = new vscode.TreeItem('Load more runs…', vscode.TreeItemCollapsibleState.None);
        item.description = `${node.shown} shown`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = 'loadMore';
        item.command = { command: COMMANDS.loadMoreRuns, title: 'Load More Runs', arguments: [node] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(
          node.isError ? 'error' : 'info',
          node.isError ? new vscode.ThemeColor('list.errorForeground') : undefined,
        );
        item.tooltip = node.detail ?? node.text;
        item.contextValue = node.isError ? 'error' : 'message';
        return item;
      }
    }
  }

  async getChildren(node?: SyncTreeNode): Promise<SyncTreeNode[]> {
    try {
      if (!node) {
        const active = this.connections.active;
        return [{ type: 'connection', name: active.name, kind: active.kind, schema: this.connections.schema }];
      }
      switch (node.type) {
        case 'connection': {
          const listed = await this.syncList.get();
          if (treeHealthEnabled()) void this.syncList.health();
          const syncs = sortByHealth(listed, this.syncList.currentHealth?.syncs);
          if (syncs.length === 0)
            return [
              {
                type: 'message',
                text: `No sync runs in ${this.connections.schema}.sync_runs yet.`,
                detail:
                  'Enable warehouse sync logs on a sync in Hightouch (Sync Logs tab), then refresh after its next run.',
              },
            ];
          const nodes: SyncTreeNode[] = syncs.map((sync) => {
            const syncNode: SyncTreeNode = { type: 'sync', sync };
            this.syncNodes.set(sync.syncId, syncNode);
            return syncNode;
          });
          if (syncs.length >= MAX_SYNCS) nodes.push({ type: 'message', text: `Showing the first ${MAX_SYNCS} syncs.` });
          return nodes;
        }
        case 'sync': {
          let pages = this.runPages.get(node.sync.syncId);
          if (!pages) {
            pages = await this.fetchRuns(node.sync.syncId, 0);
            this.runPages.set(node.sync.syncId, pages);
          }
          const nodes: SyncTreeNode[] = pages.runs.map((run) => ({ type: 'run', sync: node.sync, run }));
          if (pages.hasMore) nodes.push({ type: 'loadMore', sync: node.sync, shown: pages.runs.length });
          if (nodes.length === 0) nodes.push({ type: 'message', text: 'No runs.' });
          return nodes;
        }
        case 'run': {
          const nodes: SyncTreeNode[] = [];
          if (node.run.error) nodes.push({ type: 'runError', run: node.run, error: node.run.error });
          if (node.run.failed > 0) {
            const result = await this.run(
              runFailuresQuery(await this.location(), node.sync.syncId, node.run.syncRunId, MAX_RUN_FAILURE_TEXTS),
            );
            const texts = pageOf(resultObjects(result).map(toReasonCount), MAX_RUN_FAILURE_TEXTS);
            const { items, hasMore } = pageOf(groupByTemplate(texts.items).map(toFailureGroup), MAX_FAILURE_GROUPS);
            nodes.push(
              ...items.map((group): SyncTreeNode => ({ type: 'failure', sync: node.sync, run: node.run, group })),
            );
            if (hasMore || texts.hasMore) {
              nodes.push({
                type: 'message',
                text: `Showing the most frequent failure reasons (${MAX_RUN_FAILURE_TEXTS} distinct texts read).`,
                detail: 'Open Run Query for every failed row of this run.',
              });
            }
          }
          return nodes;
        }
        default:
          return [];
      }
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      this.log.error(`Sync Logs view: ${message}`);
      return [{ type: 'message', text: message.split('\n')[0], detail: message, isError: true }];
    }
  }

  private formatOptions() {
    return { now: new Date() };
  }

  /** Where the sync logs are, as the catalog showed; missing tables become the message the view shows. */
  private async location(): Promise<SyncLogLocation> {
    const { info } = await this.connections.getSyncLog();
    if (info.problem) throw new Error(info.problem);
    return info.location;
  }

  private async run(q: SqlQuery) {
    const w = await this.connections.getWarehouse();
    return w.query(q.text, q.values, { readOnly: true });
  }

  private async fetchRuns(syncId: string, offset: number): Promise<RunPages> {
    const pageSize = readSetting('runsPageSize');
    const result = await this.run(listRunsQuery(await this.location(), syncId, offset, pageSize));
    const { items, hasMore } = pageOf(resultObjects(result).map(toRunSummary), pageSize);
    return { runs: items, hasMore };
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}

function withId(item: vscode.TreeItem, id: string): vscode.TreeItem {
  item.id = id;
  return item;
}

/**
 * Turns a pure descriptor into a TreeItem. The tooltip's markdown comes whole from tooltipMarkdown
 * (values in code that nothing inside them can close); untrusted, no HTML, no theme icons.
 */
export function toTreeItem(d: ItemDescriptor): vscode.TreeItem {
  const state = {
    none: vscode.TreeItemCollapsibleState.None,
    collapsed: vscode.TreeItemCollapsibleState.Collapsed,
    expanded: vscode.TreeItemCollapsibleState.Expanded,
  }[d.collapsible];
  const item = new vscode.TreeItem(d.label, state);
  item.description = d.description;
  item.iconPath = new vscode.ThemeIcon(d.icon.id, d.icon.color ? new vscode.ThemeColor(d.icon.color) : undefined);
  item.contextValue = d.contextValue;
  if (d.tooltip) {
    const md = new vscode.MarkdownString(tooltipMarkdown(d.tooltip), false);
    md.isTrusted = false;
    md.supportHtml = false;
    item.tooltip = md;
  }
  return item;
}
