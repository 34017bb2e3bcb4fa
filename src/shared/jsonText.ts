/**
 * JSON values carried as their exact text. Pure: used by the adapters, the CLI, the panels and
 * the webviews.
 *
 * Postgres accepts jsonb nested 10,000 levels deep, and V8's JSON.stringify, structured clone
 * (worker and webview postMessage) and any recursive walk overflow the stack long before that.
 * So a JSON value nested deeper than MAX_JSON_DEPTH travels as `{ $jsonText: "<its JSON text>" }`
 * instead of as parsed objects: a plain object, so it survives structured clone and JSON
 * serialization, and every consumer prints the text (the CLI's json output embeds it raw).
 *
 * The shape is unambiguous because a real JSON value of that shape (an object whose only key is
 * `$jsonText`, holding a string) is carried as text too: a `$jsonText` object is always text.
 */

export const JSON_TEXT_KEY = '$jsonText';

/** A JSON value kept as its JSON text (exact, as the warehouse printed it). */
export interface JsonText {
  $jsonText: string;
}

/**
 * Deepest nesting (arrays and objects) carried as parsed values. Real sync-log `fields` are a
 * few levels deep; 100 is the limit Ruby's JSON parser applies by default (serde_json: 128),
 * and leaves every recursive consumer (structured clone, JSON.stringify, VS Code's message
 * serialization, a webview's rendering) a hundredfold margin below where it overflows (thousands).
 */
export const MAX_JSON_DEPTH = 100;

export function isJsonText(value: unknown): value is JsonText {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === JSON_TEXT_KEY && typeof (value as JsonText).$jsonText === 'string';
}

export const jsonText = (text: string): JsonText => ({ [JSON_TEXT_KEY]: text }) as JsonText;

/**
 * Whether JSON text nests arrays/objects deeper than `max`: one linear pass counting brackets
 * outside strings (a backslash escapes the next character inside a string). Text that is not
 * JSON gets an answer too; callers parse it separately.
 */
export function jsonTextDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Arrays, plain objects and Maps: what a walk descends into. */
function children(value: unknown): unknown[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) return value;
  if (value instanceof Map) return [...value.values()];
  if (ArrayBuffer.isView(value) || value instanceof Date) return undefined;
  return Object.values(value);
}

/**
 * Whether an already parsed value must travel as text: nested deeper than `max`, or holding an
 * object that would read as a JsonText. An iterative walk that stops at the first reason.
 */
export function parsedNeedsText(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    const kids = children(v);
    if (!kids) continue;
    if (depth + 1 > max || isJsonText(v)) return true;
    for (const k of kids) if (typeof k === 'object' && k !== null) stack.push([k, depth + 1]);
  }
  return false;
}

/**
 * JSON text parsed as a cell value: parsed values when shallow, a JsonText when deep (or shaped
 * like one), `undefined` when the text is not JSON. V8's JSON.parse is iterative, so deep text
 * parses; the parse only validates it.
 */
export function parseJsonCell(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return parsed;
  if (jsonTextDeeperThan(text, MAX_JSON_DEPTH)) return jsonText(text);
  // Only a `$jsonText` key can make a JsonText look-alike; an escape could spell it too.
  if ((text.includes(JSON_TEXT_KEY) || text.includes('\\u')) && parsedNeedsText(parsed)) return jsonText(text);
  return parsed;
}

export interface StringifyOptions {
  /** Spaces per level, as JSON.stringify's third argument (0: compact). */
  indent?: number;
  /** Levels of indentation the value already sits at (for embedding in an indented document). */
  level?: number;
  /** Applied to every value before it is written, like JSON.stringify's replacer (after toJSON). */
  replace?: (value: unknown) => unknown;
}

type Frame =
  | { kind: 'array'; items: unknown[]; i: number; level: number }
  | { kind: 'object'; entries: [string, unknown][]; i: number; level: number; wrote: boolean };

/**
 * JSON.stringify without recursion: the same text for JSON data at any depth (toJSON honoured,
 * undefined/functions dropped from objects and null in arrays, non-finite numbers as null), and
 * a JsonText written as its text, raw. Throws on cycles and BigInt, as JSON.stringify does.
 * Returns undefined where JSON.stringify would (undefined, a function, a symbol).
 */
export function stringifyJson(value: unknown, options: StringifyOptions = {}): string | undefined {
  // Most cells are scalars: no frames for them.
  if (!options.replace) {
    if (typeof value === 'string') return JSON.stringify(value);
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
    if (value === null || typeof value === 'boolean') return String(value);
  }
  const indent = ' '.repeat(Math.max(0, Math.min(10, options.indent ?? 0)));
  const base = options.level ?? 0;
  const newline = (level: number) => (indent ? `\n${indent.repeat(level)}` : '');
  const colon = indent ? ': ' : ':';
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = new Set<object>();

  const prepare = (v: unknown, key: string): unknown => {
    if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON(key: string): unknown }).toJSON(key);
    }
    return options.replace ? options.replace(v) : v;
  };
  const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

  /** Writes a scalar, or opens a container (pushes a frame). */
  const write = (v: unknown, level: number): void => {
    if (v === null) out.push('null');
    else if (typeof v === 'string') out.push(JSON.stringify(v));
    else if (typeof v === 'number') out.push(Number.isFinite(v) ? String(v) : 'null');
    else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
    else if (typeof v === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
    else if (omitted(v)) out.push('null');
    else if (isJsonText(v)) out.push(v.$jsonText);
    else if (typeof v === 'object') {
      if (open.has(v)) throw new TypeError('Converting circular structure to JSON');
      if (v instanceof Number || v instanceof String || v instanceof Boolean) return write(v.valueOf(), level);
      open.add(v);
      if (Array.isArray(v)) {
        out.push('[');
        stack.push({ kind: 'array', items: v, i: 0, level });
      } else {
        out.push('{');
        stack.push({ kind: 'object', entries: Object.entries(v), i: 0, level, wrote: false });
      }
    }
  };

  const first = prepare(value, '');
  if (omitted(first)) return undefined;
  write(first, base);
  const containers: object[] = [];
  if (stack.length) containers.push(first as object);
  while (stack.length) {
    const frame = stack[stack.length - 1];
    if (frame.kind === 'array') {
      if (frame.i < frame.items.length) {
        const i = frame.i++;
        out.push(`${i > 0 ? ',' : ''}${newline(frame.level + 1)}`);
        const v = prepare(frame.items[i], String(i));
        const depth = stack.length;
        write(v, frame.level + 1);
        if (stack.length > depth) containers.push(v as object);
        continue;
      }
      out.push(frame.items.length ? `${newline(frame.level)}]` : ']');
    } else {
      if (frame.i < frame.entries.length) {
        const [k, raw] = frame.entries[frame.i++];
        const v = prepare(raw, k);
        if (omitted(v)) continue;
        out.push(`${frame.wrote ? ',' : ''}${newline(frame.level + 1)}${JSON.stringify(k)}${colon}`);
        frame.wrote = true;
        const depth = stack.length;
        write(v, frame.level + 1);
        if (stack.length > depth) containers.push(v as object);
        continue;
      }
      out.push(frame.wrote ? `${newline(frame.level)}}` : '}');
    }
    stack.pop();
    open.delete(containers.pop()!);
  }
  return out.join('');
}
