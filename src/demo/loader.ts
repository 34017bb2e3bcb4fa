import { DEFAULT_BATCH_SIZE, DEFAULT_SEED, generateSyncLog, validateScale } from './generator';
import {
  analyzeSql,
  createIndexesSql,
  createTablesSql,
  dropTablesSql,
  insertChangelogSql,
  insertRunsSql,
  insertSnapshotSql,
  jsonArrayText,
  markerSql,
} from './schema';
import { validateIdent } from '../sql/dialect';
import type { LoadOptions, LoadProgress, LoadStats, SqlSink } from './loaderContract';
import type { RunRecord } from './types';

/** The hash of src/demo's sources, stamped in by the build (esbuild.mjs); absent when run from TypeScript. */
declare const DEMO_SOURCE_HASH: string | undefined;

/**
 * What produced the data: a cached demo database is rebuilt when this changes. Bump the number
 * when the generated data changes (catalog, error texts, simulation, schema); the build appends
 * the sources' hash, so a change without a bump still rebuilds the cache (one once built from
 * work in progress showed 81,080 failed operations where the committed generator makes 68,399).
 */
export const GENERATOR_VERSION = `2026.11.1${typeof DEMO_SOURCE_HASH === 'string' ? `+${DEMO_SOURCE_HASH}` : ''}`;

/** Marker stored as the comment of `sync_runs`: what produced the data. */
export function demoMarker(options: Pick<LoadOptions, 'scale' | 'seed'>): string {
  return `Sync Logs Explorer demo data: generator ${GENERATOR_VERSION}, seed ${options.seed ?? DEFAULT_SEED}, scale ${options.scale}`;
}

const RUN_BATCH = 5000;

/**
 * Generates the demo sync log and writes it: tables first, then changelog and snapshot
 * batches as the generator yields them (memory stays bounded whatever the scale), the runs,
 * and finally the indexes and statistics. Works on PGlite and on a single pg connection.
 */
export async function loadSyncLog(db: SqlSink, options: LoadOptions): Promise<LoadStats> {
  const started = Date.now();
  const schema = validateIdent(options.schema, 'schema name');
  const scale = validateScale(options.scale);
  const seed = options.seed ?? DEFAULT_SEED;
  const report = (p: LoadProgress): void => options.onProgress?.(p);
  const stats: LoadStats = { syncs: 0, runs: 0, changelogRows: 0, snapshotRows: 0, elapsedMs: 0 };
  let rowsExpected: number | undefined;

  report({ phase: 'schema', rowsWritten: 0, message: `Creating the sync-log tables in schema ${schema}…` });
  if (options.replace) await db.exec(dropTablesSql(schema));
  try {
    await db.exec(createTablesSql(schema));
  } catch (err) {
    throw new Error(
      `Could not create the sync-log tables in schema ${schema}: ${(err as Error).message}. ` +
        'If they exist already, drop them or load with replace.',
    );
  }

  const insertChangelog = insertChangelogSql(schema);
  const insertSnapshot = insertSnapshotSql(schema);
  const runs: RunRecord[] = [];
  let currentSync = '';

  for (const chunk of generateSyncLog({ scale, seed, batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE })) {
    switch (chunk.kind) {
      case 'sync':
        stats.syncs++;
        currentSync = `${chunk.destination}: ${chunk.modelName} (sync ${chunk.index + 1} of ${chunk.total})`;
        break;
      case 'changelog': {
        const r = chunk.rows;
        await db.query(insertChangelog, [
          r.syncId,
          r.syncRunId,
          r.opType,
          r.rowId,
          r.status,
          r.failureReason,
          jsonArrayText(r.fields),
        ]);
        stats.changelogRows += chunk.count;
        rowsExpected = chunk.rowsExpected;
        report({
          phase: 'changelog',
          rowsWritten: stats.changelogRows,
          rowsExpected,
          message: `Writing the changelog: ${stats.changelogRows.toLocaleString('en-US')} of ~${rowsExpected.toLocaleString('en-US')} rows, ${currentSync}`,
        });
        break;
      }
      case 'snapshot': {
        const r = chunk.rows;
        await db.query(insertSnapshot, [
          r.syncId,
          r.opType,
          r.rowId,
          r.status,
          r.failureReason,
          jsonArrayText(r.fields),
        ]);
        stats.snapshotRows += chunk.count;
        report({
          phase: 'snapshot',
          rowsWritten: stats.changelogRows,
          rowsExpected,
          message: `Writing snapshots: ${stats.snapshotRows.toLocaleString('en-US')} rows, ${currentSync}`,
        });
        break;
      }
      case 'run':
        // A few thousand runs: kept until the end and written in a handful of statements.
        runs.push(chunk.run);
        break;
    }
  }

  report({
    phase: 'runs',
    rowsWritten: stats.changelogRows,
    rowsExpected: stats.changelogRows,
    message: `Writing ${runs.length.toLocaleString('en-US')} runs…`,
  });
  const insertRuns = insertRunsSql(schema);
  for (let from = 0; from < runs.length; from += RUN_BATCH) {
    await db.query(insertRuns, runColumns(runs.slice(from, from + RUN_BATCH)));
  }
  stats.runs = runs.length;

  report({
    phase: 'indexes',
    rowsWritten: stats.changelogRows,
    rowsExpected: stats.changelogRows,
    message: 'Creating indexes and statistics…',
  });
  for (const sql of createIndexesSql(schema)) await db.exec(sql);
  for (const sql of analyzeSql(schema)) await db.exec(sql);
  await db.exec(markerSql(schema, demoMarker({ scale, seed })));

  stats.elapsedMs = Date.now() - started;
  report({
    phase: 'done',
    rowsWritten: stats.changelogRows,
    rowsExpected: stats.changelogRows,
    message: `Demo sync log ready: ${stats.syncs} syncs, ${stats.runs.toLocaleString('en-US')} runs, ${stats.changelogRows.toLocaleString('en-US')} changelog rows in ${(stats.elapsedMs / 1000).toFixed(1)} s`,
  });
  return stats;
}

/** The bind values of `insertRunsSql`, column by column. */
function runColumns(runs: readonly RunRecord[]): unknown[] {
  const col = <K extends keyof RunRecord>(key: K): Array<RunRecord[K]> => runs.map((r) => r[key]);
  return [
    col('syncId'),
    col('syncRunId'),
    col('primaryKey'),
    col('destination'),
    col('modelName'),
    col('status'),
    col('error'),
    col('startedAt'),
    col('finishedAt'),
    col('plannedAdd'),
    col('plannedChange'),
    col('plannedRemove'),
    col('attemptedAdd'),
    col('attemptedChange'),
    col('attemptedRemove'),
    col('succeededAdd'),
    col('succeededChange'),
    col('succeededRemove'),
    col('failedAdd'),
    col('failedChange'),
    col('failedRemove'),
  ];
}
