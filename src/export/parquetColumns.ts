/**
 * A result column as a Parquet column: which physical and logical type its warehouse type maps
 * to, and how each cell (as the adapters normalise them, src/shared/queryResult.ts) becomes a
 * value of that type. Pure. Every column is OPTIONAL, so NULL stays NULL.
 */
import { isJsonText } from '../shared/jsonText';
import { stringifyJson } from '../shared/jsonText';

export type ParquetKind =
  'boolean' | 'int32' | 'int64' | 'double' | 'timestamptz' | 'timestamp' | 'date' | 'json' | 'text';

/** The part of hyparquet's SchemaElement this module fills in. */
export interface ParquetSchemaElement {
  name: string;
  type?: 'BOOLEAN' | 'INT32' | 'INT64' | 'DOUBLE' | 'BYTE_ARRAY';
  repetition_type?: 'OPTIONAL';
  converted_type?: 'UTF8' | 'DATE' | 'TIMESTAMP_MICROS';
  logical_type?:
    | { type: 'STRING' }
    | { type: 'JSON' }
    | { type: 'DATE' }
    | { type: 'TIMESTAMP'; isAdjustedToUTC: boolean; unit: 'MICROS' };
  num_children?: number;
}

/**
 * Warehouse type names (lower case, without length or precision) by kind. Anything not listed is
 * written as text: exact, whatever it holds. NUMERIC/DECIMAL stays text too: an unconstrained
 * numeric has no fixed scale for a Parquet DECIMAL, and a double would round it.
 */
const KINDS: Record<string, ParquetKind> = {
  bool: 'boolean',
  boolean: 'boolean',
  int2: 'int32',
  int4: 'int32',
  smallint: 'int32',
  integer: 'int32',
  int: 'int32',
  tinyint: 'int32',
  int8: 'int64',
  bigint: 'int64',
  int64: 'int64',
  oid: 'int64',
  float4: 'double',
  float8: 'double',
  real: 'double',
  float: 'double',
  float64: 'double',
  double: 'double',
  'double precision': 'double',
  timestamptz: 'timestamptz',
  'timestamp with time zone': 'timestamptz',
  timestamp_tz: 'timestamptz',
  timestamp_ltz: 'timestamptz',
  timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp',
  timestamp_ntz: 'timestamp',
  datetime: 'timestamp',
  date: 'date',
  json: 'json',
  jsonb: 'json',
  variant: 'json',
  object: 'json',
  struct: 'json',
  map: 'json',
  array: 'json',
  super: 'json',
};

export function parquetKind(warehouseType: string): ParquetKind {
  const name = warehouseType.trim().toLowerCase();
  // Arrays (`text[]`, Postgres) carry nested values: written as their JSON.
  if (name.endsWith('[]')) return 'json';
  return KINDS[name.replace(/\s*\(.*\)$/, '')] ?? 'text';
}

export function schemaElement(name: string, kind: ParquetKind): ParquetSchemaElement {
  const optional = { name, repetition_type: 'OPTIONAL' } as const;
  switch (kind) {
    case 'boolean':
      return { ...optional, type: 'BOOLEAN' };
    case 'int32':
      return { ...optional, type: 'INT32' };
    case 'int64':
      return { ...optional, type: 'INT64' };
    case 'double':
      return { ...optional, type: 'DOUBLE' };
    case 'date':
      return { ...optional, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } };
    case 'timestamptz':
      // The converted type TIMESTAMP_MICROS means "adjusted to UTC": only for instants.
      return {
        ...optional,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MICROS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
      };
    case 'timestamp':
      return {
        ...optional,
        type: 'INT64',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' },
      };
    case 'json':
      // No converted type JSON: the writer would re-stringify it; the cells arrive as UTF-8 bytes of their text.
      return { ...optional, type: 'BYTE_ARRAY', logical_type: { type: 'JSON' } };
    case 'text':
      return { ...optional, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
  }
}

/** A cell that does not fit its column's Parquet type: the export stops rather than write a wrong value. */
export class ParquetValueError extends Error {
  constructor(column: string, kind: ParquetKind, value: unknown) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
    super(`Column "${column.slice(0, 80)}" (${kind}) holds a value Parquet cannot store as ${kind}: ${shown}.`);
    this.name = 'ParquetValueError';
  }
}

const INTEGER_TEXT = /^-?\d+$/;
const ISO_TIME = /^(-?\d{4,})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d(?::?\d\d)?)?$/;
const ISO_DATE = /^(-?\d{4,})-(\d\d)-(\d\d)$/;
const DAY_MS = 86_400_000;
/** Postgres's infinite timestamps and dates have no Parquet value: they are written as NULL. */
const INFINITE = new Set(['infinity', '-infinity']);

function utcMs(year: string, month: string, day: string, h = 0, mi = 0, s = 0): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 0-99.
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

/** Microseconds since the epoch of an ISO timestamp (its zone applied; none: read as UTC wall-clock). */
export function isoToMicros(text: string): bigint | undefined {
  const m = ISO_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone] = m;
  let ms = utcMs(y, mo, d, Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  if (zone && zone !== 'Z') {
    const digits = zone.replace(':', '');
    const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0);
    ms -= (zone[0] === '-' ? -minutes : minutes) * 60_000;
  }
  return BigInt(ms) * 1000n + BigInt((frac + '000000').slice(0, 6));
}

const encoder = new TextEncoder();

/**
 * The converter for one column: a cell in, the value hyparquet-writer takes for that type out
 * (null for NULL). Throws ParquetValueError for a cell its type cannot hold.
 */
export function cellConverter(name: string, kind: ParquetKind): (value: unknown) => unknown {
  const fail = (value: unknown): never => {
    throw new ParquetValueError(name, kind, value);
  };
  switch (kind) {
    case 'boolean':
      return (v) => (v === null || v === undefined ? null : typeof v === 'boolean' ? v : fail(v));
    case 'int32':
      return (v) => {
        if (v === null || v === undefined) return null;
        const n = typeof v === 'string' && INTEGER_TEXT.test(v) ? Number(v) : v;
        return typeof n === 'number' && Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 ? n : fail(v);
      };
    case 'int64':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
        if (typeof v === 'bigint') return v;
        return typeof v === 'string' && INTEGER_TEXT.test(v) ? BigInt(v) : fail(v);
      };
    case 'double':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'number') return v;
        // NaN and the infinities arrive as words (JSON cannot hold them); Parquet can.
        if (typeof v === 'string' && /^(NaN|-?Infinity|-?inf)$/i.test(v)) return Number(v.replace(/inf$/i, 'Infinity'));
        return typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : fail(v);
      };
    case 'timestamp':
    case 'timestamptz':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : BigInt(v.getTime()) * 1000n;
        if (typeof v !== 'string') return fail(v);
        if (INFINITE.has(v)) return null;
        return isoToMicros(v) ?? fail(v);
      };
    case 'date':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v !== 'string') return fail(v);
        if (INFINITE.has(v)) return null;
        const m = ISO_DATE.exec(v);
        const ms = m ? utcMs(m[1], m[2], m[3]) : NaN;
        return Number.isNaN(ms) ? fail(v) : Math.floor(ms / DAY_MS);
      };
    case 'json':
      return (v) => {
        if (v === null || v === undefined) return null;
        return encoder.encode(isJsonText(v) ? v.$jsonText : (stringifyJson(v) ?? 'null'));
      };
    case 'text':
      return (v) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'string') return v;
        if (typeof v === 'object') return isJsonText(v) ? v.$jsonText : (stringifyJson(v) ?? 'null');
        return String(v);
      };
  }
}

/** Column names made unique (`a`, `a_2`): Parquet finds a column by its name. */
export function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let key = name;
    for (let n = 2; used.has(key); n++) key = `${name}_${n}`;
    used.add(key);
    return key;
  });
}
