/** ISO-8601 UTC text for whole seconds, as `Date#toISOString` writes it, but cached per day: it runs for every generated row. */
const dayCache = new Map<number, string>();

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function isoSeconds(seconds: number): string {
  const day = Math.floor(seconds / 86400);
  let date = dayCache.get(day);
  if (date === undefined) {
    date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (dayCache.size > 20_000) dayCache.clear();
    dayCache.set(day, date);
  }
  const rest = seconds - day * 86400;
  const h = Math.floor(rest / 3600);
  const m = Math.floor((rest % 3600) / 60);
  return `${date}T${pad2(h)}:${pad2(m)}:${pad2(rest % 60)}.000Z`;
}
