import type { ChangelogColumns, OpType, RowStatus, SnapshotColumns, SnapshotOpType } from './types';

/**
 * Batches live through several garbage collections; reading a character flattens a string
 * built by concatenation into one object, which is much cheaper to keep.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

function flatOrNull(s: string | null): string | null {
  return s === null ? null : flat(s);
}

/** Fills column arrays up to a batch size; the generator yields each full batch and starts a new one. */
export class ChangelogBatcher {
  private cols = emptyChangelog();
  private n = 0;
  constructor(private readonly batchSize: number) {}

  get size(): number {
    return this.n;
  }

  /** Returns true when the batch is full and should be taken. */
  push(
    syncId: string,
    runId: string,
    op: OpType,
    rowId: string,
    status: RowStatus,
    reason: string | null,
    fields: string,
  ): boolean {
    const c = this.cols;
    c.syncId.push(syncId);
    c.syncRunId.push(runId);
    c.opType.push(op);
    c.rowId.push(flat(rowId));
    c.status.push(status);
    c.failureReason.push(flatOrNull(reason));
    c.fields.push(fields);
    return ++this.n >= this.batchSize;
  }

  take(): { rows: ChangelogColumns; count: number } {
    const out = { rows: this.cols, count: this.n };
    this.cols = emptyChangelog();
    this.n = 0;
    return out;
  }
}

export class SnapshotBatcher {
  private cols = emptySnapshot();
  private n = 0;
  constructor(private readonly batchSize: number) {}

  get size(): number {
    return this.n;
  }

  push(
    syncId: string,
    op: SnapshotOpType,
    rowId: string,
    status: RowStatus,
    reason: string | null,
    fields: string,
  ): boolean {
    const c = this.cols;
    c.syncId.push(syncId);
    c.opType.push(op);
    c.rowId.push(flat(rowId));
    c.status.push(status);
    c.failureReason.push(flatOrNull(reason));
    c.fields.push(fields);
    return ++this.n >= this.batchSize;
  }

  take(): { rows: SnapshotColumns; count: number } {
    const out = { rows: this.cols, count: this.n };
    this.cols = emptySnapshot();
    this.n = 0;
    return out;
  }
}

function emptyChangelog(): ChangelogColumns {
  return { syncId: [], syncRunId: [], opType: [], rowId: [], status: [], failureReason: [], fields: [] };
}

function emptySnapshot(): SnapshotColumns {
  return { syncId: [], opType: [], rowId: [], status: [], failureReason: [], fields: [] };
}
