/**
 * Seeded randomness for the demo sync log. Everything is 32-bit integer arithmetic so a
 * seed gives byte-identical output on every machine and Node version (no Math.random).
 */

const GOLDEN = 0x9e3779b9;
const TWO_32 = 4294967296;

/** Scrambles 32 bits so that neighbouring inputs give unrelated outputs (xorshift-multiply finalizer). */
export function mix32(value: number): number {
  let x = value | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A stable 32-bit hash of a few integers: derives per-row, per-version facts without storing them. */
export function hash32(a: number, b = 0, c = 0, d = 0): number {
  let h = mix32(a + GOLDEN);
  h = mix32((h ^ b) + GOLDEN);
  h = mix32((h ^ c) + GOLDEN);
  return mix32((h ^ d) + GOLDEN);
}

/** A stable 32-bit hash of a string (used to turn names into salts). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = mix32(h ^ text.charCodeAt(i));
  return h;
}

/** Maps a 32-bit hash to [0, 1). */
export function unit(h: number): number {
  return h / TWO_32;
}

/** Picks an element by a hash (no state): the same hash always picks the same element. */
export function pickBy<T>(items: readonly T[], h: number): T {
  return items[h % items.length];
}

/** Index into `weights` chosen with probability proportional to its weight; `u` in [0, 1). */
export function weightedIndex(weights: readonly number[], u: number): number {
  let total = 0;
  for (const w of weights) total += w;
  let target = u * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i];
    if (target < 0) return i;
  }
  return weights.length - 1;
}

/** A sequential generator: a Weyl sequence through the finalizer (period 2^32, plenty per sync). */
export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  next(): number;
  /** Uniform in [0, 1). */
  float(): number;
  /** Uniform integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Poisson-distributed count with the given mean (normal approximation for large means). */
  poisson(mean: number): number;
}

export function createRng(seed: number): Rng {
  let state = mix32(seed ^ 0x5bd1e995);
  const next = (): number => {
    state = (state + GOLDEN) | 0;
    return mix32(state);
  };
  const float = (): number => next() / TWO_32;
  return {
    next,
    float,
    int: (min, max) => min + Math.floor(float() * (max - min + 1)),
    chance: (probability) => float() < probability,
    pick: (items) => items[Math.floor(float() * items.length)],
    poisson(mean) {
      if (!(mean > 0)) return 0;
      if (mean < 30) {
        // Multiply uniforms until the product drops below e^-mean.
        const limit = Math.exp(-mean);
        let count = 0;
        let product = float();
        while (product > limit) {
          count++;
          product *= float();
        }
        return count;
      }
      // Box-Muller; 1 - float() avoids log(0).
      const gauss = Math.sqrt(-2 * Math.log(1 - float())) * Math.cos(2 * Math.PI * float());
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss));
    },
  };
}
