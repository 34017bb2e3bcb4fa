import { COMMANDS } from '../shared/ids';
import * as vscode from 'vscode';
import type { Container } from '../container';
import { ArrayRows, type HeldRows } from '../results/heldRows';
import type { HeldResult } from '../results/readResult';
import {
  RESULT_PAGE_SIZE,
  RESULTS_VIEW_TYPE,
  savedTabs,
  isResultsWebviewMessage,
  type ResultsHostMessage,
  type ResultsWebviewMessage,
  type ResultTabView,
  type RunInfo,
  type ShowErrorMessage,
  type ShowResultMessage,
} from '../shared/resultsProtocol';
import { toDelimited, type CopyFormat } from '../shared/cellText';
import { describeError } from '../shared/webviewDelivery';
import { WebviewHost, createWebviewPanel, registerPanelSerializer } from './webviewHost';
import { ResultView, type ViewOutcome } from './resultView';

const TITLE = 'Sync Logs: Results';
const PINNED_TITLE = 'Sync Logs: Results (pinned)';
/** Most rows one `requestRows` reply carries, whatever the webview asks for. */
const MAX_PAGE = 5 * RESULT_PAGE_SIZE;
const PROGRESS_EVERY_MS = 250;
/**
 * Most rows Copy all puts on the clipboard: past it the text is hundreds of megabytes, which the
 * clipboard and the editor it is pasted into cannot take. Export writes every row to a file.
 */
const COPY_ALL_MAX_ROWS = 100_000;

/** One statement's tab: what it shows, and the rows of its result while one is shown. */
interface Tab {
  view: ResultTabView;
  /** The result's rows as the grid arranges them; set exactly while `view` is a result. */
  result?: ResultView;
}

/**
 * A results panel: one tab per statement of the run it shows (one tab for a single statement).
 * Runs go to the one unpinned panel (`target`), opened if needed; a new run there replaces (and
 * cancels) the one it shows. A pinned panel keeps its results, so the next run opens another.
 * It holds each result's rows (in memory up to syncLogs.resultMemoryBudgetMB, the rest in a spool
 * file) and sends the grid a page at a time.
 */
export class ResultsPanel implements vscode.Disposable {
  /** The panel the next run shows in: the unpinned one, if any is open. */
  private static target: ResultsPanel | undefined;
  private static readonly open = new Set<ResultsPanel>();

  private tabs: Tab[] = [];
  private pinned: boolean;
  private cancelRun: (() => void) | undefined;
  private progressPostedAt = 0;

  /** Registers the serializer that brings panels back after a window reload. */
  static register(container: Container): vscode.Disposable {
    const serializer = registerPanelSerializer(RESULTS_VIEW_TYPE, (panel, state) => {
      const saved = savedTabs(state);
      const restored = new ResultsPanel(container, panel, saved.views.map(restoredView), saved.pinned);
      if (!saved.pinned && !ResultsPanel.target) ResultsPanel.target = restored;
    });
    return new vscode.Disposable(() => {
      serializer.dispose();
      for (const p of [...ResultsPanel.open]) p.dispose();
    });
  }

  /** The panel the next run shows in, opened beside the editor if needed, revealed without taking focus. */
  static show(container: Container): ResultsPanel {
    const existing = ResultsPanel.target;
    if (existing) {
      existing.host.reveal(vscode.ViewColumn.Beside, true);
      return existing;
    }
    const panel = createWebviewPanel(container.context.extensionUri, RESULTS_VIEW_TYPE, TITLE, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
    ResultsPanel.target = new ResultsPanel(container, panel, [], false);
    return ResultsPanel.target;
  }

  /** Open results panels, the target first (tests look at them). */
  static all(): { pinned: boolean; tabs: ResultTabView[] }[] {
    return [...ResultsPanel.open]
      .sort((a, b) => Number(b === ResultsPanel.target) - Number(a === ResultsPanel.target))
      .map((p) => ({ pinned: p.pinned, tabs: p.tabs.map((t) => t.view) }));
  }

  /** Pins the panel the next run would show in; false when none is open. */
  static pinTarget(): boolean {
    const target = ResultsPanel.target;
    target?.setPinned(true);
    return target !== undefined;
  }

  private readonly host: WebviewHost<ResultsHostMessage, ResultsWebviewMessage>;

  private constructor(
    private readonly container: Container,
    panel: vscode.WebviewPanel,
    restored: ResultTabView[],
    pinned: boolean,
  ) {
    this.pinned = pinned;
    this.tabs = restored.map((view) => ({
      view,
      result: view.type === 'showResult' ? new ResultView(container, view, new ArrayRows(view.page.rows)) : undefined,
    }));
    this.host = new WebviewHost<ResultsHostMessage, ResultsWebviewMessage>(panel, container.context.extensionUri, {
      viewType: RESULTS_VIEW_TYPE,
      title: pinned ? PINNED_TITLE : TITLE,
      bundle: 'results',
      isIncoming: isResultsWebviewMessage,
      log: container.log,
      replay: () => [{ type: 'pinned', pinned: this.pinned }, ...this.tabs.map((t) => t.view)],
      onPostFailed: (m, error) => this.deliveryFailed(m as ResultsHostMessage, error),
    });
    ResultsPanel.open.add(this);
    this.host.onDidReceiveMessage((m) => void this.receive(m));
    this.host.onDidDispose(() => {
      // Closing the panel while a query runs cancels the query.
      this.cancelRun?.();
      this.cancelRun = undefined;
      this.clearTabs();
      ResultsPanel.open.delete(this);
      if (ResultsPanel.target === this) ResultsPanel.target = undefined;
    });
  }

  get visible(): boolean {
    return this.host.visible;
  }

  /**
   * A new run of one or more statements takes the panel: one tab each, waiting until it runs.
   * `cancel` is called when the user presses Cancel, closes the panel, or a newer run replaces it.
   */
  begin(runs: readonly RunInfo[], cancel: () => void): void {
    this.cancelRun?.();
    this.cancelRun = cancel;
    this.clearTabs();
    this.tabs = runs.map((run) => ({ view: { type: 'showWaiting', ...run } }));
    for (const t of this.tabs) this.host.post(t.view);
  }

  showRunning(run: RunInfo): void {
    this.setView(run, { type: 'showRunning', ...run });
  }

  /** How many rows the run has read so far, said at most a few times a second. */
  readProgress(run: RunInfo, rows: number): void {
    if (this.tabOf(run.runId)?.view.type !== 'showRunning') return;
    const now = Date.now();
    if (now - this.progressPostedAt < PROGRESS_EVERY_MS) return;
    this.progressPostedAt = now;
    this.host.post({ type: 'readProgress', runId: run.runId, rows });
  }

  /** Shows a result; the panel owns its rows from here (a spool file is deleted when the result goes). */
  showResult(run: RunInfo, result: HeldResult, maxRows: number): void {
    const view: ShowResultMessage = {
      type: 'showResult',
      ...run,
      columns: result.columns,
      rowCount: result.rowCount,
      ...(result.rowCountExact === false ? { rowCountExact: false } : {}),
      keptRows: result.rows.count,
      truncated: result.truncated,
      maxRows,
      elapsedMs: result.elapsedMs,
      command: result.command,
      page: { offset: 0, rows: result.rows.slice(0, RESULT_PAGE_SIZE) },
      ...(result.rows.inMemory ? {} : { spooled: true }),
      ...(result.stopped ? { stopped: true } : {}),
    };
    this.setView(run, view, result.rows);
  }

  showError(run: RunInfo, message: string, code?: string, elapsedMs?: number): void {
    this.setView(run, { type: 'showError', ...run, message, code, elapsedMs });
  }

  showCancelled(run: RunInfo, message: string, elapsedMs?: number): void {
    this.setView(run, { type: 'showCancelled', ...run, message, elapsedMs });
  }

  /** A statement of the batch that will not run, because one before it failed or was cancelled. */
  showNotRun(run: RunInfo, message: string): void {
    this.setView(run, { type: 'showCancelled', ...run, message, notRun: true });
  }

  /** The run is over (every statement shown): closing the panel no longer cancels anything. */
  end(cancel: () => void): void {
    if (this.cancelRun === cancel) this.cancelRun = undefined;
  }

  dispose(): void {
    this.host.dispose();
  }

  private tabOf(runId: string): Tab | undefined {
    return this.tabs.find((t) => t.view.runId === runId);
  }

  private clearTabs(): void {
    for (const t of this.tabs) t.result?.dispose();
    this.tabs = [];
  }

  /** A tab's new view (ignored for a run this panel no longer shows); a result brings its rows. */
  private setView(run: RunInfo, view: ResultTabView, rows?: HeldRows): void {
    const tab = this.tabOf(run.runId);
    if (!tab) {
      rows?.dispose();
      return;
    }
    tab.result?.dispose();
    tab.result = view.type === 'showResult' && rows ? new ResultView(this.container, view, rows) : undefined;
    tab.view = view;
    this.host.post(view);
  }

  private setPinned(pinned: boolean): void {
    if (this.pinned === pinned) return;
    this.pinned = pinned;
    this.host.panel.title = pinned ? PINNED_TITLE : TITLE;
    // Pinned: the next run opens a new panel. Unpinned: it shows here again.
    if (pinned && ResultsPanel.target === this) ResultsPanel.target = undefined;
    if (!pinned) ResultsPanel.target = this;
    this.host.post({ type: 'pinned', pinned });
  }

  /**
   * A result (or a page of it) could not be posted to the webview: the tab says so in place of
   * the grid, rather than waiting forever, and shows that from now on (also after a reload).
   */
  private deliveryFailed(m: ResultsHostMessage, error: unknown): ShowErrorMessage | undefined {
    if (m.type !== 'showResult' && m.type !== 'rows') return undefined;
    const tab = this.tabOf(m.runId);
    const view = tab?.view;
    if (!tab || view?.type !== 'showResult') return undefined;
    const { runId, sql, connectionName, startedAt, elapsedMs, batch } = view;
    const failed: ShowErrorMessage = {
      type: 'showError',
      runId,
      sql,
      connectionName,
      startedAt,
      elapsedMs,
      ...(batch ? { batch } : {}),
      message:
        `The query finished (${view.rowCount.toLocaleString('en-US')} rows), but its result could not be sent to this panel: ${describeError(error)}\n` +
        'Run it again with fewer rows or columns, or export it with the synclogs CLI.',
    };
    tab.result?.dispose();
    tab.result = undefined;
    tab.view = failed;
    this.container.log.error(`Run ${runId}: the result could not be posted to the results panel.`);
    return failed;
  }

  private async receive(m: ResultsWebviewMessage): Promise<void> {
    if (m.type === 'ready') return;
    if (m.type === 'pin') {
      this.setPinned(m.pinned);
      return;
    }
    const tab = this.tabOf(m.runId);
    if (!tab) return;
    const view = tab.view;
    const shown = tab.result;
    switch (m.type) {
      case 'cancel':
        if (view.type === 'showRunning' || view.type === 'showWaiting') this.cancelRun?.();
        return;
      case 'requestRows': {
        if (view.type !== 'showResult' || !shown) return;
        // View 0 asked while another is applied: the webview mounted this grid afresh (see reset).
        if ((m.view ?? 0) === 0 && shown.id !== 0) shown.reset();
        if ((m.view ?? 0) !== shown.id) return;
        const rows = shown.slice(m.offset, m.offset + Math.min(m.count, MAX_PAGE));
        this.host.post({ type: 'rows', runId: view.runId, offset: m.offset, rows, view: shown.id });
        return;
      }
      case 'setView':
        if (view.type === 'showResult' && shown) this.postView(tab, view, await shown.apply(m));
        return;
      case 'find':
        if (view.type === 'showResult' && shown && m.view === shown.id)
          this.host.post({ type: 'found', runId: view.runId, seq: m.seq, ...shown.find(m) });
        return;
      case 'copyRange':
        if (view.type === 'showResult' && shown && m.view === shown.id) {
          const copied = shown.copyRange(m);
          if (!copied) return;
          await vscode.env.clipboard.writeText(copied.text);
          vscode.window.setStatusBarMessage(`Sync Logs: ${copied.summary}`, 5000);
        }
        return;
      case 'copy':
        if (view.type === 'showResult' && shown) await this.copy(view, shown, m.format);
        return;
      case 'export':
        if (view.type === 'showResult') await vscode.commands.executeCommand(COMMANDS.exportResult, view.sql);
        return;
    }
  }

  private postView(tab: Tab, view: ShowResultMessage, outcome: ViewOutcome | undefined): void {
    if (!outcome || tab.view !== view) return;
    if (outcome.failed !== undefined) {
      this.host.post({ type: 'viewFailed', runId: view.runId, view: outcome.id, message: outcome.failed });
      return;
    }
    this.host.post({
      type: 'viewApplied',
      runId: view.runId,
      view: outcome.id,
      rowCount: outcome.rowCount,
      where: outcome.where,
      ...(outcome.note ? { note: outcome.note } : {}),
      rows: outcome.firstRows,
    });
  }

  private async copy(view: ShowResultMessage, shown: ResultView, format: CopyFormat): Promise<void> {
    // Copy all copies the grid's view: sorted and filtered as shown.
    if (shown.count > COPY_ALL_MAX_ROWS) {
      const answer = await vscode.window.showWarningMessage(
        `Copy all copies at most ${COPY_ALL_MAX_ROWS.toLocaleString('en-US')} rows, and this result has ${shown.count.toLocaleString('en-US')}: export it to a file instead.`,
        'Export all rows…',
      );
      if (answer) await vscode.commands.executeCommand(COMMANDS.exportResult, view.sql);
      return;
    }
    const rows = shown.slice(0, shown.count);
    await vscode.env.clipboard.writeText(toDelimited(view.columns, rows, format));
    const partial =
      rows.length < view.rowCount
        ? ` of ${view.rowCountExact === false ? 'at least ' : ''}${view.rowCount.toLocaleString('en-US')}`
        : '';
    vscode.window.setStatusBarMessage(
      `Sync Logs: copied ${rows.length.toLocaleString('en-US')}${partial} rows as ${format.toUpperCase()}`,
      5000,
    );
    this.container.log.info(`Copied ${rows.length} rows of run ${view.runId} as ${format}.`);
  }
}

/** A saved view as it can be shown after a reload: its query is gone, and so are the rows past the first page. */
function restoredView(saved: ResultTabView): ResultTabView {
  switch (saved.type) {
    case 'showRunning':
    case 'showWaiting':
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
