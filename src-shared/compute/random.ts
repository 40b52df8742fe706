/**
 * Small seeded PRNGs for reproducible sampling and shuffling (the same seed gives the same
 * training run on every machine). Not for cryptography.
 */

/** A generator of uniform floats in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32 (Tommy Ettinger, public domain): 32-bit state, period 2³², passes gjrand's tests well
 * enough for sampling. Any number is accepted as seed; it is truncated to 32 bits.
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [0, n). */
export function randomIntBelow(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}
