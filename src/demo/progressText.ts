import type { LoadProgress } from './loaderContract';

/** One line for a progress notification or a terminal. */
export function formatLoadProgress(p: LoadProgress): string {
  if (p.phase === 'changelog' && p.rowsExpected) {
    const pct = Math.min(100, Math.floor((p.rowsWritten / p.rowsExpected) * 100));
    return `${p.message} (${pct}%)`;
  }
  return p.message;
}
