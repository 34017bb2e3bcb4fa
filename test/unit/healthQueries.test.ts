import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Parser } from 'node-sql-parser';
import { DIALECT_KINDS, dialectFor } from '../../src/sql/dialects/index';
import { documentedShape } from '../../src/sql/syncLogShape';
import type { SyncLogLocation } from '../../src/sql/syncLogTables';
import { healthRowsQuery, healthRunsQuery, healthSnapshotQuery, healthTextsQuery } from '../../src/sql/healthQueries';
import { placeholders } from '../support/placeholders';
import { PARSER_DB, forParser } from '../support/sqlParser';

const SINCE = '2026-11-01T10:00:00.000Z';
const all = (loc: SyncLogLocation) => ({
  runs: healthRunsQuery(loc, { since: SINCE }),
  runsAll: healthRunsQuery(loc, {}),
  runsNoCounters: healthRunsQuery({ ...loc, shape: { ...documentedShape(), runCounters: false } }, { since: SINCE }),
  snapshot: healthSnapshotQuery(loc),
  rows: healthRowsQuery(loc, { since: SINCE }, 3),
  rowsAll: healthRowsQuery(loc, {}, 5),
  texts: healthTextsQuery(loc, { since: SINCE }),
  textsAll: healthTextsQuery(loc, {}),
});

for (const d of DIALECT_KINDS.map(dialectFor)) {
  test(`health builders: ${d.name} SQL parses, placeholders in order`, () => {
    const parser = new Parser();
    for (const [name, q] of Object.entries(all({ dialect: d, schema: 'hightouch_audit' }))) {
      assert.doesNotThrow(() => parser.astify(forParser(d, q.text), { database: PARSER_DB[d.name] }), `${d.name} ${name}:\n${q.text}`);
      const used = placeholders(d, q.text);
      assert.deepEqual([...new Set(used)], q.values.map((_, i) => i + 1), `${d.name} ${name}`);
    }
  });
}

test('K is validated; no window means no bound values in the row figures', () => {
  const loc = { dialect: dialectFor('postgres'), schema: 'hightouch_audit' };
  assert.throws(() => healthRowsQuery(loc, {}, 0), /minimum failures/);
  assert.equal(healthRowsQuery(loc, {}, 3).values.length, 0);
  assert.ok(healthRowsQuery(loc, { since: SINCE }, 3).values.every((v) => v === SINCE));
  assert.throws(() => healthTextsQuery(loc, { since: 'nope' }), /Invalid "since"/);
});
