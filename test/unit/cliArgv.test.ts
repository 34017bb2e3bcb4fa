import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitArgv } from '../../src/cli/argv';
import { UsageError } from '../../src/cli/usage';
import { parseArgs } from '../../src/cli/args';
import { parseAnalysis } from '../../src/cli/analysisArgs';

const SPEC = { '--url': { value: true }, '--demo': { value: false } };

test('options and positionals, in any order, with = or a separate value', () => {
  const r = splitArgv(['a', '--url=postgres://x', 'b', '--demo'], SPEC, 'usage');
  assert.deepEqual(
    [...r.options],
    [
      ['--url', 'postgres://x'],
      ['--demo', ''],
    ],
  );
  assert.deepEqual(r.positionals, ['a', 'b']);
  assert.equal(splitArgv(['--url', 'u'], SPEC, 'usage').options.get('--url'), 'u');
});

test('SQL comments, negative numbers and a lone dash are positionals; -- ends options', () => {
  const r = splitArgv(['-- note\nselect 1', '-42', '-', '--', '--demo'], SPEC, 'usage');
  assert.deepEqual(r.positionals, ['-- note\nselect 1', '-42', '-', '--demo']);
  assert.equal(r.options.size, 0);
});

test('unknown, repeated, valueless and value-taking flags are refused by name', () => {
  const refuses = (argv: string[], message: RegExp) =>
    assert.throws(
      () => splitArgv(argv, SPEC, 'usage'),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
    );
  refuses(['-f', 'csv'], /^Unknown option -f\.$/);
  refuses(['--nope'], /^Unknown option --nope\.$/);
  refuses(['--demo', '--demo'], /given twice/);
  refuses(['--demo=1'], /takes no value/);
  refuses(['--url'], /needs a value/);
  refuses(['--url', '--demo'], /needs a value/);
  // An own property check: names on Object.prototype are not options.
  refuses(['--constructor'], /Unknown option/);
});

test('the query and analysis commands split argv by the same rule', () => {
  // A row id that is a negative number stays an id for `timeline`, and `-x` is an unknown option
  // for both commands (a short-flag typo), where the analysis parser used to take it as an id.
  const timeline = parseAnalysis('timeline', ['--demo', '-7']);
  assert.ok(timeline.kind !== 'help');
  assert.equal((timeline as { id?: string }).id, '-7');
  assert.throws(() => parseAnalysis('timeline', ['--demo', '-x']), /Unknown option -x\./);
  assert.throws(() => parseArgs(['query', '--demo', '-x', 'select 1']), /Unknown option -x\./);
});
