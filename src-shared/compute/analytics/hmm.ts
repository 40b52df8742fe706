/**
 * A Gaussian hidden Markov model of bar returns for regime detection (Hamilton 1989, "A new
 * approach to the economic analysis of nonstationary time series and the business cycle").
 *
 * Fitting: Baum–Welch (EM) with the scaled forward–backward recursions of Rabiner 1989 ("A tutorial
 * on hidden Markov models…", Proc. IEEE 77(2), §V.A), on training-period returns only. EM finds a
 * local maximum, so the fit runs several seeded restarts and keeps the best log-likelihood.
 * Emission densities are evaluated in log space and shifted by their per-bar maximum before
 * exponentiating (the shift is added back to the log-likelihood), so a far outlier cannot underflow
 * every state's density to zero. A variance floor (1e-6 × the sample variance) stops a state from
 * collapsing onto a single return, the known degeneracy of Gaussian-mixture likelihoods.
 * States are reported in ascending order of variance: state 0 is the calmest.
 *
 * Use on the test period: `filterStates` runs the forward recursion only, so the probability at t is
 * P(s_t | y_1…y_t), never the smoothed P(s_t | y_1…y_T) that would look ahead.
 */
import { mulberry32 } from '../random.js';
import { mean, normalSampler, type Series } from './statistics.js';

/** A fitted Gaussian HMM with K states (K = 2 or 3). Matrices are row-major. */
export interface GaussianHmm {
  states: number;
  /** π_k: P(s_1 = k). */
  initial: Float64Array;
  /** A[i·K + j] = P(s_{t+1} = j | s_t = i). */
  transition: Float64Array;
  /** μ_k, per-bar return. */
  means: Float64Array;
  /** σ²_k. */
  variances: Float64Array;
  /** log p(y_1…y_T) of the training returns under this model. */
  logLikelihood: number;
  /** EM iterations of the restart that won. */
  iterations: number;
  converged: boolean;
}

export interface HmmFitOptions {
  /** 2 or 3. */
  states: 2 | 3;
  /** Seeded restarts; the best log-likelihood wins. Default 5. */
  restarts?: number;
  seed?: number;
  /** EM iterations per restart. Default 300. */
  maxIterations?: number;
  /**
   * Stop when an iteration gains less than this log-likelihood per observation. Default 1e-6,
   * i.e. 0.01 for 10,000 returns, hmmlearn's default absolute `tol`.
   */
  tolerance?: number;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Per-bar emission densities b[t·K + k] = N(y_t; μ_k, σ²_k) / exp(shift_t), with shift_t the largest
 * log density at t; returns Σ shift_t, the part of the log-likelihood taken out.
 */
function emissions(y: Series, means: Float64Array, variances: Float64Array, b: Float64Array): number {
  const K = means.length;
  const norm = new Float64Array(K);
  const inv2var = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    norm[k] = -LOG_SQRT_2PI - 0.5 * Math.log(variances[k]);
    inv2var[k] = 1 / (2 * variances[k]);
  }
  let shifted = 0;
  for (let t = 0; t < y.length; t++) {
    let max = -Infinity;
    const row = t * K;
    for (let k = 0; k < K; k++) {
      const d = y[t] - means[k];
      const l = norm[k] - d * d * inv2var[k];
      b[row + k] = l;
      if (l > max) max = l;
    }
    for (let k = 0; k < K; k++) b[row + k] = Math.exp(b[row + k] - max);
    shifted += max;
  }
  return shifted;
}

/**
 * Scaled forward pass (Rabiner 1989 eqs. 91–92b): alpha[t] is normalised to sum to 1, so it equals
 * P(s_t | y_1…t); c[t] is the normaliser. Starts from `prior` (P(s_1) before y_1 is seen).
 */
function forward(b: Float64Array, T: number, K: number, prior: Float64Array, A: Float64Array, alpha: Float64Array, c: Float64Array): void {
  for (let t = 0; t < T; t++) {
    let sum = 0;
    for (let j = 0; j < K; j++) {
      let p = 0;
      if (t === 0) p = prior[j];
      else for (let i = 0; i < K; i++) p += alpha[(t - 1) * K + i] * A[i * K + j];
      const a = p * b[t * K + j];
      alpha[t * K + j] = a;
      sum += a;
    }
    // A zero normaliser only happens with a zero prior on every state that can emit y_t; fall back
    // to uniform rather than propagate NaN.
    if (!(sum > 0)) {
      for (let j = 0; j < K; j++) alpha[t * K + j] = 1 / K;
      c[t] = Number.MIN_VALUE;
    } else {
      for (let j = 0; j < K; j++) alpha[t * K + j] /= sum;
      c[t] = sum;
    }
  }
}

interface Workspace {
  b: Float64Array;
  alpha: Float64Array;
  beta: Float64Array;
  c: Float64Array;
}

function emStep(y: Series, m: GaussianHmm, w: Workspace, varianceFloor: number): number {
  const K = m.states;
  const T = y.length;
  const { b, alpha, beta, c } = w;
  const shift = emissions(y, m.means, m.variances, b);
  forward(b, T, K, m.initial, m.transition, alpha, c);
  let logL = shift;
  for (let t = 0; t < T; t++) logL += Math.log(c[t]);

  // Scaled backward pass with the forward normalisers (Rabiner eq. 94); γ_t = α̂_t β̂_t.
  for (let k = 0; k < K; k++) beta[(T - 1) * K + k] = 1;
  for (let t = T - 2; t >= 0; t--) {
    for (let i = 0; i < K; i++) {
      let s = 0;
      for (let j = 0; j < K; j++) s += m.transition[i * K + j] * b[(t + 1) * K + j] * beta[(t + 1) * K + j];
      beta[t * K + i] = s / c[t + 1];
    }
  }

  const xi = new Float64Array(K * K);
  const gammaSum = new Float64Array(K);
  const gammaSumButLast = new Float64Array(K);
  const gy = new Float64Array(K);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < K; i++) {
      const g = alpha[t * K + i] * beta[t * K + i];
      gammaSum[i] += g;
      gy[i] += g * y[t];
      if (t < T - 1) {
        gammaSumButLast[i] += g;
        const scale = alpha[t * K + i] / c[t + 1];
        for (let j = 0; j < K; j++) xi[i * K + j] += scale * m.transition[i * K + j] * b[(t + 1) * K + j] * beta[(t + 1) * K + j];
      }
    }
  }
  for (let i = 0; i < K; i++) {
    m.initial[i] = alpha[i] * beta[i];
    let rowSum = 0;
    for (let j = 0; j < K; j++) rowSum += xi[i * K + j];
    for (let j = 0; j < K; j++) m.transition[i * K + j] = rowSum > 0 ? xi[i * K + j] / rowSum : 1 / K;
    if (gammaSum[i] > 0) m.means[i] = gy[i] / gammaSum[i];
  }
  const gss = new Float64Array(K);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < K; i++) {
      const d = y[t] - m.means[i];
      gss[i] += alpha[t * K + i] * beta[t * K + i] * d * d;
    }
  }
  for (let i = 0; i < K; i++) m.variances[i] = Math.max(gammaSum[i] > 0 ? gss[i] / gammaSum[i] : varianceFloor, varianceFloor);
  return logL;
}

/** Log-likelihood of returns under a model (one scaled forward pass). */
export function hmmLogLikelihood(model: GaussianHmm, returns: Series): number {
  const K = model.states;
  const T = returns.length;
  const b = new Float64Array(T * K);
  const c = new Float64Array(T);
  const shift = emissions(returns, model.means, model.variances, b);
  forward(b, T, K, model.initial, model.transition, new Float64Array(T * K), c);
  let logL = shift;
  for (let t = 0; t < T; t++) logL += Math.log(c[t]);
  return logL;
}

function orderByVariance(m: GaussianHmm): GaussianHmm {
  const K = m.states;
  const order = Array.from({ length: K }, (_, k) => k).sort((a, b) => m.variances[a] - m.variances[b]);
  const out: GaussianHmm = {
    ...m,
    initial: new Float64Array(K),
    transition: new Float64Array(K * K),
    means: new Float64Array(K),
    variances: new Float64Array(K),
  };
  for (let i = 0; i < K; i++) {
    out.initial[i] = m.initial[order[i]];
    out.means[i] = m.means[order[i]];
    out.variances[i] = m.variances[order[i]];
    for (let j = 0; j < K; j++) out.transition[i * K + j] = m.transition[order[i] * K + order[j]];
  }
  return out;
}

/**
 * Fits a K-state Gaussian HMM to training-period returns by Baum–Welch with seeded restarts.
 * Each restart starts from uniform π, a sticky transition matrix (0.9 on the diagonal: regimes
 * persist), means at the sample mean plus a small random offset, and variances spread around the
 * sample variance by a factor 4^(k − (K−1)/2) times a random log-normal jitter, so the states start
 * apart and EM separates calm from violent bars. Returns the best restart, states ordered by variance.
 */
export function fitGaussianHmm(returns: Series, options: HmmFitOptions): GaussianHmm {
  const K = options.states;
  if (K !== 2 && K !== 3) throw new RangeError(`a regime HMM has 2 or 3 states, got ${String(K)}`);
  const T = returns.length;
  if (T < 10 * K) throw new RangeError(`an HMM with ${K} states needs at least ${10 * K} returns, got ${T}`);
  for (let t = 0; t < T; t++) if (!Number.isFinite(returns[t])) throw new RangeError(`return ${t} is not finite`);
  const restarts = options.restarts ?? 5;
  const maxIterations = options.maxIterations ?? 300;
  const tolerance = (options.tolerance ?? 1e-6) * T;
  const normal = normalSampler(mulberry32(options.seed ?? 1));

  const mu = mean(returns);
  let ss = 0;
  for (let t = 0; t < T; t++) ss += (returns[t] - mu) * (returns[t] - mu);
  const variance = ss / T;
  if (!(variance > 0)) throw new RangeError('returns have zero variance: no regimes to find');
  const varianceFloor = 1e-6 * variance;
  const sd = Math.sqrt(variance);
  const w: Workspace = { b: new Float64Array(T * K), alpha: new Float64Array(T * K), beta: new Float64Array(T * K), c: new Float64Array(T) };

  let best: GaussianHmm | null = null;
  for (let r = 0; r < restarts; r++) {
    const m: GaussianHmm = {
      states: K,
      initial: new Float64Array(K).fill(1 / K),
      transition: new Float64Array(K * K),
      means: new Float64Array(K),
      variances: new Float64Array(K),
      logLikelihood: -Infinity,
      iterations: 0,
      converged: false,
    };
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) m.transition[i * K + j] = i === j ? 0.9 : 0.1 / (K - 1);
      m.means[i] = mu + 0.1 * sd * normal();
      m.variances[i] = variance * Math.pow(4, i - (K - 1) / 2) * Math.exp(0.5 * normal());
    }
    let prev = -Infinity;
    for (let it = 0; it < maxIterations; it++) {
      // emStep returns the likelihood of the parameters it started from, then updates them.
      const logL = emStep(returns, m, w, varianceFloor);
      m.iterations = it + 1;
      if (logL - prev < tolerance && it > 0) {
        m.converged = true;
        break;
      }
      prev = logL;
    }
    m.logLikelihood = hmmLogLikelihood(m, returns);
    if (best === null || m.logLikelihood > best.logLikelihood) best = m;
  }
  return orderByVariance(best as GaussianHmm);
}

/** Filtered state probabilities and the most probable state per bar. */
export interface FilteredStates {
  states: number;
  /** probabilities[t·K + k] = P(s_t = k | y_1…y_t). */
  probabilities: Float64Array;
  /** argmax_k of each row: the regime label of the bar. */
  labels: Int8Array;
}

/**
 * Filtered (forward-only) state probabilities of `returns` under a fitted model: the value at t
 * uses returns up to and including t, never later ones. `prior` is P(s_1) before the first return;
 * default the model's stationary distribution (Hamilton 1994, "Time Series Analysis", eq. 22.2.26),
 * the natural prior for a test period that starts mid-history. To carry the state over from a
 * training period, filter training and test returns as one series and keep the test part.
 */
export function filterStates(model: GaussianHmm, returns: Series, prior: Float64Array = stationaryDistribution(model)): FilteredStates {
  const K = model.states;
  const T = returns.length;
  const b = new Float64Array(T * K);
  const probabilities = new Float64Array(T * K);
  emissions(returns, model.means, model.variances, b);
  forward(b, T, K, prior, model.transition, probabilities, new Float64Array(T));
  const labels = new Int8Array(T);
  for (let t = 0; t < T; t++) {
    let arg = 0;
    for (let k = 1; k < K; k++) if (probabilities[t * K + k] > probabilities[t * K + arg]) arg = k;
    labels[t] = arg;
  }
  return { states: K, probabilities, labels };
}

/** The stationary distribution π = πA of the transition matrix, by power iteration. */
export function stationaryDistribution(model: GaussianHmm): Float64Array {
  const K = model.states;
  let p = new Float64Array(K).fill(1 / K);
  for (let it = 0; it < 10_000; it++) {
    const next = new Float64Array(K);
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) next[j] += p[i] * model.transition[i * K + j];
    let diff = 0;
    for (let k = 0; k < K; k++) diff += Math.abs(next[k] - p[k]);
    p = next;
    if (diff < 1e-14) break;
  }
  return p;
}

/** An HMM fitted on a training prefix and filtered over the whole series. */
export interface HmmRegimes {
  model: GaussianHmm;
  /** Filtered over all returns from the model's stationary distribution; the test part is [trainEnd, n). */
  filtered: FilteredStates;
}

/**
 * Fits on returns [0, trainEnd) and filters the whole series in one forward pass, so the test
 * period starts from the state the training period ended in rather than from a cold prior. The
 * probabilities at t ≥ trainEnd depend on returns up to t only; those before trainEnd are
 * in-sample (the model saw those returns) and are not for evaluation.
 */
export function hmmRegimes(returns: Series, trainEnd: number, options: HmmFitOptions): HmmRegimes {
  if (!(trainEnd > 0 && trainEnd <= returns.length)) throw new RangeError(`trainEnd ${trainEnd} is outside 1…${returns.length}`);
  const model = fitGaussianHmm(returns.subarray(0, trainEnd), options);
  return { model, filtered: filterStates(model, returns) };
}
