import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clauseAt, frameAtOffset, resolveQualifier, scopeAt, visibleSources } from '../../src/server/sqlScope';

/** The scope and offset of a statement written with `|` for the cursor. */
function at(withCursor: string) {
  const offset = withCursor.indexOf('|');
  const text = withCursor.slice(0, offset) + withCursor.slice(offset + 1);
  return { scope: scopeAt(text, offset), offset };
}

describe('sqlScope', () => {
  it('finds tables and aliases in FROM and JOIN, with or without AS', () => {
    const { scope } = at(
      'select | from hightouch_audit.sync_changelog c join hightouch_audit.sync_runs as r on c.sync_run_id = r.sync_run_id, other',
    );
    assert.deepEqual(
      scope.refs.map((r) => [r.kind, r.schema, r.name, r.alias]),
      [
        ['table', 'hightouch_audit', 'sync_changelog', 'c'],
        ['table', 'hightouch_audit', 'sync_runs', 'r'],
        ['table', undefined, 'other', undefined],
      ],
    );
    assert.equal(scope.joins.length, 1);
  });

  it('knows CTE names, derived tables and quoted names', () => {
    const { scope } = at(
      'with "Recent" as (select * from hightouch_audit.sync_runs), b (x) as (select 1) select * from "Recent" r, (select 1) d |',
    );
    assert.deepEqual([...scope.ctes], ['recent', 'b']);
    const top = scope.frames[0].sources.map((s) => [s.kind, s.name, s.alias]);
    assert.deepEqual(top, [
      ['cte', 'recent', 'r'],
      ['derived', '', 'd'],
    ]);
  });

  it('tells the clause at the cursor', () => {
    const q = (s: string) => {
      const { scope, offset } = at(s);
      return clauseAt(scope, offset);
    };
    assert.equal(q('select a, | from t'), 'select');
    assert.equal(q('select a from t where x = 1 and |'), 'where');
    assert.equal(q('select a from t group by |'), 'group by');
    assert.equal(q('select a from t order by |'), 'order by');
    assert.equal(q('select a from t join u on |'), 'on');
    assert.equal(q('select count(|) from t'), 'select');
    assert.equal(q('select a from t where x in (select | from u)'), 'select');
  });

  it('does not take extract(... from ...) for a FROM clause', () => {
    const { scope } = at('select extract(epoch from started_at) from hightouch_audit.sync_runs |');
    assert.deepEqual(
      scope.refs.map((r) => r.name),
      ['sync_runs'],
    );
  });

  it('sees sources of the enclosing query from a correlated subquery, not from a CTE body', () => {
    const sub = at(
      'select * from hightouch_audit.sync_runs r where exists (select 1 from hightouch_audit.sync_changelog c where c.sync_run_id = |)',
    );
    const names = visibleSources(sub.scope, frameAtOffset(sub.scope, sub.offset)).map((s) => s.name);
    assert.deepEqual(names, ['sync_changelog', 'sync_runs']);
    const cte = at('with x as (select | from hightouch_audit.sync_runs) select * from x');
    assert.deepEqual(
      visibleSources(cte.scope, frameAtOffset(cte.scope, cte.offset)).map((s) => s.name),
      ['sync_runs'],
    );
  });

  it('resolves a qualifier by alias, or by table name when there is no alias', () => {
    const { scope } = at('select | from hightouch_audit.sync_runs join hightouch_audit.sync_changelog c on true');
    assert.equal(resolveQualifier(scope, 0, 'sync_runs')?.name, 'sync_runs');
    assert.equal(resolveQualifier(scope, 0, 'C')?.name, 'sync_changelog');
    assert.equal(resolveQualifier(scope, 0, 'sync_changelog'), undefined);
  });

  it('survives half-typed statements', () => {
    for (const s of [
      'select * from hightouch_audit.|',
      'select * from (|',
      'with x as (|',
      'select a from t join |',
      'select ) ) from ( |',
    ]) {
      assert.doesNotThrow(() => at(s), s);
    }
  });
});
