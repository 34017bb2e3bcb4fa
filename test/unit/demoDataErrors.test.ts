import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDemoDataDamage, offersDemoRebuild } from '../../src/warehouse/demo/demoDataErrors';
import { fromSerialized } from '../../src/warehouse/demo/demoWorkerClient';
import { serializeError } from '../../src/warehouse/demo/demoWorkerProtocol';
import { WarehouseError } from '../../src/warehouse/postgres/pgErrors';

// A genuine WebAssembly trap error (the type declarations here have no WebAssembly global).
const wasmTrap = (): Error =>
  new (globalThis as unknown as { WebAssembly: { RuntimeError: new (m: string) => Error } }).WebAssembly.RuntimeError(
    'memory access out of bounds',
  );

test('damage is told by SQLSTATE, PANIC and the WebAssembly engine, not by words a statement can put in a message', () => {
  for (const f of [
    { name: 'WarehouseError', message: 'Invalid page in block 0 of relation "base/5/16384" (XX001).', code: 'XX001' },
    { name: 'WarehouseError', message: 'Index "x" contains unexpected zero page (XX002).', code: 'XX002' },
    {
      name: 'WarehouseError',
      message: 'Could not read block 3 in file "base/5/1259": read only 0 of 8192 bytes (58030).',
      code: '58030',
    },
    { name: 'WarehouseError', message: 'something', code: 'XX000', severity: 'PANIC' },
    { name: 'RuntimeError', message: 'unreachable' },
    serializeError(new WarehouseError('Memory access out of bounds.', undefined, false, wasmTrap())),
    { name: 'Error', message: 'Aborted(). Build with -sASSERTIONS for more info.' },
  ]) {
    assert.equal(isDemoDataDamage(f), true, f.message);
  }
  for (const f of [
    {
      name: 'WarehouseError',
      message: 'Invalid input syntax for type integer: "invalid page in block 0 PANIC" (22P02).',
      code: '22P02',
    },
    { name: 'WarehouseError', message: 'Relation "hightouch_audit.nope" does not exist (42P01).', code: '42P01' },
    { name: 'WarehouseError', message: 'Aborted(). raised by a statement (P0001).', code: 'P0001' },
    { name: 'QueryCancelledError', message: 'Query cancelled.' },
  ]) {
    assert.equal(isDemoDataDamage(f), false, f.message);
  }
});

test('a damaged-page error from the worker says to run Rebuild Demo Data, and keeps its code', () => {
  const pglite = Object.assign(new Error('invalid page in block 0 of relation "base/5/16384"'), {
    code: 'XX001',
    severity: 'ERROR',
  });
  const wrapped = new WarehouseError(
    'Invalid page in block 0 of relation "base/5/16384" (XX001).',
    'XX001',
    false,
    pglite,
  );
  const err = fromSerialized(serializeError(wrapped)) as WarehouseError;
  assert.equal(err.code, 'XX001');
  assert.equal(
    err.message,
    'The demo data is damaged (Invalid page in block 0 of relation "base/5/16384" (XX001)). Run "Sync Logs: Rebuild Demo Data" to build it again from scratch; it takes a few seconds.',
  );
  assert.ok(err instanceof WarehouseError);
  assert.equal(offersDemoRebuild(err), true);
  assert.equal(offersDemoRebuild(fromSerialized({ name: 'WarehouseError', message: 'x', code: '42P01' })), false);
});

test('the severity of the driver error under a WarehouseError crosses the thread; a hostile error object does not break serializing', () => {
  const panic = new WarehouseError('x', 'XX000', false, { severity: 'PANIC' });
  assert.equal(serializeError(panic).severity, 'PANIC');
  const hostile = new Proxy(
    {},
    {
      get: () => {
        throw new Error('no');
      },
    },
  );
  assert.deepEqual(serializeError(hostile), { name: 'Error', message: 'An error that could not be described.' });
});
