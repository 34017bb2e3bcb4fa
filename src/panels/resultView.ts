import type { Container } from '../container';
import { RESULT_PAGE_SIZE, type ShowResultMessage, type ViewWhere } from '../shared/resultsProtocol';
import type { CopyRangeMessage, FindMessage, SetViewMessage } from '../shared/resultsProtocol';
import type { HeldRows } from '../results/heldRows';
import { readResult } from '../results/readResult';
import { defaultSpoolDir } from '../results/rowSpool';
import { viewOrder, type ViewSpec } from '../shared/grid/viewModel';
import { findInRows, type FindResult } from '../shared/grid/find';
import { copySummary, formatRange } from '../shared/grid/rangeCopy';
import { resultWrapQuery, WrapRefusedError } from '../sql/resultWrapQuery';
import { dialectFor } from '../sql/dialects';
import { costQuestion } from '../commands/costGuard';
import { confirmBytesAbove, resultMemoryBudgetBytes } from '../services/settingsReaders';
import { errorMessage } from '../warehouse/errorText';

/** A view applied (or refused): what the webview is told. */
export interface ViewOutcome {
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
 * in memory (rowCount <= keptRows, nothing spooled), the view is an index over them, computed here
 * with the grid's own rules (src/shared/grid/viewModel.ts). Beyond that, sorting the kept rows would misstate the
 * result, so the statement is run again wrapped in the view (src/sql/resultWrapQuery.ts) and its
 * rows replace the kept ones for that view.
 */
export class ResultView {
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

  /**
   * Back to the result as it came (view 0): a webview that mounts a grid afresh (after it was
   * hidden, or on a tab switch) starts there, and asks for view 0's rows.
   */
  reset(): void {
    this.abort?.abort();
    this.setRerun(undefined);
    this.order = undefined;
    this.id = 0;
    this.latest = 0;
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
