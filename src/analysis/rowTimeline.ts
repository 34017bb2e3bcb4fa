/**
 * One row's history: every changelog operation on it (time from sync_runs), what it meant for
 * the row's membership in the model, and which fields changed since the previous operation.
 */
import type { FieldChange, TimelineData, TimelineEvent } from '../shared/analysisData';
import { isJsonText, stringifyJson } from '../shared/jsonText';
import { asFields, diffFields } from './fieldsDiff';

/** Query columns sync_id, sync_run_id, started_at, op_type, status, failure_reason, fields. */
export interface TimelineRowInput {
  syncId: string;
  syncRunId: string;
  startedAt: string | null;
  opType: string | null;
  status: string | null;
  failureReason: string | null;
  /** A JSON object, JSON text, or absent (Redshift has no `fields` column). */
  fields?: unknown;
}

/** Query columns sync_id, op_type, status: the row in sync_snapshot. */
export interface SnapshotRowInput {
  syncId: string;
  opType: string | null;
  status: string | null;
}

export interface TimelineOptions {
  rowId: string;
  /** Null when the search covered every sync. */
  syncId: string | null;
  /** The changelog has a `fields` column on this connection. */
  hasFields: boolean;
  /** The query hit its row limit (the oldest or newest operations are missing). */
  truncated: boolean;
  /** Why there is no field diff on this deployment (e.g. the Redshift note); used when hasFields is false. */
  fieldsNote?: string | null;
}

/** Snapshot status of a sync the row has left (or never reached the snapshot of). */
export const ABSENT = 'absent';

const MOVEMENT: Record<string, TimelineEvent['movement']> = { added: 'entered', changed: 'changed', removed: 'exited' };

/**
 * `fields` as JSON text: objects are serialized compactly; text that is not a JSON object is kept as
 * given (it is data); JSON kept as text (nested too deep to travel parsed) is that text.
 */
function fieldsText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (isJsonText(value)) return value.$jsonText;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      return parsed === null ? null : (stringifyJson(parsed) ?? value);
    } catch {
      return value;
    }
  }
  try {
    return stringifyJson(value) ?? null;
  } catch {
    return null;
  }
}

/** A usable fields object: non-null and a JSON object (an empty object counts: it is a real value). */
function hasObjectFields(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (isJsonText(value)) return value.$jsonText.trimStart().startsWith('{');
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    } catch {
      return false;
    }
  }
  return typeof value === 'object' && !Array.isArray(value);
}

/** Oldest first; operations without a run start go last (their time is unknown); ties by sync, then run. */
function chronological(rows: readonly TimelineRowInput[]): TimelineRowInput[] {
  const ms = (r: TimelineRowInput): number => (r.startedAt === null ? NaN : Date.parse(r.startedAt));
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return rows
    .map((row, i) => ({ row, i, t: ms(row) }))
    .sort((a, b) => {
      const fa = Number.isFinite(a.t);
      const fb = Number.isFinite(b.t);
      if (fa !== fb) return fa ? -1 : 1;
      return (fa && fb ? a.t - b.t : 0) || cmp(a.row.syncId, b.row.syncId) || cmp(a.row.syncRunId, b.row.syncRunId) || a.i - b.i;
    })
    .map((x) => x.row);
}

export function buildTimeline(rows: readonly TimelineRowInput[], snapshotRows: readonly SnapshotRowInput[], opts: TimelineOptions): TimelineData {
  const anyFields = opts.hasFields && rows.some((r) => hasObjectFields(r.fields));
  const previousBySync = new Map<string, TimelineRowInput>();

  const events: TimelineEvent[] = chronological(rows).map((row) => {
    const previous = previousBySync.get(row.syncId);
    previousBySync.set(row.syncId, row);
    let changes: FieldChange[] | null = null;
    // Diff only when both sides have fields: an operation without them says nothing about what changed.
    if (anyFields && previous && hasObjectFields(previous.fields) && hasObjectFields(row.fields)) {
      changes = diffFields(asFields(previous.fields), asFields(row.fields));
    }
    const opType = row.opType ?? '';
    return {
      syncId: row.syncId,
      syncRunId: row.syncRunId,
      startedAt: row.startedAt,
      opType,
      status: row.status ?? '',
      failureReason: row.failureReason,
      movement: MOVEMENT[opType.toLowerCase()] ?? 'other',
      changes,
      fields: opts.hasFields ? fieldsText(row.fields) : null,
    };
  });

  let fieldsNote: string | null = null;
  if (!opts.hasFields) {
    fieldsNote = opts.fieldsNote ?? 'The sync logs on this connection have no fields column, so there is no field-level diff.';
  } else if (rows.length > 0 && !anyFields) {
    fieldsNote = "None of this row's operations carry fields values, so there is no field-level diff.";
  }

  // One snapshot entry per sync the row appears in; a sync with operations but no snapshot row means the row left that model.
  const snapshotBySync = new Map<string, SnapshotRowInput>();
  for (const s of snapshotRows) if (!snapshotBySync.has(s.syncId)) snapshotBySync.set(s.syncId, s);
  const syncIds = [...new Set([...snapshotRows.map((s) => s.syncId), ...events.map((e) => e.syncId)])]
    .filter((id) => opts.syncId === null || id === opts.syncId)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const snapshot = syncIds.map((syncId) => {
    const s = snapshotBySync.get(syncId);
    return s ? { syncId, status: s.status, opType: s.opType } : { syncId, status: ABSENT, opType: null };
  });

  return {
    rowId: opts.rowId,
    syncId: opts.syncId,
    hasFields: anyFields,
    fieldsNote,
    events,
    truncated: opts.truncated,
    snapshot,
  };
}
