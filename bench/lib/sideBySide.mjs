// Two things timed side by side on a shared, noisy machine.
import { percentile } from './stats.mjs';

async function time(fn) {
  const began = performance.now();
  await fn();
  return performance.now() - began;
}

/**
 * Alternating runs (A then B, then B then A, ...) after one warm-up each: the median times, and
 * the ratio as the median of each pair's ratio. A and B of a pair run back to back, so a slow
 * spell of a shared machine slows both; a ratio of medians taken from different spells moved by
 * ±10% from one run of a benchmark to the next.
 */
export async function sideBySide(a, b, reps) {
  await a();
  await b();
  const ta = [];
  const tb = [];
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) {
      ta.push(await time(a));
      tb.push(await time(b));
    } else {
      tb.push(await time(b));
      ta.push(await time(a));
    }
  }
  return {
    a: percentile(ta, 50),
    b: percentile(tb, 50),
    ratio: percentile(
      ta.map((x, i) => x / tb[i]),
      50,
    ),
  };
}
