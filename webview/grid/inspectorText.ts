/**
 * What the cell inspector shows for a value: JSON pretty-printed (parsed values, JSON kept as
 * text, and text that parses as an object or array), other text as it is. Pure.
 */
import { cellText, jsonCopyText } from '../../src/shared/cellText';
import { isJsonText } from '../../src/shared/jsonText';

export interface InspectedValue {
  kind: 'null' | 'json' | 'text';
  text: string;
  /** Characters in the value's text (JSON: compact), for the inspector's heading. */
  length: number;
}

export function inspectValue(value: unknown): InspectedValue {
  const compact = cellText(value);
  if (compact === undefined) return { kind: 'null', text: 'NULL', length: 0 };
  if (isJsonText(value)) return { kind: 'json', text: prettyOrSame(value.$jsonText), length: compact.length };
  if (typeof value === 'object') return { kind: 'json', text: jsonCopyText(value), length: compact.length };
  if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    const pretty = prettyOrSame(value);
    if (pretty !== value) return { kind: 'json', text: pretty, length: compact.length };
  }
  return { kind: 'text', text: compact, length: compact.length };
}

/** JSON text pretty-printed, or the text itself when it does not parse (or nests too deep to re-print). */
function prettyOrSame(text: string): string {
  try {
    return jsonCopyText(JSON.parse(text) as unknown);
  } catch {
    return text;
  }
}
