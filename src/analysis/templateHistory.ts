/**
 * When each failure template first and last appeared in the whole retained log, and which are
 * new: first seen at or after the window's start (the definition the health overview uses). A
 * template's first seen is the earliest over all its texts, those outside the window included.
 */

/** One text's first and last run start in the whole log (query columns failure_reason, first_seen, last_seen). */
export interface TextSeen {
  reason: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
}

/** What the history read gave: the texts, and whether the cap left the oldest out. */
export interface TextHistory {
  texts: TextSeen[];
  truncated: boolean;
  /** Templates of texts the breakdown's table lacks, computed where the loader chose (a worker); others are templated on demand. */
  templates?: ReadonlyMap<string, string>;
}

export interface TemplateSeen {
  firstSeen: string | null;
  lastSeen: string | null;
}

const ms = (t: string | null): number => (t === null ? NaN : Date.parse(t));

/** Compares ISO instants by time (offsets and precision may differ), falling back to text. */
function compareInstants(a: string, b: string): number {
  const da = ms(a);
  const db = ms(b);
  if (Number.isFinite(da) && Number.isFinite(db) && da !== db) return da - db;
  return a < b ? -1 : a > b ? 1 : 0;
}
export const earlier = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : compareInstants(a, b) <= 0 ? a : b;
export const later = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : compareInstants(a, b) >= 0 ? a : b;

/** First and last seen per template, over every text read (`templateOf` folds a text into its template). */
export function seenByTemplate(
  texts: readonly TextSeen[],
  templateOf: (reason: string | null) => string,
): Map<string, TemplateSeen> {
  const out = new Map<string, TemplateSeen>();
  for (const t of texts) {
    const template = templateOf(t.reason);
    const g = out.get(template);
    if (!g) out.set(template, { firstSeen: t.firstSeen, lastSeen: t.lastSeen });
    else {
      g.firstSeen = earlier(g.firstSeen, t.firstSeen);
      g.lastSeen = later(g.lastSeen, t.lastSeen);
    }
  }
  return out;
}

/**
 * New: first seen (whole log) at or after the window's start. Without a window (every run)
 * nothing is new: there is no "before" in which a template could have been absent. Null when
 * the first seen is unknown (no text of the template was read with a time).
 */
export function isNewTemplate(firstSeen: string | null, windowStart: string | null): boolean | null {
  if (windowStart === null) return false;
  const f = ms(firstSeen);
  const w = ms(windowStart);
  return Number.isFinite(f) && Number.isFinite(w) ? f >= w : null;
}
