import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { completions } from '../../src/server/completion';
import { hover } from '../../src/server/hover';
import { diagnostics } from '../../src/server/diagnostics';
import { FUNCTION_DOCS } from '../../src/server/functions';
import { scopeAt } from '../../src/server/sqlScope';
import { DIALECT_FUNCTIONS } from '../../src/server/schemaModel';
import type { DialectKind } from '../../src/shared/connection';
import type { ServerOptions } from '../../src/server/schemaModel';

const opts = (dialect: DialectKind = 'postgres'): ServerOptions => ({ dialect, schema: 'hightouch_audit' });

function split(withCursor: string): { text: string; offset: number } {
  const offset = withCursor.indexOf('|');
  return { text: withCursor.slice(0, offset) + withCursor.slice(offset + 1), offset };
}

/** Completion labels of a kind at the `|`. */
function labels(withCursor: string, kind = 'column', o = opts()): string[] {
  const { text, offset } = split(withCursor);
  return completions(text, offset, o)
    .filter((i) => i.kind === kind)
    .map((i) => i.label);
}

function hoverAt(withCursor: string, o = opts()): string | undefined {
  const { text, offset } = split(withCursor);
  return hover(text, offset, o)?.markdown;
}

const SNAPSHOT = ['sync_id', 'op_type', 'row_id', 'status', 'failure_reason', 'fields', 'sync_run_id'];
const FAILED = "with f as (select * from hightouch_audit.sync_snapshot where status = 'failed')";

describe('scope: CTE definitions and derived tables', () => {
  it('records each CTE’s body frame and column list, and each derived table’s subquery', () => {
    const scope = scopeAt('with a(x, y) as (select 1, 2), b as (select * from a) select * from b, (select 1) d(z)', 0);
    const a = scope.cteDefs.get('a');
    const b = scope.cteDefs.get('b');
    assert.deepEqual(a?.columns, ['x', 'y']);
    assert.equal(b?.columns, undefined);
    assert.ok(a && b && a.frame > 0 && b.frame > a.frame);
    assert.equal(scope.frames[a?.frame ?? 0].open, a?.paren);
    const d = scope.frames[0].sources.find((s) => s.kind === 'derived');
    assert.deepEqual(d?.columns, ['z']);
    assert.ok(d?.body !== undefined && scope.frames[d.body].hasSelect);
  });
});

describe('completion: columns of CTEs and subqueries', () => {
  it('expands select * from the source table', () => {
    assert.deepEqual(labels(`${FAILED} select f.| from f`), SNAPSHOT);
    assert.deepEqual(labels(`${FAILED} select | from f`), SNAPSHOT);
  });

  it('names columns by their aliases, explicit or implicit', () => {
    assert.deepEqual(
      labels(
        'with f as (select row_id as r, count(*) as n from hightouch_audit.sync_changelog group by 1) select f.| from f',
      ),
      ['r', 'n'],
    );
    assert.deepEqual(
      labels(
        'with f as (select c.row_id r, count(*) n, c.status from hightouch_audit.sync_changelog c group by 1, 3) select f.| from f',
      ),
      ['r', 'n', 'status'],
    );
  });

  it('follows a CTE built from another CTE, through any depth', () => {
    const q =
      'with a as (select sync_id, row_id from hightouch_audit.sync_changelog), b as (select *, 1 as one from a), c as (select b.* from b) select c.| from c';
    assert.deepEqual(labels(q), ['sync_id', 'row_id', 'one']);
  });

  it('offers the columns of a derived table, nested or not', () => {
    assert.deepEqual(labels('select x.| from (select sync_id, row_id from hightouch_audit.sync_changelog) x'), [
      'sync_id',
      'row_id',
    ]);
    assert.deepEqual(
      labels('select y.| from (select x.row_id as id from (select * from hightouch_audit.sync_changelog) x) y'),
      ['id'],
    );
    assert.deepEqual(labels('select y.| from (select 1) y(a, b)'), ['a', 'b']);
  });

  it('takes the names of a WITH column list', () => {
    assert.deepEqual(
      labels('with f(a, b) as (select sync_id, row_id from hightouch_audit.sync_changelog) select f.| from f'),
      ['a', 'b'],
    );
  });

  it('takes the first branch of a union, and skips distinct', () => {
    const q =
      'with f as (select distinct sync_id as s from hightouch_audit.sync_runs union all select sync_id from hightouch_audit.sync_changelog) select f.| from f';
    assert.deepEqual(labels(q), ['s']);
  });

  it('leaves out the columns of * except / exclude', () => {
    const q = (star: string, dialect: DialectKind) =>
      labels(
        `with f as (select ${star} from hightouch_audit.sync_changelog) select f.| from f`,
        'column',
        opts(dialect),
      );
    assert.deepEqual(q('* except (fields, failure_reason)', 'bigquery'), [
      'sync_id',
      'op_type',
      'row_id',
      'status',
      'sync_run_id',
    ]);
    assert.deepEqual(q('* exclude fields', 'snowflake'), [
      'sync_id',
      'op_type',
      'row_id',
      'status',
      'failure_reason',
      'sync_run_id',
    ]);
    const qualified =
      'with f as (select c.* except (fields), 1 as one from hightouch_audit.sync_changelog c) select f.| from f';
    assert.deepEqual(labels(qualified, 'column', opts('databricks')), [
      'sync_id',
      'op_type',
      'row_id',
      'status',
      'failure_reason',
      'sync_run_id',
      'one',
    ]);
  });

  it('offers nothing for a source it does not know', () => {
    assert.deepEqual(labels('with f as (select * from other.events) select f.| from f'), []);
    assert.deepEqual(labels('with f as (select * from other.events) select | from f'), []);
    assert.deepEqual(labels('select x.| from generate_series(1, 3) x'), []);
  });

  it('survives a recursive CTE', () => {
    const q = 'with recursive r as (select 1 as n union all select n + 1 from r where n < 3) select r.| from r';
    assert.deepEqual(labels(q), ['n']);
    assert.doesNotThrow(() => labels('with recursive r as (select * from r) select r.| from r'));
  });
});

describe('completion: aliases and CTE names', () => {
  it('offers table aliases with the columns', () => {
    const got = labels(
      'select | from hightouch_audit.sync_runs r join hightouch_audit.sync_changelog c on c.sync_run_id = r.sync_run_id',
      'alias',
    );
    assert.deepEqual(got, ['r', 'c']);
  });

  it('offers CTE names after from and join', () => {
    assert.ok(labels(`${FAILED}, g as (select 1) select * from |`, 'table').includes('f'));
    assert.ok(labels(`${FAILED}, g as (select 1) select * from f join |`, 'table').includes('g'));
  });
});

describe('hover through CTEs and subqueries', () => {
  it('explains a column a CTE passes on, renamed or not', () => {
    assert.match(hoverAt(`${FAILED} select f.sta|tus from f`) ?? '', /sync_snapshot\.status/);
    assert.match(
      hoverAt('with f as (select status as s from hightouch_audit.sync_snapshot) select |s from f') ?? '',
      /sync_snapshot\.status/,
    );
    assert.equal(
      hoverAt('with f as (select count(*) as s from hightouch_audit.sync_snapshot) select |s from f'),
      undefined,
    );
  });

  it('lists the columns of a CTE where it is defined', () => {
    assert.match(
      hoverAt('with |f as (select row_id as r from hightouch_audit.sync_snapshot) select * from f') ?? '',
      /common table expression[\s\S]*`r`/,
    );
  });

  it('lists the columns of a CTE or derived table', () => {
    assert.match(
      hoverAt('with f as (select row_id as r from hightouch_audit.sync_snapshot) select * from |f') ?? '',
      /common table expression[\s\S]*`r`/,
    );
    assert.match(
      hoverAt('select |x.r from (select row_id as r from hightouch_audit.sync_snapshot) x') ?? '',
      /derived table[\s\S]*`r`/,
    );
  });
});

describe('hover: functions', () => {
  it('gives a function’s signature for the dialect, and says which', () => {
    assert.match(hoverAt('select cou|nt(*) from hightouch_audit.sync_runs') ?? '', /count\(\*\)[\s\S]*Postgres/);
    assert.match(
      hoverAt("select date_tr|unc('day', started_at) from hightouch_audit.sync_runs", opts('redshift')) ?? '',
      /'datepart'[\s\S]*Redshift/,
    );
    assert.match(
      hoverAt('select timestamp_tr|unc(started_at, day) from hightouch_audit.sync_runs', opts('bigquery')) ?? '',
      /date_time_part[\s\S]*BigQuery/,
    );
    assert.match(
      hoverAt("select get_json_obj|ect(fields, '$.email') from hightouch_audit.sync_snapshot", opts('databricks')) ??
        '',
      /path[\s\S]*Databricks/,
    );
    assert.equal(hoverAt('select timestamp_tr|unc(started_at, day) from hightouch_audit.sync_runs'), undefined);
    assert.equal(hoverAt('select my_u|df(started_at) from hightouch_audit.sync_runs'), undefined);
  });

  it('documents every function completion offers', () => {
    for (const [dialect, names] of Object.entries(DIALECT_FUNCTIONS)) {
      for (const name of names) assert.ok(FUNCTION_DOCS[dialect as DialectKind][name], `${name} on ${dialect}`);
    }
  });
});

describe('diagnostics through CTEs', () => {
  it('stays quiet on names a CTE or subquery produces', () => {
    const q = `${FAILED}, g as (select row_id as r, count(*) as n from f group by 1) select g.r, n, x.sync_id from g, (select sync_id from hightouch_audit.sync_runs) x where x.sync_id is not null`;
    assert.deepEqual(diagnostics(q, opts()), []);
  });

  it('checks values of a column a CTE passes on', () => {
    const found = diagnostics(
      "with f as (select status as s from hightouch_audit.sync_snapshot) select * from f where f.s = 'faild'",
      opts(),
    );
    assert.deepEqual(
      found.map((d) => d.code),
      ['invalid-value'],
    );
  });
});
