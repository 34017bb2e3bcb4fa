import * as vscode from 'vscode';
import type { Container } from '../container';
import {
  PANEL_TITLES,
  PANEL_VIEW_TYPES,
  PARAMS_GUARDS,
  isAnalysisWebviewMessage,
  isAnalysisWebviewState,
  undeliveredAnalysis,
  type AnalysisHostMessage,
  type AnalysisWebviewMessage,
  type ChartMessage,
  type DataOf,
  type DrillMessage,
  type PanelContext,
  type PanelKind,
  type ParamsOf,
  type Phase,
  type StateMessage,
} from '../shared/analysisProtocol';
import { hasFields } from '../sql/syncLogTables';
import { warehouseRunner, type QueryRunner } from '../loaders/queryRunner';
import { describeFailure, isCancelled } from './failureText';
import { isolate } from '../shared/displayText';
import { WebviewHost, createWebviewPanel, registerPanelSerializer } from './webviewHost';

/** What differs between the four panels: how to load, label and act. */
export interface PanelDriver<K extends PanelKind> {
  kind: K;
  /** Panels with the same key are one panel: opening it again reveals and reloads it. */
  key(params: ParamsOf[K]): string;
  /** The scope in the tab title, e.g. the sync's model name. */
  scopeLabel(params: ParamsOf[K], context: PanelContext): string;
  /** Returns the data, or a sentence saying why there is nothing to show. */
  load(run: QueryRunner, params: ParamsOf[K], panel: AnalysisPanel<K>): Promise<DataOf[K] | { empty: string }>;
  /** Whether params can run a query at all (the timeline needs a row id first). */
  idleReason?(params: ParamsOf[K]): string | undefined;
  /** Panel-specific messages (drill-down, ...). */
  handle?(message: AnalysisWebviewMessage, panel: AnalysisPanel<K>): Promise<void> | void;
}

type Extra = ChartMessage | DrillMessage;

const open = new Map<string, AnalysisPanel<PanelKind>>();

/**
 * One analysis panel: its params, the latest state it showed, the loads in flight (each
 * cancellable in the warehouse). Restored after a reload from the params the webview saved,
 * then loaded again: the data is the warehouse's, never stale copies in the webview state.
 */
export class AnalysisPanel<K extends PanelKind> implements vscode.Disposable {
  private view: Phase<DataOf[K]> = { phase: 'idle', message: '' };
  private context: PanelContext = { connection: '', syncs: [], hasFields: true };
  private readonly extras = new Map<Extra['type'], Extra>();
  private readonly loads = new Set<AbortController>();
  private readonly host: WebviewHost<AnalysisHostMessage, AnalysisWebviewMessage>;
  private generation = 0;

  static register<K extends PanelKind>(container: Container, driver: PanelDriver<K>): vscode.Disposable {
    return registerPanelSerializer(PANEL_VIEW_TYPES[driver.kind], (panel, state) => {
      const params = isAnalysisWebviewState(state) && state.panel === driver.kind && PARAMS_GUARDS[driver.kind](state.params) ? state.params : undefined;
      if (!params || open.has(`${driver.kind}:${driver.key(params)}`)) {
        // Nothing to restore from (or a duplicate): close rather than show an empty frame.
        panel.dispose();
        return;
      }
      const restored = new AnalysisPanel(container, driver, panel, params);
      void restored.load();
    });
  }

  /** Opens (or reveals) the panel for these params and loads it. */
  static show<K extends PanelKind>(container: Container, driver: PanelDriver<K>, params: ParamsOf[K]): AnalysisPanel<K> {
    const key = `${driver.kind}:${driver.key(params)}`;
    const existing = open.get(key) as AnalysisPanel<K> | undefined;
    if (existing) {
      existing.host.reveal(undefined, false);
      existing.params = params;
      void existing.load();
      return existing;
    }
    const panel = createWebviewPanel(container.context.extensionUri, PANEL_VIEW_TYPES[driver.kind], PANEL_TITLES[driver.kind], {
      viewColumn: vscode.ViewColumn.Active,
    });
    const created = new AnalysisPanel(container, driver, panel, params);
    void created.load();
    return created;
  }

  /** Every open analysis panel (for tests and for reloading after a connection change). */
  static all(): AnalysisPanel<PanelKind>[] {
    return [...open.values()];
  }

  private key: string;

  private constructor(
    readonly container: Container,
    private readonly driver: PanelDriver<K>,
    panel: vscode.WebviewPanel,
    public params: ParamsOf[K],
  ) {
    this.key = `${driver.kind}:${driver.key(params)}`;
    open.set(this.key, this as unknown as AnalysisPanel<PanelKind>);
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
      this.cancel();
      if (open.get(this.key) === (this as unknown as AnalysisPanel<PanelKind>)) open.delete(this.key);
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

  /** The extra messages last sent (chart, drill), for tests. */
  extra<T extends Extra['type']>(type: T): Extract<Extra, { type: T }> | undefined {
    return this.extras.get(type) as Extract<Extra, { type: T }> | undefined;
  }

  /** Resolves when no load of this panel is in flight. */
  async settled(): Promise<void> {
    while (this.loads.size > 0) await new Promise((r) => setTimeout(r, 25));
  }

  /** Runs the panel's analysis for its current params; a new load cancels the one before. */
  async load(): Promise<void> {
    this.cancel();
    this.extras.clear();
    this.rekey();
    const generation = ++this.generation;
    const idle = this.driver.idleReason?.(this.params);
    if (idle) {
      await this.refreshContext().catch(() => undefined);
      this.setView({ phase: 'idle', message: idle });
      return;
    }
    const controller = new AbortController();
    this.setView({ phase: 'loading', message: 'Querying the warehouse…' });
    const began = Date.now();
    await this.track(controller, async () => {
      try {
        const run = await this.runner(controller.signal);
        await this.refreshContext();
        const result = await this.driver.load(run, this.params, this);
        if (generation !== this.generation) return;
        const elapsedMs = Date.now() - began;
        if ('empty' in result && typeof result.empty === 'string') this.setView({ phase: 'empty', reason: result.empty, elapsedMs });
        else this.setView({ phase: 'ready', data: result as DataOf[K], elapsedMs, loadedAt: new Date().toISOString() });
      } catch (err) {
        if (generation !== this.generation) return;
        this.setView(isCancelled(err) || controller.signal.aborted ? { phase: 'cancelled', message: 'Cancelled. Refresh to run the analysis again.' } : { phase: 'error', message: describeFailure(err) });
      }
    });
  }

  /**
   * Runs a follow-up query (the breakdown's chart, a drill-down) on the same connection,
   * cancelled with the panel; `send` posts its phases.
   */
  async background<T>(send: (view: Phase<T>) => Extra, work: (run: QueryRunner) => Promise<T | { empty: string }>): Promise<void> {
    const generation = this.generation;
    const controller = new AbortController();
    this.postExtra(send({ phase: 'loading', message: 'Querying the warehouse…' }));
    const began = Date.now();
    await this.track(controller, async () => {
      try {
        const result = await work(await this.runner(controller.signal));
        if (generation !== this.generation) return;
        const elapsedMs = Date.now() - began;
        const empty = typeof result === 'object' && result !== null && 'empty' in result ? (result as { empty: unknown }).empty : undefined;
        this.postExtra(
          typeof empty === 'string'
            ? send({ phase: 'empty', reason: empty, elapsedMs })
            : send({ phase: 'ready', data: result as T, elapsedMs, loadedAt: new Date().toISOString() }),
        );
      } catch (err) {
        if (generation !== this.generation) return;
        this.postExtra(send(isCancelled(err) || controller.signal.aborted ? { phase: 'cancelled', message: 'Cancelled.' } : { phase: 'error', message: describeFailure(err) }));
      }
    });
  }

  /**
   * Refines the data shown (e.g. the flapping rows' sparklines) with a follow-up query: the
   * panel answers first, then redraws with the refined data; a failure leaves the first answer.
   */
  async refine(work: (run: QueryRunner) => Promise<DataOf[K]>): Promise<void> {
    const generation = this.generation;
    const controller = new AbortController();
    await this.track(controller, async () => {
      try {
        const data = await work(await this.runner(controller.signal));
        const view = this.view;
        if (generation === this.generation && view.phase === 'ready') this.setView({ ...view, data });
      } catch (err) {
        if (!isCancelled(err)) this.container.log.warn(`${this.driver.kind}: follow-up query failed: ${describeFailure(err)}`);
      }
    });
  }

  /** Counts loads: a follow-up compares it to know its load is still the one shown. */
  get loadGeneration(): number {
    return this.generation;
  }

  /** Replaces the data shown, if the load it belongs to is still the current one and is shown. */
  replaceData(generation: number, data: DataOf[K]): void {
    const view = this.view;
    if (generation === this.generation && view.phase === 'ready') this.setView({ ...view, data });
  }

  /** Cancels every query of this panel in the warehouse. */
  cancel(): void {
    for (const c of this.loads) c.abort();
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

  private async track(controller: AbortController, work: () => Promise<void>): Promise<void> {
    this.loads.add(controller);
    try {
      await work();
    } finally {
      this.loads.delete(controller);
    }
  }

  private rekey(): void {
    const key = `${this.driver.kind}:${this.driver.key(this.params)}`;
    if (key === this.key) return;
    const other = open.get(key);
    if (other && other !== (this as unknown as AnalysisPanel<PanelKind>)) other.dispose();
    open.delete(this.key);
    this.key = key;
    open.set(key, this as unknown as AnalysisPanel<PanelKind>);
  }

  private async runner(signal: AbortSignal): Promise<QueryRunner> {
    const { warehouse, info } = await this.container.connections.getSyncLog();
    if (info.problem) throw new Error(info.problem);
    return warehouseRunner(warehouse, info.location, signal);
  }

  private async refreshContext(): Promise<void> {
    const { connections, tree } = this.container;
    const syncs = await tree.getSyncs().catch(() => []);
    let fields = true;
    try {
      const { info } = await connections.getSyncLog();
      fields = hasFields(info.location);
    } catch {
      // The load reports the connection's problem; the context keeps its default.
    }
    this.context = {
      connection: connections.activeName,
      syncs: syncs.map((s) => ({ syncId: s.syncId, label: `${isolate(s.modelName)} → ${isolate(s.destination)}`, primaryKey: s.primaryKey })),
      hasFields: fields,
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

  private postExtra(message: Extra): void {
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
      case 'openTimeline':
        await vscode.commands.executeCommand('syncLogs.openRowTimeline', { rowId: m.rowId, syncId: m.syncId });
        return;
      case 'openCategories':
        await vscode.commands.executeCommand('syncLogs.editErrorCategories');
        return;
      case 'openPanel':
        await vscode.commands.executeCommand(OPEN_COMMANDS[m.panel], { syncId: m.syncId });
        return;
      default:
        await this.driver.handle?.(m, this);
    }
  }
}

const OPEN_COMMANDS: Record<PanelKind, string> = {
  health: 'syncLogs.openHealth',
  run: 'syncLogs.openRunExplained',
  breakdown: 'syncLogs.openErrorBreakdown',
  flapping: 'syncLogs.openFlappingRows',
  timeline: 'syncLogs.openRowTimeline',
  model: 'syncLogs.openModelOverTime',
};

