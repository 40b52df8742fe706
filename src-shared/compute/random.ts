/**
 * The one seeded PRNG of the codebase, for reproducible sampling, shuffling, bootstraps and
 * synthetic data (the same seed gives the same run on every machine). Not for cryptography.
 *
 * mulberry32 (Tommy Ettinger, public domain; as collected in bryc's "PRNGs for JavaScript"):
 * 32-bit state, period 2³², passes gjrand's tests well enough for sampling. Every sequence a seed
 * gives is part of what tests and stored results pin down, so the step below must never change.
 */

/** A generator of uniform floats in [0, 1). */
export type Rng = () => number;

const GOLDEN_GAMMA = 0x6d2b79f5;
const TWO_POW_32 = 4294967296;

/** The output of the state after a step: an unsigned 32-bit integer. */
function mix(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/**
 * A mulberry32 stream whose state can be read and restored (a training checkpoint stores it, so a
 * resumed run shuffles exactly as an uninterrupted one would).
 */
export class Mulberry32 {
  private s: number;

  /** @param seed - any number; only its low 32 bits are used. */
  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** The whole state: one unsigned 32-bit integer. */
  get state(): number {
    return this.s;
  }

  set state(value: number) {
    this.s = value >>> 0;
  }

  /** The next uniform unsigned 32-bit integer. */
  nextUint32(): number {
    this.s = (this.s + GOLDEN_GAMMA) >>> 0;
    return mix(this.s);
  }

  /** The next uniform float in [0, 1): {@link nextUint32} / 2³². */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /**
   * Fills `out` with the next `out.length` integers of the sequence, in one tight loop (a bootstrap
   * needs a quarter of a million per resample of a million samples).
   */
  fillUint32(out: Uint32Array): void {
    let s = this.s;
    for (let i = 0; i < out.length; i++) {
      s = (s + GOLDEN_GAMMA) >>> 0;
      out[i] = mix(s);
    }
    this.s = s;
  }
}

/** A {@link Mulberry32} stream as a function of uniforms in [0, 1). Any number is accepted as seed; it is truncated to 32 bits. */
export function mulberry32(seed: number): Rng {
  const generator = new Mulberry32(seed);
  return () => generator.next();
}

/** Uniform integer in [0, n). */
export function randomIntBelow(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}
