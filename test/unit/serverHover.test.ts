import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../src/server/hover';
import type { Catalog } from '../../src/shared/catalog';
import type { DialectKind } from '../../src/shared/connection';
import type { ServerOptions } from '../../src/server/schemaModel';

const opts = (dialect: DialectKind = 'postgres', catalog?: Catalog): ServerOptions => ({
  dialect,
  schema: 'hightouch_audit',
  catalog,
});

/** Hover at the `|` in the text, with the hovered text. */
function at(withCursor: string, o = opts()) {
  const offset = withCursor.indexOf('|');
  const text = withCursor.slice(0, offset) + withCursor.slice(offset + 1);
  const h = hover(text, offset, o);
  return h && { markdown: h.markdown, word: text.slice(h.start, h.end) };
}

describe('hover', () => {
  it('explains a table by its name and by its alias', () => {
    const byName = at('select * from hightouch_audit.sync_chan|gelog c');
    assert.equal(byName?.word, 'sync_changelog');
    assert.match(byName?.markdown ?? '', /One row per operation/);
    assert.match(byName?.markdown ?? '', /sync_run_id/);
    assert.match(
      at('select |c.row_id from hightouch_audit.sync_changelog c')?.markdown ?? '',
      /hightouch_audit\.sync_changelog/,
    );
  });

  it('explains a column with its documented type and allowed values', () => {
    const h = at('select c.op_t|ype from hightouch_audit.sync_changelog c');
    assert.equal(h?.word, 'op_type');
    assert.match(h?.markdown ?? '', /sync_changelog\.op_type/);
    assert.match(h?.markdown ?? '', /`added`, `changed`, `removed`/);
    assert.match(h?.markdown ?? '', /\(documented\)/);
  });

  it('shows the type on the active connection from the catalog', () => {
    const catalog: Catalog = {
      tables: [
        { schema: 'HIGHTOUCH_AUDIT', name: 'SYNC_RUNS', columns: [{ name: 'STARTED_AT', type: 'TIMESTAMP_NTZ' }] },
      ],
    };
    const h = at('SELECT STARTED|_AT FROM HIGHTOUCH_AUDIT.SYNC_RUNS', opts('snowflake', catalog));
    assert.match(h?.markdown ?? '', /`TIMESTAMP_NTZ` \(on this connection\)/);
  });

  it('lists both meanings of an ambiguous unqualified column', () => {
    const h = at(
      'select stat|us from hightouch_audit.sync_changelog c join hightouch_audit.sync_runs r on c.sync_run_id = r.sync_run_id',
    );
    assert.match(h?.markdown ?? '', /sync_changelog\.status[\s\S]*---[\s\S]*sync_runs\.status/);
  });

  it('says fields is absent on Redshift', () => {
    assert.match(
      at('select c.fie|lds from hightouch_audit.sync_changelog c', opts('redshift'))?.markdown ?? '',
      /Absent on redshift|not on this connection/,
    );
  });

  it('lists the values a compared string may take', () => {
    const h = at("select * from hightouch_audit.sync_snapshot s where s.op_type = 'remo|ved'");
    assert.match(h?.markdown ?? '', /`added`, `changed`, `unchanged`/);
    assert.match(h?.markdown ?? '', /`removed` is not one of them/);
  });

  it('returns nothing for keywords, unknown tables and whitespace, and never throws', () => {
    assert.equal(at('sel|ect 1'), undefined);
    assert.equal(at('select u.na|me from analytics.users u'), undefined);
    const text = "select c. from hightouch_audit.sync_changelog c where c.status = 'x";
    for (let i = 0; i <= text.length; i++) assert.doesNotThrow(() => hover(text, i, opts()));
  });
});
