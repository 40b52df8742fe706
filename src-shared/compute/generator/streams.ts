/**
 * Independent seeded streams for the synthetic market generator, on top of the project's
 * mulberry32 (`compute/random.ts`).
 *
 * Streams are split by hashing (seed, stream id) with the murmur3 finaliser, so each symbol draws
 * from its own sequence: adding a symbol leaves the others byte-identical. mulberry32's period
 * of 2^32 covers a few hundred million bars per stream, more than one symbol ever needs.
 */
import { mulberry32 } from '../random.js';

/** A seeded stream of numbers. */
export interface RandomStream {
  /** Uniform on (0, 1]: never 0, so `Math.log(uniform())` is always finite. */
  uniform(): number;
  /** Standard normal N(0, 1) by Box-Muller (Box & Muller 1958), caching the second variate. */
  normal(): number;
}

/** murmur3's 32-bit finaliser (Appleby, MurmurHash3 `fmix32`): good avalanche for seed mixing. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 32-bit seed for stream `stream` of the generator seeded with `seed`. Seeds beyond 32 bits
 * keep their high part (up to 2^53) rather than being truncated.
 */
export function deriveSeed(seed: number, stream: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(Math.abs(seed) / 4294967296) >>> 0;
  return fmix32(fmix32(lo ^ fmix32(hi + 0x9e3779b9)) ^ Math.imul(stream >>> 0, 0x9e3779b9) ^ 0x2545f491);
}

/** FNV-1a over a string's UTF-16 code units: a stable stream id for a symbol name. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A mulberry32 stream with Box-Muller normals. Same seed → same sequence, on every run. */
export function createRandomStream(seed32: number): RandomStream {
  const next = mulberry32(seed32);
  let spare = 0;
  let hasSpare = false;
  // mulberry32 gives [0, 1); 1 − u is (0, 1], safe under log.
  const uniform = (): number => 1 - next();
  const normal = (): number => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const theta = 2 * Math.PI * next();
    spare = r * Math.sin(theta);
    hasSpare = true;
    return r * Math.cos(theta);
  };
  return { uniform, normal };
}
