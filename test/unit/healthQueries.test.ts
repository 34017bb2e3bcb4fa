import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Parser } from 'node-sql-parser';
import { DIALECT_KINDS, dialectFor } from '../../src/sql/dialects/index';
import { documentedShape } from '../../src/sql/syncLogShape';
import type { SyncLogLocation } from '../../src/sql/syncLogTables';
import { healthRunsQuery, healthSnapshotQuery } from '../../src/sql/healthQueries';
import { MAX_SLICE_RUN_IDS } from '../../src/sql/healthSlice';
import { healthRowStreakQuery, healthStuckQuery } from '../../src/sql/healthStuckQuery';
import { healthTextsQuery } from '../../src/sql/healthTextsQuery';
import { healthWindowQuery } from '../../src/sql/healthWindowQuery';
import { placeholders } from '../support/placeholders';
import { PARSER_DB, forParser } from '../support/sqlParser';

const SINCE = '2026-11-01T10:00:00.000Z';
const PRIOR_FROM = '2026-10-31T10:00:00.000Z';
const all = (loc: SyncLogLocation) => ({
  runs: healthRunsQuery(loc, { since: SINCE }, 5),
  runsAll: healthRunsQuery(loc, {}, 5),
  runsNoCounters: healthRunsQuery({ ...loc, shape: { ...documentedShape(), runCounters: false } }, { since: SINCE }, 5),
  snapshot: healthSnapshotQuery(loc),
  stuck: healthStuckQuery(loc, { since: SINCE, priorRunIds: ['r1', 'r2'] }, 3),
  stuckFrom: healthStuckQuery(loc, { since: SINCE, priorFrom: PRIOR_FROM }, 3),
  stuckWindowOnly: healthStuckQuery(loc, { since: SINCE }, 3),
  stuckAll: healthStuckQuery(loc, {}, 5),
  streak: healthRowStreakQuery(
    loc,
    { since: SINCE, priorRunIds: ['r1'] },
    [
      { syncId: '1', rowId: 'a' },
      { syncId: '1', rowId: 'b' },
      { syncId: '2', rowId: 'a' },
    ],
    3,
  ),
  texts: healthTextsQuery(loc, { since: SINCE }),
  textsAll: healthTextsQuery(loc, {}),
  window: healthWindowQuery(loc, { since: SINCE, priorRunIds: ['r1'] }),
  windowAll: healthWindowQuery(loc, {}),
});

for (const d of DIALECT_KINDS.map(dialectFor)) {
  test(`health builders: ${d.name} SQL parses, placeholders in order`, () => {
    const parser = new Parser();
    for (const [name, q] of Object.entries(all({ dialect: d, schema: 'hightouch_audit' }))) {
      assert.doesNotThrow(
        () => parser.astify(forParser(d, q.text), { database: PARSER_DB[d.name] }),
        `${d.name} ${name}:\n${q.text}`,
      );
      const used = placeholders(d, q.text);
      assert.deepEqual(
        [...new Set(used)],
        q.values.map((_, i) => i + 1),
        `${d.name} ${name}`,
      );
    }
  });
}

test('K is validated; no window means no bound values but the texts limit', () => {
  const loc = { dialect: dialectFor('postgres'), schema: 'hightouch_audit' };
  assert.throws(() => healthStuckQuery(loc, {}, 0), /minimum failures/);
  assert.deepEqual(healthStuckQuery(loc, {}, 3).values, []);
  assert.deepEqual(healthTextsQuery(loc, {}).values, [20_001]);
  assert.deepEqual(healthWindowQuery(loc, {}).values, []);
  assert.throws(() => healthStuckQuery(loc, { since: 'nope' }, 3), /Invalid "since"/);
  assert.throws(() => healthRunsQuery(loc, { since: 'nope' }), /Invalid "since"/);
});

test('the slice names the runs before the window, or starts at a time when they are too many', () => {
  const loc = { dialect: dialectFor('postgres'), schema: 'hightouch_audit' };
  const named = healthStuckQuery(loc, { since: SINCE, priorRunIds: ['r1', 'r2'] }, 3);
  assert.deepEqual(
    named.values.filter((v) => v === 'r1' || v === 'r2'),
    ['r1', 'r2', 'r1', 'r2'],
  );
  const from = healthStuckQuery(loc, { since: SINCE, priorFrom: PRIOR_FROM }, 3);
  assert.ok(from.values.includes(PRIOR_FROM));
  const many = Array.from({ length: MAX_SLICE_RUN_IDS + 1 }, (_, i) => `r${i}`);
  assert.throws(() => healthStuckQuery(loc, { since: SINCE, priorRunIds: many }, 3), /Too many runs/);
  // Time reaches sync_runs only through sync_run_id: never by joining the changelog on sync_id.
  assert.doesNotMatch(named.text, /on \w+\.sync_id = c\.sync_id and \w+\.started_at/);
});
