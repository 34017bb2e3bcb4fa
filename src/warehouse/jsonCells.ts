/**
 * Warehouse text to JSON-able cell values, shared by every adapter's type module: numbers stay
 * numbers only when JavaScript holds them exactly, and what JSON cannot carry stays text. Pure.
 */

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

export function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Bytes as Postgres prints bytea in hex form: `\x` then two hex digits per byte. */
export function bytesToHex(bytes: Uint8Array): string {
  return `\\x${Buffer.from(bytes).toString('hex')}`;
}
