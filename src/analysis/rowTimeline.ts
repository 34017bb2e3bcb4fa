/**
 * One row's history: every changelog operation on it (time from sync_runs), what it did to the
 * destination, which fields changed since the previous operation, the operations folded where
 * they repeat (a rejected row is retried every run), and where the row stands now.
 */
import type {
  FieldChange,
  TimelineData,
  TimelineEntry,
  TimelineEvent,
  TimelineOutcome,
  TimelineSummary,
} from '../shared/analysisData';
import { isJsonText, stringifyJson } from '../shared/jsonText';
import { asFields, diffFields } from './fieldsDiff';
import { failureTemplate } from './failureTemplates';

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

export const OUTCOME_LABEL: Record<Exclude<TimelineOutcome, 'other'>, string> = {
  added: 'added to the destination',
  'add-failed': 'add failed: not in the destination',
  changed: 'changed in the destination',
  'change-failed': 'change failed: the destination keeps the old values',
  removed: 'removed from the destination',
  'remove-failed': 'remove failed: still in the destination',
  aborted: 'not attempted (run aborted)',
};

const OUTCOMES: Record<string, TimelineOutcome> = {
  'added succeeded': 'added',
  'added failed': 'add-failed',
  'changed succeeded': 'changed',
  'changed failed': 'change-failed',
  'removed succeeded': 'removed',
  'removed failed': 'remove-failed',
};

export function outcomeOf(opType: string, status: string): TimelineOutcome {
  const st = status.toLowerCase();
  // Planned, never sent: whatever the op was, the destination did not see it.
  if (st === 'aborted') return 'aborted';
  return OUTCOMES[`${opType.toLowerCase()} ${st}`] ?? 'other';
}

function labelOf(outcome: TimelineOutcome, opType: string, status: string): string {
  return outcome === 'other' ? `${opType || '(no op_type)'}: ${status || '(no status)'}` : OUTCOME_LABEL[outcome];
}

/**
 * Whether the row is in the destination after an operation with this outcome (undefined: it
 * does not say). A change, even a failed one, is only planned for a row already there.
 */
const PRESENCE: Partial<Record<TimelineOutcome, boolean>> = {
  added: true,
  'add-failed': false,
  changed: true,
  'change-failed': true,
  removed: false,
  'remove-failed': true,
};

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
      return (
        (fa && fb ? a.t - b.t : 0) ||
        cmp(a.row.syncId, b.row.syncId) ||
        cmp(a.row.syncRunId, b.row.syncRunId) ||
        a.i - b.i
      );
    })
    .map((x) => x.row);
}

export function buildTimeline(
  rows: readonly TimelineRowInput[],
  snapshotRows: readonly SnapshotRowInput[],
  opts: TimelineOptions,
): TimelineData {
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
    const status = row.status ?? '';
    const outcome = outcomeOf(opType, status);
    return {
      syncId: row.syncId,
      syncRunId: row.syncRunId,
      startedAt: row.startedAt,
      opType,
      status,
      failureReason: row.failureReason,
      outcome,
      label: labelOf(outcome, opType, status),
      changes,
      fields: opts.hasFields ? fieldsText(row.fields) : null,
    };
  });

  let fieldsNote: string | null = null;
  if (!opts.hasFields) {
    fieldsNote =
      opts.fieldsNote ?? 'The sync logs on this connection have no fields column, so there is no field-level diff.';
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

  const templates = templateCache();
  const bySync = new Map<string, number[]>();
  events.forEach((e, i) => {
    const list = bySync.get(e.syncId);
    if (list) list.push(i);
    else bySync.set(e.syncId, [i]);
  });
  const entries = foldEvents(events, bySync, templates);
  const summaries = snapshot.map((s) => summarize(s, events, bySync.get(s.syncId) ?? [], opts.truncated, templates));

  return {
    rowId: opts.rowId,
    syncId: opts.syncId,
    hasFields: anyFields,
    fieldsNote,
    events,
    entries,
    summaries,
    truncated: opts.truncated,
    oldestLoadedAt: events.find((e) => e.startedAt !== null)?.startedAt ?? null,
    snapshot,
  };
}

/** Each distinct failure text templated once: a stuck row repeats the same text every run. */
function templateCache(): (reason: string | null) => string | null {
  const cache = new Map<string, string>();
  return (reason) => {
    if (reason === null) return null;
    let t = cache.get(reason);
    if (t === undefined) cache.set(reason, (t = failureTemplate(reason)));
    return t;
  };
}

/** A succeeded operation that changed fields: its diff is the news, so it is never folded. */
function standsAlone(e: TimelineEvent): boolean {
  return e.status.toLowerCase() === 'succeeded' && e.changes !== null && e.changes.length > 0;
}

/**
 * Runs of one sync's consecutive operations (by run start, then run id) with the same op_type,
 * status and failure template, newest first. Folding is per sync: operations of another sync
 * went to another destination, so they neither join nor break a run.
 */
function foldEvents(
  events: readonly TimelineEvent[],
  bySync: ReadonlyMap<string, number[]>,
  template: (r: string | null) => string | null,
): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const indices of bySync.values()) {
    let current: { entry: TimelineEntry; reasons: Set<string>; alone: boolean } | undefined;
    for (const i of indices) {
      const e = events[i];
      const t = template(e.failureReason);
      const alone = standsAlone(e);
      if (
        current &&
        !current.alone &&
        !alone &&
        current.entry.opType === e.opType &&
        current.entry.status === e.status &&
        current.entry.template === t
      ) {
        const c = current.entry;
        c.count++;
        c.events.push(i);
        if (e.startedAt !== null) {
          c.firstStartedAt ??= e.startedAt;
          c.lastStartedAt = e.startedAt;
        }
        if (e.changes && e.changes.length) c.fieldChanges++;
        if (e.failureReason !== null) current.reasons.add(e.failureReason);
        c.distinctReasons = current.reasons.size;
        continue;
      }
      const reasons = new Set<string>(e.failureReason === null ? [] : [e.failureReason]);
      current = {
        entry: {
          syncId: e.syncId,
          opType: e.opType,
          status: e.status,
          outcome: e.outcome,
          label: e.label,
          count: 1,
          firstStartedAt: e.startedAt,
          lastStartedAt: e.startedAt,
          template: t,
          distinctReasons: reasons.size,
          fieldChanges: e.changes && e.changes.length ? 1 : 0,
          events: [i],
        },
        reasons,
        alone,
      };
      entries.push(current.entry);
    }
  }
  // Events are in timeline order, so an entry's last index orders it among every sync's entries.
  return entries.sort((a, b) => b.events[b.events.length - 1] - a.events[a.events.length - 1]);
}

/** Presence from the snapshot alone, for a row with no operation that settles it. */
function presenceFromSnapshot(status: string | null, opType: string | null): boolean | null {
  const st = status?.toLowerCase();
  if (st === 'succeeded') return true;
  if (st !== 'failed') return null;
  const op = opType?.toLowerCase();
  return op === 'added' ? false : op === 'changed' ? true : null;
}

function summarize(
  snap: { syncId: string; status: string | null; opType: string | null },
  events: readonly TimelineEvent[],
  indices: readonly number[],
  truncated: boolean,
  template: (r: string | null) => string | null,
): TimelineSummary {
  const inModel = snap.status !== ABSENT && !(snap.status === null && snap.opType === null);
  const ops = indices.map((i) => events[i]);

  // The newest operation that says whether the row is there, then the transition that made it so.
  let inDestination: boolean | null = null;
  let since: string | null = null;
  let settledAt = -1;
  for (let k = ops.length - 1; k >= 0; k--) {
    const p = PRESENCE[ops[k].outcome];
    if (p !== undefined) {
      inDestination = p;
      settledAt = k;
      break;
    }
  }
  let transitionFound = false;
  if (inDestination !== null) {
    const arrive: TimelineOutcome = inDestination ? 'added' : 'removed';
    const leave: TimelineOutcome = inDestination ? 'removed' : 'added';
    for (let k = settledAt; k >= 0; k--) {
      if (ops[k].outcome === arrive) {
        since = ops[k].startedAt;
        transitionFound = true;
        break;
      }
      // An opposite transition first means the log contradicts itself: claim no date.
      if (ops[k].outcome === leave) break;
    }
  } else {
    inDestination = inModel ? presenceFromSnapshot(snap.status, snap.opType) : null;
  }
  const neverAdded = inDestination === false && !ops.some((e) => e.outcome === 'added');

  let streak = 0;
  while (streak < ops.length && ops[ops.length - 1 - streak].status.toLowerCase() === 'failed') streak++;
  let failing: TimelineSummary['failing'] = null;
  if (streak > 0) {
    const run = ops.slice(ops.length - streak);
    const latest = run[run.length - 1];
    failing = {
      since: run.find((e) => e.startedAt !== null)?.startedAt ?? null,
      attempts: streak,
      outcome: latest.outcome,
      templates: new Set(run.map((e) => template(e.failureReason))).size,
      latestReason: latest.failureReason,
    };
  }

  // With the oldest operations left out, an answer that reached back to the first loaded one may go further.
  const cut = truncated && ops.length > 0 && ((inDestination !== null && !transitionFound) || streak === ops.length);
  return {
    syncId: snap.syncId,
    inModel,
    snapshotStatus: snap.status,
    snapshotOpType: snap.opType,
    inDestination,
    since,
    neverAdded,
    failing,
    cut,
  };
}
