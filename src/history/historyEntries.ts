/**
 * Query history as data: one entry per Run Query, kept newest first and bounded. Pure, so the
 * store (queryHistory.ts) only reads and writes the file and the tests need no VS Code.
 *
 * An entry holds what a person wants back (the SQL, where and when it ran, how it went) and never
 * a secret: a connection is kept by name, and error texts arrive already scrubbed by the adapters
 * (pgErrors' redactSecret); URLs with a password part are masked once more here, because an error
 * can quote a connection string the user typed into the SQL.
 */
import { redactUrls } from '../warehouse/postgres/pgErrors';

export type HistoryStatus = 'ok' | 'error' | 'cancelled';

export interface HistoryEntry {
  /** Unique within one history: the start time and a counter. */
  id: string;
  /** Start, ms since the epoch. */
  startedAt: number;
  connection: string;
  sql: string;
  /** True when the SQL was longer than MAX_HISTORY_SQL and cut: such an entry cannot be re-run. */
  sqlCut?: boolean;
  durationMs: number;
  status: HistoryStatus;
  /** Rows the query returned (its total, not the rows kept for display); null when it did not finish. */
  rows: number | null;
  error?: string;
  code?: string;
}

/** Longest SQL kept whole (a pasted dump must not make the history file megabytes). */
export const MAX_HISTORY_SQL = 100_000;
/** Longest error text kept. */
export const MAX_HISTORY_ERROR = 2_000;
export const DEFAULT_HISTORY_SIZE = 500;

/** The entry as it should be stored: SQL and error bounded, URLs' passwords masked. */
export function boundedEntry(e: HistoryEntry): HistoryEntry {
  const out: HistoryEntry = { ...e };
  if (out.sql.length > MAX_HISTORY_SQL) {
    out.sql = out.sql.slice(0, MAX_HISTORY_SQL);
    out.sqlCut = true;
  }
  if (out.error !== undefined) {
    const error = redactUrls(out.error);
    out.error = error.length > MAX_HISTORY_ERROR ? `${error.slice(0, MAX_HISTORY_ERROR)}…` : error;
  }
  return out;
}

/** A new entry first; the oldest beyond `max` dropped. */
export function withEntry(entries: readonly HistoryEntry[], entry: HistoryEntry, max: number): HistoryEntry[] {
  return [boundedEntry(entry), ...entries.filter((e) => e.id !== entry.id)].slice(0, Math.max(1, max));
}

const isEntry = (x: unknown): x is HistoryEntry => {
  const e = x as Partial<HistoryEntry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.id === 'string' &&
    typeof e.startedAt === 'number' &&
    Number.isFinite(e.startedAt) &&
    typeof e.connection === 'string' &&
    typeof e.sql === 'string' &&
    typeof e.durationMs === 'number' &&
    (e.status === 'ok' || e.status === 'error' || e.status === 'cancelled') &&
    (e.rows === null || typeof e.rows === 'number')
  );
};

/**
 * The stored file (JSON Lines, newest first) back to entries. A damaged line (a crash mid-write, a
 * hand edit) is skipped and counted, not fatal: the rest of the history stays usable.
 */
export function parseHistory(text: string): { entries: HistoryEntry[]; skipped: number } {
  const entries: HistoryEntry[] = [];
  let skipped = 0;
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const e: unknown = JSON.parse(line);
      if (isEntry(e) && !seen.has(e.id)) {
        seen.add(e.id);
        entries.push(e);
      } else skipped++;
    } catch {
      skipped++;
    }
  }
  entries.sort((a, b) => b.startedAt - a.startedAt);
  return { entries, skipped };
}

export const serializeHistory = (entries: readonly HistoryEntry[]): string =>
  entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : '');

/**
 * Entries matching every word of `query` (case-insensitive) in their SQL, connection, status or
 * error; `status:error` style words match the status only. An empty query matches everything.
 */
export function searchHistory(entries: readonly HistoryEntry[], query: string): HistoryEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...entries];
  return entries.filter((e) => {
    const hay = `${e.sql}\n${e.connection}\n${e.error ?? ''}\n${e.code ?? ''}`.toLowerCase();
    return words.every((w) => (w.startsWith('status:') ? e.status === w.slice('status:'.length) : hay.includes(w)));
  });
}

/** The SQL on one line, for a label: comments-only lines dropped, whitespace folded, cut at `max`. */
export function sqlSummary(sql: string, max = 80): string {
  const lines = sql
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('--'));
  const one = (lines.length ? lines.join(' ') : sql.trim()).replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

/** "1,204 rows · 0.8 s", "failed · 42P01", "cancelled after 3.1 s". */
export function outcomeText(e: HistoryEntry): string {
  const took = e.durationMs < 1000 ? `${Math.round(e.durationMs)} ms` : `${(e.durationMs / 1000).toFixed(1)} s`;
  if (e.status === 'ok') return `${plural(e.rows ?? 0, 'row')} · ${took}`;
  if (e.status === 'cancelled') return `cancelled after ${took}`;
  return `failed${e.code ? ` · ${e.code}` : ''} · ${took}`;
}

/** Relative age for a list ("just now", "5 min ago", "3 h ago", else the date). */
export function ageText(startedAt: number, now: number): string {
  const s = Math.max(0, Math.round((now - startedAt) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(startedAt).toISOString().slice(0, 16).replace('T', ' ');
}
