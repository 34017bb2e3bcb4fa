/** The shared statement skeleton every adapter runs under (src/warehouse/cancellableRun.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancellableRun, runCancellable } from '../../src/warehouse/cancellableRun';
import { QueryCancelledError } from '../../src/warehouse/warehouse';

const never = () => new Promise<never>(() => undefined);
const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

test('an abort asks the warehouse once, and the run ends when the warehouse acknowledges', async () => {
  const controller = new AbortController();
  let cancels = 0;
  const started = performance.now();
  const result = runCancellable({ signal: controller.signal, cancel: () => (cancels++, later(50, undefined)) }, never);
  setTimeout(() => controller.abort(), 10);
  await assert.rejects(result, QueryCancelledError);
  assert.equal(cancels, 1);
  assert.ok(performance.now() - started < 500);
});

test('without an acknowledgement the run ends when the work does, with the stop as its reason', async () => {
  const controller = new AbortController();
  controller.abort();
  const work = Promise.reject(new Error('57014 canceling statement due to user request'));
  await assert.rejects(
    runCancellable({ signal: controller.signal, cancel: () => undefined }, () => work),
    QueryCancelledError,
  );
});

test('a warehouse that never answers is given up on after the grace period', async () => {
  const started = performance.now();
  const result = runCancellable({ timeoutMs: 20, graceMs: 100, cancel: () => never() }, never);
  await assert.rejects(result, QueryCancelledError);
  const ms = performance.now() - started;
  assert.ok(ms >= 100 && ms < 1000, `${ms} ms`);
});

test('the timeout stops with its own error; rows that arrive after a stop are not returned', async () => {
  const timedOut = new QueryCancelledError('timed out');
  await assert.rejects(
    runCancellable({ timeoutMs: 10, timeoutError: () => timedOut, cancel: () => undefined }, () => later(50, 'rows')),
    (err) => err === timedOut,
  );
});

test('work that ends first is returned, and a failure that is not a stop keeps its own error', async () => {
  assert.equal(await runCancellable({ cancel: () => undefined }, () => later(5, 'rows')), 'rows');
  await assert.rejects(
    runCancellable({ cancel: () => undefined }, () => Promise.reject(new Error('42P01'))),
    /42P01/,
  );
  const run = new CancellableRun({ cancel: () => undefined });
  assert.equal(await run.race(Promise.resolve(1)), 1);
  assert.equal(run.reason, undefined);
  run.dispose();
});
