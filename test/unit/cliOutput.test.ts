import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { runCli, type CliIo } from '../../src/cli/commands';
import { writeResult } from '../../src/cli/format';
import { OutputClosedError, streamWriter } from '../../src/cli/stdoutWriter';
import type { QueryResult } from '../../src/shared/queryResult';

/** A stdout whose buffer is "full" after each write until the test emits 'drain'. */
class SlowStdout extends EventEmitter {
  written: string[] = [];
  writesSinceDrain = 0;
  write(chunk: string): boolean {
    this.written.push(chunk);
    this.writesSinceDrain++;
    return false;
  }
  drain(): void {
    this.writesSinceDrain = 0;
    this.emit('drain');
  }
}

const tick = () => new Promise((r) => setImmediate(r));

const bigResult = (): QueryResult => ({
  columns: [
    { name: 'n', type: 'int4' },
    { name: 't', type: 'text' },
  ],
  rows: Array.from({ length: 20_000 }, (_, i) => [i, `text ${i} `.repeat(5)]),
  rowCount: 20_000,
  truncated: false,
  elapsedMs: 1,
});

test('the writer waits for drain: nothing more is written while the stream says it is full', async () => {
  const stdout = new SlowStdout();
  const write = streamWriter(stdout);
  let finished = false;
  const done = writeResult(bigResult(), 'csv', write).then(() => (finished = true));
  let drains = 0;
  while (!finished) {
    await tick();
    await tick();
    assert.ok(stdout.writesSinceDrain <= 1, `${stdout.writesSinceDrain} writes without a drain`);
    if (!finished) {
      drains++;
      stdout.drain();
    }
  }
  await done;
  assert.ok(drains > 10, `${drains} drains for a multi-chunk export`);
  assert.equal(stdout.written.join('').split('\r\n').length, 20_002);
});

test('a closed pipe (EPIPE) stops the output with OutputClosedError, now and on every later write', async () => {
  const stdout = new SlowStdout();
  const write = streamWriter(stdout);
  const pending = write('a');
  stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  await assert.rejects(pending, OutputClosedError);
  await assert.rejects(write('b'), OutputClosedError);
  assert.deepEqual(stdout.written, ['a'], 'nothing written after the reader left');

  // An EPIPE while nothing waits (the write had returned true) is seen by the next write.
  const fast = Object.assign(new SlowStdout(), { write: () => true });
  const writeFast = streamWriter(fast);
  await writeFast('x');
  fast.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  await assert.rejects(writeFast('y'), OutputClosedError);
});

test('any other write error (a full disk) is an error, not a quiet stop', async () => {
  const stdout = new SlowStdout();
  const write = streamWriter(stdout);
  const pending = write('a');
  stdout.emit('error', Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
  await assert.rejects(pending, /ENOSPC/);
});

function fakeIo(overrides: Partial<CliIo> = {}): CliIo & { err: string } {
  const io = {
    err: '',
    stdout: async () => undefined,
    stderr: (t: string) => void (io.err += t),
    stderrIsTTY: false,
    env: {},
    readStdin: async () => '',
    onInterrupt: () => () => undefined,
    version: '0.0.0-test',
    ...overrides,
  };
  return io;
}

test('when the reader went away the CLI exits 0 without a message', async () => {
  const io = fakeIo({ stdout: () => Promise.reject(new OutputClosedError()) });
  assert.equal(await runCli(['--version'], io), 0);
  assert.equal(io.err, '');
});

test('stderr never carries a raw control character from the text it reports', async () => {
  const io = fakeIo();
  const code = await runCli(['query', '--demo', '--format', 'x\x1b]0;owned\x07\x1b[2J\u009b1m\u202e', 'select 1'], io);
  assert.equal(code, 2);
  assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(io.err), JSON.stringify(io.err));
  assert.match(io.err, /x\\x1B\]0;owned\\x07\\x1B\[2J\\u009B1m\\u202E/);
});
