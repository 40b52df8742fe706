/**
 * Tree-structured Parzen Estimator (TPE), the sampler of Bergstra, Bardenet, Bengio & Kégl (2011),
 * "Algorithms for Hyper-Parameter Optimization", NeurIPS 24, §4, with the refinements that Optuna's
 * `TPESampler` (optuna/samplers/_tpe, v3) made standard. Written here from those descriptions.
 *
 * The model, per parameter and independently of the others (the paper's "tree" degenerates to
 * independent densities when no parameter is conditional, as here):
 * - Rank the finished trials by objective; the best n_good = γ(n) form the "good" set, the rest the
 *   "bad" set. γ(n) = min(⌈0.1·n⌉, 25) (Optuna's default; the paper splits at a quantile γ of the
 *   observed values, which is the same thing as a count). Pruned trials rank after all completed
 *   ones: they stopped because they looked bad.
 * - l(x) and g(x) are Parzen estimators fitted to the good and bad sets: for numeric parameters a
 *   mixture of Gaussians truncated to the range, one per observation at its value, plus a prior
 *   component at the range's centre with σ = the range width (weight `priorWeight`). Each
 *   observation's σ is the larger distance to its neighbours among the sorted centres (prior
 *   included; the outermost ones use their one inner neighbour), clipped to
 *   [width / min(100, 1 + #components), width] (Optuna's "magic clip", which stops σ collapsing to
 *   zero when observations pile up). Log-scale parameters are modelled in ln(x); integer ones are
 *   modelled on the range widened by half a step and scored by the probability MASS of each
 *   integer's cell, so rounding is accounted for. Categorical parameters get prior-weighted counts:
 *   p(c) ∝ priorWeight/#choices + Σ weights of the observations equal to c.
 * - Observation weights are 1, except that with more than 25 observations the older ones are
 *   down-weighted linearly (Optuna's `default_weights`: the newest 25 have weight 1, the rest a
 *   ramp from 1/n), so the model follows the search as it narrows.
 * - n_candidates values are drawn from l and the one maximising l(x)/g(x) is proposed; the paper
 *   shows this maximises expected improvement under the model (§4.1, EI ∝ (γ + g/l·(1−γ))⁻¹).
 * - Until `nStartupTrials` trials have completed, parameters are drawn at random (the densities
 *   mean nothing with a handful of points).
 */
import type { Rng } from '../random.js';
import { normalCdf, normalQuantile } from './distributions.js';
import { sampleParamUniform, sampleRandom } from './samplers.js';
import { fromInternal, internalBounds, toInternal, type IntParam, type FloatParam, type ParamSpec, type ParamValue, type SearchSpace, type TrialParams } from './searchSpace.js';

/** A finished trial, as the sampler sees it. */
export interface TrialObservation {
  readonly params: TrialParams;
  /** The objective. Non-finite values (a diverged run) rank as the worst. */
  readonly value: number;
  /** Default 'complete'. A pruned trial carries its last reported value and ranks after completed ones. */
  readonly state?: 'complete' | 'pruned';
}

export interface TpeOptions {
  /** Default 'minimize' (validation log loss). */
  readonly direction?: 'minimize' | 'maximize';
  /** Completed trials before TPE takes over from random sampling. Default 10 (Optuna's default). */
  readonly nStartupTrials?: number;
  /** Candidates drawn from l(x) per parameter. Default 24 (Optuna's default, hyperopt's too). */
  readonly nCandidates?: number;
  /** Size of the good set given n ranked trials. Default min(⌈0.1·n⌉, 25). */
  readonly gamma?: (n: number) => number;
  /** Weight of the prior component (and of the uniform prior on choices). Default 1. */
  readonly priorWeight?: number;
}

/** Optuna's `default_gamma`. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's `default_weights`: 1 for the newest 25 observations, a linear ramp from 1/n before them. */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n >= 25) {
    const ramp = n - 25;
    for (let i = 0; i < ramp; i++) w[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  }
  return w;
}

/**
 * Proposes the next trial's parameters by TPE (see the module header), or at random during the
 * startup phase. `history` is in chronological order (it matters for the weights); trials still
 * running are not passed. Deterministic given `rng`'s state.
 */
export function sampleTpe(space: SearchSpace, history: readonly TrialObservation[], rng: Rng, options: TpeOptions = {}): TrialParams {
  const nStartup = options.nStartupTrials ?? 10;
  const completed = history.filter((t) => (t.state ?? 'complete') === 'complete').length;
  if (completed < nStartup || history.length < 2) return sampleRandom(space, rng);
  const sign = options.direction === 'maximize' ? -1 : 1;
  const nCandidates = options.nCandidates ?? 24;
  const priorWeight = options.priorWeight ?? 1;
  if (!(priorWeight > 0)) throw new RangeError(`priorWeight must be positive, got ${priorWeight}`);
  if (!Number.isInteger(nCandidates) || nCandidates < 1) throw new RangeError(`nCandidates must be a positive integer, got ${nCandidates}`);

  const order = history.map((_, i) => i);
  const key = (i: number): number => {
    const v = sign * history[i].value;
    return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
  };
  const pruned = (i: number): number => (history[i].state === 'pruned' ? 1 : 0);
  // Stable sort: ties keep chronological order, so the result does not depend on the JS engine.
  order.sort((a, b) => pruned(a) - pruned(b) || key(a) - key(b) || a - b);
  const nGood = Math.max(1, Math.min(history.length - 1, (options.gamma ?? defaultGamma)(history.length)));
  const isGood = new Uint8Array(history.length);
  for (let r = 0; r < nGood; r++) isGood[order[r]] = 1;

  const out: TrialParams = {};
  for (const name of Object.keys(space)) {
    const p = space[name];
    const good: number[] = [];
    const bad: number[] = [];
    for (let i = 0; i < history.length; i++) {
      const value = history[i].params[name];
      if (value === undefined || !inSpace(p, value)) continue;
      (isGood[i] ? good : bad).push(toInternal(p, value));
    }
    if (p.kind === 'choice') {
      out[name] = sampleCategorical(p.values.length, good, bad, priorWeight, nCandidates, rng, p.values);
    } else {
      out[name] = sampleNumeric(p, good, bad, priorWeight, nCandidates, rng);
    }
  }
  return out;
}

function inSpace(p: ParamSpec, value: ParamValue): boolean {
  if (p.kind === 'choice') return p.values.includes(value);
  return typeof value === 'number' && value >= p.low && value <= p.high;
}

/** A Gaussian mixture truncated to [lo, hi], in internal coordinates. */
interface TruncatedMixture {
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  /** Normalised weights. */
  readonly weights: Float64Array;
  /** Φ((lo − μ)/σ) and Φ((hi − μ)/σ) per component. */
  readonly cdfLo: Float64Array;
  readonly cdfHi: Float64Array;
  readonly lo: number;
  readonly hi: number;
}

/** The Parzen estimator of one set of observations (module header, "l(x) and g(x)"). */
export function parzenMixture(observations: readonly number[], lo: number, hi: number, priorWeight: number): TruncatedMixture {
  const n = observations.length;
  const k = n + 1;
  const width = hi - lo;
  const mus = new Float64Array(k);
  for (let i = 0; i < n; i++) mus[i] = observations[i];
  mus[n] = 0.5 * (lo + hi);
  const sigmas = new Float64Array(k);
  const sortedIdx = Array.from({ length: k }, (_, i) => i).sort((a, b) => mus[a] - mus[b] || a - b);
  // The outermost centres take their inner neighbour's distance only, not the distance to the range
  // end (Optuna's consider_endpoints = false): a lone point near an edge keeps a narrow kernel.
  for (let r = 0; r < k; r++) {
    const m = mus[sortedIdx[r]];
    const left = r === 0 ? (k > 1 ? 0 : m - lo) : m - mus[sortedIdx[r - 1]];
    const right = r === k - 1 ? (k > 1 ? 0 : hi - m) : mus[sortedIdx[r + 1]] - m;
    sigmas[sortedIdx[r]] = Math.max(left, right);
  }
  const minSigma = width / Math.min(100, 1 + k);
  for (let i = 0; i < k; i++) sigmas[i] = Math.min(width, Math.max(minSigma, sigmas[i]));
  sigmas[n] = width;
  const w = defaultWeights(n);
  const weights = new Float64Array(k);
  let total = priorWeight;
  for (let i = 0; i < n; i++) total += w[i];
  for (let i = 0; i < n; i++) weights[i] = w[i] / total;
  weights[n] = priorWeight / total;
  const cdfLo = new Float64Array(k);
  const cdfHi = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    cdfLo[i] = normalCdf((lo - mus[i]) / sigmas[i]);
    cdfHi[i] = normalCdf((hi - mus[i]) / sigmas[i]);
  }
  return { mus, sigmas, weights, cdfLo, cdfHi, lo, hi };
}

function pickComponent(m: TruncatedMixture, u: number): number {
  let acc = 0;
  for (let i = 0; i < m.weights.length; i++) {
    acc += m.weights[i];
    if (u < acc) return i;
  }
  return m.weights.length - 1;
}

/**
 * Inverse-CDF draw from N(μ, σ²) truncated to [lo, hi]. Drawn on the side of the mean where the
 * interval lies nearer the centre (by symmetry), so an interval deep in a tail is not lost to
 * 1 − Φ rounding; clamped because the quantile of a rounded probability can step just outside.
 */
function sampleTruncatedNormal(mu: number, sigma: number, lo: number, hi: number, u: number): number {
  let a = (lo - mu) / sigma;
  let b = (hi - mu) / sigma;
  const flip = a > 0;
  if (flip) [a, b] = [-b, -a];
  const pa = normalCdf(a);
  const pb = normalCdf(b);
  let z = normalQuantile(pa + u * (pb - pa));
  if (!Number.isFinite(z)) z = u < 0.5 ? a : b;
  z = Math.min(b, Math.max(a, z));
  const x = mu + sigma * (flip ? -z : z);
  return Math.min(hi, Math.max(lo, x));
}

/** ln of the mixture's density at internal x (continuous parameters). */
function logDensity(m: TruncatedMixture, x: number): number {
  let s = 0;
  for (let i = 0; i < m.mus.length; i++) {
    const z = (x - m.mus[i]) / m.sigmas[i];
    s += (m.weights[i] * Math.exp(-0.5 * z * z)) / (m.sigmas[i] * (m.cdfHi[i] - m.cdfLo[i]));
  }
  // The prior component spans the whole range with σ = width, so s > 0 unless everything underflows.
  return Math.log(Math.max(s, Number.MIN_VALUE));
}

/** ln of the mixture's probability mass on the internal cell [a, b] (integer parameters). */
function logMass(m: TruncatedMixture, a: number, b: number): number {
  let s = 0;
  for (let i = 0; i < m.mus.length; i++) {
    const mass = normalCdf((b - m.mus[i]) / m.sigmas[i]) - normalCdf((a - m.mus[i]) / m.sigmas[i]);
    s += (m.weights[i] * mass) / (m.cdfHi[i] - m.cdfLo[i]);
  }
  return Math.log(Math.max(s, Number.MIN_VALUE));
}

/** The internal cell an integer value rounds from (see `internalBounds`). */
function intCell(p: IntParam, v: number): [number, number] {
  if (p.log) return [Math.log(v - 0.5), Math.log(v + 0.5)];
  const half = (p.step ?? 1) / 2;
  return [v - half, v + half];
}

function sampleNumeric(p: IntParam | FloatParam, good: number[], bad: number[], priorWeight: number, nCandidates: number, rng: Rng): number {
  const [lo, hi] = internalBounds(p);
  if (lo === hi) return p.low;
  const l = parzenMixture(good, lo, hi, priorWeight);
  const g = parzenMixture(bad, lo, hi, priorWeight);
  let best = Number.NaN;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < nCandidates; c++) {
    const i = pickComponent(l, rng());
    const x = sampleTruncatedNormal(l.mus[i], l.sigmas[i], lo, hi, rng());
    const value = fromInternal(p, x);
    let score: number;
    if (p.kind === 'int') {
      const [a, b] = intCell(p, value);
      score = logMass(l, a, b) - logMass(g, a, b);
    } else {
      score = logDensity(l, x) - logDensity(g, x);
    }
    if (score > bestScore) {
      bestScore = score;
      best = value;
    }
  }
  return Number.isNaN(best) ? (sampleParamUniform(p, rng) as number) : best;
}

function sampleCategorical(
  nChoices: number,
  good: number[],
  bad: number[],
  priorWeight: number,
  nCandidates: number,
  rng: Rng,
  values: readonly ParamValue[],
): ParamValue {
  const weightsOf = (obs: number[]): Float64Array => {
    const p = new Float64Array(nChoices).fill(priorWeight / nChoices);
    const w = defaultWeights(obs.length);
    for (let i = 0; i < obs.length; i++) p[obs[i]] += w[i];
    let total = 0;
    for (let c = 0; c < nChoices; c++) total += p[c];
    for (let c = 0; c < nChoices; c++) p[c] /= total;
    return p;
  };
  const l = weightsOf(good);
  const g = weightsOf(bad);
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < nCandidates; k++) {
    const u = rng();
    let acc = 0;
    let c = 0;
    for (; c < nChoices - 1; c++) {
      acc += l[c];
      if (u < acc) break;
    }
    const score = Math.log(l[c]) - Math.log(g[c]);
    if (score > bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return values[best];
}
