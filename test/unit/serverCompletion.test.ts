import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { completions } from '../../src/server/completion';
import type { Catalog } from '../../src/shared/catalog';
import type { DialectKind } from '../../src/shared/connection';
import type { ServerOptions } from '../../src/server/schemaModel';

const opts = (dialect: DialectKind = 'postgres', catalog?: Catalog): ServerOptions => ({
  dialect,
  schema: 'hightouch_audit',
  catalog,
});

/** Completion labels at the `|` in the text. */
function labels(withCursor: string, o = opts(), kind?: string): string[] {
  const offset = withCursor.indexOf('|');
  const text = withCursor.slice(0, offset) + withCursor.slice(offset + 1);
  return completions(text, offset, o)
    .filter((i) => kind === undefined || i.kind === kind)
    .map((i) => i.insertText);
}

const CHANGELOG = ['sync_id', 'op_type', 'row_id', 'status', 'failure_reason', 'fields', 'sync_run_id'];

describe('completion: tables', () => {
  it('offers the three sync-log tables after the schema', () => {
    assert.deepEqual(labels('select * from hightouch_audit.|'), ['sync_changelog', 'sync_snapshot', 'sync_runs']);
    assert.deepEqual(labels('select * from hightouch_audit.sync_r|'), ['sync_changelog', 'sync_snapshot', 'sync_runs']);
  });

  it('adds optional tables only when the live catalog has them', () => {
    const catalog: Catalog = {
      tables: [{ schema: 'hightouch_audit', name: 'audience_holdout', columns: [{ name: 'row_id', type: 'text' }] }],
    };
    assert.deepEqual(labels('select * from hightouch_audit.|', opts('postgres', catalog)), [
      'sync_changelog',
      'sync_snapshot',
      'sync_runs',
      'audience_holdout',
    ]);
  });

  it('offers schema-qualified tables and CTEs after FROM and JOIN', () => {
    const items = labels('with recent as (select 1) select * from hightouch_audit.sync_changelog c join |');
    assert.deepEqual(items, [
      'hightouch_audit.sync_changelog',
      'hightouch_audit.sync_snapshot',
      'hightouch_audit.sync_runs',
      'recent',
      'hightouch_audit',
    ]);
  });

  it('follows Snowflake upper case', () => {
    assert.deepEqual(labels('SELECT * FROM HIGHTOUCH_AUDIT.|', opts('snowflake')), [
      'SYNC_CHANGELOG',
      'SYNC_SNAPSHOT',
      'SYNC_RUNS',
    ]);
    assert.ok(labels('SELECT * FROM |', opts('snowflake')).includes('HIGHTOUCH_AUDIT.SYNC_RUNS'));
  });
});

describe('completion: columns', () => {
  const joined =
    'from hightouch_audit.sync_changelog c join hightouch_audit.sync_runs r on c.sync_run_id = r.sync_run_id';

  it('offers changelog columns after its alias, before the FROM is even read', () => {
    assert.deepEqual(labels(`select c.| ${joined}`), CHANGELOG);
    assert.ok(labels(`select r.| ${joined}`).includes('started_at'));
  });

  it('offers columns of both tables and their aliases in select, where, group by, order by and ON', () => {
    for (const sql of [
      `select | ${joined}`,
      `select c.row_id ${joined} where |`,
      `select 1 ${joined} group by |`,
      `select 1 ${joined} order by |`,
      'select 1 from hightouch_audit.sync_changelog c join hightouch_audit.sync_runs r on |',
    ]) {
      const cols = labels(sql, opts(), 'column');
      assert.ok(cols.includes('failure_reason') && cols.includes('started_at'), sql);
      assert.deepEqual(labels(sql, opts(), 'alias'), ['c', 'r'], sql);
    }
  });

  it('uses the catalog columns when given, and drops fields on Redshift', () => {
    assert.ok(!labels('select c.| from hightouch_audit.sync_changelog c', opts('redshift')).includes('fields'));
    const catalog: Catalog = {
      tables: [
        {
          schema: 'HIGHTOUCH_AUDIT',
          name: 'SYNC_RUNS',
          columns: [
            { name: 'SYNC_ID', type: 'NUMBER' },
            { name: 'EXTRA', type: 'TEXT' },
          ],
        },
      ],
    };
    assert.deepEqual(labels('SELECT R.| FROM HIGHTOUCH_AUDIT.SYNC_RUNS R', opts('snowflake', catalog)), [
      'SYNC_ID',
      'EXTRA',
    ]);
  });

  it('offers columns inside a CTE body and a subquery', () => {
    assert.ok(
      labels('with d as (select | from hightouch_audit.sync_snapshot) select * from d', opts(), 'column').includes(
        'op_type',
      ),
    );
    assert.ok(
      labels('select * from x where id in (select s.| from hightouch_audit.sync_snapshot s)').includes('row_id'),
    );
  });

  it('offers the dialect’s functions', () => {
    assert.ok(
      labels('select | from hightouch_audit.sync_runs', opts('bigquery'), 'function').includes('timestamp_trunc('),
    );
    assert.ok(
      !labels('select | from hightouch_audit.sync_runs', opts('postgres'), 'function').includes('timestamp_trunc('),
    );
  });
});

describe('completion: enumerated values', () => {
  it('offers op_type values of the table compared with, inside the string', () => {
    assert.deepEqual(labels("select * from hightouch_audit.sync_changelog c where c.op_type = '|"), [
      'added',
      'changed',
      'removed',
    ]);
    assert.deepEqual(labels("select * from hightouch_audit.sync_snapshot s where s.op_type = 'a|'"), [
      'added',
      'changed',
      'unchanged',
    ]);
  });

  it('offers status values, which differ between runs and row tables', () => {
    assert.deepEqual(labels("select * from hightouch_audit.sync_runs r where r.status in ('succeeded', '|')"), [
      'succeeded',
      'failed',
    ]);
    assert.deepEqual(labels("SELECT * FROM HIGHTOUCH_AUDIT.SYNC_CHANGELOG WHERE STATUS != '|'", opts('snowflake')), [
      'succeeded',
      'failed',
      'aborted',
    ]);
  });

  it('offers quoted values right after the operator', () => {
    assert.deepEqual(labels('select * from hightouch_audit.sync_runs r where r.status = |'), [
      "'succeeded'",
      "'failed'",
    ]);
  });

  it('offers nothing inside other strings or comments', () => {
    assert.deepEqual(labels("select * from hightouch_audit.sync_runs r where r.model_name = 'x|'"), []);
    assert.deepEqual(labels('select 1 -- a comm|ent'), []);
  });

  it('replaces the string content, not the quotes', () => {
    const text = "select * from hightouch_audit.sync_changelog where status = 'fai'";
    const item = completions(text, text.length - 1, opts())[0];
    assert.equal(text.slice(item.replaceStart, item.replaceEnd), 'fai');
  });
});

describe('completion: tolerance', () => {
  it('never throws at any offset of half-typed, multi-statement SQL', () => {
    const text = `select 1; with x as (select c. from hightouch_audit.sync_changelog c join hightouch_audit.sync_runs r on c.sync_id = r.
where c.status = 'fa /* unterminated ; select "q`;
    for (let i = 0; i <= text.length; i++) assert.doesNotThrow(() => completions(text, i, opts('snowflake')));
  });

  it('completes in the statement under the cursor only', () => {
    assert.deepEqual(
      labels('select r.| from hightouch_audit.sync_runs x; select * from hightouch_audit.sync_snapshot r'),
      [],
    );
    assert.deepEqual(
      labels('select * from hightouch_audit.sync_runs x; select r.| from hightouch_audit.sync_snapshot r').slice(0, 2),
      ['sync_id', 'op_type'],
    );
  });
});

describe("completion: the connection's dialect decides what is a comment or a string", () => {
  it('stays quiet in a BigQuery # comment, where Postgres reads # as an operator', () => {
    assert.deepEqual(labels('select 1 # hightouch_audit.|', opts('bigquery')), []);
    assert.deepEqual(labels('select 1 # hightouch_audit.|'), ['sync_changelog', 'sync_snapshot', 'sync_runs']);
  });

  it("offers values inside prefixed strings, replacing between the quotes (r'…', E'…')", () => {
    const where = 'select * from hightouch_audit.sync_changelog c where c.op_type = ';
    for (const [dialect, literal] of [
      ['bigquery', "r'|'"],
      ['postgres', "E'ad|'"],
      ['bigquery', "'''|'''"],
    ] as const) {
      const text = where + literal.replace('|', '');
      const items = completions(text, where.length + literal.indexOf('|'), opts(dialect));
      assert.deepEqual(
        items.map((i) => i.insertText),
        ['added', 'changed', 'removed'],
        literal,
      );
      const quote = literal.startsWith("'''") ? 3 : 2;
      assert.deepEqual(
        [items[0].replaceStart, items[0].replaceEnd],
        [where.length + quote, text.length - (quote === 3 ? 3 : 1)],
        literal,
      );
    }
  });
});
