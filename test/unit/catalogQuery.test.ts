import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG_MAX_ROWS, catalogColumnsQuery } from '../../src/sql/catalogQuery';
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
