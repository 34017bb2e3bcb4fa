/**
 * BigQuery cells and query parameters, as the REST API carries them. Pure: no driver import.
 *
 * The adapter asks the library for raw rows (`skipParsing`), because its default parsing turns
 * TIMESTAMP into objects, NUMERIC into Big and drops microseconds; here every cell becomes the
 * same JSON-able value the Postgres adapter produces for the same data.
 */
import { bytesToHex, floatToJson, int8ToJson, numericToJson, parseJsonOrText, parsedJsonCell } from '../jsonCells';

/** A column of `schema.fields` in a getQueryResults / jobs.query response. */
export interface BigQueryField {
  name: string;
  /** Legacy names on the wire (`INTEGER`, `FLOAT`, `BOOLEAN`, `RECORD`), or the standard ones. */
  type: string;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED' | string;
  fields?: BigQueryField[];
}

/** One row on the wire: `{f: [{v: cell}, ...]}`; a cell is a string, null, a repeated list or a record. */
export interface BigQueryRawRow {
  f: Array<{ v: unknown }>;
}

/** The wire's legacy type names, as the standard SQL names people write in queries. */
const STANDARD_NAMES: Record<string, string> = {
  INTEGER: 'int64',
  FLOAT: 'float64',
  BOOLEAN: 'bool',
  RECORD: 'struct',
};

/** The column's type in lower-case standard SQL spelling: `int64`, `timestamp`, `array<string>`, `struct`. */
export function bigQueryTypeName(field: BigQueryField): string {
  const upper = field.type.toUpperCase();
  const scalar = STANDARD_NAMES[upper] ?? upper.toLowerCase();
  return field.mode === 'REPEATED' ? `array<${scalar}>` : scalar;
}

/** One raw row in column order, each cell normalised. */
export function normalizeRow(row: BigQueryRawRow, fields: readonly BigQueryField[]): unknown[] {
  return fields.map((field, i) => normalizeCell(row.f?.[i]?.v, field));
}

/** One raw cell (`v`) into a JSON-able value, following the column's schema. */
export function normalizeCell(value: unknown, field: BigQueryField): unknown {
  if (value === null || value === undefined) return null;
  if (field.mode === 'REPEATED') {
    if (!Array.isArray(value)) return null;
    const element: BigQueryField = { ...field, mode: 'NULLABLE' };
    return value.map((item) => normalizeCell(isWrapped(item) ? item.v : item, element));
  }
  const type = field.type.toUpperCase();
  if (type === 'RECORD' || type === 'STRUCT') return normalizeRecord(value, field.fields ?? []);
  // Scalars arrive as strings; a value already parsed by someone else is accepted too.
  if (typeof value !== 'string') return normalizeParsed(value, type);
  switch (type) {
    case 'INTEGER':
    case 'INT64':
      return int8ToJson(value);
    case 'FLOAT':
    case 'FLOAT64':
      return floatToJson(value);
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return numericToJson(value);
    case 'BOOLEAN':
    case 'BOOL':
      return value === 'true';
    case 'TIMESTAMP':
      return timestampToIso(value);
    case 'DATETIME':
      return value.replace(' ', 'T');
    case 'JSON':
      return parseJsonOrText(value);
    case 'BYTES':
      return bytesToHex(Buffer.from(value, 'base64'));
    default:
      // STRING, DATE (already YYYY-MM-DD), TIME, GEOGRAPHY (WKT), INTERVAL, RANGE: text as the API prints it.
      return value;
  }
}

function isWrapped(item: unknown): item is { v: unknown } {
  return typeof item === 'object' && item !== null && !Array.isArray(item) && 'v' in item;
}

function normalizeRecord(value: unknown, fields: readonly BigQueryField[]): unknown {
  const cells = (value as { f?: unknown }).f;
  const out: Record<string, unknown> = {};
  if (Array.isArray(cells)) {
    fields.forEach((sub, i) => {
      const cell = cells[i];
      out[sub.name] = normalizeCell(isWrapped(cell) ? cell.v : cell, sub);
    });
    return out;
  }
  // Already an object keyed by field name (a parsed row).
  for (const sub of fields) out[sub.name] = normalizeCell((value as Record<string, unknown>)[sub.name], sub);
  return out;
}

function normalizeParsed(value: unknown, type: string): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value instanceof Date)
    return Number.isNaN(value.getTime())
      ? null
      : type === 'DATE'
        ? value.toISOString().slice(0, 10)
        : value.toISOString();
  if (value instanceof Uint8Array) return bytesToHex(value);
  // A JSON cell someone parsed already: deep ones travel as their text.
  if (typeof value === 'object' && value !== null) return parsedJsonCell(value, (v) => v);
  return value;
}

/**
 * A TIMESTAMP cell as ISO 8601 UTC with `Z`, keeping microseconds (trailing zeros dropped, as
 * Postgres prints them). The API sends int64 microseconds when asked with
 * `formatOptions.useInt64Timestamp` (the adapter always asks), float seconds otherwise
 * (`1.7935272001234561E9`), or ISO text with timestampOutputFormat; all three are read.
 */
export function timestampToIso(text: string): string {
  let micros: bigint;
  if (/^-?\d+$/.test(text)) micros = BigInt(text);
  else if (/^-?\d+(\.\d+)?(E[+-]?\d+)?$/i.test(text)) micros = BigInt(Math.round(Number(text) * 1e6));
  else return isoText(text);
  const MICROS = 1_000_000n;
  let seconds = micros / MICROS;
  let fraction = micros % MICROS;
  if (fraction < 0n) {
    // BigInt division truncates toward zero; times before 1970 need the floor.
    fraction += MICROS;
    seconds -= 1n;
  }
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return text;
  const digits = fraction.toString().padStart(6, '0').replace(/0+$/, '');
  return `${date.toISOString().slice(0, 19)}${digits ? `.${digits}` : ''}Z`;
}

/** ISO-ish text (`2026-11-01 10:00:00.123456 UTC`, `...+00:00`) as `...T...Z` when it is UTC; otherwise unchanged. */
function isoText(text: string): string {
  const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d(?:\.\d+)?)(?: ?UTC|Z|\+00(?::?00)?)$/.exec(text);
  return m ? `${m[1]}T${m[2]}Z` : text;
}

/** A named query parameter as the REST API takes it (`configuration.query.queryParameters[]`). */
export interface BigQueryParameter {
  name: string;
  parameterType: BigQueryParameterType;
  parameterValue: BigQueryParameterValue;
}

export interface BigQueryParameterType {
  type: string;
  arrayType?: BigQueryParameterType;
}

export interface BigQueryParameterValue {
  value?: string | null;
  arrayValues?: BigQueryParameterValue[];
}

/**
 * Named parameters p1..pn from positional values (`values[i]` is `@p{i+1}`), each typed from its
 * JS value. BigQuery needs a type for every parameter, and an untyped NULL is an error, so:
 *   bigint, or a safe-integer number -> INT64      other number -> FLOAT64 (NaN/Infinity as words)
 *   boolean -> BOOL      string -> STRING      Date -> TIMESTAMP (ISO, UTC)
 *   Uint8Array/Buffer -> BYTES (base64)      null/undefined -> STRING NULL
 *   array -> ARRAY of the first non-null element's type (STRING when empty), for `IN UNNEST(@p1)`
 *   any other object -> JSON (its JSON text)
 * Throws a TypeError naming the parameter for what BigQuery cannot take (nested arrays, invalid dates).
 */
export function toQueryParameters(values: readonly unknown[]): BigQueryParameter[] {
  return values.map((value, i) => {
    const name = `p${i + 1}`;
    const typed = typeValue(value, name);
    return { name, parameterType: typed.type, parameterValue: typed.value };
  });
}

interface TypedValue {
  type: BigQueryParameterType;
  value: BigQueryParameterValue;
}

function typeValue(value: unknown, name: string): TypedValue {
  if (Array.isArray(value)) {
    const first = value.find((v) => v !== null && v !== undefined);
    if (Array.isArray(first))
      throw new TypeError(`Query parameter @${name} is an array of arrays, which BigQuery cannot take as a parameter.`);
    const elementType = first === undefined ? { type: 'STRING' } : scalar(first, name).type;
    return {
      type: { type: 'ARRAY', arrayType: elementType },
      value: {
        arrayValues: value.map((v) => {
          if (v === null || v === undefined) return { value: null };
          const item = scalar(v, name);
          if (item.type.type !== elementType.type) {
            throw new TypeError(
              `Query parameter @${name} mixes ${elementType.type} and ${item.type.type} values; BigQuery arrays hold one type.`,
            );
          }
          return item.value;
        }),
      },
    };
  }
  return scalar(value, name);
}

function scalar(value: unknown, name: string): TypedValue {
  const of = (type: string, text: string | null): TypedValue => ({ type: { type }, value: { value: text } });
  if (value === null || value === undefined) return of('STRING', null);
  switch (typeof value) {
    case 'bigint':
      return of('INT64', value.toString());
    case 'number':
      return Number.isSafeInteger(value) ? of('INT64', String(value)) : of('FLOAT64', floatText(value));
    case 'boolean':
      return of('BOOL', String(value));
    case 'string':
      return of('STRING', value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`Query parameter @${name} is an invalid Date.`);
    return of('TIMESTAMP', value.toISOString());
  }
  if (value instanceof Uint8Array) return of('BYTES', Buffer.from(value).toString('base64'));
  if (typeof value === 'object') return of('JSON', JSON.stringify(value));
  throw new TypeError(`Query parameter @${name} is a ${typeof value}, which cannot be sent to BigQuery.`);
}

function floatText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return String(n);
}
