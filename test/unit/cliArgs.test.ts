import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAX_ROWS, parseArgs, UsageError } from '../../src/cli/args';
import { runCli } from '../../src/cli/commands';

const usageError = (argv: string[], pattern: RegExp) =>
  assert.throws(() => parseArgs(argv), (err: Error) => {
    assert.ok(err instanceof UsageError, `${argv.join(' ')} should be a usage error`);
    assert.match(err.message, pattern);
    assert.match(err.usage, /^(Usage|synclogs)/);
    return true;
  });

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
  assert.deepEqual(parseArgs(['query', '--url', 'postgres://u@h:5432/db', '--format=csv', '--max-rows', '10', 'select 1']), {
    kind: 'query',
    source: { url: 'postgres://u@h:5432/db' },
    format: 'csv',
    maxRows: 10,
    sql: 'select 1',
  });
  assert.deepEqual(parseArgs(['query', 'select 2', '--demo']), { kind: 'query', source: { demo: true }, format: 'table', maxRows: DEFAULT_MAX_ROWS, sql: 'select 2' });
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
  assert.deepEqual(parseArgs(['demo', 'load', '--url', 'postgresql://u@h/db', '--scale', '0.3', '--schema', 'audit_demo']), {
    kind: 'demoLoad',
    url: 'postgresql://u@h/db',
    scale: 0.3,
    schema: 'audit_demo',
  });
  assert.deepEqual(parseArgs(['demo', 'load', '--url', 'postgres://u@h/db']), { kind: 'demoLoad', url: 'postgres://u@h/db', scale: 1, schema: 'hightouch_audit' });
  usageError(['demo', 'load'], /needs --url/);
  usageError(['demo', 'load', '--url', 'postgres://h/db', '--scale', '-1'], /--scale must be a number greater than 0, got "-1"/);
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
