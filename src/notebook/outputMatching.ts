/**
 * Which saved output belongs to which cell when a notebook opens. A cell is known by a hash of
 * its kind and text, not by its place: an edited cell no longer matches (its output was of other
 * SQL, so it is dropped), cells moved, inserted or deleted around it keep theirs. Identical cells
 * share a hash; among them the position decides, nearest first, so two copies of one query keep
 * their own outputs even when a cell is inserted above both. Pure: no vscode.
 */
import { createHash } from 'node:crypto';
import type { CellKind } from './notebookText';

/**
 * SHA-256 over the kind and the text with CRLF read as LF (a checkout that converts line ends is
 * the same cell). Hex, so the sidecar holds no cell text.
 */
export function cellHash(kind: CellKind, value: string): string {
  return createHash('sha256')
    .update(`${kind}\n${value.replace(/\r\n/g, '\n')}`)
    .digest('hex');
}

export interface CellKey {
  /** The cell's position among all the notebook's cells. */
  index: number;
  hash: string;
}

/** The saved entry each current cell gets (by the current cell's index); a cell without one gets nothing. */
export function matchOutputs<T extends CellKey>(saved: readonly T[], current: readonly CellKey[]): Map<number, T> {
  const byHash = new Map<string, T[]>();
  for (const s of saved) byHash.set(s.hash, [...(byHash.get(s.hash) ?? []), s]);
  const out = new Map<number, T>();
  for (const [hash, group] of byHash) {
    const cells = current.filter((c) => c.hash === hash);
    const pairs = cells.flatMap((c) => group.map((s, k) => ({ c, s, k, d: Math.abs(c.index - s.index) })));
    // Nearest first; equal distances go to the earlier cell and the earlier entry, so the result is stable.
    pairs.sort((a, b) => a.d - b.d || a.c.index - b.c.index || a.s.index - b.s.index || a.k - b.k);
    const usedSaved = new Set<number>();
    for (const p of pairs) {
      if (out.has(p.c.index) || usedSaved.has(p.k)) continue;
      out.set(p.c.index, p.s);
      usedSaved.add(p.k);
    }
  }
  return out;
}
