import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { fraction } from '../../domain/units.js';
import { filterStates, fitGaussianHmm, hmmLogLikelihood, hmmRegimes, stationaryDistribution, type GaussianHmm } from './hmm.js';
import { accuracyByRegime, equalWeightIndex, pathReturnsByRegime, returnsByRegime } from './regimeStats.js';
import { fitVolatilityThresholds, marketRegimes, REGIME_UNKNOWN, trailingVolatility, trendRegimes, volatilityRegimes, volatilityRegimesWithTraining } from './regimes.js';
import { normalSampler } from './statistics.js';

/** Closes of a random walk whose volatility switches between calm and violent stretches. */
function switchingCloses(n: number, seed: number): Float64Array {
  const normal = normalSampler(mulberry32(seed));
  const close = new Float64Array(n);
  close[0] = 100;
  for (let t = 1; t < n; t++) {
    const sigma = Math.floor(t / 250) % 2 === 0 ? 0.004 : 0.02;
    close[t] = close[t - 1] * Math.exp(sigma * normal());
  }
  return close;
}

/** Returns drawn from a known 2-state Gaussian HMM. */
function sampleHmm(model: { transition: number[]; means: number[]; sds: number[] }, n: number, seed: number): { y: Float64Array; states: Int8Array } {
  const uniform = mulberry32(seed);
  const normal = normalSampler(uniform);
  const y = new Float64Array(n);
  const states = new Int8Array(n);
  let s = 0;
  for (let t = 0; t < n; t++) {
    if (t > 0) s = uniform() < model.transition[s * 2 + s] ? s : 1 - s;
    states[t] = s;
    y[t] = model.means[s] + model.sds[s] * normal();
  }
  return { y, states };
}

describe('volatility and trend regimes', () => {
  it('fits tercile thresholds on the training period only and labels a third of training bars in each', () => {
    const close = switchingCloses(2000, 3);
    const { thresholds, labels, volatility } = volatilityRegimesWithTraining(close, 20, 1000);
    const counts = [0, 0, 0];
    for (let t = 0; t < 1000; t++) if (labels[t] !== REGIME_UNKNOWN) counts[labels[t]]++;
    // Type-7 terciles of 980 values put 327/326/327 values (±1 for the interpolated cut) in the bins.
    for (const c of counts) expect(Math.abs(c - 980 / 3)).toBeLessThanOrEqual(2);
    expect(labels.subarray(0, 20).every((l) => l === REGIME_UNKNOWN)).toBe(true);
    // Changing only the test period leaves the thresholds unchanged.
    const other = close.slice();
    for (let t = 1000; t < other.length; t++) other[t] *= 1 + 0.05 * Math.sin(t);
    expect(volatilityRegimesWithTraining(other, 20, 1000).thresholds).toEqual(thresholds);
    expect(volatilityRegimes(volatility, fitVolatilityThresholds(volatility.subarray(0, 1000)))).toEqual(labels);
  });

  it('never changes a label at t when bars after t change', () => {
    const close = switchingCloses(1500, 5);
    const thresholds = fitVolatilityThresholds(trailingVolatility(close, 30).subarray(0, 700));
    const vol = volatilityRegimes(trailingVolatility(close, 30), thresholds);
    const trend = trendRegimes(close, 48, fraction(0.01));
    for (const cut of [100, 701, 1234]) {
      const perturbed = close.slice();
      for (let t = cut + 1; t < perturbed.length; t++) perturbed[t] *= 1.5 + Math.cos(t);
      expect(volatilityRegimes(trailingVolatility(perturbed, 30), thresholds).subarray(0, cut + 1)).toEqual(vol.subarray(0, cut + 1));
      expect(trendRegimes(perturbed, 48, fraction(0.01)).subarray(0, cut + 1)).toEqual(trend.subarray(0, cut + 1));
    }
  });

  it('labels a trend by the trailing return outside the band', () => {
    const close = Float64Array.from([100, 101, 103, 102, 100, 97, 97.5]);
    // Trailing 2-bar returns from t = 2: +3 %, +0.99 %, −2.91 %, −4.90 %, −2.5 %.
    expect(Array.from(trendRegimes(close, 2, fraction(0.02)))).toEqual([-1, -1, 2, 1, 0, 0, 0]);
  });
});

describe('Gaussian HMM', () => {
  const truth = { transition: [0.98, 0.02, 0.05, 0.95], means: [0.0005, -0.001], sds: [0.005, 0.02] };
  const { y: returns, states: trueStates } = sampleHmm(truth, 4000, 42);

  it('recovers a known two-state model, calm state first', () => {
    const m = fitGaussianHmm(returns, { states: 2, seed: 1 });
    // Tolerances: with ~2,900 calm and ~1,100 violent bars the sample sd of each state's sd
    // estimate is about sd/√(2n) (≈ 1.3 % and 2 %); allow ~4 standard errors plus misclassification.
    expect(Math.sqrt(m.variances[0])).toBeCloseTo(0.005, 3);
    expect(Math.abs(Math.sqrt(m.variances[1]) - 0.02)).toBeLessThan(0.0015);
    expect(m.transition[0]).toBeGreaterThan(0.96);
    expect(m.transition[3]).toBeGreaterThan(0.9);
    expect(m.converged).toBe(true);
    // Rows of the transition matrix and π are distributions.
    expect(m.transition[0] + m.transition[1]).toBeCloseTo(1, 12);
    expect(m.initial[0] + m.initial[1]).toBeCloseTo(1, 12);
  });

  it('repeats exactly with the same seed and beats a one-restart fit or ties it', () => {
    const a = fitGaussianHmm(returns, { states: 3, seed: 9, restarts: 4 });
    const b = fitGaussianHmm(returns, { states: 3, seed: 9, restarts: 4 });
    expect(a).toEqual(b);
    expect(a.variances[0]).toBeLessThanOrEqual(a.variances[1]);
    expect(a.variances[1]).toBeLessThanOrEqual(a.variances[2]);
    const single = fitGaussianHmm(returns, { states: 3, seed: 9, restarts: 1 });
    expect(a.logLikelihood).toBeGreaterThanOrEqual(single.logLikelihood - 1e-9);
  });

  it('never lowers the likelihood from one EM iteration to the next (Baum 1972)', () => {
    let previous = -Infinity;
    for (const iterations of [1, 2, 3, 5, 10, 20, 40]) {
      const m = fitGaussianHmm(returns.subarray(0, 800), { states: 2, seed: 3, restarts: 1, maxIterations: iterations, tolerance: 0 });
      expect(m.logLikelihood).toBeGreaterThanOrEqual(previous - 1e-7);
      previous = m.logLikelihood;
    }
  });

  /** Brute force over all K^T state paths: an independent check of the scaled recursions. */
  function bruteForce(m: GaussianHmm, y: Float64Array, prior: Float64Array): { likelihood: number; filtered: number[][] } {
    const K = m.states;
    const T = y.length;
    const density = (t: number, k: number): number =>
      Math.exp(-((y[t] - m.means[k]) ** 2) / (2 * m.variances[k])) / Math.sqrt(2 * Math.PI * m.variances[k]);
    const filtered: number[][] = [];
    let likelihood = 0;
    for (let len = 1; len <= T; len++) {
      const joint = new Array<number>(K).fill(0);
      for (let code = 0; code < K ** len; code++) {
        let c = code;
        let p = 1;
        let prev = -1;
        let last = 0;
        for (let t = 0; t < len; t++) {
          const s = c % K;
          c = Math.floor(c / K);
          p *= (t === 0 ? prior[s] : m.transition[prev * K + s]) * density(t, s);
          prev = s;
          last = s;
        }
        joint[last] += p;
      }
      const total = joint.reduce((a, b) => a + b, 0);
      filtered.push(joint.map((v) => v / total));
      if (len === T) likelihood = total;
    }
    return { likelihood, filtered };
  }

  it('matches brute-force enumeration of state paths for likelihood and filtered probabilities', () => {
    const m = fitGaussianHmm(returns.subarray(0, 600), { states: 3, seed: 2 });
    const y = Float64Array.from([0.001, -0.03, 0.012, 0.002, -0.004, 0.025, 0.0]);
    const prior = stationaryDistribution(m);
    const brute = bruteForce(m, y, prior);
    expect(hmmLogLikelihood({ ...m, initial: prior }, y)).toBeCloseTo(Math.log(brute.likelihood), 10);
    const f = filterStates(m, y);
    for (let t = 0; t < y.length; t++) for (let k = 0; k < 3; k++) expect(f.probabilities[t * 3 + k]).toBeCloseTo(brute.filtered[t][k], 12);
  });

  it('filters without look-ahead: probabilities at t ignore returns after t', () => {
    const m = fitGaussianHmm(returns.subarray(0, 2000), { states: 2, seed: 4 });
    const test = returns.slice(2000);
    const base = filterStates(m, test);
    for (const cut of [0, 10, 999, 1998]) {
      const changed = test.slice();
      for (let t = cut + 1; t < changed.length; t++) changed[t] = 0.1 * Math.sin(t);
      const f = filterStates(m, changed);
      expect(f.probabilities.subarray(0, 2 * (cut + 1))).toEqual(base.probabilities.subarray(0, 2 * (cut + 1)));
      expect(f.labels.subarray(0, cut + 1)).toEqual(base.labels.subarray(0, cut + 1));
    }
    // Causal but not blind: the filtered labels agree with the sampler's true states on most test bars.
    let agree = 0;
    for (let t = 0; t < test.length; t++) if (base.labels[t] === trueStates[2000 + t]) agree++;
    expect(agree / test.length).toBeGreaterThan(0.85);
  });

  it('fits on the training prefix only and filters the test period causally', () => {
    const { model, filtered } = hmmRegimes(returns, 2000, { states: 2, seed: 4 });
    expect(model).toEqual(fitGaussianHmm(returns.subarray(0, 2000), { states: 2, seed: 4 }));
    const changedTest = returns.slice();
    for (let t = 3000; t < changedTest.length; t++) changedTest[t] = -changedTest[t] * 3;
    const again = hmmRegimes(changedTest, 2000, { states: 2, seed: 4 });
    expect(again.model).toEqual(model);
    expect(again.filtered.probabilities.subarray(0, 2 * 3000)).toEqual(filtered.probabilities.subarray(0, 2 * 3000));
  });

  it('refuses input it cannot fit', () => {
    expect(() => fitGaussianHmm(new Float64Array(100), { states: 2 })).toThrow(/zero variance/);
    expect(() => fitGaussianHmm(new Float64Array(5), { states: 2 })).toThrow(/at least 20/);
    expect(() => fitGaussianHmm(returns, { states: 4 as 3 })).toThrow(/2 or 3/);
  });
});

describe('per-regime breakdowns', () => {
  const labels = Int8Array.from([0, 0, 1, -1, 2, 1, 0, 2, 2, 1]);
  const returns = Float64Array.from([0.01, -0.02, 0.03, 0.005, -0.01, 0.02, 0.01, -0.03, 0.015, -0.005]);

  it('adds up to the totals: bars, hits and compounded growth', () => {
    const correct = Uint8Array.from([1, 0, 1, 1, 0, 1, 1, 0, 1, 1]);
    const acc = accuracyByRegime(labels, correct, 3);
    expect(acc.map((r) => r.regime)).toEqual([0, 1, 2, -1]);
    expect(acc.reduce((s, r) => s + r.bars, 0)).toBe(10);
    expect(acc.reduce((s, r) => s + r.correct, 0)).toBe(7);
    expect(acc[0]).toEqual({ regime: 0, bars: 3, correct: 2, accuracy: 2 / 3 });

    const rows = returnsByRegime(labels, returns, 3, 365);
    let growth = 1;
    for (const r of rows) growth *= 1 + r.totalReturn;
    let total = 1;
    for (const r of returns) total *= 1 + r;
    expect(growth).toBeCloseTo(total, 14);
    // Regime 0 compounds +1 %, −2 %, +1 %: peak 1.01, trough 1.01 × 0.98.
    expect(rows[0].maxDrawdown).toBeCloseTo(0.02, 14);
    const r1 = [0.03, 0.02, -0.005];
    const m = r1.reduce((a, b) => a + b) / 3;
    const sd = Math.sqrt(r1.reduce((a, b) => a + (b - m) ** 2, 0) / 2);
    expect(rows[1].sharpe).toBeCloseTo((m / sd) * Math.sqrt(365), 12);
    expect(rows[3]).toMatchObject({ regime: -1, bars: 1, sharpe: null });
  });

  it('skips bars without a prediction and rejects labels out of range', () => {
    const correct = new Uint8Array(10).fill(1);
    const evaluated = Uint8Array.from([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(accuracyByRegime(labels, correct, 3, evaluated).reduce((s, r) => s + r.bars, 0)).toBe(5);
    expect(() => accuracyByRegime(Int8Array.from([3]), Uint8Array.from([1]), 3)).toThrow(/outside/);
  });
});

describe('regimes of a series and of a backtest path', () => {
  it('marketRegimes: volatility, trend and HMM labels up to t ignore every bar after t', () => {
    const close = switchingCloses(1600, 9);
    const options = { volatilityLookback: 20, trendLookback: 20, hmmStates: 2 as const };
    const base = marketRegimes(close, 800, options);
    expect(base.reasons).toEqual({});
    for (const cut of [800, 1001, 1500]) {
      const perturbed = close.slice();
      for (let t = cut + 1; t < perturbed.length; t++) perturbed[t] *= 1.5 + Math.cos(t);
      const again = marketRegimes(perturbed, 800, options);
      expect(again.volatility!.labels.subarray(0, cut + 1)).toEqual(base.volatility!.labels.subarray(0, cut + 1));
      expect(again.trend!.subarray(0, cut + 1)).toEqual(base.trend!.subarray(0, cut + 1));
      expect(again.hmm!.subarray(0, cut + 1)).toEqual(base.hmm!.subarray(0, cut + 1));
    }
    // The calm and violent stretches show in every kind: both ends of each scale occur in the test period.
    const test = (l: Int8Array) => new Set(l.subarray(800));
    expect(test(base.volatility!.labels)).toEqual(new Set([0, 1, 2]));
    expect(test(base.hmm!)).toEqual(new Set([0, 1]));
  });

  it('marketRegimes says why a kind cannot be fitted', () => {
    const r = marketRegimes(switchingCloses(100, 2), 10, { volatilityLookback: 20, trendLookback: 20, hmmStates: 3 });
    expect(r.volatility).toBeNull();
    expect(r.reasons.volatility).toMatch(/at least 3 training values/);
    expect(r.reasons.trend).toMatch(/sideways band/);
    expect(r.reasons.hmm).toMatch(/needs at least 30 returns/);
  });

  it('pathReturnsByRegime labels each step with the regime of the bar before and adds up to the path', () => {
    const barTs = Float64Array.from([10, 20, 30, 40, 50, 60]);
    const labels = Int8Array.from([-1, 0, 1, 1, 0, 2]);
    // Path observed at bars 20…60: steps earn over 30, 40, 50, 60, labelled by bars 20, 30, 40, 50.
    const pathTs = Float64Array.from([20, 30, 40, 50, 60]);
    const equity = Float64Array.from([100, 110, 99, 108.9, 98.01]);
    const rows = pathReturnsByRegime(pathTs, equity, barTs, labels, 3, 365);
    expect(rows.map((r) => [r.regime, r.bars])).toEqual([[0, 2], [1, 2], [2, 0], [-1, 0]]);
    expect(rows[0].totalReturn).toBeCloseTo(1.1 * 0.9 - 1, 14);
    expect(rows[1].totalReturn).toBeCloseTo(0.9 * 1.1 - 1, 14);
    expect(rows.reduce((g, r) => g * (1 + r.totalReturn), 1)).toBeCloseTo(98.01 / 100, 14);
  });

  it('equalWeightIndex moves by the mean return of the series with a bar at each time', () => {
    const a = { ts: Float64Array.from([1, 2, 3]), close: Float64Array.from([100, 110, 99]) };
    const b = { ts: Float64Array.from([2, 3, 4]), close: Float64Array.from([50, 55, 55]) };
    const index = equalWeightIndex([a, b]);
    expect(Array.from(index.ts)).toEqual([1, 2, 3, 4]);
    // t=2: only a has a previous bar (+10 %); t=3: a −10 %, b +10 % → 0; t=4: b 0 %.
    expect(Array.from(index.close)).toEqual([1, 1.1, 1.1, 1.1]);
  });
});
