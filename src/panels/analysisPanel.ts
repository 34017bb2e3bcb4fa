import type * as vscode from 'vscode';
import {
  PANEL_TITLES,
  PANEL_VIEW_TYPES,
  PARAMS_GUARDS,
  isAnalysisWebviewMessage,
  undeliveredAnalysis,
  type AnalysisHostMessage,
  type AnalysisWebviewMessage,
  type DataOf,
  type PanelContext,
  type PanelKind,
  type PanelTarget,
  type ParamsOf,
  type Phase,
  type StateMessage,
} from '../shared/analysisProtocol';
import { hasFields } from '../sql/syncLogTables';
import { warehouseRunner, type QueryRunner } from '../loaders/queryRunner';
import { describeFailure, isCancelled } from './failureText';
import { isolate } from '../shared/displayText';
import { WebviewHost } from './webviewHost';
import {
  QueryRecord,
  type ExtraMessage,
  type Loaded,
  type LoadSession,
  type PanelDriver,
  type RecordedQuery,
} from './panelLoad';
import { showPanelSql } from './showSql';
import { openVendorLink, vendorLinksEnabled } from './vendorOpen';
import type { CategoryConfig } from './categoryConfig';
import type { ConnectionManager } from '../warehouse/connectionManager';
import type { SyncList } from '../services/syncList';

/** What the analysis panels use of the extension's services (the Container has them; named here so panels need not import it). */
export interface PanelServices {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly connections: ConnectionManager;
  readonly syncs: SyncList;
  readonly categories: CategoryConfig;
}

/** What a panel needs from the registry that owns it. */
export interface PanelOwner {
  open(target: PanelTarget): Promise<unknown>;
  /** The panel's params changed its key: the registry files it under the new one. */
  rekey(panel: AnalysisPanel<PanelKind>, from: string, to: string): void;
  closed(panel: AnalysisPanel<PanelKind>, key: string): void;
}

/**
 * One analysis panel: its params, the state it shows, and the work of its current load. Every
 * query it runs (the load, the follow-ups the load returns, the drill-downs its answer serves)
 * belongs to one generation with one set of cancels: a new load, Cancel or closing the panel
 * stops all of them in the warehouse. Restored after a reload from the params the webview saved,
 * then loaded again: the data is the warehouse's, never stale copies in the webview state.
 */
export class AnalysisPanel<K extends PanelKind> implements vscode.Disposable {
  private view: Phase<DataOf[K]> = { phase: 'idle', message: '' };
  private context: PanelContext = { connection: '', syncs: [], hasFields: true };
  private readonly extras = new Map<ExtraMessage['type'], ExtraMessage>();
  private readonly inFlight = new Set<AbortController>();
  private readonly host: WebviewHost<AnalysisHostMessage, AnalysisWebviewMessage>;
  private generation = 0;
  private answer: Loaded<K> | undefined;
  private session: LoadSession<K> | undefined;
  /** The queries of the current load, its follow-ups and drill-downs: what Show SQL opens. */
  private record = new QueryRecord(0);
  /** The connection the current load ran on, as of its start (Show SQL's header). */
  private recordedOn = { name: '', kind: '' };
  private disposed = false;
  /** Loads under way, follow-ups included (between two queries none may be in flight). */
  private busy = 0;

  constructor(
    private readonly container: PanelServices,
    private readonly owner: PanelOwner,
    private readonly driver: PanelDriver<K>,
    panel: vscode.WebviewPanel,
    public params: ParamsOf[K],
    private key: string,
  ) {
    this.host = new WebviewHost<AnalysisHostMessage, AnalysisWebviewMessage>(panel, container.context.extensionUri, {
      viewType: PANEL_VIEW_TYPES[driver.kind],
      title: PANEL_TITLES[driver.kind],
      bundle: driver.kind,
      isIncoming: isAnalysisWebviewMessage,
      log: container.log,
      replay: () => [this.stateMessage(), ...this.extras.values()],
      onPostFailed: (m, error) => undeliveredAnalysis(m as AnalysisHostMessage, error),
    });
    this.host.onDidReceiveMessage((m) => void this.receive(m));
    this.host.onDidDispose(() => {
      this.disposed = true;
      this.generation++;
      this.cancel();
      this.owner.closed(this as unknown as AnalysisPanel<PanelKind>, this.key);
    });
  }

  get kind(): K {
    return this.driver.kind;
  }

  /** Where the panel runs (connection, syncs), as of its latest load. */
  get panelContext(): PanelContext {
    return this.context;
  }

  get phase(): Phase<DataOf[K]> {
    return this.view;
  }

  /** The extra messages last sent (chart, drill, run rows), for tests. */
  extra<T extends ExtraMessage['type']>(type: T): Extract<ExtraMessage, { type: T }> | undefined {
    return this.extras.get(type) as Extract<ExtraMessage, { type: T }> | undefined;
  }

  /** The queries behind what the panel shows, in the order they ran. */
  get recordedQueries(): readonly RecordedQuery[] {
    return this.record.queries;
  }

  /** Opens the SQL of the current load in an editor (the panel's Show SQL button). */
  async showSql(): Promise<unknown> {
    return showPanelSql({
      kind: this.driver.kind,
      scope: this.driver.scopeLabel(this.params, this.context),
      connectionName: this.recordedOn.name,
      connectionKind: this.recordedOn.kind,
      queries: this.record.queries,
    });
  }

  /** Resolves when no query of this panel is in flight. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0 || this.busy > 0) await new Promise((r) => setTimeout(r, 25));
  }

  /** Runs the panel's analysis for its current params; a new load cancels everything of the one before. */
  async load(): Promise<void> {
    if (this.disposed) return;
    this.busy++;
    try {
      await this.loadNow();
    } finally {
      this.busy--;
    }
  }

  private async loadNow(): Promise<void> {
    this.cancel();
    this.extras.clear();
    this.answer = undefined;
    this.rekey();
    const generation = ++this.generation;
    const record = new QueryRecord(generation);
    this.record = record;
    this.recordedOn = { name: this.container.connections.activeName, kind: this.container.connections.active.kind };
    const session = this.newSession(generation, record);
    this.session = session;
    const idle = this.driver.idleReason?.(this.params);
    if (idle) {
      await this.refreshContext().catch(() => undefined);
      this.setView({ phase: 'idle', message: idle });
      return;
    }
    this.setView({ phase: 'loading', message: 'Querying the warehouse…' });
    const began = Date.now();
    let answer: Loaded<K> | undefined;
    await this.withRunner(
      async (run, signal) => {
        try {
          await this.refreshContext();
          const result = await this.driver.load(run, this.params, this.context);
          if (generation !== this.generation) return;
          const elapsedMs = Date.now() - began;
          if ('empty' in result) {
            this.setView({ phase: 'empty', reason: result.empty, elapsedMs });
            return;
          }
          answer = result;
          this.answer = result;
          this.setView({ phase: 'ready', data: result.data, elapsedMs, loadedAt: new Date().toISOString() });
        } catch (err) {
          if (generation !== this.generation) return;
          this.setView(
            isCancelled(err) || signal.aborted
              ? { phase: 'cancelled', message: 'Cancelled. Refresh to run the analysis again.' }
              : { phase: 'error', message: describeFailure(err) },
          );
        }
      },
      (err) => {
        if (generation === this.generation) this.setView({ phase: 'error', message: describeFailure(err) });
      },
      (run) => record.wrap(run, "the panel's load"),
    );
    // The answer shows first; what refines it follows, under the same generation.
    const followUps = (answer as Loaded<K> | undefined)?.followUps ?? [];
    await Promise.all(
      followUps.map((f) =>
        f(session).catch((err) =>
          this.container.log.warn(`${this.driver.kind}: follow-up failed: ${describeFailure(err)}`),
        ),
      ),
    );
  }

  /** Cancels every query of this panel in the warehouse. */
  cancel(): void {
    for (const c of this.inFlight) c.abort();
  }

  /**
   * Handles a message as if the webview had posted it (the same guard applies; `ready` is the
   * host's own handshake and ignored). Resolves when the message's work (a load, a drill-down)
   * is done.
   */
  async handleMessage(message: unknown): Promise<void> {
    if (!isAnalysisWebviewMessage(message) || message.type === 'ready') return;
    await this.receive(message);
  }

  reveal(): void {
    this.host.reveal(undefined, false);
  }

  dispose(): void {
    this.host.dispose();
  }

  private newSession(generation: number, record: QueryRecord): LoadSession<K> {
    const isCurrent = () => generation === this.generation;
    // The session's getters read the panel's state live; a getter's own `this` is the session.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const panel = this;
    return {
      get params() {
        return panel.params;
      },
      get context() {
        return panel.context;
      },
      get current() {
        return isCurrent();
      },
      update: (data) => {
        const view = this.view;
        if (isCurrent() && view.phase === 'ready') this.setView({ ...view, data });
      },
      task: async (send, work) => {
        if (!isCurrent()) return;
        const announced = send({ phase: 'loading', message: 'Querying the warehouse…' });
        this.postExtra(announced);
        const began = Date.now();
        await this.withRunner(
          async (run, signal) => {
            try {
              const result = await work(run);
              if (!isCurrent()) return;
              const elapsedMs = Date.now() - began;
              const empty =
                typeof result === 'object' && result !== null && 'empty' in result
                  ? (result as { empty: unknown }).empty
                  : undefined;
              this.postExtra(
                typeof empty === 'string'
                  ? send({ phase: 'empty', reason: empty, elapsedMs })
                  : send({ phase: 'ready', data: result as never, elapsedMs, loadedAt: new Date().toISOString() }),
              );
            } catch (err) {
              if (!isCurrent()) return;
              this.postExtra(
                send(
                  isCancelled(err) || signal.aborted
                    ? { phase: 'cancelled', message: 'Cancelled.' }
                    : { phase: 'error', message: describeFailure(err) },
                ),
              );
            }
          },
          (err) => {
            if (isCurrent()) this.postExtra(send({ phase: 'error', message: describeFailure(err) }));
          },
          (run) => record.wrap(run, stageOf(announced)),
        );
      },
      quiet: async (work) => {
        if (!isCurrent()) return;
        await this.withRunner(
          async (run) => {
            try {
              await work(run);
            } catch (err) {
              if (!isCancelled(err) && isCurrent())
                this.container.log.warn(`${this.driver.kind}: follow-up query failed: ${describeFailure(err)}`);
            }
          },
          () => undefined,
          (run) => record.wrap(run, 'a follow-up that refines the answer'),
        );
      },
    };
  }

  /**
   * Runs `work` with a runner on the active connection whose queries Cancel (and a newer load)
   * stop in the warehouse; `failed` says why there is no runner (the connection's problem).
   */
  private async withRunner(
    work: (run: QueryRunner, signal: AbortSignal) => Promise<void>,
    failed: (err: unknown) => void,
    recorded: (run: QueryRunner) => QueryRunner,
  ): Promise<void> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    try {
      let run: QueryRunner;
      try {
        const { warehouse, info } = await this.container.connections.getSyncLog();
        if (info.problem) throw new Error(info.problem);
        run = recorded(warehouseRunner(warehouse, info.location, controller.signal));
      } catch (err) {
        failed(err);
        return;
      }
      await work(run, controller.signal);
    } finally {
      this.inFlight.delete(controller);
    }
  }

  private rekey(): void {
    const key = `${this.driver.kind}:${this.driver.key(this.params)}`;
    if (key === this.key) return;
    const from = this.key;
    this.key = key;
    this.owner.rekey(this as unknown as AnalysisPanel<PanelKind>, from, key);
  }

  private async refreshContext(): Promise<void> {
    const { connections, syncs } = this.container;
    const list = await syncs.getOrEmpty();
    let fields = true;
    try {
      const { info } = await connections.getSyncLog();
      fields = hasFields(info.location);
    } catch {
      // The load reports the connection's problem; the context keeps its default.
    }
    this.context = {
      connection: connections.activeName,
      syncs: list.map((s) => ({
        syncId: s.syncId,
        label: `${isolate(s.modelName)} → ${isolate(s.destination)}`,
        primaryKey: s.primaryKey,
      })),
      hasFields: fields,
      vendorLinks: vendorLinksEnabled(),
    };
    this.host.panel.title = `${PANEL_TITLES[this.driver.kind]}: ${this.driver.scopeLabel(this.params, this.context)}`;
  }

  private stateMessage(): StateMessage<K> {
    return { type: 'state', panel: this.driver.kind, params: this.params, context: this.context, view: this.view };
  }

  private setView(view: Phase<DataOf[K]>): void {
    this.view = view;
    this.host.post(this.stateMessage() as AnalysisHostMessage);
  }

  private postExtra(message: ExtraMessage): void {
    this.extras.set(message.type, message);
    this.host.post(message);
  }

  private async receive(m: AnalysisWebviewMessage): Promise<void> {
    switch (m.type) {
      case 'refresh':
        await this.load();
        return;
      case 'cancel':
        this.cancel();
        return;
      case 'setParams':
        if (!PARAMS_GUARDS[this.driver.kind](m.params)) {
          this.container.log.warn(`${this.driver.kind}: ignored invalid params from the webview`);
          return;
        }
        this.params = m.params;
        await this.load();
        return;
      case 'open':
        await this.owner.open(m.target);
        return;
      case 'openTimeline':
        await this.owner.open({ panel: 'timeline', rowId: m.rowId, syncId: m.syncId });
        return;
      case 'openPanel':
        await this.owner.open(legacyTarget(m.panel, m.syncId));
        return;
      case 'openCategories':
        await this.container.categories.edit();
        return;
      case 'showSql':
        await this.showSql();
        return;
      case 'openVendor':
        await openVendorLink(m.target, this.container.log);
        return;
      default:
        if (this.answer?.onMessage && this.session) await this.answer.onMessage(m, this.session);
    }
  }
}

/** What a follow-up's queries are for, from the message it announces itself with. */
function stageOf(m: ExtraMessage): string {
  switch (m.type) {
    case 'chart':
      return 'the chart, which also refines the table';
    case 'drill':
      return `the drill-down into ${'template' in m.selector ? `category "${m.selector.category}", template "${m.selector.template}"` : `category "${m.selector.category}"`}`;
    case 'runRows':
      return `the rows behind ${m.selector.kind === 'op' ? `${m.selector.status} ${m.selector.opType} operations` : `the "${m.selector.which}" comparison`}`;
  }
}

/** `openPanel` names a panel and a sync: the sync's view of that panel. */
function legacyTarget(panel: PanelKind, syncId: string): PanelTarget {
  switch (panel) {
    case 'health':
      return { panel: 'health' };
    case 'timeline':
      return { panel: 'timeline', rowId: '', syncId };
    case 'run':
    case 'breakdown':
      return { panel: 'breakdown', syncId };
    default:
      return { panel, syncId };
  }
}
