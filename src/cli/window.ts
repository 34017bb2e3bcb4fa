import { UsageError } from './usage';

const DAY_HOURS = 24;

/**
 * `--window` as the loaders' `days` (null: every run). Hours round up to whole days, since the
 * loaders count in days: 24h is 1 day, 36h is 2 (a window never silently covers less than asked).
 */
export function parseWindow(text: string, usage: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === 'all') return null;
  const m = /^(\d+)([hd])$/.exec(t);
  const n = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(
      `--window must be 24h, 7d, 30d, all, or a number of hours or days such as 48h or 90d, got "${text}".`,
      usage,
    );
  }
  const days = m[2] === 'h' ? Math.ceil(n / DAY_HOURS) : n;
  if (days > 3650) throw new UsageError(`--window is at most 3650 days (or "all"), got "${text}".`, usage);
  return days;
}
