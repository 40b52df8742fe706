/**
 * mulberry32: a tiny 32-bit seeded PRNG (Tommy Ettinger's public-domain generator, as collected
 * in bryc's "PRNGs for JavaScript" notes). Not cryptographic; chosen because a bootstrap needs
 * reproducible, fast, well-spread random numbers and nothing more. Kept local to the metrics
 * library so that its sequence (and so every reported interval) never changes under it.
 */
export class Mulberry32 {
  private state: number;

  /** @param seed - any number; only its low 32 bits are used. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next uniform unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    return mix(this.state);
  }

  /**
   * Fills `out` with the next `out.length` integers of the sequence, in one tight loop (the
   * bootstrap needs a quarter of a million per resample of a million samples).
   */
  fillUint32(out: Uint32Array): void {
    let state = this.state;
    for (let i = 0; i < out.length; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      out[i] = mix(state);
    }
    this.state = state;
  }
}

function mix(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** A {@link Mulberry32} sequence as uniforms in `[0, 1)`. */
export function mulberry32(seed: number): () => number {
  const generator = new Mulberry32(seed);
  return () => generator.nextUint32() / 4294967296;
}
