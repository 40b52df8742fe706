/**
 * Grid and random sampling of a {@link SearchSpace}. Both are seeded through the project's one
 * PRNG (`../random.ts`), so a sweep's seed reproduces its trials on every machine.
 */
import { randomIntBelow, type Rng } from '../random.js';
import { fromInternal, internalBounds, validateSearchSpace, type ParamSpec, type ParamValue, type SearchSpace, type TrialParams } from './searchSpace.js';

/** One independent draw of a parameter: uniform over choices, uniform in internal coordinates otherwise. */
export function sampleParamUniform(p: ParamSpec, rng: Rng): ParamValue {
  if (p.kind === 'choice') return p.values[randomIntBelow(rng, p.values.length)];
  const [lo, hi] = internalBounds(p);
  return fromInternal(p, lo + (hi - lo) * rng());
}

/**
 * Random search (Bergstra & Bengio 2012, "Random Search for Hyper-Parameter Optimization", JMLR
 * 13): every field drawn independently, uniformly (log-uniformly on a log scale). Fields are drawn
 * in the space's key order, so the same rng state gives the same trial.
 */
export function sampleRandom(space: SearchSpace, rng: Rng): TrialParams {
  const out: TrialParams = {};
  for (const name of Object.keys(space)) out[name] = sampleParamUniform(space[name], rng);
  return out;
}

/** How finely {@link gridSearch} discretises ranges, and how many points it may return. */
export interface GridOptions {
  /** Points per float range, end points included (geometric on a log scale). Default 5. */
  readonly floatPoints?: number;
  /** An int range with more values than this is thinned to this many, evenly spread. Default 10. */
  readonly maxIntValues?: number;
  /** At most this many points are returned. Default 1000. */
  readonly maxPoints?: number;
  /** Chooses the subset when the full grid exceeds `maxPoints`. Required only then. */
  readonly rng?: Rng;
}

/** The grid's points and whether the cap cut it. */
export interface Grid {
  readonly points: TrialParams[];
  /** Size of the full grid (the product of the axes' lengths). */
  readonly total: number;
  /** True when `points` is a subset of the full grid. */
  readonly truncated: boolean;
  /** The values each field takes, in the space's key order. */
  readonly axes: Readonly<Record<string, readonly ParamValue[]>>;
}

/** The values one field takes on the grid. */
export function gridAxis(p: ParamSpec, floatPoints = 5, maxIntValues = 10): ParamValue[] {
  if (p.kind === 'choice') return [...p.values];
  if (p.low === p.high) return [p.low];
  if (p.kind === 'int') {
    const step = p.step ?? 1;
    const count = (p.high - p.low) / step + 1;
    if (count <= maxIntValues) return Array.from({ length: count }, (_, i) => p.low + i * step);
  }
  const k = p.kind === 'int' ? maxIntValues : floatPoints;
  if (k < 2) return [fromInternal(p, p.log ? 0.5 * (Math.log(p.low) + Math.log(p.high)) : 0.5 * (p.low + p.high))];
  // Equal spacing in internal coordinates between the true end points (not the widened int bounds).
  const a = p.log ? Math.log(p.low) : p.low;
  const b = p.log ? Math.log(p.high) : p.high;
  const values: number[] = [];
  for (let i = 0; i < k; i++) {
    const v = i === k - 1 ? p.high : fromInternal(p, a + ((b - a) * i) / (k - 1));
    if (values.length === 0 || values[values.length - 1] !== v) values.push(v);
  }
  return values;
}

/**
 * Grid search: the Cartesian product of each field's {@link gridAxis}, enumerated with the LAST
 * field varying fastest. When the product exceeds `maxPoints`, a uniformly random subset of that
 * many distinct grid points is returned (in enumeration order) rather than the first ones, which
 * would never vary the leading fields; Optuna's GridSampler likewise visits grid points at random.
 * The full grid is never materialised: points are decoded from their mixed-radix index.
 */
export function gridSearch(space: SearchSpace, options: GridOptions = {}): Grid {
  validateSearchSpace(space);
  const floatPoints = options.floatPoints ?? 5;
  const maxIntValues = options.maxIntValues ?? 10;
  const maxPoints = options.maxPoints ?? 1000;
  if (!Number.isInteger(maxPoints) || maxPoints < 1) throw new RangeError(`maxPoints must be a positive integer, got ${maxPoints}`);
  const names = Object.keys(space);
  const axes: Record<string, ParamValue[]> = {};
  let total = 1;
  for (const name of names) {
    axes[name] = gridAxis(space[name], floatPoints, maxIntValues);
    total *= axes[name].length;
  }
  let indices: number[];
  const truncated = total > maxPoints;
  if (!truncated) {
    indices = Array.from({ length: total }, (_, i) => i);
  } else {
    if (!options.rng) throw new RangeError(`the grid has ${total} points, over maxPoints = ${maxPoints}: pass an rng to choose a subset`);
    if (!Number.isSafeInteger(total)) throw new RangeError(`the grid has ${total} points, too many to index`);
    indices = floydSample(total, maxPoints, options.rng).sort((x, y) => x - y);
  }
  const points = indices.map((index) => {
    const point: TrialParams = {};
    let rest = index;
    for (let j = names.length - 1; j >= 0; j--) {
      const axis = axes[names[j]];
      point[names[j]] = axis[rest % axis.length];
      rest = Math.floor(rest / axis.length);
    }
    // Re-key in the space's order (the loop above filled it backwards).
    const ordered: TrialParams = {};
    for (const name of names) ordered[name] = point[name];
    return ordered;
  });
  return { points, total, truncated, axes };
}

/**
 * m distinct integers from [0, n), uniformly: Floyd's algorithm (Bentley & Floyd 1987,
 * "Programming pearls: a sample of brilliance", CACM 30(9)), O(m) draws whatever n is.
 */
function floydSample(n: number, m: number, rng: Rng): number[] {
  const chosen = new Set<number>();
  for (let j = n - m; j < n; j++) {
    const t = randomIntBelow(rng, j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen];
}
