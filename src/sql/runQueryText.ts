import type { Dialect } from './dialect';
import { sqlCount } from './ident';
import { commentLine } from './sqlComment';
import { failureReasonColumn, hasFields, tableName, type SyncLogLocation } from './syncLogTables';
import type { SyncLogShape } from './syncLogShape';

export interface RunQueryContext {
  dialect: Dialect;
  schema: string;
  /** Database, project or catalog, as in SyncLogLocation. */
  database?: string;
  shape?: SyncLogShape;
  syncId: string;
  syncRunId: string;
  modelName: string;
  destination: string;
  startedAt: string | null;
  limit?: number;
}

/**
 * The SQL "Open Run Query" puts in a new editor: the run's changelog joined to its run on
 * sync_run_id (joining on sync_id alone would pair every operation with every run).
 * This text is for the user to read and edit, so ids are literals, quoted by the dialect in a
 * form that means the same under any session setting (standard_conforming_strings off included).
 */
export function runChangelogSql(c: RunQueryContext): string {
  const loc: SyncLogLocation = { dialect: c.dialect, schema: c.schema, database: c.database, shape: c.shape };
  const reason = failureReasonColumn(loc);
  return [
    commentLine(
      `Changelog of run ${c.syncRunId} of "${c.modelName}" (${c.destination}), started ${c.startedAt ?? 'unknown'}`,
    ),
    commentLine('Run it with "Sync Logs: Run Query" (Ctrl+Enter / Cmd+Enter).'),
    'select',
    '  c.op_type,',
    '  c.row_id,',
    '  c.status,',
    reason === 'failure_reason' ? '  c.failure_reason,' : `  c.${reason} as failure_reason,`,
    // Redshift's changelog has no fields column.
    ...(hasFields(loc) ? ['  c.fields,'] : []),
    '  r.started_at,',
    '  r.finished_at',
    `from ${tableName(loc, 'sync_changelog')} c`,
    `join ${tableName(loc, 'sync_runs')} r on r.sync_run_id = c.sync_run_id`,
    `where c.sync_id = ${c.dialect.literal(c.syncId)}`,
    `  and c.sync_run_id = ${c.dialect.literal(c.syncRunId)}`,
    "order by case c.status when 'failed' then 0 when 'aborted' then 1 else 2 end, c.op_type, c.row_id",
    `limit ${sqlCount(c.limit ?? 1000)};`,
    '',
  ].join('\n');
}
