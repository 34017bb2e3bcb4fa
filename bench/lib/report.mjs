// What a benchmark prints: aligned tables for people, and one `::check` line per target for
// scripts/bench.mjs, which turns those lines into the PASS/MISS summary.

export const ms = (x) => `${x.toFixed(2)} ms`;

/** Prints rows (arrays of cells) under a title, columns padded to their widest cell. */
export function printTable(title, header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(all[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of all.slice(1)) console.log(line(r));
}

/** Reports one figure against an upper bound: `value` must stay below `target`. */
export function check(name, value, target, unit = 'ms') {
  const pass = value < target;
  console.log(`::check ${JSON.stringify({ name, value: Number(value.toFixed(3)), target, unit, pass })}`);
  return pass;
}
