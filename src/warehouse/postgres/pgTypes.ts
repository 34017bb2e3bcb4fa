/**
 * Postgres type OIDs and cell normalisation, shared by the pg adapter and the embedded demo (PGlite).
 * Both adapters ask their driver for the server's text output and turn it into JSON-able values here,
 * so a cell looks the same whichever engine produced it. Pure: no driver import.
 */

/** Built-in scalar types by OID (pg_type.oid -> pg_type.typname). */
import { bytesToHex, floatToJson, int8ToJson, numericToJson, parseJsonOrText, parsedJsonCell } from '../jsonCells';
import { jsonText } from '../../shared/jsonText';

export { int8ToJson, numericToJson };

const SCALAR_TYPES: Record<number, string> = {
  16: 'bool',
  17: 'bytea',
  18: 'char',
  19: 'name',
  20: 'int8',
  21: 'int2',
  23: 'int4',
  24: 'regproc',
  25: 'text',
  26: 'oid',
  27: 'tid',
  28: 'xid',
  29: 'cid',
  114: 'json',
  142: 'xml',
  600: 'point',
  650: 'cidr',
  700: 'float4',
  701: 'float8',
  705: 'unknown',
  774: 'macaddr8',
  790: 'money',
  829: 'macaddr',
  869: 'inet',
  1042: 'bpchar',
  1043: 'varchar',
  1082: 'date',
  1083: 'time',
  1114: 'timestamp',
  1184: 'timestamptz',
  1186: 'interval',
  1266: 'timetz',
  1560: 'bit',
  1562: 'varbit',
  1700: 'numeric',
  2205: 'regclass',
  2206: 'regtype',
  2249: 'record',
  2278: 'void',
  2950: 'uuid',
  3220: 'pg_lsn',
  3614: 'tsvector',
  3802: 'jsonb',
  4072: 'jsonpath',
  5069: 'xid8',
};

/** Built-in array types by OID -> OID of their element type. */
const ARRAY_ELEMENT: Record<number, number> = {
  1000: 16,
  1001: 17,
  1002: 18,
  1003: 19,
  1016: 20,
  1005: 21,
  1007: 23,
  1009: 25,
  1028: 26,
  199: 114,
  143: 142,
  651: 650,
  1021: 700,
  1022: 701,
  791: 790,
  1040: 829,
  1041: 869,
  1014: 1042,
  1015: 1043,
  1182: 1082,
  1183: 1083,
  1115: 1114,
  1185: 1184,
  1187: 1186,
  1270: 1266,
  1231: 1700,
  2951: 2950,
  3807: 3802,
};

/** The type's name as Postgres spells it (`int8`, `timestamptz`, `text[]`), or `oid:<n>` for types we do not know. */
export function pgTypeName(oid: number): string {
  const scalar = SCALAR_TYPES[oid];
  if (scalar) return scalar;
  const element = ARRAY_ELEMENT[oid];
  if (element !== undefined) return `${SCALAR_TYPES[element]}[]`;
  return `oid:${oid}`;
}

/** Every OID this module knows: adapters install a pass-through text parser for each. */
export const KNOWN_TYPE_OIDS: readonly number[] = [
  ...Object.keys(SCALAR_TYPES).map(Number),
  ...Object.keys(ARRAY_ELEMENT).map(Number),
];

/**
 * Session settings whose text output `normalizeCell` parses. Adapters apply them on every new
 * session: a server configured with `DateStyle = 'SQL, DMY'` would otherwise print timestamps
 * this module cannot read.
 */
export const PG_SESSION_SETTINGS_SQL = "set datestyle to 'ISO, MDY'; set bytea_output to 'hex'";
/** Redshift has no bytea_output (its VARBYTE prints as hex already). */
export const REDSHIFT_SESSION_SETTINGS_SQL = "set datestyle to 'ISO, MDY'";

/**
 * Turns one cell, as the driver handed it over, into a JSON-able value.
 * `value` is normally the server's text output; values a driver already parsed
 * (Date, bigint, Uint8Array, objects) are accepted too, so a driver default never leaks through.
 */
export function normalizeCell(value: unknown, oid: number): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return normalizeParsed(value, oid);
  const element = ARRAY_ELEMENT[oid];
  if (element !== undefined) {
    const items = parsePgArray(value);
    return typeof items === 'string'
      ? items
      : mapNested(items, (item) => (item === null ? null : normalizeCell(item, element)));
  }
  switch (oid) {
    case 16:
      return value === 't' || value === 'true';
    case 21:
    case 23:
    case 26:
      return Number(value);
    case 20:
      return int8ToJson(value);
    case 1700:
      return numericToJson(value);
    case 700:
    case 701:
      return floatToJson(value);
    case 114:
    case 3802:
      return parseJsonOrText(value);
    case 1114:
      return timestampToIso(value, false);
    case 1184:
      return timestampToIso(value, true);
    default:
      return value;
  }
}

const TIMESTAMP_TEXT =
  /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?(?:([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?)?( BC)?$/;

/**
 * ISO 8601 from Postgres's ISO DateStyle output, keeping microseconds (a JS Date would drop them).
 * timestamptz becomes UTC with `Z`; timestamp stays a wall-clock time without a zone.
 * Text it cannot read (infinity, BC dates, another DateStyle) comes back unchanged.
 */
export function timestampToIso(text: string, withZone: boolean): string {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m || m[12]) return text;
  const [, y, mo, d, h, mi, s, frac = '', sign, oh, om, os] = m;
  if (!withZone || !sign) return `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${withZone ? 'Z' : ''}`;
  const offsetSeconds = (Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0)) * (sign === '-' ? -1 : 1);
  // setUTCFullYear, unlike Date.UTC, keeps years 0-99; offsets are whole seconds, so the fraction is unaffected.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s) - offsetSeconds, 0);
  if (Number.isNaN(date.getTime())) return text;
  return `${date.toISOString().slice(0, -5)}${frac}Z`;
}

/** Values a driver parsed before we could see the text. */
function normalizeParsed(value: unknown, oid: number): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    if (oid === 1082) return value.toISOString().slice(0, 10);
    return oid === 1114 ? value.toISOString().slice(0, -1) : value.toISOString();
  }
  if (value instanceof Uint8Array) return bytesToHex(value);
  const element = ARRAY_ELEMENT[oid];
  // A Postgres array has at most 6 dimensions; anything else nested is JSON, of any depth.
  if (Array.isArray(value) && element !== undefined) return value.map((v) => normalizeCell(v, element));
  if (typeof value === 'object' && value !== null) return parsedJsonCell(value, (v) => v);
  return value;
}

type Nested = string | null | Nested[];

function mapNested(value: Nested, fn: (item: string | null) => unknown): unknown {
  return Array.isArray(value) ? value.map((v) => mapNested(v, fn)) : fn(value);
}

/**
 * Parses Postgres array text output (`{1,2}`, `{{a,"b c"},{NULL,"x\"y"}}`) into nested arrays of
 * element text (NULL -> null). Lower bounds (`[0:1]={...}`) are dropped; unreadable text comes back as is.
 */
export function parsePgArray(text: string): Nested[] | string {
  let i = 0;
  if (text[0] === '[') {
    const eq = text.indexOf('=');
    if (eq > 0) i = eq + 1;
  }
  const parse = (): Nested[] => {
    if (text[i] !== '{') throw new Error(`Not a Postgres array: ${text}`);
    i++;
    const items: Nested[] = [];
    if (text[i] === '}') {
      i++;
      return items;
    }
    for (;;) {
      if (text[i] === '{') items.push(parse());
      else if (text[i] === '"') {
        i++;
        let s = '';
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\') i++;
          s += text[i++];
        }
        i++;
        items.push(s);
      } else {
        const start = i;
        while (i < text.length && text[i] !== ',' && text[i] !== '}') i++;
        const raw = text.slice(start, i);
        items.push(raw === 'NULL' ? null : raw);
      }
      if (text[i] === ',') i++;
      else if (text[i] === '}') {
        i++;
        return items;
      } else throw new Error(`Malformed Postgres array: ${text}`);
    }
  };
  try {
    return parse();
  } catch {
    return text;
  }
}

/** normalizeCell, but json and jsonb stay their server text (`{ $jsonText }`, valid JSON as Postgres prints it), unparsed. */
export function normalizeCellKeepingJson(value: unknown, oid: number): unknown {
  return typeof value === 'string' && (oid === 114 || oid === 3802) ? jsonText(value) : normalizeCell(value, oid);
}
