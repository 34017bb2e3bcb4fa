/**
 * How much of an output the outputs sidecar keeps. The sidecar sits beside the notebook and may be
 * committed, so it stays small enough to read and diff: a result keeps its first rows (the grid
 * and the export are for the full result, which a run gives again), long texts are cut at a line,
 * and every cut says so in the output itself. Pure: no vscode.
 */
import type { SavedItem } from './savedItems';

export interface SidecarLimits {
  /** Rows of each result output. */
  rowsPerResult: number;
  /** Characters of each text item and error message. */
  textChars: number;
  /** Bytes of one item as written (UTF-8 JSON); a bigger one keeps fewer rows, or is left out. */
  itemBytes: number;
  /** Bytes of the whole sidecar; the outputs of cells past it are left out. */
  sidecarBytes: number;
}

/** The caps package.json's description of syncLogs.notebook.keepOutputs states. */
export const SIDECAR_LIMITS: SidecarLimits = Object.freeze({
  rowsPerResult: 100,
  textChars: 20_000,
  itemBytes: 256 * 1024,
  sidecarBytes: 4 * 1024 * 1024,
});

const fmt = (n: number) => n.toLocaleString('en-US');
export const byteLength = (text: string) => new TextEncoder().encode(text).length;

/** A long text cut at the last line break before the cap (or at the cap), with a line saying so. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const nl = text.lastIndexOf('\n', max);
  const cut = nl > max / 2 ? nl : max;
  return `${text.slice(0, cut)}\n(Kept in the notebook's outputs file: the first ${fmt(cut)} of ${fmt(text.length)} characters.)`;
}

const rowsNote = (kept: number, read: number) =>
  `Saved output: the first ${fmt(kept)} of ${fmt(read)} rows read are kept in the notebook's outputs file; run the cell again for all of them.`;

/** An item within the caps, or undefined when even its smallest form is over `itemBytes`. Idempotent. */
export function capItem(item: SavedItem, limits: SidecarLimits = SIDECAR_LIMITS): SavedItem | undefined {
  if (item.mime === 'text/plain') {
    const text = capText(item.text, limits.textChars);
    return byteLength(text) <= limits.itemBytes ? { ...item, text } : undefined;
  }
  if (item.mime === 'application/vnd.code.notebook.error') {
    const error = { name: capText(item.error.name, 200), message: capText(item.error.message, limits.textChars) };
    return byteLength(JSON.stringify(error)) <= limits.itemBytes ? { ...item, error } : undefined;
  }
  const json = item.json;
  const read = json.rows.length;
  let kept = Math.min(read, limits.rowsPerResult);
  for (;;) {
    const note = kept < read ? rowsNote(kept, read) : undefined;
    const problem = [note, json.problem].filter(Boolean).join(' ');
    const next = { ...json, rows: json.rows.slice(0, kept), ...(problem ? { problem } : {}) };
    if (byteLength(JSON.stringify(next)) <= limits.itemBytes) return { ...item, json: next };
    if (kept === 0) return undefined;
    // Wide or long values: halve the rows until the item fits.
    kept = Math.floor(kept / 2);
  }
}
