/**
 * The adapters' cancellable-run skeleton (src/warehouse/cancellableRun.ts): a step raced and done
 * is not kept alive by the run (a stream races every batch: a run that held them grew a
 * million-row export to 900 MB); a stop rejects the steps in flight once the warehouse
 * acknowledges, or after the grace period, and every step raced after.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CancellableRun } from '../../src/warehouse/cancellableRun';
import { QueryCancelledError } from '../../src/warehouse/warehouse';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('a step raced and settled is not kept alive by the run', async () => {
  const run = new CancellableRun({ cancel: () => undefined });
  const refs: WeakRef<object>[] = [];
  for (let i = 0; i < 50; i++) {
    const batch = { rows: new Array(10_000).fill(i) };
    refs.push(new WeakRef(batch));
    const got = await run.race(Promise.resolve(batch));
    assert.equal(got.rows[0], i);
  }
  await new Promise((r) => setTimeout(r, 0));
  gc();
  const alive = refs.filter((r) => r.deref() !== undefined).length;
  assert.ok(alive <= 1, `${alive} of 50 settled steps are still held by the run`);
  run.dispose();
});

test('a stop rejects the step in flight once the warehouse acknowledges, and every later step', async () => {
  let acknowledge!: () => void;
  const asked: string[] = [];
  const run = new CancellableRun({
    cancel: (reason) => {
      asked.push(reason.message);
      return new Promise<void>((r) => (acknowledge = r));
    },
  });
  const never = new Promise<number>(() => undefined);
  const step = run.race(never);
  let settled = false;
  step.catch(() => (settled = true));
  run.stop(new QueryCancelledError('stopped by the test'));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(settled, false, 'the step waits for the acknowledgement');
  acknowledge();
  await assert.rejects(step, /stopped by the test/);
  await assert.rejects(run.race(Promise.resolve(1)), /stopped by the test/);
  assert.deepEqual(asked, ['stopped by the test']);
  run.dispose();
});

test('without an acknowledgement the grace period ends the wait', async () => {
  const run = new CancellableRun({ cancel: () => undefined, graceMs: 20 });
  const step = run.race(new Promise<number>(() => undefined));
  run.stop();
  await assert.rejects(step, QueryCancelledError);
  run.dispose();
});

test('a step that settles after a stop gives the stop, not its value or its error', async () => {
  const run = new CancellableRun({ cancel: () => undefined, graceMs: 10_000 });
  let finish!: (v: number) => void;
  const step = run.race(new Promise<number>((r) => (finish = r)));
  run.stop(new QueryCancelledError('cancelled'));
  finish(5);
  await assert.rejects(step, /cancelled/);
  let fail!: (e: Error) => void;
  const failing = run.race(new Promise<number>((_r, j) => (fail = j)));
  fail(new Error('canceling statement due to user request'));
  await assert.rejects(failing, /^QueryCancelledError: cancelled$|cancelled/);
  run.dispose();
});
