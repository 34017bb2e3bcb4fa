import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindParameters, parameterNames } from '../../src/notebook/namedParameters';
import { dialectFor } from '../../src/sql/dialects';

const PG = dialectFor('postgres');

test('parameters are :names outside strings, comments and casts', () => {
  const sql =
    "select ':nope', x::int, a[1:2] -- :not_this\nfrom t where sync_id = :sync_id and run = :sync_run_id or s = :sync_id /* :no */";
  assert.deepEqual(parameterNames(sql, PG), ['sync_id', 'sync_run_id']);
});

test("values are bound in each dialect's placeholders, never spliced", () => {
  const sql =
    "select * from c where sync_id = :sync_id and status = 'failed' and sync_run_id = :run and sync_id <> :sync_id";
  const pg = bindParameters(sql, PG, { sync_id: "1'; drop table x; --", run: '9' });
  assert.equal(
    pg.text,
    "select * from c where sync_id = $1       and status = 'failed' and sync_run_id = $2   and sync_id <> $3      ",
  );
  assert.deepEqual(pg.values, ["1'; drop table x; --", '9', "1'; drop table x; --"]);
  const bq = bindParameters(sql, dialectFor('bigquery'), { sync_id: '1', run: '9' });
  assert.equal(
    bq.text,
    "select * from c where sync_id = @p1      and status = 'failed' and sync_run_id = @p2  and sync_id <> @p3     ",
  );
  const sf = bindParameters(sql, dialectFor('snowflake'), { sync_id: '1', run: '9' });
  assert.equal(
    sf.text,
    "select * from c where sync_id = ?        and status = 'failed' and sync_run_id = ?    and sync_id <> ?       ",
  );
  // Padded to the names' length: every other character keeps its offset, so error positions hold.
  assert.equal(pg.text.length, sql.length);
  assert.equal(pg.text.indexOf("'failed'"), sql.indexOf("'failed'"));
  assert.throws(() => bindParameters(sql, PG, { sync_id: '1' }), /:run, which has no value/);
  assert.deepEqual(bindParameters('select 1', PG, {}), { text: 'select 1', values: [] });
});
