/**
 * Snowflake column types and cell normalisation. Pure: no driver import.
 *
 * The adapter asks snowflake-sdk for numbers and VARIANTs as the server's text (`fetchAsString:
 * ['Number', 'JSON']`), so no digit is lost to a JS number and no VARIANT goes through the
 * driver's eval fallback. Timestamps come as the driver's SfDate (a Date carrying the exact
 * epoch seconds and nanoseconds), which this module prints itself: a JS Date would drop the
 * microseconds, and the driver's own text depends on the session's output-format parameters.
 */
import {
  bytesToHex,
  driverLeafToJson,
  floatToJson,
  int8ToJson,
  numericToJson,
  parseJsonOrText,
  parsedJsonCell,
} from '../jsonCells';

/** Column metadata as the driver reports it (`Column.getType()`, `getScale()`). */
export interface SnowflakeColumnMeta {
  name: string;
  /** The driver's type: fixed, real, text, boolean, date, time, timestamp_ltz/ntz/tz, variant, object, array, map, binary. */
  type: string;
  scale?: number | null;
}

/** What the driver hands over for DATE and TIMESTAMP_* columns (a Date with these extra getters). */
export interface SfDateLike {
  getEpochSeconds(): number;
  getNanoSeconds(): number;
}

/** The type as Snowflake's SQL names it: the driver's `fixed` is NUMBER, `real` FLOAT, `text` VARCHAR. */
export function snowflakeTypeName(type: string): string {
  switch (type.toLowerCase()) {
    case 'fixed':
      return 'number';
    case 'real':
      return 'float';
    case 'text':
      return 'varchar';
    default:
      return type.toLowerCase();
  }
}

/**
 * Unquoted identifiers fold to UPPER case, so `select count(*) as runs` labels its column RUNS.
 * The extension reads columns by their lower-case names, so an all-upper name is lowered; a name
 * with any lower-case letter was quoted on purpose and is kept.
 */
export function snowflakeColumnName(name: string): string {
  return /[a-z]/.test(name) ? name : name.toLowerCase();
}

/** Turns one cell, as the driver handed it over under the adapter's fetch settings, into a JSON-able value. */
export function normalizeSnowflakeCell(value: unknown, column: SnowflakeColumnMeta): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type.toLowerCase()) {
    case 'fixed':
      return typeof value === 'string' ? fixedToJson(value, column.scale ?? 0) : normalizeOther(value);
    case 'real':
      return typeof value === 'string' ? floatToJson(value) : normalizeOther(value);
    case 'boolean':
      return typeof value === 'string' ? /^(true|1)$/i.test(value) : Boolean(value);
    case 'date':
      return isSfDate(value) ? epochToIso(value.getEpochSeconds(), 0, 'date') : normalizeOther(value);
    case 'timestamp_ntz':
      return isSfDate(value)
        ? epochToIso(value.getEpochSeconds(), value.getNanoSeconds(), 'wall')
        : normalizeOther(value);
    case 'timestamp_ltz':
    case 'timestamp_tz':
      return isSfDate(value)
        ? epochToIso(value.getEpochSeconds(), value.getNanoSeconds(), 'utc')
        : normalizeOther(value);
    case 'variant':
    case 'object':
    case 'array':
    case 'map':
      return typeof value === 'string' ? parseJsonOrText(value) : normalizeOther(value);
    case 'binary':
      return typeof value === 'string' ? `\\x${value.toLowerCase()}` : normalizeOther(value);
    default:
      return normalizeOther(value);
  }
}

/** NUMBER(p, 0) as a number when JavaScript holds it exactly; NUMBER(p, s) when it prints back the same. */
export function fixedToJson(text: string, scale: number): number | string {
  return scale > 0 ? numericToJson(text) : int8ToJson(text);
}

/**
 * Epoch seconds plus nanoseconds as ISO 8601: `utc` ends in Z (TIMESTAMP_TZ/LTZ are instants),
 * `wall` has no zone (TIMESTAMP_NTZ is a wall-clock time), `date` is YYYY-MM-DD. The fraction keeps
 * every digit the server sent (up to nanoseconds), without trailing zeros.
 */
export function epochToIso(epochSeconds: number, nanoSeconds: number, kind: 'utc' | 'wall' | 'date'): string {
  const date = new Date(epochSeconds * 1000);
  if (Number.isNaN(date.getTime())) return String(epochSeconds);
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z (or ±YYYYYY-...)
  if (kind === 'date') return iso.slice(0, iso.indexOf('T'));
  const fraction = nanoSeconds > 0 ? `.${String(Math.round(nanoSeconds)).padStart(9, '0')}`.replace(/0+$/, '') : '';
  return `${iso.slice(0, iso.length - 5)}${fraction}${kind === 'utc' ? 'Z' : ''}`;
}

function isSfDate(value: unknown): value is SfDateLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SfDateLike).getEpochSeconds === 'function' &&
    typeof (value as SfDateLike).getNanoSeconds === 'function'
  );
}

/**
 * Values the driver already converted (when fetch settings differ from the adapter's): still
 * JSON-able, and a VARIANT nested too deep to travel parsed becomes its JSON text.
 */
function normalizeOther(value: unknown): unknown {
  return typeof value === 'object' && value !== null
    ? parsedJsonCell(value, normalizeTree, snowflakeLeaf)
    : normalizeTree(value);
}

const snowflakeLeaf = (value: unknown): unknown =>
  isSfDate(value) ? epochToIso(value.getEpochSeconds(), value.getNanoSeconds(), 'utc') : driverLeafToJson(value);

function normalizeTree(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (isSfDate(value)) return epochToIso(value.getEpochSeconds(), value.getNanoSeconds(), 'utc');
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return bytesToHex(value);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), normalizeTree(v)]));
  if (Array.isArray(value)) return value.map(normalizeTree);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeTree(v)]));
  }
  return value;
}
