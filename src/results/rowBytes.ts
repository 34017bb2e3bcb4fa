/**
 * About how many bytes of V8 heap a result row takes: an array header and one slot per cell, a
 * string's header and characters, a boxed number, an object's entries. Only a budget is checked
 * against it, so it errs on the high side and never walks far into a JSON cell.
 */
export function approxRowBytes(row: readonly unknown[]): number {
  let bytes = 32 + 8 * row.length;
  for (const cell of row) bytes += cellBytes(cell, 0);
  return bytes;
}

/** Past this depth a JSON cell counts a flat amount per value: its size is a guess anyway. */
const MAX_DEPTH = 3;

function cellBytes(cell: unknown, depth: number): number {
  switch (typeof cell) {
    case 'string':
      // One byte per Latin-1 character, two otherwise; checking costs a scan, so assume two past 1 KB.
      return 24 + (cell.length > 1024 ? 2 * cell.length : cell.length);
    case 'number':
      return 16;
    case 'bigint':
      return 24;
    case 'object': {
      if (cell === null) return 0;
      if (depth >= MAX_DEPTH) return 64;
      if (ArrayBuffer.isView(cell)) return 64 + cell.byteLength;
      let bytes = 48;
      if (Array.isArray(cell)) {
        for (const v of cell) bytes += 8 + cellBytes(v, depth + 1);
        return bytes;
      }
      for (const [k, v] of Object.entries(cell as Record<string, unknown>))
        bytes += 16 + k.length + cellBytes(v, depth + 1);
      return bytes;
    }
    default:
      return 0;
  }
}
