import { COMMANDS } from '../shared/ids';
import * as vscode from 'vscode';
import type { Container } from '../container';
import type { QueryResult } from '../shared/queryResult';
import {
  RESULT_PAGE_SIZE,
  RESULTS_VIEW_TYPE,
  isRestorableView,
  isResultsWebviewMessage,
  type ResultsHostMessage,
  type ResultsWebviewMessage,
  type ResultsWebviewState,
  type RunInfo,
  type ShowCancelledMessage,
  type ShowErrorMessage,
  type ShowResultMessage,
  type ShowRunningMessage,
} from '../shared/resultsProtocol';
import { toDelimited, type CopyFormat } from '../shared/cellText';
import { describeError } from '../shared/webviewDelivery';
import { WebviewHost, createWebviewPanel, registerPanelSerializer } from './webviewHost';

type View = ShowRunningMessage | ShowResultMessage | ShowErrorMessage | ShowCancelledMessage;

const TITLE = 'Sync Logs: Results';
/** Most rows one `requestRows` reply carries, whatever the webview asks for. */
const MAX_PAGE = 5 * RESULT_PAGE_SIZE;

/**
 * The one results panel, reused by every run. It shows the latest run only: updates for any
 * other run are ignored. It keeps every row of the result and sends the grid a page at a time.
 */
export class ResultsPanel implements vscode.Disposable {
  private static current: ResultsPanel | undefined;

  private view: View | undefined;
  /** Every row the host keeps for the shown result; the view itself holds the first page only. */
  private rows: unknown[][] = [];
  private cancelRun: (() => void) | undefined;

  /** Registers the serializer that brings the panel back after a window reload. */
  static register(container: Container): vscode.Disposable {
    const serializer = registerPanelSerializer(RESULTS_VIEW_TYPE, (panel, state) => {
      if (ResultsPanel.current) {
        panel.dispose();
        return;
      }
      const saved = (state as ResultsWebviewState | undefined)?.view;
      ResultsPanel.current = new ResultsPanel(
        container,
        panel,
        isRestorableView(saved) ? restoredView(saved) : undefined,
      );
    });
    return new vscode.Disposable(() => {
      serializer.dispose();
      ResultsPanel.current?.dispose();
    });
  }

  /** The panel, opened beside the editor if needed, revealed without taking focus. */
  static show(container: Container): ResultsPanel {
    const existing = ResultsPanel.current;
    if (existing) {
      existing.host.reveal(vscode.ViewColumn.Beside, true);
      return existing;
    }
    const panel = createWebviewPanel(container.context.extensionUri, RESULTS_VIEW_TYPE, TITLE, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
    ResultsPanel.current = new ResultsPanel(container, panel);
    return ResultsPanel.current;
  }

  private readonly host: WebviewHost<ResultsHostMessage, ResultsWebviewMessage>;

  private constructor(
    private readonly container: Container,
    panel: vscode.WebviewPanel,
    restored?: View,
  ) {
    this.view = restored;
    if (restored?.type === 'showResult') this.rows = restored.page.rows;
    this.host = new WebviewHost<ResultsHostMessage, ResultsWebviewMessage>(panel, container.context.extensionUri, {
      viewType: RESULTS_VIEW_TYPE,
      title: TITLE,
      bundle: 'results',
      isIncoming: isResultsWebviewMessage,
      log: container.log,
      replay: () => (this.view ? [this.view] : []),
      onPostFailed: (m, error) => this.deliveryFailed(m as ResultsHostMessage, error),
    });
    this.host.onDidReceiveMessage((m) => void this.receive(m));
    this.host.onDidDispose(() => {
      // Closing the panel while a query runs cancels the query.
      this.cancelRun?.();
      this.cancelRun = undefined;
      if (ResultsPanel.current === this) ResultsPanel.current = undefined;
    });
  }

  get visible(): boolean {
    return this.host.visible;
  }

  /** Shows a run as running; `cancel` is called when the user presses Cancel or closes the panel. */
  showRunning(run: RunInfo, cancel: () => void): void {
    this.cancelRun = cancel;
    this.rows = [];
    this.setView({ type: 'showRunning', ...run });
  }

  showResult(run: RunInfo, result: QueryResult, maxRows: number): void {
    if (!this.isCurrent(run)) return;
    this.rows = result.rows;
    this.setView({
      type: 'showResult',
      ...run,
      columns: result.columns,
      rowCount: result.rowCount,
      ...(result.rowCountExact === false ? { rowCountExact: false } : {}),
      keptRows: result.rows.length,
      truncated: result.truncated,
      maxRows,
      elapsedMs: result.elapsedMs,
      command: result.command,
      page: { offset: 0, rows: result.rows.slice(0, RESULT_PAGE_SIZE) },
    });
  }

  showError(run: RunInfo, message: string, code?: string, elapsedMs?: number): void {
    if (this.isCurrent(run)) this.setView({ type: 'showError', ...run, message, code, elapsedMs });
  }

  showCancelled(run: RunInfo, message: string, elapsedMs?: number): void {
    if (this.isCurrent(run)) this.setView({ type: 'showCancelled', ...run, message, elapsedMs });
  }

  dispose(): void {
    this.host.dispose();
  }

  /**
   * A result (or a page of it) could not be posted to the webview: the panel says so in place of
   * the grid, rather than waiting forever, and shows that from now on (also after a reload).
   */
  private deliveryFailed(m: ResultsHostMessage, error: unknown): ShowErrorMessage | undefined {
    const view = this.view;
    if ((m.type !== 'showResult' && m.type !== 'rows') || view?.type !== 'showResult' || m.runId !== view.runId)
      return undefined;
    const { runId, sql, connectionName, startedAt, elapsedMs } = view;
    const failed: ShowErrorMessage = {
      type: 'showError',
      runId,
      sql,
      connectionName,
      startedAt,
      elapsedMs,
      message:
        `The query finished (${view.rowCount.toLocaleString('en-US')} rows), but its result could not be sent to this panel: ${describeError(error)}\n` +
        'Run it again with fewer rows or columns, or export it with the synclogs CLI.',
    };
    this.view = failed;
    this.rows = [];
    this.container.log.error(`Run ${runId}: the result could not be posted to the results panel.`);
    return failed;
  }

  private isCurrent(run: RunInfo): boolean {
    return this.view?.runId === run.runId;
  }

  private setView(view: View): void {
    if (view.type !== 'showRunning') this.cancelRun = undefined;
    this.view = view;
    this.host.post(view);
  }

  private async receive(m: ResultsWebviewMessage): Promise<void> {
    const view = this.view;
    if (m.type === 'ready' || !view || m.runId !== view.runId) return;
    switch (m.type) {
      case 'cancel':
        if (view.type === 'showRunning') this.cancelRun?.();
        return;
      case 'requestRows':
        if (view.type === 'showResult') {
          const rows = this.rows.slice(m.offset, m.offset + Math.min(m.count, MAX_PAGE));
          this.host.post({ type: 'rows', runId: view.runId, offset: m.offset, rows });
        }
        return;
      case 'copy':
        if (view.type === 'showResult') await this.copy(view, m.format);
        return;
      case 'export':
        if (view.type === 'showResult') await vscode.commands.executeCommand(COMMANDS.exportResult, view.sql);
        return;
    }
  }

  private async copy(view: ShowResultMessage, format: CopyFormat): Promise<void> {
    await vscode.env.clipboard.writeText(toDelimited(view.columns, this.rows, format));
    const partial =
      this.rows.length < view.rowCount
        ? ` of ${view.rowCountExact === false ? 'at least ' : ''}${view.rowCount.toLocaleString('en-US')}`
        : '';
    vscode.window.setStatusBarMessage(
      `Sync Logs: copied ${this.rows.length.toLocaleString('en-US')}${partial} rows as ${format.toUpperCase()}`,
      5000,
    );
    this.container.log.info(`Copied ${this.rows.length} rows of run ${view.runId} as ${format}.`);
  }
}

/** A saved view as it can be shown after a reload: its query is gone, and so are the rows past the first page. */
function restoredView(saved: View): View {
  switch (saved.type) {
    case 'showRunning':
      return {
        ...saved,
        type: 'showCancelled',
        message: 'The window reloaded while this query ran. Run it again to see its result.',
      };
    case 'showResult':
      return { ...saved, keptRows: saved.page.rows.length, page: { offset: 0, rows: saved.page.rows }, restored: true };
    default:
      return saved;
  }
}
