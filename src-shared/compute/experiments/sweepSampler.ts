/**
 * One entry point for a sweep service: the parameters of trial i, given the sampler, the sweep's
 * seed and the finished trials so far. The random stream of each proposal is derived from
 * (seed, trial index) alone, so a sweep resumed after a restart proposes exactly what it would have
 * proposed without the interruption, and no generator state has to be stored.
 */
import { mulberry32, type Rng } from '../random.js';
import { gridSearch, sampleRandom, type GridOptions } from './samplers.js';
import type { SearchSpace, TrialParams } from './searchSpace.js';
import { sampleTpe, type TpeOptions, type TrialObservation } from './tpe.js';

/** The sampler of a sweep, as the CLI's `--sampler grid|random|tpe` chooses it. */
export type SamplerConfig =
  | { readonly kind: 'grid'; readonly grid?: Omit<GridOptions, 'rng'> }
  | { readonly kind: 'random' }
  | { readonly kind: 'tpe'; readonly tpe?: TpeOptions };

/**
 * A 32-bit seed for trial `index` of a sweep seeded with `seed`: MurmurHash3's 32-bit finaliser
 * (Appleby 2011, `fmix32`) over the seed mixed with the index times the golden-ratio constant, so
 * neighbouring indices get unrelated streams.
 */
export function trialSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The rng of trial `index`: {@link trialSeed} fed to the project's mulberry32. */
export function trialRng(seed: number, index: number): Rng {
  return mulberry32(trialSeed(seed, index));
}

/**
 * Parameters for trial `index` (0-based, in the order trials are started), or null when a grid is
 * exhausted.
 *
 * - grid: point `index` of the (possibly capped, then seed-chosen) grid; `history` is ignored.
 * - random: an independent draw from the trial's own stream.
 * - tpe: TPE fitted to `history`, the trials FINISHED by the time trial `index` starts, in the order
 *   they finished or started (consistently). With P trials in parallel, up to P − 1 running trials
 *   are invisible to it: proposals can cluster a little; Optuna's default behaves the same (its
 *   "constant liar" option is what would change that).
 */
export function proposeTrial(space: SearchSpace, sampler: SamplerConfig, seed: number, index: number, history: readonly TrialObservation[] = []): TrialParams | null {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`trial index must be a non-negative integer, got ${index}`);
  switch (sampler.kind) {
    case 'grid': {
      const grid = gridSearch(space, { ...sampler.grid, rng: mulberry32(trialSeed(seed, -1)) });
      return index < grid.points.length ? grid.points[index] : null;
    }
    case 'random':
      return sampleRandom(space, trialRng(seed, index));
    case 'tpe':
      return sampleTpe(space, history, trialRng(seed, index), sampler.tpe);
  }
}
