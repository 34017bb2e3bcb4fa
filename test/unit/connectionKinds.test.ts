import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { USER_KINDS } from '../../src/warehouse/connectionKinds';
import { KIND_SPECS } from '../../src/warehouse/kinds';

const ROOT = join(__dirname, '../..');

test('every kind has a spec under its own kind', () => {
  for (const [kind, spec] of Object.entries(KIND_SPECS)) assert.equal(spec.kind, kind);
  assert.deepEqual(
    [...USER_KINDS].sort(),
    Object.keys(KIND_SPECS)
      .filter((k) => k !== 'demo')
      .sort(),
  );
});

test('the form asks for every setting a kind requires, and offers the default port', () => {
  for (const kind of USER_KINDS) {
    const spec = KIND_SPECS[kind];
    assert.ok(spec.authMethods.length > 0, `${kind} has no auth method`);
    const asked = new Set(spec.fields.map((f) => f.key));
    for (const [key] of spec.required) assert.ok(asked.has(key as never), `${kind} requires ${key} but never asks`);
    const portField = spec.fields.find((f) => f.key === 'port');
    if (portField) assert.equal(portField.default, String(spec.defaultPort), `${kind}'s port field`);
  }
});

test("a separate adapter bundle's entry is a file in the kind's own folder", () => {
  for (const spec of Object.values(KIND_SPECS)) {
    if (spec.bundle === 'extension') continue;
    assert.ok(spec.bundle.entry.startsWith(`${spec.kind}/`), `${spec.kind}: ${spec.bundle.entry}`);
    assert.ok(existsSync(join(ROOT, 'src/warehouse', `${spec.bundle.entry}.ts`)), spec.bundle.entry);
  }
});

test('kind-specific validation comes from the spec: a BigQuery dataset, a Databricks catalog', () => {
  const field = (kind: keyof typeof KIND_SPECS, key: string) => KIND_SPECS[kind].fields.find((f) => f.key === key)!;
  assert.match(field('bigquery', 'schema').validate?.('bad-name') ?? '', /dataset/);
  assert.match(field('databricks', 'database').validate?.('bad name') ?? '', /catalog/);
  assert.equal(field('snowflake', 'database').validate?.('ANALYTICS'), undefined);
});
