/**
 * Field-level diff of two `fields` values of the changelog: what changed in the model row
 * between two operations. Drivers hand `fields` over as a parsed object (Snowflake VARIANT,
 * Postgres jsonb) or as JSON text (BigQuery, Databricks), so both are accepted.
 */
import type { FieldChange } from '../shared/analysisData';
import { isJsonText, stringifyJson } from '../shared/jsonText';

/** Values longer than this are cut: a row can carry a whole document in one column. */
export const MAX_VALUE_TEXT = 300;

type Fields = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The fields as an object; anything that is not a JSON object (null, arrays, bad text) counts as no fields.
 * JSON kept as text (nested too deep to travel parsed) is parsed here: V8's JSON.parse does not recurse,
 * and nothing below walks it recursively.
 */
export function asFields(value: unknown): Fields {
  if (isJsonText(value)) value = value.$jsonText;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      return isPlainObject(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }
  return isPlainObject(value) ? value : {};
}

/** Structural equality of JSON values; key order does not matter. Iterative: a value may be nested thousands deep. */
function deepEqual(first: unknown, second: unknown): boolean {
  const pending: [unknown, unknown][] = [[first, second]];
  while (pending.length) {
    const [a, b] = pending.pop()!;
    if (a === b) continue;
    if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a)) {
      const bb = b as unknown[];
      if (a.length !== bb.length) return false;
      a.forEach((v, i) => pending.push([v, bb[i]]));
      continue;
    }
    const ao = a as Fields;
    const bo = b as Fields;
    const keys = Object.keys(ao);
    if (keys.length !== Object.keys(bo).length) return false;
    for (const k of keys) {
      if (!Object.prototype.hasOwnProperty.call(bo, k)) return false;
      pending.push([ao[k], bo[k]]);
    }
  }
  return true;
}

/** Compact JSON text of a value, cut at MAX_VALUE_TEXT characters with an ellipsis. */
export function renderValue(value: unknown): string {
  let text: string;
  try {
    // Like JSON.stringify (undefined for undefined and functions; BigInt throws), without recursion.
    text = stringifyJson(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT)}…` : text;
}

/** Top-level fields added, removed or changed from `before` to `after`, sorted by field name. */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const a = asFields(before);
  const b = asFields(after);
  const has = (o: Fields, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const changes: FieldChange[] = [];
  for (const field of names) {
    if (!has(a, field)) changes.push({ field, kind: 'added', after: renderValue(b[field]) });
    else if (!has(b, field)) changes.push({ field, kind: 'removed', before: renderValue(a[field]) });
    else if (!deepEqual(a[field], b[field]))
      changes.push({ field, kind: 'changed', before: renderValue(a[field]), after: renderValue(b[field]) });
  }
  return changes;
}
