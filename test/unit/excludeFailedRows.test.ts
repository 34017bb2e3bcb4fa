import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Parser } from 'node-sql-parser';
import type { Dialect } from '../../src/sql/dialect';
import {
  bigqueryDialect,
  databricksDialect,
  DIALECT_KINDS,
  dialectFor,
  postgresDialect,
  redshiftDialect,
  snowflakeDialect,
  type DialectKind,
} from '../../src/sql/dialects/index';
import { documentedShape } from '../../src/sql/syncLogShape';
import {
  EXCLUDE_VARIANTS,
  excludeFailedRowsSql,
  modelBody,
  type ExcludeFailedRowsSpec,
  type ExcludeVariant,
} from '../../src/sql/excludeFailedRows';
import { PARSER_DB, forParser } from '../support/sqlParser';

const DIALECTS = DIALECT_KINDS.map(dialectFor);
const loc = (d: Dialect, database?: string) => ({ dialect: d, schema: 'hightouch_audit', database });
const sql = (
  d: Dialect,
  modelSql: string,
  primaryKey = 'user_id',
  syncId = '42',
  more: Partial<ExcludeFailedRowsSpec> = {},
) => excludeFailedRowsSql(loc(d), { modelSql, syncId, primaryKey, ...more });
const variantSql = (d: Dialect, variant: ExcludeVariant, more: Partial<ExcludeFailedRowsSpec> = {}) =>
  sql(d, 'select * from users', 'user_id', '42', { variant, lastRuns: 5, ...more });
/** The lines before the query: the leading comment. */
const commentOf = (text: string) => text.slice(0, text.indexOf('\nselect m.*\n'));
const codeOf = (text: string) => text.slice(text.indexOf('\nselect m.*\n') + 1);
const CATEGORIES = [{ name: 'Invalid e-mail', fragments: ['INVALID_EMAIL', "50%_o'ff"] }];

test('golden Postgres SQL, default: rows whose latest attempted add or change in the changelog failed', () => {
  const text = sql(postgresDialect, 'select * from analytics.users;\n');
  assert.equal(
    text,
    sql(postgresDialect, 'select * from analytics.users;\n', 'user_id', '42', { variant: 'latestAttemptFailed' }),
    'the default',
  );
  assert.equal(
    codeOf(text),
    `select m.*
from (
select * from analytics.users
) m
where not exists (
  select 1
  from (
    select a.row_id
    from (
      select c.row_id, c.status, c.failure_reason as failure_text,
        row_number() over (partition by c.row_id order by r.started_at desc, c.sync_run_id desc) as newest
      from hightouch_audit.sync_changelog c
      join hightouch_audit.sync_runs r on r.sync_run_id = c.sync_run_id
      where c.sync_id = '42'
        and c.op_type in ('added', 'changed')
        and c.status in ('succeeded', 'failed')
    ) a
    where a.newest = 1
      and a.status = 'failed'
  ) x
  where x.row_id = cast(m.user_id as varchar)
)
`,
  );
});

test('golden Postgres SQL, failed in the last N runs and the snapshot (seed) variant', () => {
  assert.equal(
    codeOf(variantSql(postgresDialect, 'failedInLastRuns', { lastRuns: 7 })).split(') m\n')[1],
    `where not exists (
  select 1
  from (
    select c.row_id
    from hightouch_audit.sync_changelog c
    join (
      select r.sync_run_id, row_number() over (order by r.started_at desc, r.sync_run_id desc) as recency
      from hightouch_audit.sync_runs r
      where r.sync_id = '42'
    ) lr on lr.sync_run_id = c.sync_run_id
    where c.sync_id = '42'
      and lr.recency <= 7
      and c.op_type in ('added', 'changed')
      and c.status = 'failed'
  ) x
  where x.row_id = cast(m.user_id as varchar)
)
`,
  );
  assert.equal(
    codeOf(variantSql(postgresDialect, 'snapshotFailed')).split(') m\n')[1],
    `where not exists (
  select 1
  from (
    select s.row_id
    from hightouch_audit.sync_snapshot s
    where s.sync_id = '42'
      and s.status = 'failed'
  ) x
  where x.row_id = cast(m.user_id as varchar)
)
`,
  );
});

test('the leading comment explains each variant: what is excluded, why it does (not) flap, what it costs', () => {
  for (const d of DIALECTS) {
    const latest = commentOf(variantSql(d, 'latestAttemptFailed'));
    assert.match(latest, /^-- The model's rows minus those whose latest delivery failed in sync 42: /, d.name);
    assert.match(latest, /Why it does not flap: an excluded row leaves the model, so the next run plans its removal/);
    assert.match(latest, /Removals do not count here/);
    assert.match(latest, /The cost: nothing retries an excluded row\./);
    assert.match(latest, /stays excluded until the model runs once without this filter/);
    const lastRuns = commentOf(variantSql(d, 'failedInLastRuns', { lastRuns: 5 }));
    assert.match(
      lastRuns,
      /^-- The model's rows minus those with a failed add or change in any of sync 42's last 5 runs\n/,
      d.name,
    );
    assert.match(lastRuns, /stays out until 5 runs have passed since its last failure/);
    assert.match(
      lastRuns,
      /waits up to 5 runs to be sent again; a row that still fails is let back in once\n-- every 6 runs/,
    );
    const snapshot = commentOf(variantSql(d, 'snapshotFailed'));
    assert.match(snapshot, /kept for comparison\. IT FLAPS\./, d.name);
    assert.match(snapshot, /the row is added again, fails again, and is excluded again/);
    for (const c of [latest, lastRuns, snapshot]) {
      assert.ok(
        c.split('\n').every((l) => l.startsWith('-- ')),
        `${d.name}: every line before the query is a comment:\n${c}`,
      );
      assert.match(
        c,
        /\n-- Rows match on the model's user_id column, compared as text with sync_(changelog|snapshot)\.row_id\.$/,
      );
    }
  }
});

test('per dialect and variant: key cast to the dialect string type, sync id a literal, tables qualified', () => {
  const expected: Record<DialectKind, { cast: string; sync: (alias: string) => string; table: (t: string) => string }> =
    {
      postgres: {
        cast: 'cast(m.user_id as varchar)',
        sync: (a) => `${a}.sync_id = '4''2'`,
        table: (t) => `hightouch_audit.${t}`,
      },
      redshift: {
        cast: 'cast(m."user_id" as varchar)',
        sync: (a) => `${a}.sync_id = '4''2'`,
        table: (t) => `"analytics"."hightouch_audit"."${t}"`,
      },
      snowflake: {
        cast: 'cast(m."USER_ID" as varchar)',
        sync: (a) => `${a}.sync_id = '4\\'2'`,
        table: (t) => `"ANALYTICS"."HIGHTOUCH_AUDIT"."${t.toUpperCase()}"`,
      },
      bigquery: {
        cast: 'cast(m.`user_id` as string)',
        sync: (a) => `cast(${a}.sync_id as string) = '4\\'2'`,
        table: (t) => `\`my-project.hightouch_audit.${t}\``,
      },
      databricks: {
        cast: 'cast(m.`user_id` as string)',
        sync: (a) => `${a}.sync_id = '4\\'2'`,
        table: (t) => `\`analytics\`.\`hightouch_audit\`.\`${t}\``,
      },
    };
  const database: Record<DialectKind, string | undefined> = {
    postgres: undefined,
    redshift: 'analytics',
    snowflake: 'analytics',
    bigquery: 'my-project',
    databricks: 'analytics',
  };
  for (const d of DIALECTS) {
    const e = expected[d.name];
    const of = (variant: ExcludeVariant) =>
      excludeFailedRowsSql(loc(d, database[d.name]), {
        modelSql: 'select * from users',
        syncId: "4'2",
        primaryKey: 'user_id',
        variant,
        lastRuns: 3,
      });
    const latest = of('latestAttemptFailed');
    assert.ok(latest.includes(`  where x.row_id = ${e.cast}\n`), `${d.name}: ${latest}`);
    assert.ok(latest.includes(`      where ${e.sync('c')}\n`), `${d.name}: ${latest}`);
    assert.ok(
      latest.includes(`from ${e.table('sync_changelog')} c\n`) &&
        latest.includes(`join ${e.table('sync_runs')} r on r.sync_run_id = c.sync_run_id\n`),
      `${d.name}: ${latest}`,
    );
    const lastRuns = of('failedInLastRuns');
    assert.ok(
      lastRuns.includes(`      where ${e.sync('r')}\n`) && lastRuns.includes(`    where ${e.sync('c')}\n`),
      `${d.name}: ${lastRuns}`,
    );
    assert.ok(
      lastRuns.includes(`from ${e.table('sync_runs')} r\n`) && lastRuns.includes('and lr.recency <= 3\n'),
      `${d.name}: ${lastRuns}`,
    );
    const snapshot = of('snapshotFailed');
    assert.ok(
      snapshot.includes(`    where ${e.sync('s')}\n`) && snapshot.includes(`from ${e.table('sync_snapshot')} s\n`),
      `${d.name}: ${snapshot}`,
    );
    for (const text of [latest, lastRuns, snapshot])
      assert.match(text, / sync 4'2[:'\s]/, `${d.name}: the sync named in the comment`);
  }
});

test('categories: plain-text containment of each fragment, any case, per dialect; % and _ are not wildcards', () => {
  const contains: Record<DialectKind, (reason: string, frag: string) => string> = {
    postgres: (r, f) => `strpos(lower(${r}), lower(${f})) > 0`,
    redshift: (r, f) => `strpos(lower(${r}), lower(${f})) > 0`,
    bigquery: (r, f) => `strpos(lower(${r}), lower(${f})) > 0`,
    snowflake: (r, f) => `position(lower(${f}) in lower(${r})) > 0`,
    databricks: (r, f) => `instr(lower(${r}), lower(${f})) > 0`,
  };
  for (const d of DIALECTS) {
    const frags = CATEGORIES[0].fragments.map((f) => d.literal(f));
    const condition = (reason: string) => `(${frags.map((f) => contains[d.name](reason, f)).join(' or ')})`;
    const latest = variantSql(d, 'latestAttemptFailed', { categories: CATEGORIES });
    assert.ok(
      latest.includes(`      and a.status = 'failed'\n      and ${condition('a.failure_text')}\n  ) x`),
      `${d.name}: ${latest}`,
    );
    const lastRuns = variantSql(d, 'failedInLastRuns', { categories: CATEGORIES });
    assert.ok(
      lastRuns.includes(`      and c.status = 'failed'\n      and ${condition('c.failure_reason')}\n  ) x`),
      `${d.name}: ${lastRuns}`,
    );
    const snapshot = variantSql(d, 'snapshotFailed', { categories: CATEGORIES });
    assert.ok(
      snapshot.includes(`      and s.status = 'failed'\n      and ${condition('s.failure_reason')}\n  ) x`),
      `${d.name}: ${snapshot}`,
    );
    assert.ok(!/ like /i.test(codeOf(latest)), 'no LIKE: its escapes differ per warehouse');
    assert.match(commentOf(latest), /Only failures of the categories Invalid e-mail count/);
    assert.match(commentOf(latest), /Rows failing for other reasons are not excluded and are retried as usual\./);
  }
  // A fragment shared by two categories is tested once; the deployment's failure column is used.
  const legacy = excludeFailedRowsSql(
    {
      dialect: postgresDialect,
      schema: 'hightouch_audit',
      shape: { ...documentedShape(), failureReason: 'failed_reason' },
    },
    {
      modelSql: 'select 1 as id',
      syncId: '1',
      primaryKey: 'id',
      categories: [
        { name: 'a', fragments: ['x'] },
        { name: 'b', fragments: ['x', 'y'] },
      ],
    },
  );
  assert.ok(
    legacy.includes('c.failed_reason as failure_text,') &&
      legacy.includes(
        "and (strpos(lower(a.failure_text), lower('x')) > 0 or strpos(lower(a.failure_text), lower('y')) > 0)\n",
      ),
    legacy,
  );
});

test('clear errors: unknown variant, bad N, empty categories or fragments, a NUL in a fragment', () => {
  for (const d of DIALECTS) {
    assert.throws(() => variantSql(d, 'nope' as ExcludeVariant), /Unknown exclusion "nope"/, d.name);
    for (const n of [0, -1, 1.5, Number.NaN, undefined]) {
      assert.throws(
        () => variantSql(d, 'failedInLastRuns', { lastRuns: n }),
        /Invalid number of runs/,
        `${d.name} ${n}`,
      );
    }
    assert.throws(() => variantSql(d, 'latestAttemptFailed', { categories: [] }), /No categories chosen/, d.name);
    assert.throws(
      () => variantSql(d, 'latestAttemptFailed', { categories: [{ name: 'a', fragments: [] }] }),
      /has no failure text/,
      d.name,
    );
    assert.throws(
      () => variantSql(d, 'failedInLastRuns', { categories: [{ name: 'a', fragments: ['ok', ''] }] }),
      /empty failure text: it would match every failure/,
      d.name,
    );
    assert.throws(
      () => variantSql(d, 'snapshotFailed', { categories: [{ name: 'a', fragments: ['x\u0000y'] }] }),
      /NUL character/,
      d.name,
    );
  }
  // N is read by its own variant only.
  assert.doesNotThrow(() => variantSql(postgresDialect, 'latestAttemptFailed', { lastRuns: 0 }));
});

test('hostile sync ids and category names stay inside their comment lines; fragments stay inside literals', () => {
  const hostile = 'x\ndrop table canary; --\r\u2028y';
  for (const d of DIALECTS) {
    for (const variant of EXCLUDE_VARIANTS) {
      const text = variantSql(d, variant, { categories: [{ name: hostile, fragments: ["it's \\ 100%"] }] });
      const comment = commentOf(text);
      assert.ok(
        comment.split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/).every((l) => l.startsWith('-- ')),
        `${d.name} ${variant}:\n${comment}`,
      );
      assert.ok(comment.includes('x drop table canary; -- y'), `${d.name} ${variant}: folded into one comment line`);
      const withSync = sql(d, 'select 1 as user_id', 'user_id', hostile, { variant, lastRuns: 2 });
      assert.ok(
        commentOf(withSync)
          .split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/)
          .every((l) => l.startsWith('-- ')),
        `${d.name} ${variant}`,
      );
    }
  }
  const pg = sql(postgresDialect, 'select 1 as user_id', 'user_id', '42\nselect 1');
  assert.ok(pg.includes("c.sync_id = '42\nselect 1'"), 'inside the literal the id stays exact');
});

test('Snowflake upper-cases the key (unquoted names fold to upper case); a key needing quotes is quoted', () => {
  assert.match(sql(snowflakeDialect, 'select id as user_id from users', 'user_id'), /cast\(m\."USER_ID" as varchar\)/);
  assert.match(sql(snowflakeDialect, 'select 1', 'UserId'), /cast\(m\."USERID" as varchar\)/);
  // Postgres keeps a mixed-case or reserved key name exactly, quoted.
  assert.match(sql(postgresDialect, 'select 1', 'UserId'), /cast\(m\."UserId" as varchar\)/);
  assert.match(sql(postgresDialect, 'select 1', 'user'), /cast\(m\."user" as varchar\)/);
  assert.match(sql(redshiftDialect, 'select 1', 'order'), /cast\(m\."order" as varchar\)/);
  assert.match(sql(databricksDialect, 'select 1', 'select'), /cast\(m\.`select` as string\)/);
  assert.throws(() => sql(postgresDialect, 'select 1', 'user id"; drop'), /Invalid primary key column/);
});

test('a leading WITH stays first inside the derived table; trailing semicolons and comments are stripped', () => {
  const model = `-- my model
with recent as (
  select * from users where created_at > '2026-01-01' -- a comment; with a semicolon
)
select * from recent
order by 1;  -- trailing comment
;
/* and a block
comment */
`;
  const text = sql(postgresDialect, model);
  assert.ok(
    text.includes(
      `from (\n-- my model\nwith recent as (\n  select * from users where created_at > '2026-01-01' -- a comment; with a semicolon\n)\nselect * from recent\norder by 1\n) m\n`,
    ),
    text,
  );
  assert.equal(modelBody(postgresDialect, 'select 1 ;;  \n\t'), 'select 1');
  assert.equal(modelBody(postgresDialect, "select ';' as x; -- done"), "select ';' as x");
  assert.equal(modelBody(postgresDialect, 'select 1 as "a;b" /* ; */'), 'select 1 as "a;b"');
  assert.equal(modelBody(postgresDialect, 'select $$a;b$$ as x;'), 'select $$a;b$$ as x');
  assert.equal(modelBody(bigqueryDialect, "select 'it\\'s; fine' as x # note"), "select 'it\\'s; fine' as x");
  assert.equal(modelBody(bigqueryDialect, `select """a;\nb""" as x;`), `select """a;\nb""" as x`);
  assert.equal(modelBody(databricksDialect, 'select `a;b` from t;'), 'select `a;b` from t');
  assert.equal(modelBody(snowflakeDialect, "select 'a\\';b' as x;"), "select 'a\\';b' as x");
  // Each warehouse's own comments and quotes, as Run Query reads them (src/sql/lexer.ts).
  assert.equal(modelBody(bigqueryDialect, "select r'\\';' as x # a; b\n;"), "select r'\\';' as x");
  assert.equal(modelBody(snowflakeDialect, 'select $$a;b$$ as x // c; d\n;'), 'select $$a;b$$ as x');
  assert.equal(modelBody(databricksDialect, 'select "a;b" as x /* a /* b; */ c; */;'), 'select "a;b" as x');
  // Nested comments: Postgres's ends at the second */; BigQuery's at the first, leaving `c */` as code.
  assert.equal(modelBody(postgresDialect, 'select 1 /* a /* b */ c */'), 'select 1');
  assert.equal(modelBody(bigqueryDialect, 'select 1 /* a /* b */ c */'), 'select 1 /* a /* b */ c */');
  assert.equal(modelBody(redshiftDialect, "select 'a\\';b' as x;"), "select 'a\\';b' as x");
});

test('clear errors: empty model, empty key, several statements, unterminated quotes', () => {
  for (const d of DIALECTS) {
    assert.throws(() => sql(d, '   \n'), /model SQL is empty/, d.name);
    assert.throws(() => sql(d, '-- only a comment\n;'), /model SQL is empty/, d.name);
    assert.throws(() => sql(d, 'select 1', ''), /No primary key/, d.name);
    assert.throws(() => sql(d, 'select 1', '  '), /No primary key/, d.name);
    assert.throws(() => sql(d, 'select 1; select 2'), /more than one statement/, d.name);
    assert.throws(() => sql(d, 'delete from users; select * from users;'), /more than one statement/, d.name);
    assert.throws(() => sql(d, "select 'oops"), /ends inside a quoted/, d.name);
    assert.throws(() => sql(d, 'select 1 /* open'), /ends inside a \/\* comment/, d.name);
  }
  // A Postgres string keeps a backslash literally: 'a\' ends the string.
  assert.equal(modelBody(postgresDialect, "select 'a\\' as x;"), "select 'a\\' as x");
});

test('the produced SQL parses in every dialect, every variant, with and without categories, plain and WITH models', () => {
  const parser = new Parser();
  for (const d of DIALECTS) {
    for (const variant of EXCLUDE_VARIANTS) {
      for (const categories of [undefined, CATEGORIES]) {
        for (const model of [
          'select * from users;',
          'with a as (select id as user_id from users) select * from a -- x\n',
        ]) {
          const text = sql(d, model, 'user_id', '42', { variant, lastRuns: 4, categories });
          assert.doesNotThrow(
            () => parser.astify(forParser(d, text), { database: PARSER_DB[d.name] }),
            `${d.name} ${variant}:\n${text}`,
          );
        }
      }
    }
  }
});
