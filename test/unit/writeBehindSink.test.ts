import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeBehind } from '../../src/cli/writeBehindSink';

/** A sink whose statements finish only when the test says so. */
function fakeSink() {
  const log: string[] = [];
  const pending: Array<{ sql: string; finish(err?: Error): void }> = [];
  const run = (sql: string) =>
    new Promise<unknown>((resolve, reject) => {
      log.push(`start ${sql}`);
      pending.push({ sql, finish: (err) => (err ? reject(err) : resolve({ sql })) });
    });
  return { log, pending, sink: { query: (sql: string) => run(sql), exec: (sql: string) => run(sql) } };
}

const tick = () => new Promise((r) => setImmediate(r));

test('query returns before the statement finishes, with one statement in flight at most', async () => {
  const { log, pending, sink } = fakeSink();
  const writer = writeBehind(sink);
  assert.equal(await writer.query('insert 1'), undefined);
  assert.deepEqual(log, ['start insert 1']);
  const second = writer.query('insert 2');
  await tick();
  assert.deepEqual(log, ['start insert 1'], 'the second insert waits for the first');
  pending[0].finish();
  await second;
  assert.deepEqual(log, ['start insert 1', 'start insert 2']);
  const ddl = writer.exec('create index');
  await tick();
  assert.equal(log.length, 2, 'exec waits for the insert in flight');
  pending[1].finish();
  await tick();
  assert.deepEqual(log.at(-1), 'start create index');
  pending[2].finish();
  assert.deepEqual(await ddl, { sql: 'create index' }, 'exec returns its own result');
});

test('a failed insert surfaces on the next call, and flush waits for the last one', async () => {
  const { pending, sink } = fakeSink();
  const writer = writeBehind(sink);
  await writer.query('insert 1');
  pending[0].finish(new Error('disk full'));
  await assert.rejects(writer.query('insert 2'), /disk full/);

  await writer.query('insert 3');
  let flushed = false;
  const flushing = writer.flush().then(() => (flushed = true));
  await tick();
  assert.equal(flushed, false);
  pending.at(-1)!.finish();
  await flushing;
  assert.equal(flushed, true);
});
