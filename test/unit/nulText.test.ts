import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RefusedValueError, firstNulProblem, nulProblem, refuseNul } from '../../src/sql/nulText';
import { binder } from '../../src/sql/binds';
import { DIALECT_KINDS, dialectFor } from '../../src/sql/dialects';
import type { SqlQuery } from '../../src/sql/dialect';
import { rowTimelineQuery } from '../../src/sql/rowTimelineQuery';
import type { QueryRunner } from '../../src/loaders/queryRunner';
import { breakdownDriver, flappingDriver, modelDriver, timelineDriver } from '../../src/panels/analysisDrivers';

test('a NUL in a typed value is refused with a message that names the value and says what to do', () => {
  assert.equal(nulProblem('abc', 'row ID', 'postgres'), undefined);
  assert.equal(nulProblem('', 'row ID', 'postgres'), undefined);
  assert.equal(nulProblem(null, 'sync ID', 'postgres'), undefined);
  assert.equal(
    nulProblem('a\u0000b', 'row ID', 'postgres'),
    'The row ID contains a NUL character (U+0000), which Postgres cannot store in text; remove it.',
  );
  assert.equal(
    nulProblem('\u0000', 'row ID', 'demo'),
    'The row ID contains a NUL character (U+0000), which Postgres cannot store in text; remove it.',
  );
  assert.equal(
    nulProblem('x\u0000', 'sync ID', 'redshift'),
    'The sync ID contains a NUL character (U+0000), which Redshift cannot store in text; remove it.',
  );
  for (const where of ['snowflake', 'bigquery', 'databricks', undefined] as const) {
    assert.match(
      nulProblem('\u0000', 'row ID', where) ?? '',
      /^The row ID contains a NUL character \(U\+0000\), an invisible control character.*; remove it\.$/,
    );
  }
  // Other control characters and look-alikes are ordinary text.
  for (const ok of ['\u0001', '\\0', '\u2400', '%00', '\u{10000}'])
    assert.equal(nulProblem(ok, 'row ID', 'postgres'), undefined, JSON.stringify(ok));
});

test('the first offending value is reported, in the order given; refuseNul throws it', () => {
  assert.equal(
    firstNulProblem({ 'row ID': 'ok', 'sync ID': '4\u00002' }, 'postgres'),
    'The sync ID contains a NUL character (U+0000), which Postgres cannot store in text; remove it.',
  );
  assert.match(firstNulProblem({ 'row ID': '\u0000', 'sync ID': '\u0000' }) ?? '', /^The row ID/);
  assert.equal(firstNulProblem({ 'row ID': 'ok', 'sync ID': null }), undefined);
  assert.throws(
    () => refuseNul({ 'row ID': 'a\u0000' }, 'postgres'),
    (err: Error) => err instanceof RefusedValueError && /row ID contains a NUL/.test(err.message),
  );
});

test('no Postgres or Redshift statement is ever built with a NUL in a bound value', () => {
  for (const kind of DIALECT_KINDS) {
    const refuses = kind === 'postgres' || kind === 'redshift';
    const b = binder(dialectFor(kind));
    assert.equal(b.bind('fine'), dialectFor(kind).param(1));
    for (const bad of ['a\u0000b', ['ok', '\u0000']]) {
      if (refuses)
        assert.throws(
          () => b.bind(bad),
          /The value contains a NUL character \(U\+0000\), which (Postgres|Redshift) cannot store in text; remove it\./,
          kind,
        );
      else assert.doesNotThrow(() => b.bind(bad), kind);
    }
    if (refuses)
      assert.throws(
        () => rowTimelineQuery({ dialect: dialectFor(kind), schema: 's' }, { rowId: '7\u0000', limit: 10 }),
        RefusedValueError,
      );
  }
});

/** A runner that records what reaches the warehouse and answers nothing. */
function recordingRunner(kind: 'postgres' | 'snowflake' = 'postgres'): QueryRunner & { sent: SqlQuery[] } {
  const sent: SqlQuery[] = [];
  return { loc: { dialect: dialectFor(kind), schema: 'hightouch_audit' }, sent, rows: async (q) => (sent.push(q), []) };
}
// The drivers never touch the panel before refusing; a bare object stands in for it.
const panel = {} as never;

test('panels refuse a NUL from the search box or a webview message on the host, before any query', async () => {
  for (const kind of ['postgres', 'snowflake'] as const) {
    const timeline = recordingRunner(kind);
    await assert.rejects(
      timelineDriver().load(timeline, { rowId: 'cus_\u0000123', syncId: null }, panel),
      /^RefusedValueError: The row ID contains a NUL character \(U\+0000\)/,
    );
    await assert.rejects(
      timelineDriver().load(timeline, { rowId: 'ok', syncId: '4\u0000' }, panel),
      /The sync ID contains a NUL/,
    );
    const flapping = recordingRunner(kind);
    await assert.rejects(
      flappingDriver().load(flapping, { syncId: '\u0000', days: 7, orderBy: 'operations' }, panel),
      /The sync ID contains a NUL/,
    );
    const model = recordingRunner(kind);
    await assert.rejects(modelDriver().load(model, { syncId: '\u0000', days: 7 }, panel), /The sync ID contains a NUL/);
    const breakdown = recordingRunner(kind);
    // Refused before the categories are even read: the container and category config are never touched.
    await assert.rejects(
      breakdownDriver({} as never, {} as never).load(
        breakdown,
        { syncId: '1', syncRunId: 'r\u0000', source: 'changelog', days: 7 },
        panel,
      ),
      /The run ID contains a NUL/,
    );
    assert.deepEqual(
      [...timeline.sent, ...flapping.sent, ...model.sent, ...breakdown.sent],
      [],
      `${kind}: nothing reached the warehouse`,
    );
  }
  // A clean search goes on to the warehouse.
  const ok = recordingRunner();
  await timelineDriver().load(ok, { rowId: 'cus_123', syncId: null }, panel);
  assert.ok(ok.sent.length > 0);
});
