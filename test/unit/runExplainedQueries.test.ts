import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Parser } from 'node-sql-parser';
import { DIALECT_KINDS, dialectFor, type DialectKind } from '../../src/sql/dialects';
import type { Dialect, SqlQuery } from '../../src/sql/dialect';
import type { SyncLogLocation } from '../../src/sql/syncLogTables';
import { documentedShape, type SyncLogShape } from '../../src/sql/syncLogShape';
import {
  MAX_RUN_ROWS,
  runAndPreviousQuery,
  runComparisonQuery,
  runFailureTextsQuery,
  runOpCountsQuery,
  runRowsQuery,
} from '../../src/sql/runExplainedQueries';
import type { RunRowsSelector } from '../../src/shared/runExplainedData';
import { placeholders } from '../support/placeholders';
import { PARSER_DB, forParser } from '../support/sqlParser';

// Run Explained's builders in every dialect: bound values in order, one run order (start, then
// id), the deployment's failure-text column, selectors checked before they become literals, and
// SQL that parses.

const DIALECTS = DIALECT_KINDS.map(dialectFor);
const DATABASE: Record<DialectKind, string | undefined> = {
  postgres: undefined,
  redshift: 'analytics',
  snowflake: 'analytics',
  bigquery: 'my-project',
  databricks: 'analytics',
};
const legacyShape: SyncLogShape = { ...documentedShape(false), failureReason: 'failed_reason', fromCatalog: true };
const locFor = (d: Dialect, shape?: SyncLogShape, database = DATABASE[d.name]): SyncLogLocation => ({
  dialect: d,
  schema: 'hightouch_audit',
  database,
  shape,
});
const SELECTORS: RunRowsSelector[] = [
  ...(['added', 'changed', 'removed'] as const).flatMap((opType) =>
    (['planned', 'succeeded', 'failed', 'aborted'] as const).map((status): RunRowsSelector => ({
      kind: 'op',
      opType,
      status,
    })),
  ),
  ...(['newlyFailing', 'recovered', 'stillFailing'] as const).map((which): RunRowsSelector => ({
    kind: 'compare',
    which,
  })),
];

function queries(loc: SyncLogLocation): Record<string, SqlQuery> {
  const out: Record<string, SqlQuery> = {
    runAndPrevious: runAndPreviousQuery(loc, 'R9'),
    opCounts: runOpCountsQuery(loc, '4', 'R9'),
    comparison: runComparisonQuery(loc, '4', 'R9', 'R8'),
    failureTexts: runFailureTextsQuery(loc, '4', 'R9', 100),
  };
  for (const s of SELECTORS)
    out[`rows ${JSON.stringify(s)}`] = runRowsQuery(loc, {
      syncId: '4',
      syncRunId: 'R9',
      previousRunId: 'R8',
      selector: s,
      limit: 50,
    });
  return out;
}

test('placeholders are numbered in order of appearance and match the values, in every dialect', () => {
  for (const d of DIALECTS) {
    for (const [name, q] of Object.entries(queries(locFor(d)))) {
      assert.deepEqual(
        placeholders(d, q.text),
        q.values.map((_, i) => i + 1),
        `${d.name} ${name}`,
      );
    }
  }
  const pg = queries(locFor(dialectFor('postgres')));
  assert.deepEqual(
    pg.comparison.values,
    ['4', 'R8', '4', 'R9'],
    'the previous run is bound first: it comes first in the text',
  );
  assert.deepEqual(pg.failureTexts.values, ['R9', '4', 101], 'limit + 1: the caller sees the cut');
  assert.deepEqual(pg['rows {"kind":"compare","which":"recovered"}'].values, ['4', 'R8', '4', 'R9', 51]);
});

test('hostile ids are bound, never in the text; selectors from a webview are checked before becoming literals', () => {
  const hostile = "R9'; drop table x; --";
  for (const d of DIALECTS) {
    const loc = locFor(d);
    for (const q of [
      runAndPreviousQuery(loc, hostile),
      runOpCountsQuery(loc, hostile, hostile),
      runComparisonQuery(loc, hostile, hostile, hostile),
      runFailureTextsQuery(loc, hostile, hostile),
      runRowsQuery(loc, {
        syncId: hostile,
        syncRunId: hostile,
        previousRunId: hostile,
        selector: { kind: 'compare', which: 'recovered' },
        limit: 5,
      }),
    ]) {
      assert.ok(!q.text.includes(hostile), d.name);
      assert.ok(q.values.includes(hostile), d.name);
    }
  }
  const pg = locFor(dialectFor('postgres'));
  const rows = (selector: unknown, previousRunId?: string) =>
    runRowsQuery(pg, { syncId: '4', syncRunId: 'R9', previousRunId, selector: selector as RunRowsSelector, limit: 5 });
  assert.throws(() => rows({ kind: 'op', opType: "added' or 1=1 --", status: 'failed' }), /Invalid op type/);
  assert.throws(() => rows({ kind: 'op', opType: 'added', status: "failed' or 1=1 --" }), /Invalid status/);
  assert.throws(() => rows({ kind: 'compare', which: 'everything' }, 'R8'), /Invalid comparison/);
  assert.throws(() => rows({ kind: 'compare', which: 'recovered' }), /first run/);
  assert.throws(
    () =>
      runRowsQuery(pg, {
        syncId: '4',
        syncRunId: 'R9',
        selector: { kind: 'op', opType: 'added', status: 'planned' },
        limit: 1.5,
      }),
    /Invalid limit/,
  );
  assert.equal(MAX_RUN_ROWS, 500);
});

test('run order is start then sync_run_id; changelog joined to runs on sync_run_id only; the bars add up', () => {
  for (const d of DIALECTS) {
    for (const [name, q] of Object.entries(queries(locFor(d)))) {
      assert.doesNotMatch(
        q.text,
        /on [a-z]+\.sync_id = [a-z]+\.sync_id[\s\S]*sync_changelog|join [^\n]*sync_runs[^\n]*\n?[^\n]*on r\.sync_id = c\.sync_id/,
        `${d.name} ${name}: changelog never joined on sync_id`,
      );
      assert.doesNotMatch(q.text, /count\(case[^)]*else 0/i, `${d.name} ${name}: the dbt package's bug`);
      assert.doesNotMatch(q.text, /\bleast\(|\bgreatest\(|qualify/i, `${d.name} ${name}: one text for every dialect`);
    }
    const q = queries(locFor(d));
    assert.match(q.runAndPrevious.text, /order by r\.started_at desc, r\.sync_run_id desc/, d.name);
    const before = '(r.started_at < t.started_at or (r.started_at = t.started_at and r.sync_run_id < t.sync_run_id))';
    assert.ok(q.runAndPrevious.text.includes(before), d.name);
    assert.ok(q.failureTexts.text.includes(before), d.name);
    assert.match(q.failureTexts.text, /join \S+ r on r\.sync_run_id = c\.sync_run_id\n/, d.name);
    // Aborted is "planned, not attempted": every status but the two attempted outcomes, NULL too.
    assert.match(
      q['rows {"kind":"op","opType":"added","status":"aborted"}'].text,
      /and \(c\.status is null or c\.status not in \('succeeded', 'failed'\)\)/,
      d.name,
    );
    assert.doesNotMatch(
      q['rows {"kind":"op","opType":"added","status":"planned"}'].text,
      /where[\s\S]*c\.status/,
      `${d.name}: planned is every status`,
    );
  }
});

test("the deployment's failure-text column, selected as failure_reason", () => {
  for (const d of DIALECTS) {
    const q = queries(locFor(d, legacyShape));
    assert.match(q.failureTexts.text, /select c\.failed_reason as failure_reason,/, d.name);
    assert.match(q.failureTexts.text, /group by c\.failed_reason\n/, d.name);
    assert.match(
      q['rows {"kind":"compare","which":"recovered"}'].text,
      /max\(pc\.failed_reason\) as previous_reason/,
      d.name,
    );
    for (const [name, text] of Object.entries(q).map(([n, x]) => [n, x.text]))
      assert.doesNotMatch(text, /\.failure_reason\b(?! as| is| in|,\n|\n| =)/, `${d.name} ${name}`);
  }
});

for (const d of DIALECTS) {
  test(`every Run Explained builder's ${d.name} SQL parses (node-sql-parser '${PARSER_DB[d.name]}')`, () => {
    const parser = new Parser();
    // The parser's hive mode rejects three-part names (see test/support/sqlParser.ts).
    // Written out, not through locFor: its default would turn an explicit undefined back into the catalog.
    const database = d.name === 'databricks' ? undefined : DATABASE[d.name];
    for (const shape of [undefined, legacyShape]) {
      for (const [name, q] of Object.entries(queries({ dialect: d, schema: 'hightouch_audit', database, shape }))) {
        assert.doesNotThrow(
          () => parser.astify(forParser(d, q.text), { database: PARSER_DB[d.name] }),
          `${d.name} ${name}:\n${q.text}`,
        );
      }
    }
  });
}
