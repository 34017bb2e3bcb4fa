import type { TimelineData } from '../shared/analysisData';
import type { TimelineParams } from '../shared/analysisProtocol';
import { rowSnapshotQuery, rowTimelineQuery } from '../sql/rowTimelineQuery';
import { hasFields } from '../sql/syncLogTables';
import { buildTimeline } from '../analysis/rowTimeline';
import { str, strOrNull, time, type QueryRunner } from './queryRunner';

export const MAX_TIMELINE_EVENTS = 2000;

/** Why a deployment shows no field-level diff. */
export function fieldsNote(run: QueryRunner): string | null {
  if (hasFields(run.loc)) return null;
  return run.loc.dialect.name === 'redshift'
    ? 'Redshift sync logs have no fields column, so there is no field-level diff.'
    : 'This deployment’s sync_changelog has no fields column, so there is no field-level diff.';
}

export async function loadTimeline(run: QueryRunner, p: TimelineParams): Promise<TimelineData> {
  const syncId = p.syncId ?? undefined;
  const [rows, snapshot] = await Promise.all([
    run.rows(rowTimelineQuery(run.loc, { rowId: p.rowId, syncId, limit: MAX_TIMELINE_EVENTS })),
    run.rows(rowSnapshotQuery(run.loc, { rowId: p.rowId, syncId })),
  ]);
  // The query returns the newest first; the timeline reads oldest first.
  const events = rows
    .slice(0, MAX_TIMELINE_EVENTS)
    .reverse()
    .map((r) => ({
      syncId: str(r.sync_id),
      syncRunId: str(r.sync_run_id),
      startedAt: time(r.started_at),
      opType: str(r.op_type),
      status: str(r.status),
      failureReason: strOrNull(r.failure_reason),
      fields: r.fields,
    }));
  const snap = snapshot.map((r) => ({
    syncId: str(r.sync_id),
    opType: strOrNull(r.op_type),
    status: strOrNull(r.status),
  }));
  return buildTimeline(events, snap, {
    rowId: p.rowId,
    syncId: p.syncId,
    hasFields: hasFields(run.loc),
    fieldsNote: fieldsNote(run),
    truncated: rows.length > MAX_TIMELINE_EVENTS,
  });
}
