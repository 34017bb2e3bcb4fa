/**
 * Distinct rows of a group of failure texts (a template, a category) from per-text figures.
 * A row that failed with several texts (its error changed, or the text embeds a request id)
 * is counted once per text by the per-text counts, so the sum over a group's texts overcounts
 * exactly there: a row with k of the group's texts is counted k times and must count once.
 * The warehouse returns every (row, text) pair of such rows (bounded), and
 *   rows(group) = sum of its texts' rows - sum over those rows of (k - 1).
 * When the pairs were cut short, the rows not read are not subtracted: the figures are then
 * upper bounds (still at least the largest single text's rows), and the caller says so.
 */

/** A (row, text) pair of a row that failed with more than one text. `rowKey` identifies the row (sync and row id). */
export interface RowTextPair {
  rowKey: string;
  reason: string | null;
}

/** The row key the loader builds: (sync_id, row_id), NUL-separated so no id can fake another pair. */
export const rowKey = (syncId: string, rowId: string): string => `${syncId}\u0000${rowId}`;

/** The texts of each multi-text row, in a shape the per-group arithmetic walks once. */
export function rowsWithTexts(pairs: readonly RowTextPair[]): (string | null)[][] {
  const byRow = new Map<string, (string | null)[]>();
  for (const p of pairs) {
    const list = byRow.get(p.rowKey);
    if (list) {
      // A truncated read may repeat nothing, but a hand-built list might: a text counts once per row.
      if (!list.includes(p.reason)) list.push(p.reason);
    } else byRow.set(p.rowKey, [p.reason]);
  }
  return [...byRow.values()];
}

/**
 * Per group, the distinct rows: `texts` carry each text's own distinct rows; `groupOf` names a
 * text's group (undefined: the text is not counted, e.g. it was not read). Returns group -> rows.
 */
export function distinctRowsByGroup<G>(
  texts: readonly { reason: string | null; rows: number }[],
  multiTextRows: readonly (readonly (string | null)[])[],
  groupOf: (reason: string | null) => G | undefined,
): Map<G, number> {
  const out = new Map<G, number>();
  for (const t of texts) {
    const g = groupOf(t.reason);
    if (g === undefined || !Number.isFinite(t.rows) || t.rows <= 0) continue;
    out.set(g, (out.get(g) ?? 0) + t.rows);
  }
  const seen = new Map<G, number>();
  for (const reasons of multiTextRows) {
    seen.clear();
    for (const r of reasons) {
      const g = groupOf(r);
      if (g !== undefined) seen.set(g, (seen.get(g) ?? 0) + 1);
    }
    for (const [g, k] of seen) if (k > 1 && out.has(g)) out.set(g, (out.get(g) as number) - (k - 1));
  }
  return out;
}
