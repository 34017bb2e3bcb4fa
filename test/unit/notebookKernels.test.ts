// The sync-log notebook's kernels, one per connection (src/notebook/kernelPlan.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NOTEBOOK_CONTROLLER_PREFIX, controllerIdOf, kernelLook, planKernels } from '../../src/notebook/kernelPlan';
import type { ConnectionSettings } from '../../src/shared/connection';

const demo: ConnectionSettings = { name: 'Demo', kind: 'demo' };
const pg = (name: string, database = 'analytics'): ConnectionSettings => ({
  name,
  kind: 'postgres',
  host: 'db.example',
  port: 5432,
  database,
  user: 'reader',
});

test('controller ids: one per name, stable, distinct for names that differ only in punctuation', () => {
  assert.equal(controllerIdOf('Demo'), `${NOTEBOOK_CONTROLLER_PREFIX}Demo`);
  assert.equal(controllerIdOf('Demo'), controllerIdOf('Demo'));
  const names = ['a/b', 'a%2Fb', 'a b', 'a+b', 'Ünïcode', ''];
  const ids = names.map(controllerIdOf);
  assert.equal(new Set(ids).size, names.length, ids.join(' '));
  for (const id of ids) assert.ok(!id.slice(NOTEBOOK_CONTROLLER_PREFIX.length).includes('/'), id);
  assert.deepEqual(
    ids.map((id) => decodeURIComponent(id.slice(NOTEBOOK_CONTROLLER_PREFIX.length))),
    names,
  );
});

test('the picker shows the connection, its kind and where it goes, with icons as text', () => {
  const look = kernelLook(pg('Analytics'));
  assert.equal(look.label, 'Sync Logs: Analytics');
  assert.match(look.description, /^PostgreSQL · reader@db\.example:5432\/analytics$/);
  assert.match(look.detail, /"Analytics"/);
  assert.equal(kernelLook(demo).label, 'Sync Logs: Demo');
  assert.match(kernelLook(demo).description, /^Demo · /);
  // A workspace can name a connection: $(icon) must not draw an icon.
  assert.equal(kernelLook(pg('$(warning) Prod')).label, 'Sync Logs: \\$(warning) Prod');
});

test('plan: new connections get a controller, removed ones lose it, kept ones show their edits', () => {
  const plan = planKernels(['Demo', 'Old', 'Analytics'], [demo, pg('Analytics', 'elsewhere'), pg('New')]);
  assert.deepEqual(
    plan.create.map((c) => c.name),
    ['New'],
  );
  assert.deepEqual(plan.remove, ['Old']);
  assert.deepEqual(
    plan.keep.map((k) => k.name),
    ['Demo', 'Analytics'],
  );
  assert.match(plan.keep[1].look.description, /\/elsewhere$/, 'the edited target shows');
});

test('plan: a rename is a removal and a creation; nothing to do when nothing changed', () => {
  const renamed = planKernels(['Demo', 'A'], [demo, pg('B')]);
  assert.deepEqual([renamed.create.map((c) => c.name), renamed.remove], [['B'], ['A']]);
  const same = planKernels(['Demo', 'A'], [demo, pg('A')]);
  assert.deepEqual([same.create, same.remove], [[], []]);
  assert.equal(same.keep.length, 2);
});
