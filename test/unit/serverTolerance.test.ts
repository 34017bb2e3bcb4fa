import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completions } from '../../src/server/completion';
import { diagnostics } from '../../src/server/diagnostics';
import { hover } from '../../src/server/hover';
import type { ServerOptions } from '../../src/server/schemaModel';

const SNIPPETS = JSON.parse(readFileSync(join(__dirname, '../../snippets/sql.json'), 'utf8')) as Record<
  string,
  { body: string[] }
>;
const texts = Object.values(SNIPPETS).map((s) => s.body.join('\n').replace(/\$\{\d+:([^}]*)\}/g, '$1'));
const options: ServerOptions[] = (['postgres', 'redshift', 'snowflake', 'bigquery', 'databricks'] as const).map(
  (dialect) => ({ dialect, schema: 'hightouch_audit' }),
);

/** Every service at every offset of a text: nothing throws, every range lies inside the text. */
function exercise(text: string, o: ServerOptions): void {
  for (const d of diagnostics(text, o)) assert.ok(0 <= d.start && d.start <= d.end && d.end <= text.length);
  for (let offset = 0; offset <= text.length; offset++) {
    for (const item of completions(text, offset, o))
      assert.ok(0 <= item.replaceStart && item.replaceStart <= item.replaceEnd && item.replaceEnd <= text.length);
    const h = hover(text, offset, o);
    if (h) assert.ok(0 <= h.start && h.start <= offset && offset <= h.end && h.end <= text.length);
  }
}

describe('tolerance of half-typed SQL', () => {
  it('every prefix of every snippet, on every dialect', () => {
    for (const text of texts) {
      for (let cut = 0; cut <= text.length; cut += 29) exercise(text.slice(0, cut), options[cut % options.length]);
    }
  });

  it('snippets with pseudo-random bites taken out of them', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 40; round++) {
      const text = texts[round % texts.length];
      const at = random(text.length);
      const bitten = text.slice(0, at) + text.slice(at + 1 + random(20));
      exercise(bitten, options[round % options.length]);
    }
  });

  it('odd names that collide with JavaScript object keys', () => {
    const text =
      "select constructor, __proto__, t.toString from hightouch_audit.constructor t where hasOwnProperty = 'valueOf'";
    for (const o of options) exercise(text, o);
  });
});
