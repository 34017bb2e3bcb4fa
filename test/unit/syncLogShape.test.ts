import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { documentedShape, missingTablesMessage, RUN_COUNTERS, shapeFromCatalog } from '../../src/sql/syncLogShape';
import type { Catalog } from '../../src/shared/catalog';
import { runFailuresQuery } from '../../src/sql/treeQueries';
import { runChangelogSql } from '../../src/sql/runQueryText';
import { postgresDialect } from '../../src/sql/dialect';

const cols = (...names: string[]) => names.map((name) => ({ name, type: 'text' }));
const CHANGELOG = cols('sync_id', 'sync_run_id', 'op_type', 'row_id', 'status', 'failure_reason', 'fields');
const SNAPSHOT = cols('sync_id', 'op_type', 'row_id', 'status', 'failure_reason', 'fields');
const RUNS = cols(
  'sync_id',
  'sync_run_id',
  'primary_key',
  'destination',
  'model_name',
  'status',
  'error',
  'started_at',
  'finished_at',
  ...RUN_COUNTERS,
);
const catalog = (tables: Record<string, ReturnType<typeof cols>>): Catalog => ({
  tables: Object.entries(tables).map(([name, columns]) => ({ schema: 'hightouch_audit', name, columns })),
});
const ctx = { connectionName: 'Prod', schema: 'hightouch_audit' };

describe('shapeFromCatalog', () => {
  it('finds the documented schema as documented', () => {
    const shape = shapeFromCatalog(catalog({ sync_changelog: CHANGELOG, sync_snapshot: SNAPSHOT, sync_runs: RUNS }));
    assert.deepEqual(shape, { ...documentedShape(), fromCatalog: true });
    assert.equal(missingTablesMessage(shape, ctx), undefined);
  });

  it('follows a deployment that really names the column failed_reason', () => {
    const old = cols('sync_id', 'sync_run_id', 'op_type', 'row_id', 'status', 'failed_reason', 'fields');
    const shape = shapeFromCatalog(catalog({ sync_changelog: old, sync_snapshot: old, sync_runs: cols('sync_id') }));
    assert.equal(shape.failureReason, 'failed_reason');
    const loc = { dialect: postgresDialect, schema: 'hightouch_audit', shape };
    const q = runFailuresQuery(loc, '1', '2', 10);
    assert.match(q.text, /select failed_reason as failure_reason, count\(\*\)/);
    assert.match(q.text, /group by failed_reason/);
    const text = runChangelogSql({
      ...loc,
      syncId: '1',
      syncRunId: '2',
      modelName: 'm',
      destination: 'd',
      startedAt: null,
    });
    assert.match(text, /c\.failed_reason as failure_reason,/);
  });

  it('notices a changelog without fields, a snapshot with sync_run_id and audience_holdout', () => {
    const shape = shapeFromCatalog(
      catalog({
        sync_changelog: cols('sync_id', 'failure_reason'),
        sync_snapshot: cols('sync_id', 'sync_run_id', 'failure_reason'),
        sync_runs: cols('sync_id'),
        audience_holdout: cols('sync_id'),
      }),
    );
    assert.equal(shape.hasFields, false);
    assert.equal(shape.snapshotHasRunId, true);
    assert.equal(shape.hasAudienceHoldout, true);
    const text = runChangelogSql({
      dialect: postgresDialect,
      schema: 's',
      shape,
      syncId: '1',
      syncRunId: '2',
      modelName: 'm',
      destination: 'd',
      startedAt: null,
    });
    assert.ok(!text.includes('c.fields'), 'no fields column where the catalog has none');
  });

  it('uses the run counters only where sync_runs has all twelve (any case, as Snowflake folds names)', () => {
    const all = ['planned', 'attempted', 'succeeded', 'failed'].flatMap((f) =>
      ['add', 'change', 'remove'].map((o) => `NUM_${f.toUpperCase()}_${o.toUpperCase()}`),
    );
    const withAll = shapeFromCatalog(
      catalog({ sync_changelog: cols('sync_id'), sync_snapshot: cols('sync_id'), sync_runs: cols('sync_id', ...all) }),
    );
    assert.equal(withAll.runCounters, true);
    const oneMissing = shapeFromCatalog(
      catalog({
        sync_changelog: cols('sync_id'),
        sync_snapshot: cols('sync_id'),
        sync_runs: cols('sync_id', ...all.filter((c) => c !== 'NUM_SUCCEEDED_REMOVE')),
      }),
    );
    assert.equal(oneMissing.runCounters, false);
    assert.equal(shapeFromCatalog(undefined).runCounters, false, 'no sync_runs, no counters');
  });

  it('says how to enable sync logs when the schema has none of the tables', () => {
    const message = missingTablesMessage(shapeFromCatalog(undefined), { ...ctx, database: 'analytics' });
    assert.ok(message);
    assert.match(message, /No Hightouch sync logs in analytics\.hightouch_audit on "Prod"/);
    assert.match(message, /syncLogs\.schema/);
    assert.match(message, /Warehouse Planning/);
    assert.match(message, /"Sync Logs" tab/);
  });

  it('names the one missing table', () => {
    const shape = shapeFromCatalog(catalog({ sync_changelog: CHANGELOG, sync_runs: cols('sync_id') }));
    assert.deepEqual(shape.missingTables, ['sync_snapshot']);
    assert.match(missingTablesMessage(shape, ctx) ?? '', /has no sync_snapshot table/);
  });
});
