import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnostics } from '../../src/server/diagnostics';
import type { DialectKind } from '../../src/shared/connection';
import type { ServerOptions } from '../../src/server/schemaModel';

const opts = (dialect: DialectKind = 'postgres', extra: Partial<ServerOptions> = {}): ServerOptions => ({
  dialect,
  schema: 'hightouch_audit',
  ...extra,
});
const codes = (sql: string, o = opts()) => diagnostics(sql, o).map((d) => d.code);
/** Applies a diagnostic's fix to the text, as the quick fix would. */
const applyFix = (sql: string, o = opts()) => {
  const fix = diagnostics(sql, o).find((d) => d.fix)?.fix;
  assert.ok(fix, 'expected a fix');
  return sql.slice(0, fix.start) + fix.newText + sql.slice(fix.end);
};

const SNIPPETS = JSON.parse(readFileSync(join(__dirname, '../../snippets/sql.json'), 'utf8')) as Record<
  string,
  { body: string[] }
>;
/** A snippet as inserted with every placeholder left at its default. */
const expand = (body: string[]) => body.join('\n').replace(/\$\{\d+:([^}]*)\}/g, '$1');

// The seed page's example queries, with the changelog joined to runs on sync_run_id as
// ARCHITECTURE.md ("The sync-log tables") requires.
const SEED_TOP_ERRORS = `select
failure_reason,
count(*) as c
from hightouch_audit.sync_snapshot
where failure_reason is not null
group by failure_reason
order by c desc`;
const seedEnterExit = (joinColumn: string) => `with details as (
select
model_name,
row_id,
op_type as type,
started_at as timestamp,
lag(op_type) over(partition by model_name, row_id order by started_at) as lag_type
from hightouch_audit.sync_changelog c
join hightouch_audit.sync_runs r on c.${joinColumn} = r.${joinColumn}
where op_type != 'changed'
order by model_name, row_id
)
select
row_id as user_id,
model_name as audience,
type,
timestamp
from details
where (lag_type != type or lag_type is null)
order by model_name, row_id, timestamp`;
const SEED_CURRENT_ROWS = `with model_names as (
select distinct
sync_id,
model_name
from hightouch_audit.sync_runs
)
select
model_name,
row_id as user_id
from hightouch_audit.sync_snapshot s
join model_names r on s.sync_id = r.sync_id
where s.status != 'failed'
qualify row_number() over (partition by user_id, model_name order by null) = 1
order by user_id`;

describe('diagnostics: no false alarms', () => {
  for (const [name, snippet] of Object.entries(SNIPPETS)) {
    it(`snippet "${name}" is clean on every dialect but Redshift's fields`, () => {
      for (const dialect of ['postgres', 'snowflake', 'bigquery', 'databricks'] as const) {
        assert.deepEqual(diagnostics(expand(snippet.body), opts(dialect)), [], dialect);
      }
      // Redshift has no `fields` column: the only thing to report there is its use.
      assert.ok(codes(expand(snippet.body), opts('redshift')).every((c) => c === 'fields-on-redshift'));
    });
  }

  it('the corrected seed examples are clean on Snowflake', () => {
    for (const sql of [SEED_TOP_ERRORS, seedEnterExit('sync_run_id'), SEED_CURRENT_ROWS])
      assert.deepEqual(diagnostics(sql, opts('snowflake')), []);
  });

  it('the corrected seed examples are clean on Postgres except for QUALIFY', () => {
    assert.deepEqual(codes(SEED_TOP_ERRORS), []);
    assert.deepEqual(codes(seedEnterExit('sync_run_id')), []);
    assert.deepEqual(codes(SEED_CURRENT_ROWS), ['qualify-unsupported']);
  });

  it('all snippets together in one file, with comments, are clean', () => {
    const file = Object.values(SNIPPETS)
      .map((s) => `-- ${s.body[0]}\n${expand(s.body)}`)
      .join('\n\n/* next */\n');
    assert.deepEqual(diagnostics(file, opts('snowflake')), []);
  });

  it('accepts upper-case Snowflake SQL and quoted identifiers', () => {
    const sql = `SELECT C.ROW_ID, C."STATUS", R.STARTED_AT FROM HIGHTOUCH_AUDIT.SYNC_CHANGELOG C
JOIN HIGHTOUCH_AUDIT.SYNC_RUNS R ON C.SYNC_RUN_ID = R.SYNC_RUN_ID WHERE C.STATUS = 'failed'`;
    assert.deepEqual(diagnostics(sql, opts('snowflake')), []);
  });

  it('ignores names on tables it does not know, casts, extract and select aliases', () => {
    const sql = `select u.email, extract(epoch from r.started_at) as secs, cast(r.sync_id as varchar), r.sync_id::text, current_date
from analytics.users u join hightouch_audit.sync_runs r on r.model_name = u.segment
order by secs`;
    assert.deepEqual(diagnostics(sql, opts()), []);
  });

  it('stays silent on a CTE column and on subqueries over unknown tables', () => {
    const sql = `with x as (select s.row_id as rid from hightouch_audit.sync_snapshot s)
select rid, (select max(started_at) from hightouch_audit.sync_runs) as latest from x where rid in (select id from other.t)`;
    assert.deepEqual(diagnostics(sql, opts()), []);
  });

  it('does not flag a snapshot joined on sync_id to a CTE over runs (the seed does this on purpose)', () => {
    assert.deepEqual(codes(SEED_CURRENT_ROWS, opts('snowflake')), []);
  });

  it('accepts the optional snapshot sync_run_id without a catalog', () => {
    assert.deepEqual(codes('select s.sync_run_id from hightouch_audit.sync_snapshot s'), []);
  });
});

describe('diagnostics: unknown columns', () => {
  it('suggests failure_reason for failed_reason, qualified and not', () => {
    const sql = 'select failed_reason, c.failed_reason from hightouch_audit.sync_changelog c';
    const found = diagnostics(sql, opts());
    assert.deepEqual(
      found.map((d) => [d.code, sql.slice(d.start, d.end)]),
      [
        ['unknown-column', 'failed_reason'],
        ['unknown-column', 'failed_reason'],
      ],
    );
    assert.match(found[0].message, /Did you mean "failure_reason"/);
    assert.equal(applyFix(sql), 'select failure_reason, c.failed_reason from hightouch_audit.sync_changelog c');
  });

  it('keeps the user’s upper case in the fix', () => {
    assert.equal(
      applyFix('SELECT S.FAILED_REASON FROM HIGHTOUCH_AUDIT.SYNC_SNAPSHOT S', opts('snowflake')),
      'SELECT S.FAILURE_REASON FROM HIGHTOUCH_AUDIT.SYNC_SNAPSHOT S',
    );
  });

  it('reports a qualified unknown column even without a close match', () => {
    assert.deepEqual(codes('select r.timestamp from hightouch_audit.sync_runs r'), ['unknown-column']);
  });

  it('follows the live catalog over the documented schema', () => {
    const catalog = {
      tables: [
        {
          schema: 'HIGHTOUCH_AUDIT',
          name: 'SYNC_SNAPSHOT',
          columns: [
            { name: 'SYNC_ID', type: 'NUMBER' },
            { name: 'ROW_ID', type: 'TEXT' },
            { name: 'FAILED_REASON', type: 'TEXT' },
          ],
        },
      ],
    };
    assert.deepEqual(
      codes('select s.failed_reason from hightouch_audit.sync_snapshot s', opts('snowflake', { catalog })),
      [],
    );
    assert.deepEqual(
      codes('select s.sync_run_id from hightouch_audit.sync_snapshot s', opts('snowflake', { catalog })),
      ['unknown-column'],
    );
  });

  it('honours a configured schema name', () => {
    assert.deepEqual(
      codes('select c.failed_reason from audit.sync_changelog c', opts('postgres', { schema: 'audit' })),
      ['unknown-column'],
    );
    assert.deepEqual(
      codes('select c.failed_reason from hightouch_audit.sync_changelog c', opts('postgres', { schema: 'audit' })),
      [],
    );
  });
});

describe('diagnostics: joins on sync_id', () => {
  it('warns on the seed’s join of changelog to runs on sync_id and fixes it to sync_run_id', () => {
    const sql = seedEnterExit('sync_id');
    const found = diagnostics(sql, opts('snowflake'));
    assert.deepEqual(
      found.map((d) => d.code),
      ['join-on-sync-id'],
    );
    assert.equal(sql.slice(found[0].start, found[0].end), 'c.sync_id = r.sync_id');
    assert.equal(applyFix(sql, opts('snowflake')), seedEnterExit('sync_run_id'));
  });

  it('warns for the snapshot too, and for either order and USING', () => {
    assert.deepEqual(
      codes('select * from hightouch_audit.sync_runs r join hightouch_audit.sync_snapshot s on r.sync_id = s.sync_id'),
      ['join-on-sync-id'],
    );
    const using = 'SELECT * FROM HIGHTOUCH_AUDIT.SYNC_CHANGELOG JOIN HIGHTOUCH_AUDIT.SYNC_RUNS USING (SYNC_ID)';
    assert.equal(
      applyFix(using, opts('snowflake')),
      'SELECT * FROM HIGHTOUCH_AUDIT.SYNC_CHANGELOG JOIN HIGHTOUCH_AUDIT.SYNC_RUNS USING (SYNC_RUN_ID)',
    );
  });

  it('is quiet when sync_run_id is also in the condition', () => {
    assert.deepEqual(
      codes(
        'select * from hightouch_audit.sync_changelog c join hightouch_audit.sync_runs r on c.sync_id = r.sync_id and c.sync_run_id = r.sync_run_id',
      ),
      [],
    );
  });
});

describe('diagnostics: dialect rules', () => {
  it('QUALIFY is an error only on Postgres', () => {
    const sql =
      'select s.row_id from hightouch_audit.sync_snapshot s qualify row_number() over (partition by s.row_id order by s.row_id) = 1';
    assert.deepEqual(codes(sql, opts('postgres')), ['qualify-unsupported']);
    for (const d of ['snowflake', 'bigquery', 'databricks', 'redshift'] as const)
      assert.deepEqual(codes(sql, opts(d)), [], d);
  });

  it('fields is an error on Redshift only', () => {
    const sql = 'select c.fields, fields from hightouch_audit.sync_changelog c';
    assert.deepEqual(codes(sql, opts('redshift')), ['fields-on-redshift', 'fields-on-redshift']);
    assert.deepEqual(codes(sql, opts('postgres')), []);
  });
});

describe('diagnostics: enumerated values', () => {
  it("flags 'failure' for status and offers 'failed'", () => {
    const sql = "select * from hightouch_audit.sync_changelog c where c.status = 'failure'";
    assert.deepEqual(codes(sql), ['invalid-value']);
    assert.equal(applyFix(sql), "select * from hightouch_audit.sync_changelog c where c.status = 'failed'");
  });

  it("flags 'removed' on the snapshot but not on the changelog", () => {
    assert.deepEqual(codes("select * from hightouch_audit.sync_snapshot where op_type in ('added', 'removed')"), [
      'invalid-value',
    ]);
    assert.deepEqual(codes("select * from hightouch_audit.sync_changelog where op_type in ('added', 'removed')"), []);
    assert.deepEqual(codes("select * from hightouch_audit.sync_snapshot s where 'removed' = s.op_type"), [
      'invalid-value',
    ]);
  });

  it("flags 'aborted' on runs, where status is only succeeded or failed", () => {
    assert.deepEqual(codes("select * from hightouch_audit.sync_runs r where r.status <> 'aborted'"), ['invalid-value']);
    assert.deepEqual(codes("select * from hightouch_audit.sync_changelog c where c.status <> 'aborted'"), []);
  });

  it('does not judge values of a column whose source it cannot see', () => {
    assert.deepEqual(
      codes("select * from hightouch_audit.sync_runs r join other.t on t.id = r.sync_id where status = 'aborted'"),
      [],
    );
  });
});

describe('diagnostics: tolerance', () => {
  it('never throws on half-typed SQL, and every diagnostic range is inside the text', () => {
    const full = `with x as (select c.sync_id, "weird ""name""" from hightouch_audit.sync_changelog c join hightouch_audit.sync_runs r on c.sync_id = r.sync_id where c.status = 'failure' /* note */ ) select * from x; select $$dollar$$, 'it''s', r.status from hightouch_audit.sync_runs r`;
    for (let i = 0; i <= full.length; i++) {
      const text = full.slice(0, i);
      for (const d of diagnostics(text, opts()))
        assert.ok(d.start >= 0 && d.end <= text.length && d.start <= d.end, text);
    }
  });

  it('handles unterminated strings and comments', () => {
    assert.doesNotThrow(() => diagnostics("select * from hightouch_audit.sync_runs where status = 'fa", opts()));
    assert.doesNotThrow(() => diagnostics('select /* never closed', opts()));
  });
});

describe("diagnostics: statements cut by the connection's dialect", () => {
  it("finds the misspelt column after BigQuery's 'it\\'s; here', which Postgres reads as an open string", () => {
    const sql = "select 'it\\'s; here' as a, c.failed_reason from hightouch_audit.sync_changelog c";
    assert.deepEqual(codes(sql, opts('bigquery')), ['unknown-column']);
    assert.deepEqual(codes(sql), []);
  });
});
