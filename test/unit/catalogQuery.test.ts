import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG_MAX_ROWS, catalogColumnsQuery, catalogFromRows } from '../../src/sql/catalogQuery';
import { postgresDialect } from '../../src/sql/dialect';
import { bigqueryDialect } from '../../src/sql/dialects/bigquery';
import { databricksDialect } from '../../src/sql/dialects/databricks';
import { redshiftDialect } from '../../src/sql/dialects/redshift';
import { snowflakeDialect } from '../../src/sql/dialects/snowflake';

describe('catalogColumnsQuery', () => {
  it('binds the schema and the three table names, and is bounded', () => {
    const q = catalogColumnsQuery(postgresDialect, 'hightouch_audit');
    assert.ok(q);
    assert.deepEqual(q.values.slice(0, 4), ['hightouch_audit', 'sync_changelog', 'sync_snapshot', 'sync_runs']);
    assert.match(q.text, /information_schema\.columns/);
    assert.match(q.text, /table_schema = \$1 and table_name in \(\$2, \$3, \$4, \$5\)/);
    assert.ok(!q.text.includes('hightouch_audit'), 'values are bound, not spliced');
    assert.ok(q.text.includes(`limit ${postgresDialect.boundLimit ? '$6' : CATALOG_MAX_ROWS}`));
  });

  it('looks for the optional audience_holdout table too', () => {
    assert.deepEqual(catalogColumnsQuery(postgresDialect, 'hightouch_audit').values.slice(4, 5), ['audience_holdout']);
  });

  it('reads Redshift from SVV_COLUMNS, which also lists late-binding views', () => {
    assert.match(
      catalogColumnsQuery(redshiftDialect, 'hightouch_audit').text,
      /from svv_columns where table_schema = \$1/,
    );
  });

  it('compares Snowflake names in the UPPER case Snowflake stores them in, in the named database', () => {
    const q = catalogColumnsQuery(snowflakeDialect, 'hightouch_audit', 'analytics');
    assert.match(
      q.text,
      /from "ANALYTICS"\.INFORMATION_SCHEMA\.COLUMNS where table_schema = \? and table_name in \(\?, \?, \?, \?\)/,
    );
    assert.deepEqual(q.values, ['HIGHTOUCH_AUDIT', 'SYNC_CHANGELOG', 'SYNC_SNAPSHOT', 'SYNC_RUNS', 'AUDIENCE_HOLDOUT']);
  });

  it("reads a BigQuery dataset's own INFORMATION_SCHEMA, with the project when given", () => {
    const q = catalogColumnsQuery(bigqueryDialect, 'hightouch_audit', 'my-project');
    assert.match(
      q.text,
      /from `my-project`\.hightouch_audit\.INFORMATION_SCHEMA\.COLUMNS where table_name in \(@p1, @p2, @p3, @p4\)/,
    );
    assert.match(
      catalogColumnsQuery(bigqueryDialect, 'hightouch_audit').text,
      /from `hightouch_audit`\.INFORMATION_SCHEMA\.COLUMNS/,
    );
    assert.throws(() => catalogColumnsQuery(bigqueryDialect, 'hightouch_audit', 'x; drop'), /Invalid BigQuery project/);
  });

  it("reads a Databricks catalog's information_schema", () => {
    const q = catalogColumnsQuery(databricksDialect, 'hightouch_audit', 'main');
    assert.match(
      q.text,
      /from `main`\.information_schema\.columns where table_schema = :p1 and table_name in \(:p2, :p3, :p4, :p5\)/,
    );
  });

  it('refuses a schema name that is not a plain identifier', () => {
    assert.throws(() => catalogColumnsQuery(postgresDialect, 'a"; drop table x; --'), /Invalid schema/);
  });
});

describe('catalogFromRows', () => {
  it('groups one row per column into tables, keeping column order', () => {
    const catalog = catalogFromRows([
      { table_schema: 'hightouch_audit', table_name: 'sync_runs', column_name: 'sync_id', data_type: 'text' },
      { table_schema: 'hightouch_audit', table_name: 'sync_snapshot', column_name: 'row_id', data_type: 'text' },
      {
        table_schema: 'hightouch_audit',
        table_name: 'sync_runs',
        column_name: 'started_at',
        data_type: 'timestamp with time zone',
      },
    ]);
    assert.deepEqual(catalog, {
      tables: [
        {
          schema: 'hightouch_audit',
          name: 'sync_runs',
          columns: [
            { name: 'sync_id', type: 'text' },
            { name: 'started_at', type: 'timestamp with time zone' },
          ],
        },
        { schema: 'hightouch_audit', name: 'sync_snapshot', columns: [{ name: 'row_id', type: 'text' }] },
      ],
    });
  });

  it('lower-cases what Snowflake answers in UPPER case', () => {
    const catalog = catalogFromRows([
      {
        TABLE_SCHEMA: 'x',
        table_schema: 'HIGHTOUCH_AUDIT',
        table_name: 'SYNC_RUNS',
        column_name: 'SYNC_ID',
        data_type: 'TEXT',
      },
    ]);
    assert.deepEqual(catalog, {
      tables: [{ schema: 'hightouch_audit', name: 'sync_runs', columns: [{ name: 'sync_id', type: 'text' }] }],
    });
  });

  it('says nothing when the schema has none of the tables', () => {
    assert.equal(catalogFromRows([]), undefined);
  });
});
