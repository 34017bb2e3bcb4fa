/**
 * Databricks result types and cell normalisation, plus how bound values are typed on the wire.
 * Pure: no driver import. Cells arrive as @databricks/sql hands them over from column-based
 * (Thrift TRowSet) results; values the Arrow path would produce (Date, bigint, Buffer) are accepted
 * too, so a change of result format never leaks driver types into a QueryResult.
 */
import { bytesToHex, driverLeafToJson, int8ToJson, numericToJson, parseJsonOrText, parsedJsonCell } from '../jsonCells';

/** Thrift TTypeId -> the SQL name Databricks uses for it (lower case). */
const TYPE_NAMES: Record<number, string> = {
  0: 'boolean',
  1: 'tinyint',
  2: 'smallint',
  3: 'int',
  4: 'bigint',
  5: 'float',
  6: 'double',
  7: 'string',
  8: 'timestamp',
  9: 'binary',
  10: 'array',
  11: 'map',
  12: 'struct',
  13: 'union',
  14: 'user_defined',
  15: 'decimal',
  16: 'void',
  17: 'date',
  18: 'varchar',
  19: 'char',
  20: 'interval year to month',
  21: 'interval day to second',
};

/** The parts of a Thrift TColumnDesc this module reads (structurally, so the driver's classes fit). */
export interface ThriftColumnDesc {
  columnName: string;
  position?: number | null;
  typeDesc?: {
    types?: Array<{
      primitiveEntry?: {
        type?: number | null;
        typeQualifiers?: {
          qualifiers?: Record<string, { i32Value?: number | null; stringValue?: string | null } | undefined> | null;
        } | null;
      } | null;
      arrayEntry?: unknown;
      mapEntry?: unknown;
      structEntry?: unknown;
    } | null>;
  } | null;
}

/** `decimal(38,6)`, `varchar(20)`, `timestamp`, ...: the column's type as Databricks spells it, lower case. */
export function databricksTypeName(column: ThriftColumnDesc): string {
  const entry = column.typeDesc?.types?.[0];
  const primitive = entry?.primitiveEntry;
  if (primitive?.type === undefined || primitive?.type === null) {
    if (entry?.arrayEntry) return 'array';
    if (entry?.mapEntry) return 'map';
    if (entry?.structEntry) return 'struct';
    return 'unknown';
  }
  const base = TYPE_NAMES[primitive.type] ?? `type:${primitive.type}`;
  const q = primitive.typeQualifiers?.qualifiers;
  if (base === 'decimal' && q?.precision?.i32Value != null)
    return `decimal(${q.precision.i32Value},${q.scale?.i32Value ?? 0})`;
  if ((base === 'varchar' || base === 'char') && q?.characterMaximumLength?.i32Value != null) {
    return `${base}(${q.characterMaximumLength.i32Value})`;
  }
  return base;
}

/** The base name without qualifiers: `decimal(38,6)` -> `decimal`. */
function baseType(typeName: string): string {
  const paren = typeName.indexOf('(');
  return paren < 0 ? typeName : typeName.slice(0, paren);
}

/**
 * Turns one cell, as the driver handed it over, into a JSON-able value (see QueryResult).
 * `typeName` is what databricksTypeName returned for the column.
 */
export function normalizeDatabricksCell(value: unknown, typeName: string): unknown {
  if (value === null || value === undefined) return null;
  const type = baseType(typeName);
  switch (type) {
    case 'timestamp':
      return timestampCell(value);
    case 'date':
      return dateCell(value);
    case 'bigint':
    case 'int':
    case 'smallint':
    case 'tinyint':
      return integerCell(value);
    case 'decimal':
      return decimalCell(value);
    case 'float':
    case 'double':
      return floatCell(value);
    case 'boolean':
      return typeof value === 'string' ? value.toLowerCase() === 'true' : Boolean(value);
    case 'binary':
      return binaryCell(value);
    case 'array':
    case 'map':
    case 'struct':
      return complexCell(value);
    default:
      return plainCell(value);
  }
}

/** Column-based results send TIMESTAMP as the session's wall clock text; the adapter sets the session to UTC. */
const TIMESTAMP_TEXT = /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$/;

/** `2026-11-01 10:00:00.123456` (UTC wall clock) -> `2026-11-01T10:00:00.123456Z`, keeping every fraction digit. */
export function timestampCell(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'string') return plainCell(value);
  const m = TIMESTAMP_TEXT.exec(value.trim());
  if (!m) return value;
  const [, y, mo, d, h, mi, s = '00', frac = '', zone] = m;
  if (!zone || zone === 'Z' || /^[+-]00:?00$/.test(zone)) return `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}Z`;
  // An explicit offset: shift whole seconds with Date and put the original fraction back.
  const date = new Date(
    `${y}-${mo}-${d}T${h}:${mi}:${s}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`,
  );
  if (Number.isNaN(date.getTime())) return value;
  return `${date.toISOString().slice(0, 19)}${frac}Z`;
}

function dateCell(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  return plainCell(value);
}

/** BIGINT as a number while JavaScript holds it exactly, else its digits as a string. */
function integerCell(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint' || typeof value === 'string') return int8ToJson(value.toString());
  // node-int64 (Thrift i64) prints its exact digits with toString(10).
  if (typeof value === 'object' && typeof (value as { toString?: unknown }).toString === 'function') {
    const text = (value as { toString(radix?: number): string }).toString(10);
    if (/^-?\d+$/.test(text)) return int8ToJson(text);
  }
  return plainCell(value);
}

/** DECIMAL as a number when it prints back as the same value, else the exact decimal string. */
function decimalCell(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return int8ToJson(value.toString());
  if (typeof value === 'string') return numericToJson(value.trim());
  return plainCell(value);
}

/** Floats as numbers; NaN and the infinities are not JSON, so they stay words. */
function floatCell(value: unknown): unknown {
  const n = typeof value === 'number' ? value : Number(value);
  if (Number.isFinite(n)) return n;
  return typeof value === 'string' ? value : String(n);
}

function binaryCell(value: unknown): unknown {
  if (value instanceof Uint8Array) return bytesToHex(value);
  return plainCell(value);
}

/** ARRAY/MAP/STRUCT arrive as JSON text without Arrow (the driver usually parses it already). */
function complexCell(value: unknown): unknown {
  return typeof value === 'string' ? parseJsonOrText(value) : plainCell(value);
}

/** Anything else: keep JSON-able values, stringify what JSON cannot carry; too deep to travel parsed: its JSON text. */
function plainCell(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? parsedJsonCell(value, plainTree, plainLeaf) : plainTree(value);
}

/** plainTree for one value inside a structure, without descending. */
function plainLeaf(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number')
    return driverLeafToJson(value);
  return typeof value === 'bigint' ? int8ToJson(value.toString()) : String(value);
}

function plainTree(value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return int8ToJson(value.toString());
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return bytesToHex(value);
  if (Array.isArray(value)) return value.map((v) => (v === null || v === undefined ? null : plainTree(v)));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = v === null || v === undefined ? null : plainTree(v);
    return out;
  }
  return String(value);
}

/** Spark parameter types the adapter binds with (DBSQLParameterType values). */
export type DatabricksBindType = 'VOID' | 'STRING' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMP';

/**
 * How one bound value is typed on the wire. The type is chosen here rather than left to the
 * driver so it is explicit and tested: whole numbers bind as INTEGER (32-bit) or BIGINT, so
 * `:p1` compares with an id column without a cast; objects bind as their JSON text.
 */
export function databricksBind(value: unknown): { type: DatabricksBindType; value: unknown } {
  if (value === null || value === undefined) return { type: 'VOID', value: null };
  if (typeof value === 'boolean') return { type: 'BOOLEAN', value };
  if (typeof value === 'bigint') return { type: 'BIGINT', value };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return { type: 'DOUBLE', value };
    if (value >= -2147483648 && value <= 2147483647) return { type: 'INTEGER', value };
    return Number.isSafeInteger(value) ? { type: 'BIGINT', value } : { type: 'DOUBLE', value };
  }
  if (value instanceof Date) return { type: 'TIMESTAMP', value };
  if (typeof value === 'string') return { type: 'STRING', value };
  return { type: 'STRING', value: JSON.stringify(value) };
}
