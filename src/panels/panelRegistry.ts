import * as vscode from 'vscode';
import {
  PANEL_TITLES,
  PANEL_VIEW_TYPES,
  PARAMS_GUARDS,
  isAnalysisWebviewState,
  type PanelKind,
  type PanelTarget,
  type ParamsOf,
} from '../shared/analysisProtocol';
import { AnalysisPanel, type PanelOwner, type PanelServices } from './analysisPanel';
import type { PanelDriver } from './panelLoad';
import { panelOpenOf } from './panelTargets';
import { createWebviewPanel, registerPanelSerializer } from './webviewHost';

/**
 * The open analysis panels, owned by the container: one per key (kind and scope), disposed with
 * the extension, reloaded when the active connection changes. `open` is the one way to open a
 * panel, from a command, the tree or another panel.
 */
export class AnalysisPanels implements PanelOwner, vscode.Disposable {
  private readonly drivers = new Map<PanelKind, PanelDriver<PanelKind>>();
  private readonly panels = new Map<string, AnalysisPanel<PanelKind>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly container: PanelServices) {
    // The sync list (constructed before) has dropped the old connection's syncs by now.
    this.disposables.push(container.connections.onDidChange(() => this.reload()));
  }

  /** Makes a kind of panel openable and restorable after a window reload. */
  register<K extends PanelKind>(driver: PanelDriver<K>): vscode.Disposable {
    this.drivers.set(driver.kind, driver as unknown as PanelDriver<PanelKind>);
    const serializer = registerPanelSerializer(PANEL_VIEW_TYPES[driver.kind], (panel, state) => {
      const params =
        isAnalysisWebviewState(state) && state.panel === driver.kind && PARAMS_GUARDS[driver.kind](state.params)
          ? state.params
          : undefined;
      const key = params && this.keyOf(driver, params);
      if (!params || !key || this.panels.has(key)) {
        // Nothing to restore from (or a duplicate): close rather than show an empty frame.
        panel.dispose();
        return;
      }
      void this.adopt(driver, panel, params, key).load();
    });
    this.disposables.push(serializer);
    return serializer;
  }

  /** Opens (or reveals and reloads) the panel a target names. Resolves once its load is under way. */
  async open(target: PanelTarget): Promise<AnalysisPanel<PanelKind> | undefined> {
    const { kind, params } = panelOpenOf(target);
    return this.show(kind, params as ParamsOf[typeof kind]) as AnalysisPanel<PanelKind> | undefined;
  }

  show<K extends PanelKind>(kind: K, params: ParamsOf[K]): AnalysisPanel<K> | undefined {
    const driver = this.drivers.get(kind) as PanelDriver<K> | undefined;
    if (!driver) {
      this.container.log.error(`No ${kind} panel is registered.`);
      return undefined;
    }
    const key = this.keyOf(driver, params);
    const existing = this.panels.get(key) as AnalysisPanel<K> | undefined;
    if (existing) {
      existing.reveal();
      existing.params = params;
      void existing.load();
      return existing;
    }
    const panel = createWebviewPanel(this.container.context.extensionUri, PANEL_VIEW_TYPES[kind], PANEL_TITLES[kind], {
      viewColumn: vscode.ViewColumn.Active,
    });
    const created = this.adopt(driver, panel, params, key);
    void created.load();
    return created;
  }

  /** Every open analysis panel, optionally of one kind. */
  all<K extends PanelKind>(kind?: K): AnalysisPanel<K>[] {
    const all = [...this.panels.values()];
    return (kind === undefined ? all : all.filter((p) => p.kind === kind)) as unknown as AnalysisPanel<K>[];
  }

  /** Loads the open panels again (all, or those of one kind): their data is the warehouse's now. */
  reload(kind?: PanelKind): void {
    for (const panel of this.all(kind)) void panel.load();
  }

  rekey(panel: AnalysisPanel<PanelKind>, from: string, to: string): void {
    const other = this.panels.get(to);
    if (other && other !== panel) other.dispose();
    if (this.panels.get(from) === panel) this.panels.delete(from);
    this.panels.set(to, panel);
  }

  closed(panel: AnalysisPanel<PanelKind>, key: string): void {
    if (this.panels.get(key) === panel) this.panels.delete(key);
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private keyOf<K extends PanelKind>(driver: PanelDriver<K>, params: ParamsOf[K]): string {
    return `${driver.kind}:${driver.key(params)}`;
  }

  private adopt<K extends PanelKind>(
    driver: PanelDriver<K>,
    panel: vscode.WebviewPanel,
    params: ParamsOf[K],
    key: string,
  ): AnalysisPanel<K> {
    const created = new AnalysisPanel<K>(this.container, this, driver, panel, params, key);
    this.panels.set(key, created as unknown as AnalysisPanel<PanelKind>);
    return created;
  }
}
