import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../support/postgresServer';
import { openPostgresWarehouse } from '../../src/warehouse/postgres/postgresWarehouse';
import type { Warehouse } from '../../src/warehouse/warehouse';
import { createTablesSql } from '../../src/demo/schema';
import { postgresDialect } from '../../src/sql/dialect';
import { runChangelogSql } from '../../src/sql/runQueryText';
import { excludeFailedRowsSql } from '../../src/sql/excludeFailedRows';

// The SQL Open Run Query and Exclude Previously Failed Rows put in an editor is run by the user
// later, in a session whose standard_conforming_strings we cannot see (a role or database
// setting, a legacy server). On a real server, with the setting off (a role setting) and on, the
// text runs as exactly one statement, finds the rows of the hostile id stored by bound values,
// and never runs what a crafted id smuggles in.

/** Ends the string where a backslash escapes, then leaves the rest of the text valid SQL. */
const RUN_QUERY_PAYLOAD =
  "\\'; drop table public.canary; insert into public.injected values (1); select 1 from hightouch_audit.sync_changelog c where true --";
const EXCLUDE_PAYLOAD =
  "\\' ); drop table public.canary; insert into public.injected values (1); select 1 from hightouch_audit.sync_snapshot s, (select 1 as id) m where (true --";

const HOSTILE = [
  RUN_QUERY_PAYLOAD,
  EXCLUDE_PAYLOAD,
  "plain'quote",
  'back\\slash',
  '\\',
  'ends with a backslash\\',
  '\\\\double',
  "\\x41\\101 \\n \\' ''",
  "E'x'",
  'line\nbreak\r\nand -- a comment',
  '$$ dollar $$',
  'é ü 中 \u2028 \u202e',
];

let server: PostgresServer;
let admin: pg.Client;
/** Connects as the role whose sessions have standard_conforming_strings off. */
let legacyUrl: string;

before(async () => {
  server = await startPostgres();
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(createTablesSql('hightouch_audit'));
  await admin.query('create table public.model_rows (id int)');
  await admin.query(`insert into public.model_rows select generate_series(0, ${HOSTILE.length - 1})`);
  for (const [k, h] of HOSTILE.entries()) {
    // Run A: the hostile value is the sync id; run B: it is the run id. Stored by bound values, exactly.
    for (const [syncId, runId, tag] of [
      [h, `run-${k}`, 'a'],
      [`sync-${k}`, h, 'b'],
    ]) {
      await admin.query(
        `insert into hightouch_audit.sync_runs (sync_id, sync_run_id, model_name, destination, status, started_at) values ($1, $2, 'm', 'd', 'succeeded', now())`,
        [syncId, runId],
      );
      for (const n of [1, 2]) {
        await admin.query(
          `insert into hightouch_audit.sync_changelog (sync_id, sync_run_id, op_type, row_id, status) values ($1, $2, 'added', $3, 'succeeded')`,
          [syncId, runId, `${k}${tag}${n}`],
        );
      }
    }
    await admin.query(
      `insert into hightouch_audit.sync_snapshot (sync_id, op_type, row_id, status) values ($1, 'added', $2, 'failed')`,
      [h, String(k)],
    );
  }
  await admin.query('create role legacy_strings login superuser');
  await admin.query('alter role legacy_strings set standard_conforming_strings = off');
  legacyUrl = server.url.replace('//postgres@', '//legacy_strings@');
});

after(async () => {
  await admin?.end();
  await server?.stop();
});

// Recreated before each case so one failure does not hide the others.
beforeEach(async () => {
  await admin.query(
    'drop table if exists public.canary; create table public.canary (x int); drop table if exists public.injected; create table public.injected (x int)',
  );
});

async function assertNothingInjected(what: string): Promise<void> {
  const { rows } = await admin.query(
    "select to_regclass('public.canary') is not null as canary, (select count(*)::int from public.injected) as injected",
  );
  assert.deepEqual(rows[0], { canary: true, injected: 0 }, `${what}: no injected statement ran`);
}

/**
 * Runs the editor text as a user's client would (simple protocol: several statements are allowed),
 * checks first that nothing injected ran, then that there was exactly one statement.
 */
async function runAsOneStatement(client: pg.Client, text: string, what: string): Promise<Record<string, unknown>[]> {
  const result = (await client.query(text).finally(() => assertNothingInjected(what))) as
    pg.QueryResult | pg.QueryResult[];
  assert.ok(!Array.isArray(result), `one statement, not ${Array.isArray(result) ? result.length : 1}:\n${text}`);
  return result.rows;
}

const SETTINGS = [
  { name: 'off (a role setting)', url: () => legacyUrl, expect: 'off' },
  { name: 'on', url: () => server.url, expect: 'on' },
] as const;

for (const setting of SETTINGS) {
  describe(`standard_conforming_strings ${setting.name}`, () => {
    let client: pg.Client;
    let wh: Warehouse;
    before(async () => {
      client = new pg.Client({ connectionString: setting.url() });
      await client.connect();
      const { rows } = await client.query('show standard_conforming_strings');
      assert.equal(rows[0].standard_conforming_strings, setting.expect);
      wh = await openPostgresWarehouse({ connectionString: setting.url() });
    });
    after(async () => {
      await client?.end();
      await wh?.close();
    });

    for (const [k, h] of HOSTILE.entries()) {
      const what = JSON.stringify(h);
      test(`Open Run Query, ${what}: one statement, that id's rows, nothing injected`, async () => {
        for (const [syncId, syncRunId, tag] of [
          [h, `run-${k}`, 'a'],
          [`sync-${k}`, h, 'b'],
        ]) {
          const text = runChangelogSql({
            dialect: postgresDialect,
            schema: 'hightouch_audit',
            syncId,
            syncRunId,
            modelName: h,
            destination: h,
            startedAt: h,
          });
          const rows = await runAsOneStatement(client, text, what);
          assert.deepEqual(
            rows.map((r) => r.row_id),
            [`${k}${tag}1`, `${k}${tag}2`],
            `as the ${tag === 'a' ? 'sync' : 'run'} id`,
          );
        }
      });

      test(`Exclude Previously Failed Rows, ${what}: one statement, exactly that sync's failed row removed, nothing injected`, async () => {
        const text = excludeFailedRowsSql(
          { dialect: postgresDialect, schema: 'hightouch_audit' },
          {
            modelSql: 'select id from public.model_rows order by id',
            syncId: h,
            primaryKey: 'id',
            variant: 'snapshotFailed',
          },
        );
        const rows = await runAsOneStatement(client, text, what);
        assert.deepEqual(
          rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b)),
          HOSTILE.map((_, i) => i).filter((i) => i !== k),
        );
      });

      test(`through the extension's own Postgres adapter (what Run Query uses), ${what}`, async () => {
        const text = runChangelogSql({
          dialect: postgresDialect,
          schema: 'hightouch_audit',
          syncId: `sync-${k}`,
          syncRunId: h,
          modelName: 'm',
          destination: 'd',
          startedAt: null,
        });
        const result = await wh.query(text).finally(() => assertNothingInjected(what));
        const rowId = result.columns.findIndex((c) => c.name === 'row_id');
        assert.deepEqual(
          result.rows.map((r) => r[rowId]),
          [`${k}b1`, `${k}b2`],
        );
      });
    }
  });
}
