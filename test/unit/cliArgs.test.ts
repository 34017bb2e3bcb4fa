import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAX_ROWS, parseArgs, UsageError } from '../../src/cli/args';
import { runCli } from '../../src/cli/commands';

const usageError = (argv: string[], pattern: RegExp) =>
  assert.throws(
    () => parseArgs(argv),
    (err: Error) => {
      assert.ok(err instanceof UsageError, `${argv.join(' ')} should be a usage error`);
      assert.match(err.message, pattern);
      assert.match(err.usage, /^(Usage|synclogs)/);
      return true;
    },
  );

test('help and version', () => {
  assert.equal(parseArgs([]).kind, 'help');
  assert.equal(parseArgs(['--help']).kind, 'help');
  assert.equal(parseArgs(['-h']).kind, 'help');
  assert.deepEqual(parseArgs(['--version']), { kind: 'version' });
  const queryHelp = parseArgs(['query', '--help']);
  assert.ok(queryHelp.kind === 'help' && /--max-rows/.test(queryHelp.text));
  const demoHelp = parseArgs(['demo', 'load', '--help']);
  assert.ok(demoHelp.kind === 'help' && /--scale/.test(demoHelp.text));
});

test('query with a URL, options in either spelling, SQL last', () => {
  assert.deepEqual(
    parseArgs(['query', '--url', 'postgres://u@h:5432/db', '--format=csv', '--max-rows', '10', 'select 1']),
    {
      kind: 'query',
      source: { url: 'postgres://u@h:5432/db' },
      format: 'csv',
      maxRows: 10,
      sql: 'select 1',
    },
  );
  assert.deepEqual(parseArgs(['query', 'select 2', '--demo']), {
    kind: 'query',
    source: { demo: true },
    format: 'table',
    maxRows: DEFAULT_MAX_ROWS,
    sql: 'select 2',
  });
});

test('SQL that starts with a comment or a dash is still SQL', () => {
  const withComment = parseArgs(['query', '--demo', '-- most common errors\nselect 1']);
  assert.ok(withComment.kind === 'query' && withComment.sql.startsWith('-- most'));
  const afterSeparator = parseArgs(['query', '--demo', '--', '-1']);
  assert.ok(afterSeparator.kind === 'query' && afterSeparator.sql === '-1');
  const stdin = parseArgs(['query', '--demo', '-']);
  assert.ok(stdin.kind === 'query' && stdin.sql === '-');
});

test('query usage errors say what is wrong', () => {
  usageError(['query', 'select 1'], /--url <postgres-url> or --demo/);
  usageError(['query', '--demo', '--url', 'postgres://h/db', 'select 1'], /either --url or --demo/);
  usageError(['query', '--demo'], /Give the SQL/);
  usageError(['query', '--demo', 'select', '1'], /one SQL argument, got 2/);
  usageError(['query', '--demo', '--format', 'xml', 'select 1'], /--format must be table, csv or json, got "xml"/);
  usageError(['query', '--demo', '--max-rows', '0', 'select 1'], /--max-rows must be a whole number greater than 0/);
  usageError(['query', '--demo', '--max-rows', '2.5', 'select 1'], /whole number/);
  usageError(['query', '--demo', '--max-rows'], /--max-rows needs a value/);
  usageError(['query', '--demo', '--limit', '5', 'select 1'], /Unknown option --limit/);
  usageError(['query', '--url', 'mysql://h/db', 'select 1'], /postgres:\/\/ URL/);
  usageError(['query', '--demo', '--demo', 'select 1'], /given twice/);
  usageError(['frobnicate'], /Unknown command "frobnicate"/);
});

test('demo load', () => {
  assert.deepEqual(
    parseArgs(['demo', 'load', '--url', 'postgresql://u@h/db', '--scale', '0.3', '--schema', 'audit_demo']),
    {
      kind: 'demoLoad',
      url: 'postgresql://u@h/db',
      scale: 0.3,
      schema: 'audit_demo',
    },
  );
  assert.deepEqual(parseArgs(['demo', 'load', '--url', 'postgres://u@h/db']), {
    kind: 'demoLoad',
    url: 'postgres://u@h/db',
    scale: 1,
    schema: 'hightouch_audit',
  });
  usageError(['demo', 'load'], /needs --url/);
  usageError(
    ['demo', 'load', '--url', 'postgres://h/db', '--scale', '-1'],
    /--scale must be a number greater than 0, got "-1"/,
  );
  usageError(['demo', 'load', '--url', 'postgres://h/db', '--scale', 'big'], /--scale must be a number/);
  usageError(['demo', 'load', '--url', 'postgres://h/db', '--schema', 'bad-name; drop'], /Invalid schema name/);
  usageError(['demo', 'unload'], /Unknown demo command "unload"/);
});

test('usage errors exit 2 on stderr and never echo a password from a URL', async () => {
  let stderr = '';
  let stdout = '';
  const code = await runCli(['demo', 'load', 'postgres://u:hunter2secret@h/db'], {
    stdout: async (t) => {
      stdout += t;
    },
    stderr: (t) => (stderr += t),
    stderrIsTTY: false,
    env: {},
    readStdin: async () => '',
    onInterrupt: () => () => undefined,
    version: '0.0.0-test',
  });
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.match(stderr, /Unexpected argument "postgres:\/\/u:\*\*\*@h\/db"/);
  assert.match(stderr, /Usage: synclogs demo load/);
  assert.ok(!stderr.includes('hunter2secret'));
});

test('analysis commands: windows, sync, ids and defaults', () => {
  const errors = parseArgs([
    'errors',
    '--demo',
    '--sync',
    '42',
    '--window',
    '24h',
    '--format=json',
    '--categories',
    'cats.json',
  ]);
  assert.deepEqual(errors, {
    kind: 'analysis',
    name: 'errors',
    source: { demo: true },
    schema: 'hightouch_audit',
    format: 'json',
    days: 1,
    syncId: '42',
    minFailures: 3,
    categoriesFile: 'cats.json',
  });
  const days = (w: string) => {
    const c = parseArgs(['flapping', '--demo', '--sync', '1', '--window', w]);
    return c.kind === 'analysis' ? c.days : undefined;
  };
  assert.equal(days('7d'), 7);
  assert.equal(days('30d'), 30);
  assert.equal(days('all'), null);
  assert.equal(days('48h'), 2);
  assert.equal(days('36h'), 2, 'hours round up: the window never covers less than asked');
  const health = parseArgs(['health', '--url', 'postgres://u@h/db']);
  assert.ok(
    health.kind === 'analysis' && health.days === 1 && health.syncId === null,
    'health looks at the last day by default',
  );
  const flapping = parseArgs(['flapping', '--demo', '--sync', '7']);
  assert.ok(flapping.kind === 'analysis' && flapping.days === 30);
  const timeline = parseArgs(['timeline', 'row-9', '--demo']);
  assert.ok(timeline.kind === 'analysis' && timeline.id === 'row-9' && timeline.syncId === null);
  const stuck = parseArgs(['stuck', '--demo', '--sync', '7', '--min', '5']);
  assert.ok(stuck.kind === 'analysis' && stuck.minFailures === 5);
  const run = parseArgs(['run', '--demo', '--', '-123']);
  assert.ok(run.kind === 'analysis' && run.id === '-123');
  const help = parseArgs(['check', '--help']);
  assert.ok(help.kind === 'help' && /exit 0|Exit 0/i.test(help.text) && /--max-failure-rate/.test(help.text));
  assert.match(
    parseArgs(['--help']).kind === 'help' ? (parseArgs(['--help']) as { text: string }).text : '',
    /synclogs check/,
  );
});

test('check limits: counts, and failure rates as fractions or percentages', () => {
  const limits = (...args: string[]) => {
    const c = parseArgs(['check', '--demo', ...args]);
    return c.kind === 'analysis' ? c.limits : undefined;
  };
  assert.deepEqual(limits('--max-new-templates', '0', '--max-stuck-rows', '10', '--max-failure-rate', '0.05'), {
    maxNewTemplates: 0,
    maxStuckRows: 10,
    maxFailureRate: 0.05,
  });
  assert.deepEqual(limits('--max-failure-rate', '5%'), { maxFailureRate: 0.05 });
  assert.deepEqual(limits('--max-failure-rate=12.5%'), { maxFailureRate: 0.125 });
  usageError(['check', '--demo'], /at least one limit/);
  usageError(['check', '--demo', '--max-failure-rate', '5'], /between 0 and 1.*5%/);
  usageError(['check', '--demo', '--max-failure-rate', 'lots'], /--max-failure-rate/);
  usageError(['check', '--demo', '--max-stuck-rows', '-1'], /whole number of 0 or more/);
  usageError(['check', '--demo', '--max-stuck-rows', '1.5'], /whole number/);
});

test('analysis usage errors say what is wrong', () => {
  usageError(['errors'], /--url <postgres-url> or --demo/);
  usageError(['errors', '--demo', '--url', 'postgres://h/db'], /either --url or --demo/);
  usageError(['errors', '--demo', '--window', '2w'], /--window must be 24h, 7d, 30d, all/);
  usageError(['errors', '--demo', '--window', '0d'], /--window/);
  usageError(['errors', '--demo', '--format', 'xml'], /--format must be table, csv or json/);
  usageError(['errors', '--demo', '--min', '3'], /Unknown option --min/);
  usageError(['flapping', '--demo'], /needs --sync/);
  usageError(['stuck', '--demo', '--window', '7d', '--sync', '1'], /Unknown option --window/);
  usageError(['timeline', '--demo'], /Give the ROW_ID/);
  usageError(['timeline', 'a', 'b', '--demo'], /Unexpected argument "b"/);
  usageError(['run', '--demo'], /Give the RUN_ID/);
  usageError(['health', '--demo', '--schema', 'bad-name; drop'], /Invalid schema name/);
  usageError(['errors', '--demo', '--sync', ''], /--sync is empty/);
  usageError(['stuck', '--demo', '--sync', '1', '--min', '0'], /--min must be at least 1/);
});

test('a check that cannot run exits 2, not 1 (1 means a limit tripped)', async () => {
  let stderr = '';
  const io = {
    stdout: async () => undefined,
    stderr: (t: string) => void (stderr += t),
    stderrIsTTY: false,
    env: {},
    readStdin: async () => '',
    onInterrupt: () => () => undefined,
    version: '0.0.0-test',
  };
  // Nothing listens on port 1: the connection fails.
  const code = await runCli(['check', '--url', 'postgres://u:pw-secret@127.0.0.1:1/db', '--max-stuck-rows', '1'], io);
  assert.equal(code, 2);
  assert.ok(!stderr.includes('pw-secret'));
  const other = await runCli(['stuck', '--url', 'postgres://u@127.0.0.1:1/db', '--sync', '1'], io);
  assert.equal(other, 1);
});

test('query --all and --out: every row, in csv unless --format or the file name says otherwise', () => {
  const url = 'postgres://me@db/x';
  assert.deepEqual(parseArgs(['query', '--url', url, '--all', 'select 1']), {
    kind: 'queryAll',
    source: { url },
    format: 'csv',
    sql: 'select 1',
  });
  assert.deepEqual(parseArgs(['query', '--demo', '--all', '--format', 'jsonl', 'select 1']), {
    kind: 'queryAll',
    source: { demo: true },
    format: 'jsonl',
    sql: 'select 1',
  });
  assert.deepEqual(parseArgs(['query', '--demo', '--out', 'runs.TSV', 'select 1']), {
    kind: 'queryAll',
    source: { demo: true },
    format: 'tsv',
    out: 'runs.TSV',
    sql: 'select 1',
  });
  assert.deepEqual(parseArgs(['query', '--demo', '--out', 'a.ndjson', 'select 1']).kind, 'queryAll');
  assert.equal(
    (parseArgs(['query', '--demo', '--out', 'rows.Parquet', 'select 1']) as { format: string }).format,
    'parquet',
  );
  assert.throws(
    () => parseArgs(['query', '--demo', '--all', '--format', 'parquet', 'select 1']),
    (e: UsageError) => e instanceof UsageError && /give --out FILE\.parquet/.test(e.message),
  );
  assert.equal(
    (parseArgs(['query', '--demo', '--out', 'x.data', '--format', 'json', 'select 1']) as { format: string }).format,
    'json',
  );
  assert.throws(
    () => parseArgs(['query', '--demo', '--out', 'x.data', 'select 1']),
    (e: UsageError) => e instanceof UsageError && /Cannot tell the format from "x\.data"/.test(e.message),
  );
  assert.throws(
    () => parseArgs(['query', '--demo', '--all', '--format', 'table', 'select 1']),
    (e: UsageError) => /needs every row before it can align/.test(e.message),
  );
  assert.throws(
    () => parseArgs(['query', '--demo', '--all', '--max-rows', '5', 'select 1']),
    (e: UsageError) => /leave out --max-rows/.test(e.message),
  );
});
