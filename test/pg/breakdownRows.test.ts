import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PostgresServer } from '../support/postgresServer';
import { startDemoPostgres } from '../support/demoPostgres';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { resultObjects } from '../../src/shared/queryResult';
import { postgresDialect } from '../../src/sql/dialect';
import { warehouseRunner, type QueryRunner } from '../../src/loaders/queryRunner';
import {
  loadBreakdown,
  loadBreakdownDetails,
  loadBreakdownHistory,
  withHistory,
  type BreakdownResult,
} from '../../src/loaders/breakdownLoader';
import { DEFAULT_CATEGORIES, compileCategories } from '../../src/analysis/errorCategories';
import { classifyText } from '../../src/analysis/textClasses';
import type { BreakdownParams } from '../../src/shared/analysisProtocol';

// The breakdown's rows (distinct sync and row id) per template, per category and in total, its
// whole-log first and last seen and its `new` flags, on a real PostgreSQL server holding the
// demo, against SQL written here: count(distinct) over the exact texts of each group, and min/max
// run start over every failed operation of the template's texts, window or not.

let server: PostgresServer;
let wh: Warehouse;
let run: QueryRunner;
const cats = compileCategories(DEFAULT_CATEGORIES);
const CL = 'hightouch_audit.sync_changelog';
const RUNS = 'hightouch_audit.sync_runs';
const NULL_TEXT = '\u0002null';

const plain = async (sql: string, values: unknown[] = []) =>
  resultObjects(await wh.query(sql, values, { maxRows: 10_000_000 }));
const n = (v: unknown) => Number(v);
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).toISOString());

before(async () => {
  ({ server, wh } = await startDemoPostgres());
  run = warehouseRunner(wh, { dialect: postgresDialect, schema: 'hightouch_audit' });
});

after(async () => {
  await wh?.close();
  await server?.stop();
});

/** Every text of the result with its template and category, classified here. */
const groupsOf = (result: BreakdownResult) =>
  result.texts.map((t) => {
    const c = classifyText(t.reason, cats.compiled);
    return { text: t.reason ?? NULL_TEXT, template: `${c.category}\u0001${c.template}`, category: c.category };
  });

/**
 * Distinct (sync_id, row_id) per group of exact texts, in SQL: the texts and their groups go in as
 * arrays, `extra` narrows the operations (a sync, a window), its values numbered from $3.
 */
async function distinctRowsPerGroup(
  texts: string[],
  groups: string[],
  extra = '',
  values: unknown[] = [],
): Promise<Map<string, number>> {
  const rows = await plain(
    `with m as (select unnest($1::text[]) as t, unnest($2::text[]) as g)
     select m.g, count(distinct (c.sync_id, c.row_id)) as r
     from ${CL} c join m on m.t = coalesce(c.failure_reason, '${NULL_TEXT}')
     where c.status = 'failed' ${extra}
     group by m.g`,
    [texts, groups, ...values],
  );
  return new Map(rows.map((r) => [String(r.g), n(r.r)]));
}

function checkRows(
  result: BreakdownResult,
  expected: { templates: Map<string, number>; categories: Map<string, number> },
  minTemplates = 5,
) {
  const d = result.data;
  assert.ok(d.templates.length >= minTemplates, `templates to compare: ${d.templates.length}`);
  for (const t of d.templates)
    assert.equal(t.rows, expected.templates.get(`${t.category}\u0001${t.template}`), `${t.category}: ${t.template}`);
  for (const c of d.categories) assert.equal(c.rows, expected.categories.get(c.name), c.name);
  assert.ok(
    d.templates.some((t) => t.rows < t.failures),
    'retries: some template has more failures than rows',
  );
}

describe('error breakdown by rows', () => {
  const all: BreakdownParams = { syncId: null, syncRunId: null, source: 'changelog', days: null };

  test('all syncs: rows per template, per category and in total equal count(distinct) in SQL', async () => {
    const result = await loadBreakdown(run, all, cats);
    const g = groupsOf(result);
    const texts = g.map((x) => x.text);
    const templates = await distinctRowsPerGroup(
      texts,
      g.map((x) => x.template),
    );
    const categories = await distinctRowsPerGroup(
      texts,
      g.map((x) => x.category),
    );
    checkRows(result, { templates, categories });
    const [{ r, f }] = await plain(
      `select count(distinct (sync_id, row_id)) as r, count(*) as f from ${CL} where status = 'failed'`,
    );
    assert.deepEqual([result.data.totalRows, result.data.totalFailures], [n(r), n(f)]);
    assert.equal(result.data.rowsUpperBound, false);
    // The overlaps matter: summing per-text rows would have overcounted some group.
    const summed = new Map<string, number>();
    for (const [i, t] of result.texts.entries()) summed.set(g[i].category, (summed.get(g[i].category) ?? 0) + t.rows);
    assert.ok(
      [...summed].some(([c, s]) => s > (categories.get(c) ?? 0)),
      'a row failed with two texts of one category',
    );
    // One row id in two syncs is two rows: the demo's syncs share model rows.
    const [{ shared }] = await plain(
      `select count(*) as shared from (select row_id from ${CL} where status = 'failed' group by row_id having count(distinct sync_id) > 1) x`,
    );
    assert.ok(n(shared) > 0, 'some row id failed in two syncs');
  });

  test('one sync over a window: the rows of the window only', async () => {
    const [{ sync_id: syncId }] = await plain(
      `select sync_id::text as sync_id from ${CL} where status = 'failed' group by 1 order by count(*) desc limit 1`,
    );
    const result = await loadBreakdown(
      run,
      { syncId: String(syncId), syncRunId: null, source: 'changelog', days: 7 },
      cats,
    );
    const since = result.scope.since;
    assert.ok(since);
    const g = groupsOf(result);
    const texts = g.map((x) => x.text);
    const inWindow = `and c.sync_id::text = $3 and c.sync_run_id in (select sync_run_id from ${RUNS} where sync_id::text = $3 and started_at >= $4::timestamptz)`;
    const templates = await distinctRowsPerGroup(
      texts,
      g.map((x) => x.template),
      inWindow,
      [syncId, since],
    );
    const categories = await distinctRowsPerGroup(
      texts,
      g.map((x) => x.category),
      inWindow,
      [syncId, since],
    );
    checkRows(result, { templates, categories }, 2);
    const total = await distinctRowsPerGroup(
      texts,
      texts.map(() => 'all'),
      inWindow,
      [syncId, since],
    );
    assert.equal(result.data.totalRows, total.get('all'));
  });

  test('overlap pairs cut short: figures become upper bounds, flagged; the total stays exact', async () => {
    const exact = await loadBreakdown(run, all, cats);
    const bounded = await loadBreakdown(run, all, cats, { texts: 50_000, pairs: 3 });
    assert.equal(bounded.data.rowsUpperBound, true);
    assert.equal(bounded.data.totalRows, exact.data.totalRows);
    const exactRows = new Map(exact.data.templates.map((t) => [`${t.category}\u0001${t.template}`, t.rows]));
    let above = 0;
    for (const t of bounded.data.templates) {
      const e = exactRows.get(`${t.category}\u0001${t.template}`)!;
      assert.ok(t.rows >= e, t.template);
      if (t.rows > e) above++;
    }
    assert.ok(above > 0, 'the cut left some overlap uncounted');
  });

  test('the snapshot: rows are its failing rows, one text each', async () => {
    const result = await loadBreakdown(run, { ...all, source: 'snapshot' }, cats);
    const per = await plain(
      `select failure_reason, count(*) as c from hightouch_audit.sync_snapshot where status = 'failed' group by 1`,
    );
    const expected = new Map<string, number>();
    for (const p of per) {
      const c = classifyText(p.failure_reason === null ? null : String(p.failure_reason), cats.compiled);
      const key = `${c.category}\u0001${c.template}`;
      expected.set(key, (expected.get(key) ?? 0) + n(p.c));
    }
    for (const t of result.data.templates)
      assert.deepEqual(
        [t.rows, t.failures],
        [expected.get(`${t.category}\u0001${t.template}`), expected.get(`${t.category}\u0001${t.template}`)],
      );
    assert.equal(result.data.totalRows, result.data.totalFailures);
  });
});

describe('whole-log first and last seen, and new templates', () => {
  /** min/max run start per template over every failed operation of the sync, no window, templated here. */
  async function seenInSQL(syncId: string): Promise<Map<string, { first: number; last: number }>> {
    const texts = await plain(
      `select c.failure_reason, min(r.started_at) as first_seen, max(r.started_at) as last_seen
       from ${CL} c join ${RUNS} r on r.sync_run_id = c.sync_run_id
       where c.status = 'failed' and c.sync_id::text = $1 group by 1`,
      [syncId],
    );
    const out = new Map<string, { first: number; last: number }>();
    for (const t of texts) {
      const template = classifyText(t.failure_reason === null ? null : String(t.failure_reason), []).template;
      const g = out.get(template) ?? { first: Infinity, last: -Infinity };
      g.first = Math.min(g.first, Date.parse(iso(t.first_seen)!));
      g.last = Math.max(g.last, Date.parse(iso(t.last_seen)!));
      out.set(template, g);
    }
    return out;
  }

  test('per sync, a 1-day window: first seen never clipped, new exactly when first seen is in the window', async () => {
    const syncs = await plain(`select distinct sync_id::text as sync_id from ${CL} where status = 'failed' order by 1`);
    let newOnes = 0;
    let oldOnes = 0;
    let clipped = 0;
    for (const { sync_id } of syncs) {
      const syncId = String(sync_id);
      const loaded = await loadBreakdown(run, { syncId, syncRunId: null, source: 'changelog', days: 1 }, cats);
      if (loaded.data.totalFailures === 0) continue;
      assert.ok(
        loaded.data.templates.every((t) => t.isNew === null && t.firstSeen === null),
        'unknown until the history is read',
      );
      const details = await loadBreakdownDetails(run, loaded, 'changelog', cats);
      const result = withHistory(
        details.result,
        await loadBreakdownHistory(run, details.result, cats),
        'changelog',
        cats,
      );
      const since = Date.parse(loaded.scope.since!);
      const seen = await seenInSQL(syncId);
      assert.deepEqual(result.data.history, { truncated: false });
      assert.equal(result.data.windowStart, loaded.scope.since);
      for (const t of result.data.templates) {
        const s = seen.get(t.template)!;
        assert.ok(s, t.template);
        assert.equal(Date.parse(t.firstSeen!), s.first, `${syncId} ${t.template}: first seen`);
        assert.equal(Date.parse(t.lastSeen!), s.last, `${syncId} ${t.template}: last seen`);
        assert.equal(t.isNew, s.first >= since, `${syncId} ${t.template}: new`);
        if (t.isNew) newOnes++;
        else oldOnes++;
        if (s.first < since) clipped++;
      }
      // Rows and failures do not move when the follow-ups refine the table.
      assert.deepEqual(
        result.data.templates.map((t) => [t.template, t.rows, t.failures]).sort(),
        loaded.data.templates.map((t) => [t.template, t.rows, t.failures]).sort(),
      );
    }
    assert.ok(newOnes > 0, 'the demo has a template new in the last day');
    assert.ok(oldOnes > 0 && clipped > 0, 'and templates first seen long before the window');
  });

  test('no window: nothing is new; first seen is the template\u2019s earliest failure', async () => {
    const [{ sync_id: syncId }] = await plain(
      `select sync_id::text as sync_id from ${CL} where status = 'failed' group by 1 order by count(*) desc limit 1`,
    );
    const loaded = await loadBreakdown(
      run,
      { syncId: String(syncId), syncRunId: null, source: 'changelog', days: null },
      cats,
    );
    const result = withHistory(loaded, await loadBreakdownHistory(run, loaded, cats), 'changelog', cats);
    assert.equal(result.data.windowStart, null);
    assert.ok(result.data.templates.every((t) => t.isNew === false));
    const seen = await seenInSQL(String(syncId));
    for (const t of result.data.templates.slice(0, 10))
      assert.equal(Date.parse(t.firstSeen!), seen.get(t.template)!.first, t.template);
    // A history cut to its newest-first texts says so.
    const cut = await loadBreakdownHistory(run, loaded, cats, 2);
    assert.equal(cut.truncated, true);
    assert.equal(cut.texts.length, 2);
  });
});
