/**
 * The outputs sidecar of a sync-log notebook (syncLogs.notebook.keepOutputs): `NAME.synclogs.sql`
 * keeps its outputs in `NAME.synclogs.sql.outputs.json` beside it. The name starts with the whole
 * notebook name, so it sorts next to it and belongs to exactly one notebook; it ends in `.json`, so
 * editors and diff tools read it as JSON and nothing takes it for a notebook or a SQL script; and
 * one pattern, `*.synclogs.sql.outputs.json`, ignores them all in git.
 *
 * Versioned JSON, one cell per line so a diff shows which cells' outputs changed:
 *
 *   {"format":"synclogs-notebook-outputs","version":1,"about":"…","cells":[
 *   {"index":1,"hash":"<sha-256 of the cell>","outputs":[[{"mime":"text/plain","text":"…"}]]},
 *   …
 *   ]}
 *
 * Reading trusts nothing: the file may be damaged, of another version, or written by someone else
 * to look like one. Anything unexpected makes the whole file ignored, with the reason. Pure.
 */
import { SIDECAR_LIMITS, byteLength, capItem, type SidecarLimits } from './sidecarCaps';
import { savedItemProblem, type SavedItem, type SavedOutput } from './savedItems';

export const SIDECAR_SUFFIX = '.outputs.json';
export const SIDECAR_FORMAT = 'synclogs-notebook-outputs';
export const SIDECAR_VERSION = 1;
/** Bigger than anything the writer makes (sidecarBytes and a margin): a bigger file is not ours, and is not parsed. */
export const SIDECAR_READ_LIMIT = 2 * SIDECAR_LIMITS.sidecarBytes;

const ABOUT =
  "Outputs of the sync-log notebook this file is named after, kept by the setting syncLogs.notebook.keepOutputs. Safe to delete or to ignore in git; the notebook's own file never holds outputs.";
const MAX_CELLS = 10_000;
const MAX_OUTPUTS_PER_CELL = 32;
const MAX_ITEMS_PER_OUTPUT = 8;

export interface SavedCell {
  /** The cell's position when saved: the tie-breaker between identical cells. */
  index: number;
  /** cellHash(kind, text) of the cell the outputs came from. */
  hash: string;
  outputs: SavedOutput[];
}

/** The sidecar's path for a notebook's path. */
export const sidecarPathOf = (notebookPath: string) => `${notebookPath}${SIDECAR_SUFFIX}`;

export interface EncodedSidecar {
  text: string;
  /** Cells kept, and cells whose outputs were left out (too big, or past the file's cap). */
  cells: number;
  leftOut: number;
}

/** Capped outputs (items over the caps are cut or left out; cells without outputs are not written). */
function cappedOutputs(outputs: readonly SavedOutput[], limits: SidecarLimits): SavedOutput[] {
  return outputs
    .map((items) => items.map((i) => capItem(i, limits)).filter((i): i is SavedItem => i !== undefined))
    .filter((items) => items.length > 0);
}

export function encodeSidecar(cells: readonly SavedCell[], limits: SidecarLimits = SIDECAR_LIMITS): EncodedSidecar {
  const head = `{"format":${JSON.stringify(SIDECAR_FORMAT)},"version":${SIDECAR_VERSION},"about":${JSON.stringify(ABOUT)},"cells":[`;
  const tail = '\n]}\n';
  let size = byteLength(head) + byteLength(tail);
  const lines: string[] = [];
  let leftOut = 0;
  for (const cell of cells) {
    if (cell.outputs.length === 0) continue;
    const outputs = cappedOutputs(cell.outputs, limits);
    if (outputs.length === 0) {
      leftOut++;
      continue;
    }
    const line = `\n${JSON.stringify({ index: cell.index, hash: cell.hash, outputs })}`;
    const added = byteLength(line) + (lines.length ? 1 : 0);
    if (size + added > limits.sidecarBytes) {
      leftOut++;
      continue;
    }
    size += added;
    lines.push(line);
  }
  return { text: `${head}${lines.join(',')}${tail}`, cells: lines.length, leftOut };
}

export type DecodedSidecar = { ok: true; cells: SavedCell[] } | { ok: false; reason: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (reason: string): DecodedSidecar => ({ ok: false, reason });

function cellProblem(v: unknown, at: number): string | undefined {
  if (!isObj(v)) return `cell entry ${at} is not an object`;
  if (!Number.isInteger(v.index) || (v.index as number) < 0) return `cell entry ${at} has no index`;
  if (typeof v.hash !== 'string' || !/^[0-9a-f]{64}$/.test(v.hash)) return `cell entry ${at} has no cell hash`;
  if (!Array.isArray(v.outputs) || v.outputs.length > MAX_OUTPUTS_PER_CELL)
    return `cell entry ${at} has no list of outputs (or more than ${MAX_OUTPUTS_PER_CELL})`;
  for (const output of v.outputs) {
    if (!Array.isArray(output) || output.length > MAX_ITEMS_PER_OUTPUT)
      return `an output of cell entry ${at} is not a list of items (or has more than ${MAX_ITEMS_PER_OUTPUT})`;
    for (const item of output) {
      const problem = savedItemProblem(item);
      if (problem) return `in cell entry ${at}, ${problem}`;
    }
  }
  return undefined;
}

/** The saved cells (capped again, so a hand-made file is bounded too), or why the file is ignored. */
export function decodeSidecar(text: string, limits: SidecarLimits = SIDECAR_LIMITS): DecodedSidecar {
  if (byteLength(text) > SIDECAR_READ_LIMIT)
    return fail(
      `it is larger than ${SIDECAR_READ_LIMIT.toLocaleString('en-US')} bytes, more than the extension writes`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return fail(`it is not JSON (${(err as Error).message.slice(0, 120)})`);
  }
  if (!isObj(parsed) || parsed.format !== SIDECAR_FORMAT) return fail(`it is not a ${SIDECAR_FORMAT} file`);
  if (parsed.version !== SIDECAR_VERSION)
    return fail(
      `it is version ${JSON.stringify(parsed.version)?.slice(0, 40) ?? 'none'}, and this extension reads version ${SIDECAR_VERSION}`,
    );
  if (!Array.isArray(parsed.cells)) return fail('it has no list of cells');
  if (parsed.cells.length > MAX_CELLS) return fail(`it lists more than ${MAX_CELLS.toLocaleString('en-US')} cells`);
  const cells: SavedCell[] = [];
  for (const [at, v] of (parsed.cells as unknown[]).entries()) {
    const problem = cellProblem(v, at);
    if (problem) return fail(problem);
    const cell = v as SavedCell;
    cells.push({ index: cell.index, hash: cell.hash, outputs: cappedOutputs(cell.outputs, limits) });
  }
  return { ok: true, cells };
}
