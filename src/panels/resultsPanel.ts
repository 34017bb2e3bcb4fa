import { COMMANDS } from '../shared/ids';
import * as vscode from 'vscode';
import type { Container } from '../container';
import { ArrayRows, type HeldRows } from '../results/heldRows';
import { readResult, type HeldResult } from '../results/readResult';
import { defaultSpoolDir } from '../results/rowSpool';
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
import { viewOrder, type ViewSpec } from '../shared/grid/viewModel';
import { findInRows, type FindResult } from '../shared/grid/find';
import { copySummary, formatRange } from '../shared/grid/rangeCopy';
import { resultWrapQuery, WrapRefusedError } from '../sql/resultWrapQuery';
import { dialectFor } from '../sql/dialects';
import { costQuestion } from '../commands/costGuard';
import { confirmBytesAbove, resultMemoryBudgetBytes } from '../services/settingsReaders';
import { errorMessage } from '../warehouse/errorText';

import type { CopyRangeMessage, FindMessage, SetViewMessage, ViewWhere } from '../shared/resultsProtocol';

type View = ShowRunningMessage | ShowResultMessage | ShowErrorMessage | ShowCancelledMessage;

const TITLE = 'Sync Logs: Results';
/** Most rows one `requestRows` reply carries, whatever the webview asks for. */
const MAX_PAGE = 5 * RESULT_PAGE_SIZE;
const PROGRESS_EVERY_MS = 250;
/**
 * Most rows Copy all puts on the clipboard: past it the text is hundreds of megabytes, which the
 * clipboard and the editor it is pasted into cannot take. Export writes every row to a file.
 */
const COPY_ALL_MAX_ROWS = 100_000;

/**
 * The one results panel, reused by every run. It shows the latest run only: updates for any
 * other run are ignored. It holds the rows the run kept (in memory up to
 * syncLogs.resultMemoryBudgetMB, the rest in a spool file) and sends the grid a page at a time.
 */
export class ResultsPanel implements vscode.Disposable {
  private static current: ResultsPanel | undefined;

  private view: View | undefined;
  /**
   * The shown result's rows as the grid arranges them (sorted and filtered in memory, or re-run in
   * the warehouse); set exactly while a result is shown. The view message holds the first page only.
   */
  private resultView: ResultView | undefined;
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
    if (restored?.type === 'showResult') this.setResult(restored, new ArrayRows(restored.page.rows));
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
      this.resultView?.dispose();
      if (ResultsPanel.current === this) ResultsPanel.current = undefined;
    });
  }

  get visible(): boolean {
    return this.host.visible;
  }

  /** Shows a run as running; `cancel` is called when the user presses Cancel or closes the panel. */
  showRunning(run: RunInfo, cancel: () => void): void {
    this.cancelRun = cancel;
    this.setResult(undefined);
    this.setView({ type: 'showRunning', ...run });
  }

  /** How many rows the run has read so far, said at most a few times a second. */
  readProgress(run: RunInfo, rows: number): void {
    if (!this.isCurrent(run) || this.view?.type !== 'showRunning') return;
    const now = Date.now();
    if (now - this.progressPostedAt < PROGRESS_EVERY_MS) return;
    this.progressPostedAt = now;
    this.host.post({ type: 'readProgress', runId: run.runId, rows });
  }

  private progressPostedAt = 0;

  /** Shows a result; the panel owns its rows from here (a spool file is deleted when the result goes). */
  showResult(run: RunInfo, result: HeldResult, maxRows: number): void {
    if (!this.isCurrent(run)) {
      result.rows.dispose();
      return;
    }
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
    this.setResult(view, result.rows);
    this.setView(view);
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
    this.setResult(undefined);
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
      case 'requestRows': {
        const shown = this.resultView;
        if (view.type !== 'showResult' || !shown || (m.view ?? 0) !== shown.id) return;
        const rows = shown.slice(m.offset, m.offset + Math.min(m.count, MAX_PAGE));
        this.host.post({ type: 'rows', runId: view.runId, offset: m.offset, rows, view: shown.id });
        return;
      }
      case 'setView':
        if (view.type === 'showResult' && this.resultView) this.postView(view, await this.resultView.apply(m));
        return;
      case 'find':
        if (view.type === 'showResult' && this.resultView && m.view === this.resultView.id)
          this.host.post({ type: 'found', runId: view.runId, seq: m.seq, ...this.resultView.find(m) });
        return;
      case 'copyRange':
        if (view.type === 'showResult' && this.resultView && m.view === this.resultView.id) {
          const copied = this.resultView.copyRange(m);
          if (!copied) return;
          await vscode.env.clipboard.writeText(copied.text);
          vscode.window.setStatusBarMessage(`Sync Logs: ${copied.summary}`, 5000);
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

  /** A fresh view over a new result's rows, or none while no result is shown. */
  private setResult(view: ShowResultMessage, rows: HeldRows): void;
  private setResult(view: undefined): void;
  private setResult(view: ShowResultMessage | undefined, rows?: HeldRows): void {
    this.resultView?.dispose();
    this.resultView = view && rows ? new ResultView(this.container, view, rows) : undefined;
  }

  private postView(view: ShowResultMessage, outcome: ViewOutcome | undefined): void {
    if (!outcome || this.view !== view) return;
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

  private async copy(view: ShowResultMessage, format: CopyFormat): Promise<void> {
    // Copy all copies the grid's view: sorted and filtered as shown.
    const shown = this.resultView;
    if (!shown) return;
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

/** A view applied (or refused): what the webview is told. */
interface ViewOutcome {
  id: number;
  rowCount: number;
  where: ViewWhere;
  note?: string;
  firstRows: unknown[][];
  /** Set when the view could not be applied; the previous arrangement stays. */
  failed?: string;
}

/** Rows of a new view sent with its answer, so the grid redraws at once. */
const FIRST_VIEW_ROWS = RESULT_PAGE_SIZE;

/**
 * The grid's sort and filter over a result's rows. While the host holds every row the result has
 * (rowCount <= keptRows), the view is an index over them, computed here with the grid's own
 * rules (webview/grid/viewModel.ts). Beyond that, sorting the kept rows would misstate the
 * result, so the statement is run again wrapped in the view (src/sql/resultWrapQuery.ts) and its
 * rows replace the kept ones for that view.
 */
class ResultView {
  /** The view the webview's requests name; 0 is the result as it came. */
  id = 0;
  private latest = 0;
  private order: Uint32Array | undefined;
  private rerun: HeldRows | undefined;
  private abort: AbortController | undefined;

  constructor(
    private readonly container: Container,
    private readonly result: ShowResultMessage,
    private readonly base: HeldRows,
  ) {}

  /** Whether the host holds every row of the result in memory, so a view is computed there. */
  get whole(): boolean {
    return (
      !this.result.restored &&
      this.result.rowCountExact !== false &&
      this.base.inMemory &&
      this.base.count >= this.result.rowCount
    );
  }

  get count(): number {
    return this.order ? this.order.length : (this.rerun ?? this.base).count;
  }

  row(index: number): readonly unknown[] {
    return this.order ? this.base.row(this.order[index]) : (this.rerun ?? this.base).row(index);
  }

  slice(start: number, end: number): unknown[][] {
    if (!this.order) return (this.rerun ?? this.base).slice(start, end);
    const out: unknown[][] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.order.length); i++)
      out.push([...this.base.row(this.order[i])]);
    return out;
  }

  /** Ends a re-run still going and frees the rows (their spool files). */
  dispose(): void {
    this.abort?.abort();
    this.setRerun(undefined);
    this.base.dispose();
  }

  private setRerun(rows: HeldRows | undefined): void {
    if (this.rerun !== rows) this.rerun?.dispose();
    this.rerun = rows;
  }

  async apply(m: SetViewMessage): Promise<ViewOutcome | undefined> {
    this.latest = m.view;
    const spec: ViewSpec = { sort: m.sort, filters: m.filters, quick: m.quick };
    const columns = this.result.columns;
    const bad = [...m.sort, ...m.filters].find((k) => k.column >= columns.length);
    if (bad) return this.refuse(m.view, `The result has no column ${bad.column + 1}.`);
    const empty = !m.sort.length && !m.filters.length && !m.quick;
    if (this.whole || empty) {
      this.abort?.abort();
      this.setRerun(undefined);
      this.order = viewOrder(
        this.base,
        columns.map((c) => c.type),
        spec,
      );
      return this.applied(m.view, 'memory');
    }
    try {
      const rows = await this.runWrapped(spec, m.view);
      if (!rows || this.latest !== m.view) {
        rows?.rows.dispose();
        return undefined;
      }
      this.order = undefined;
      this.setRerun(rows.rows);
      return this.applied(
        m.view,
        'warehouse',
        rows.truncated
          ? `the warehouse's answer is cut at ${this.result.maxRows.toLocaleString('en-US')} rows (syncLogs.maxResultRows)`
          : undefined,
      );
    } catch (err) {
      if (this.latest !== m.view) return undefined;
      return this.refuse(
        m.view,
        err instanceof WrapRefusedError
          ? err.message
          : `The warehouse refused the sorted or filtered query: ${errorMessage(err)}`,
      );
    }
  }

  private async runWrapped(spec: ViewSpec, id: number): Promise<{ rows: HeldRows; truncated: boolean } | undefined> {
    const connections = this.container.connections;
    if (connections.activeName !== this.result.connectionName)
      throw new WrapRefusedError(
        `The active connection is no longer "${this.result.connectionName}": run the query again to sort or filter it in the warehouse.`,
      );
    const dialect = dialectFor(connections.dialect);
    const query = resultWrapQuery(dialect, {
      sql: this.result.sql,
      columns: this.result.columns.map((c) => c.name),
      ...spec,
    });
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const warehouse = await connections.getWarehouse();
    // BigQuery bills the re-run: the same question Run Query asks above the threshold.
    const threshold = confirmBytesAbove();
    if (warehouse.estimateBytes && threshold >= 0) {
      const question = costQuestion(
        await warehouse.estimateBytes(query.text, query.values),
        threshold,
        this.result.connectionName,
      );
      if (question) {
        const answer = await this.container.prompter.choose({ ...question, buttons: ['Run'], severity: 'warning' });
        if (answer !== 'Run') throw new WrapRefusedError('Not re-run in the warehouse: the view stays as it was.');
      }
    }
    if (abort.signal.aborted || this.latest !== id) return undefined;
    this.container.log.info(`Run ${this.result.runId}: sorting/filtering in the warehouse (view ${id}).`);
    const result = await readResult(warehouse, query.text, query.values, {
      signal: abort.signal,
      maxRows: this.result.maxRows,
      budgetBytes: resultMemoryBudgetBytes(),
      spoolDir: defaultSpoolDir(),
    });
    return { rows: result.rows, truncated: result.truncated };
  }

  private applied(id: number, where: ViewWhere, note?: string): ViewOutcome {
    this.id = id;
    return { id, rowCount: this.count, where, note, firstRows: this.slice(0, FIRST_VIEW_ROWS) };
  }

  /** The view is refused: the webview keeps the rows it had, now under the new id. */
  private refuse(id: number, message: string): ViewOutcome {
    this.id = id;
    return { id, rowCount: this.count, where: this.whole ? 'memory' : 'warehouse', firstRows: [], failed: message };
  }

  find(m: FindMessage): FindResult {
    const columns = m.columns.filter((c) => c < this.result.columns.length);
    return findInRows(
      { count: this.count, row: (i) => this.row(i) },
      columns,
      m.query,
      m.from,
      m.backwards,
      m.inclusive,
    );
  }

  copyRange(m: CopyRangeMessage): { text: string; summary: string } | undefined {
    const columns = m.columns.filter((c) => c < this.result.columns.length);
    if (!columns.length || m.top >= this.count) return undefined;
    const rows = this.slice(m.top, Math.min(m.bottom, this.count - 1) + 1).map((r) => columns.map((c) => r[c]));
    const text = formatRange(
      columns.map((c) => this.result.columns[c]),
      rows,
      m.format,
      m.withHeaders,
    );
    return { text, summary: copySummary(rows.length, columns.length, m.format, m.withHeaders) };
  }
}
