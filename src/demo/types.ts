/** Shapes of the generated sync log, as the generator yields them and the loader writes them. */

export type DestinationSlug =
  | 'salesforce'
  | 'hubspot'
  | 'braze'
  | 'facebook_custom_audiences'
  | 'google_ads'
  | 'iterable'
  | 'marketo'
  | 'mailchimp';

export type OpType = 'added' | 'changed' | 'removed';
export type SnapshotOpType = 'added' | 'changed' | 'unchanged';
export type RowStatus = 'succeeded' | 'failed' | 'aborted';

/** Column-oriented rows: what `insert ... select * from unnest($1, $2, ...)` binds directly. */
export interface ChangelogColumns {
  syncId: string[];
  syncRunId: string[];
  opType: OpType[];
  rowId: string[];
  status: RowStatus[];
  failureReason: Array<string | null>;
  /** JSON text of each row's `fields` object. */
  fields: string[];
}

export interface SnapshotColumns {
  syncId: string[];
  opType: SnapshotOpType[];
  rowId: string[];
  status: RowStatus[];
  failureReason: Array<string | null>;
  fields: string[];
}

/** The twelve `num_*` counters of a run. */
export interface RunCounters {
  plannedAdd: number;
  plannedChange: number;
  plannedRemove: number;
  attemptedAdd: number;
  attemptedChange: number;
  attemptedRemove: number;
  succeededAdd: number;
  succeededChange: number;
  succeededRemove: number;
  failedAdd: number;
  failedChange: number;
  failedRemove: number;
}

export interface RunRecord extends RunCounters {
  syncId: string;
  syncRunId: string;
  primaryKey: string;
  destination: DestinationSlug;
  modelName: string;
  status: 'succeeded' | 'failed';
  error: string | null;
  /** ISO instants. */
  startedAt: string;
  finishedAt: string;
}

/** What the generator yields: changelog and snapshot batches, and each run once its operations are out. */
export type SyncLogChunk =
  | { kind: 'changelog'; rows: ChangelogColumns; count: number; rowsEmitted: number; rowsExpected: number }
  | { kind: 'snapshot'; rows: SnapshotColumns; count: number }
  | { kind: 'run'; run: RunRecord }
  | { kind: 'sync'; syncId: string; index: number; total: number; destination: DestinationSlug; modelName: string };
