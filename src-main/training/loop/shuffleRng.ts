/**
 * The sample-order random stream of a training run, with its state exposed so that a checkpoint
 * can store it and a resumed run shuffles exactly as an uninterrupted one would.
 */

/**
 * mulberry32 (Tommy Ettinger, public domain) — the same generator as
 * `src-shared/compute/random.ts`, written as a class because that one hides its 32-bit state in
 * a closure, and resuming needs to read and restore it.
 */
export class ShuffleRng {
  private a: number;

  constructor(seed: number) {
    this.a = seed >>> 0;
  }

  /** The whole state: one unsigned 32-bit integer. */
  get state(): number {
    return this.a;
  }

  set state(value: number) {
    this.a = value >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform unsigned 32-bit integer, used as the seed of one epoch's shuffle. */
  nextSeed(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }
}
