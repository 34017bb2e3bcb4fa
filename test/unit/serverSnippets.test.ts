import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnostics } from '../../src/server/diagnostics';
import type { DialectKind } from '../../src/shared/connection';

interface Snippet {
  prefix: string;
  body: string[] | string;
}

const snippets = JSON.parse(readFileSync(join(__dirname, '..', '..', 'snippets', 'sql.json'), 'utf8')) as Record<
  string,
  Snippet
>;

/** A snippet's body as the user gets it on accepting the defaults: `${1:x}` → x, `$1`/`$0` → nothing. */
function expand(body: string[] | string): string {
  const text = Array.isArray(body) ? body.join('\n') : body;
  let out = text;
  // Nested placeholders (`${1:a ${2:b}}`) expand from the inside out.
  for (let prev = ''; prev !== out;) {
    prev = out;
    out = out.replace(/\$\{\d+:([^${}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1');
  }
  return out.replace(/\$\{\d+\}|\$\d+/g, '').replace(/\\\$/g, '$');
}

const root = join(__dirname, '..', '..');
/** The README's example queries (`synclogs query "select ..."`) and the sample workspace's queries file. */
const examples: [string, string][] = [
  ...[...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/"((?:select|with)\s[^"]*)"/gi)].map(
    (m): [string, string] => [`README: ${m[1]}`, m[1]],
  ),
  [
    'test/fixtures/workspace/sample.sql',
    readFileSync(join(root, 'test', 'fixtures', 'workspace', 'sample.sql'), 'utf8'),
  ],
];

const DIALECTS: DialectKind[] = ['postgres', 'redshift', 'snowflake', 'bigquery', 'databricks'];

describe('example queries', () => {
  it('finds the README examples', () => {
    assert.ok(examples.length > 1);
  });
  for (const [name, text] of examples) {
    it(`${name} gives no diagnostics on any dialect`, () => {
      for (const dialect of DIALECTS) {
        const found = diagnostics(text, { dialect, schema: 'hightouch_audit' });
        assert.deepEqual(
          found.map((d) => `${d.code}: ${d.message}`),
          [],
          `${name} on ${dialect}`,
        );
      }
    });
  }
});

describe('snippets', () => {
  it('has snippets to check', () => {
    assert.ok(Object.keys(snippets).length > 0);
  });
  for (const [name, snippet] of Object.entries(snippets)) {
    it(`${snippet.prefix} gives no diagnostics on any dialect`, () => {
      const text = expand(snippet.body);
      assert.ok(!/\$\{?\d/.test(text), `placeholders left in ${name}`);
      for (const dialect of DIALECTS) {
        // A snippet reading `fields` is not for Redshift, where Hightouch does not write it: there
        // the only diagnostics allowed are the ones saying so.
        const found = diagnostics(text, { dialect, schema: 'hightouch_audit' }).filter(
          (d) => !(dialect === 'redshift' && d.code === 'fields-on-redshift'),
        );
        assert.deepEqual(
          found.map((d) => `${d.code}: ${d.message} at "${text.slice(d.start, d.end)}"`),
          [],
          `${name} on ${dialect}`,
        );
      }
    });
  }
});
