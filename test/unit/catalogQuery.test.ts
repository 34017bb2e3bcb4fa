import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG_MAX_ROWS, catalogColumnsQuery, catalogFromRows } from '../../src/sql/catalogQuery';
import { postgresDialect } from '../../src/sql/dialect';
import { bigqueryDialect } from '../../src/sql/dialects/bigquery';

describe('catalogColumnsQuery', () => {
  it('binds the schema and the three table names, and is bounded', () => {
    const q = catalogColumnsQuery(postgresDialect, 'hightouch_audit');
    assert.ok(q);
    assert.deepEqual(q.values.slice(0, 4), ['hightouch_audit', 'sync_changelog', 'sync_snapshot', 'sync_runs']);
    assert.match(q.text, /information_schema\.columns/);
    assert.match(q.text, /table_schema = \$1 and table_name in \(\$2, \$3, \$4\)/);
    assert.ok(!q.text.includes('hightouch_audit'), 'values are bound, not spliced');
    assert.ok(q.text.includes(`limit ${postgresDialect.boundLimit ? '$5' : CATALOG_MAX_ROWS}`));
  });

  it('is skipped where information_schema is per dataset', () => {
    assert.equal(catalogColumnsQuery(bigqueryDialect, 'hightouch_audit'), undefined);
  });
});

describe('catalogFromRows', () => {
  it('groups one row per column into tables, keeping column order', () => {
    const catalog = catalogFromRows([
      { table_schema: 'hightouch_audit', table_name: 'sync_runs', column_name: 'sync_id', data_type: 'text' },
      { table_schema: 'hightouch_audit', table_name: 'sync_snapshot', column_name: 'row_id', data_type: 'text' },
      { table_schema: 'hightouch_audit', table_name: 'sync_runs', column_name: 'started_at', data_type: 'timestamp with time zone' },
    ]);
    assert.deepEqual(catalog, {
      tables: [
        { schema: 'hightouch_audit', name: 'sync_runs', columns: [{ name: 'sync_id', type: 'text' }, { name: 'started_at', type: 'timestamp with time zone' }] },
        { schema: 'hightouch_audit', name: 'sync_snapshot', columns: [{ name: 'row_id', type: 'text' }] },
      ],
    });
  });

  it('says nothing when the schema has none of the tables', () => {
    assert.equal(catalogFromRows([]), undefined);
  });
});
