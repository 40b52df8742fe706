/**
 * Which hyperparameters matter for a metric, over the runs someone selected: a small random forest
 * of regression trees (Breiman 2001, "Random Forests", Machine Learning 45) fitted to predict the
 * metric from the parameters, and each parameter's permutation importance on the trees' out-of-bag
 * runs (Breiman 2001, §10): how much the forest's squared error on runs a tree never saw grows when
 * that parameter's column is shuffled among them. A parameter the metric does not depend on can be
 * shuffled for free (importance ≈ 0, noise can make it slightly negative); one it depends on cannot.
 *
 * Why this and not fANOVA (Hutter et al. 2014): with tens of runs, rather than thousands of trials,
 * the variance decomposition over a forest's leaves adds little over permutation importance, and
 * permutation importance says something a person can check: "shuffle this setting and the forest's
 * error grows by X". The caveats are the usual ones: correlated parameters share importance, and
 * with few runs the figures are rough (each parameter's spread across trees is reported).
 *
 * Parameters are numbers; a categorical setting is passed as the index of its value (the trees
 * split on the order of the indices, which can separate any one value from the rest in two splits).
 */
import { mulberry32, type Rng } from '../random.js';

export interface ForestOptions {
  /** Trees in the forest; default 200. */
  readonly trees?: number;
  /** Deepest split; default 6. */
  readonly maxDepth?: number;
  /** Fewest runs in a leaf; default 2. */
  readonly minLeaf?: number;
  /** Parameters tried per split; default max(2, ⌈p/3⌉) (⌈p/3⌉ is the usual choice for regression forests; with the few parameters of a sweep, one at a time would often split on noise). */
  readonly featuresPerSplit?: number;
  /** Default 1. */
  readonly seed?: number;
}

export interface ParameterImportance {
  /** Mean increase in out-of-bag mean squared error when the parameter is shuffled (metric units²). */
  readonly increase: number;
  /** Its standard error across the trees that had out-of-bag runs. */
  readonly standardError: number;
  /** The increase as a share of all positive increases (0 when none is positive); shares sum to 1. */
  readonly share: number;
}

export interface ForestImportance {
  readonly parameters: readonly ParameterImportance[];
  /** Out-of-bag mean squared error of the forest, nothing shuffled, and the metric's own variance beside it. */
  readonly oobMse: number;
  readonly variance: number;
  readonly trees: number;
}

interface Node {
  feature: number;
  threshold: number;
  left: Node | null;
  right: Node | null;
  value: number;
}

function buildTree(x: Float64Array, p: number, y: Float64Array, rows: number[], depth: number, opts: Required<Omit<ForestOptions, 'seed'>>, rng: Rng): Node {
  let sum = 0;
  for (const i of rows) sum += y[i]!;
  const value = sum / rows.length;
  const leaf: Node = { feature: -1, threshold: 0, left: null, right: null, value };
  if (depth >= opts.maxDepth || rows.length < 2 * opts.minLeaf) return leaf;
  // Features tried at this split: a partial Fisher–Yates shuffle of 0…p−1.
  const order = Array.from({ length: p }, (_, j) => j);
  const tries = Math.min(p, opts.featuresPerSplit);
  for (let j = 0; j < tries; j++) {
    const k = j + Math.floor(rng() * (p - j));
    [order[j], order[k]] = [order[k]!, order[j]!];
  }
  let best = { gain: 0, feature: -1, threshold: 0 };
  let totalSq = 0;
  for (const i of rows) totalSq += y[i]! * y[i]!;
  const parentSse = totalSq - (sum * sum) / rows.length;
  for (let t = 0; t < tries; t++) {
    const f = order[t]!;
    const sorted = rows.slice().sort((a, b) => x[a * p + f]! - x[b * p + f]!);
    let leftSum = 0;
    let leftSq = 0;
    for (let s = 0; s < sorted.length - 1; s++) {
      const yi = y[sorted[s]!]!;
      leftSum += yi;
      leftSq += yi * yi;
      const nl = s + 1;
      const nr = sorted.length - nl;
      if (nl < opts.minLeaf || nr < opts.minLeaf) continue;
      const a = x[sorted[s]! * p + f]!;
      const b = x[sorted[s + 1]! * p + f]!;
      if (a === b) continue;
      const rightSum = sum - leftSum;
      const sse = leftSq - (leftSum * leftSum) / nl + (totalSq - leftSq) - (rightSum * rightSum) / nr;
      const gain = parentSse - sse;
      if (gain > best.gain + 1e-12) best = { gain, feature: f, threshold: (a + b) / 2 };
    }
  }
  if (best.feature < 0) return leaf;
  const left: number[] = [];
  const right: number[] = [];
  for (const i of rows) (x[i * p + best.feature]! <= best.threshold ? left : right).push(i);
  return { feature: best.feature, threshold: best.threshold, value, left: buildTree(x, p, y, left, depth + 1, opts, rng), right: buildTree(x, p, y, right, depth + 1, opts, rng) };
}

function predict(node: Node, x: Float64Array, p: number, row: number, override?: { feature: number; value: number }): number {
  let n = node;
  while (n.left && n.right) {
    const v = override && override.feature === n.feature ? override.value : x[row * p + n.feature]!;
    n = v <= n.threshold ? n.left : n.right;
  }
  return n.value;
}

/**
 * Permutation importance of each of the p parameters for the metric y, from a random forest.
 *
 * @param x - n×p, row-major: `x[i * p + j]` is parameter j of run i.
 * @param y - the metric of each run (finite).
 * @throws RangeError with fewer than 4 runs or a non-finite value.
 */
export function forestImportance(x: Float64Array, p: number, y: Float64Array, options: ForestOptions = {}): ForestImportance {
  const n = y.length;
  if (p < 1 || x.length !== n * p) throw new RangeError(`x must hold ${n}×${p} values, got ${x.length}`);
  if (n < 4) throw new RangeError(`need at least 4 runs to judge which parameters matter, got ${n}`);
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new RangeError(`parameter value ${i % p} of run ${Math.floor(i / p)} is not finite`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(y[i])) throw new RangeError(`the metric of run ${i} is not finite`);
  const opts = {
    trees: options.trees ?? 200,
    maxDepth: options.maxDepth ?? 6,
    minLeaf: options.minLeaf ?? 2,
    featuresPerSplit: Math.min(p, options.featuresPerSplit ?? Math.max(2, Math.ceil(p / 3))),
  };
  const rng = mulberry32(options.seed ?? 1);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (y[i]! - mean) ** 2;
  variance /= n;

  const perTree: number[][] = Array.from({ length: p }, () => []);
  let oobSq = 0;
  let oobCount = 0;
  for (let t = 0; t < opts.trees; t++) {
    const inBag = new Uint8Array(n);
    const rows: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = Math.floor(rng() * n);
      rows.push(r);
      inBag[r] = 1;
    }
    const oob: number[] = [];
    for (let i = 0; i < n; i++) if (!inBag[i]) oob.push(i);
    if (oob.length < 2) continue;
    const tree = buildTree(x, p, y, rows, 0, opts, rng);
    let base = 0;
    for (const i of oob) base += (predict(tree, x, p, i) - y[i]!) ** 2;
    oobSq += base;
    oobCount += oob.length;
    base /= oob.length;
    for (let j = 0; j < p; j++) {
      // Shuffle column j among the out-of-bag runs: each run is predicted with another's value.
      const perm = oob.slice();
      for (let a = perm.length - 1; a > 0; a--) {
        const b = Math.floor(rng() * (a + 1));
        [perm[a], perm[b]] = [perm[b]!, perm[a]!];
      }
      let shuffled = 0;
      oob.forEach((i, k) => {
        shuffled += (predict(tree, x, p, i, { feature: j, value: x[perm[k]! * p + j]! }) - y[i]!) ** 2;
      });
      perTree[j]!.push(shuffled / oob.length - base);
    }
  }
  const raw = perTree.map((d) => {
    const m = d.length ? d.reduce((a, b) => a + b, 0) / d.length : 0;
    const sd = d.length > 1 ? Math.sqrt(d.reduce((a, b) => a + (b - m) ** 2, 0) / (d.length - 1)) : 0;
    return { increase: m, standardError: d.length ? sd / Math.sqrt(d.length) : 0 };
  });
  const positive = raw.reduce((a, r) => a + Math.max(0, r.increase), 0);
  return {
    parameters: raw.map((r) => ({ ...r, share: positive > 0 ? Math.max(0, r.increase) / positive : 0 })),
    oobMse: oobCount ? oobSq / oobCount : Number.NaN,
    variance,
    trees: perTree[0]!.length,
  };
}
