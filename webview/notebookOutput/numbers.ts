/** Numbers as a notebook's cells hold them: en-US, fractions kept (a rate is not a count). */
const format = new Intl.NumberFormat('en-US', { maximumFractionDigits: 10 });

export function exactNumber(n: number | null): string {
  return n === null || !Number.isFinite(n) ? '—' : format.format(n);
}
