/**
 * What Run Explained shows for one run: a waterfall planned -> attempted -> succeeded / failed /
 * aborted per op type, and what changed against the sync's previous run. Counts are rows
 * (a run has at most one operation per row).
 */

export type RunOpType = 'added' | 'changed' | 'removed';

export interface RunOpFigures {
  opType: RunOpType;
  planned: number;
  attempted: number;
  succeeded: number;
  failed: number;
  /** Planned but not attempted: status `aborted` (or any status neither succeeded nor failed). */
  aborted: number;
  /** Operations behind `planned`: equal to it when the run has one operation per row, as it should. */
  operations: number;
}

export interface RunHeader {
  syncId: string;
  syncRunId: string;
  startedAt: string | null;
  finishedAt: string | null;
  status: string | null;
  error: string | null;
}

export interface RunComparison {
  previous: RunHeader;
  /** Rows that failed in this run and did not fail in the previous one. */
  newlyFailing: number;
  /** Rows that failed in the previous run and succeeded in this one. */
  recovered: number;
  /** Rows that failed in both. */
  stillFailing: number;
  /**
   * Failure templates of this run that never appeared before it in the sync's log (none of the
   * texts that fold into it failed an earlier run of the sync), most rows first; `example` is one
   * raw text of it.
   */
  newTemplates: { template: string; rows: number; example: string }[];
  /** The run had more distinct failure texts than were read: newTemplates may miss some. */
  textsTruncated: boolean;
}

export interface RunExplainedData {
  run: RunHeader;
  ops: RunOpFigures[];
  /** Null for the sync's first run. */
  comparison: RunComparison | null;
}

/** A bar of the waterfall or a comparison figure, for its rows. */
export type RunRowsSelector =
  | { kind: 'op'; opType: RunOpType; status: 'succeeded' | 'failed' | 'aborted' | 'planned' }
  | { kind: 'compare'; which: 'newlyFailing' | 'recovered' | 'stillFailing' };

export interface RunRow {
  rowId: string;
  opType: string | null;
  status: string | null;
  failureReason: string | null;
  /** Comparison rows: the row's failure text in the previous run (what a recovered row recovered from). */
  previousFailureReason: string | null;
}
