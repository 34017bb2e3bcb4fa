/**
 * Warehouse text to JSON-able cell values, shared by every adapter's type module: numbers stay
 * numbers only when JavaScript holds them exactly, and what JSON cannot carry stays text. Pure.
 */
import { jsonText, parseJsonCell, parsedNeedsText, stringifyJson, type StringifyOptions } from '../shared/jsonText';

/** int8 as a number when JavaScript holds it exactly, else the digits as a string. */
export function int8ToJson(text: string): number | string {
  if (!/^-?\d+$/.test(text)) return text;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** numeric as a number when the number prints back as the same decimal value, else the exact string. */
export function numericToJson(text: string): number | string {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text; // NaN, Infinity
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  if (n === 0) return 0;
  return canonicalDecimal(String(n)) === canonicalDecimal(text) ? n : text;
}

/** Drops what does not change a decimal's value: trailing fraction zeros, a bare point. */
function canonicalDecimal(text: string): string {
  if (text.includes('e')) return `exp:${text}`; // never equal to a plain decimal
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** Floats as numbers; NaN and the infinities are not JSON, so they stay words. */
export function floatToJson(text: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/** JSON text as a cell: parsed, or kept as a JsonText when nested too deep to travel parsed; not JSON: the text. */
export function parseJsonOrText(text: string): unknown {
  const value = parseJsonCell(text);
  return value === undefined ? text : value;
}

/**
 * A JSON value a driver parsed before we saw its text: `normalize` (the adapter's own, recursive)
 * when it is shallow, else its JSON text, written without recursion with `leaf` converting what
 * JSON cannot hold (Dates, bytes, Maps) the way `normalize` would.
 */
export function parsedJsonCell(
  value: unknown,
  normalize: (value: unknown) => unknown,
  leaf: StringifyOptions['replace'] = driverLeafToJson,
): unknown {
  if (!parsedNeedsText(value)) return normalize(value);
  return jsonText(stringifyJson(value, { replace: leaf }) ?? 'null');
}

/** Bytes as Postgres prints bytea in hex form: `\x` then two hex digits per byte. */
export function bytesToHex(bytes: Uint8Array): string {
  return `\\x${Buffer.from(bytes).toString('hex')}`;
}

/**
 * One value inside a driver-parsed structure as JSON can hold it, without descending: what the
 * adapters' recursive normalisers do per value (exact integers, ISO instants, hex bytes, Maps as objects).
 */
export function driverLeafToJson(value: unknown): unknown {
  if (typeof value === 'bigint') return int8ToJson(value.toString());
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return bytesToHex(value);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), v]));
  return value;
}
