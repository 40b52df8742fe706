/**
 * Synthetic multi-asset OHLCV market with a planted, known signal.
 *
 * Model, per bar t and symbol i (log return of the bar, open = previous close exactly, as on a
 * 24/7 crypto venue):
 *
 *   r[i,t] = μ[k_t] + σ[i,t] · ε[i,t] + J[i,t]
 *   ε[i,t] = K · s[i,t−1] + √(1−K²) · (√ρ · m_t + √(1−ρ) · u[i,t])        m, u ~ N(0,1) iid
 *   σ[i,t] = σ_i · v[k_t] · √g[i,t]
 *   g[i,t+1] = (1−α−β) + α · z[i,t]² · g[i,t] + β · g[i,t]                 z = ε + J/σ (GARCH(1,1))
 *   s[i,t] = φ · s[i,t−1] + √(1−φ²) · η[i,t]                              the planted signal, N(0,1)
 *
 * - k_t: market-wide regime (bull, bear, range, highVol), a Markov chain (see `regimes.ts`);
 *   μ and v are its drift and volatility multiplier. One regime path for all symbols.
 * - m_t: the common market factor, so the diffusion shocks of two symbols correlate by ρ·(1−K²)
 *   (a one-factor model: Sharpe 1963; cheaper than a Cholesky factor and valid for any count).
 * - GARCH(1,1) of Bollerslev (1986) on the standardised shock, in the unit-mean form so that the
 *   long-run variance stays σ_i·v[k]; α = 0.08, β = 0.90 are typical daily-equity estimates.
 * - J: Merton (1976) jumps, Poisson with `JUMPS_PER_YEAR`, mean-zero normal log size, so they add
 *   fat tails without adding a predictable sign.
 * - High and low come from the exact distribution of the maximum and minimum of a Brownian
 *   bridge from 0 to r with variance σ² (Karatzas & Shreve 1991, §2.8; the sampler used for
 *   "barrier-correct" Monte Carlo): max = (r + √(r² − 2σ² ln U)) / 2. Consistent by construction:
 *   high ≥ max(open, close), low ≤ min(open, close).
 * - Volume ∝ lognormal noise × (0.35 + 0.65·|z|/E|z|) × (σ[i,t]/σ_i)^0.7: busier in volatile bars
 *   and regimes, as in the mixture-of-distributions hypothesis (Clark 1973).
 *
 * The planted signal, strength K ∈ [0, 1]: `s[i,t]` is known at the close of bar t (written in
 * row t of `signalFeature`) and enters bar t+1's shock with weight K, so corr(s[t], ε[t+1]) = K
 * exactly and corr(s[t], r[t+1]) is slightly below K (volatility clustering and jumps dilute it).
 * It also shows in price action: bar t's wicks are tilted by s[t] (a positive signal lengthens
 * the lower wick and shortens the upper one), so a model that sees only OHLCV can find it too.
 * With K = 0 the wicks are untilted and, unless `regimeDrift` is asked for, the drifts are zero:
 * log prices are then a martingale (no return is predictable from any past data), which is what
 * a leak detector needs as its null control.
 *
 * Determinism: every symbol draws from its own mulberry32 stream seeded from (seed, symbol name),
 * and the regime path and market factor from a market stream, so the same options give identical
 * bytes, and adding a symbol leaves the others unchanged.
 */
import type { DurationMs, EpochMs } from '../../domain/units.js';
import type { OhlcvColumns } from '../rollup/columns.js';
import { createRandomStream, deriveSeed, hashString } from './streams.js';
import { REGIMES, REGIME_JUMP_MATRIX, REGIME_PARAMS, regimeLeaveProbabilities } from './regimes.js';
import { defaultSymbols, symbolProfile } from './symbols.js';

export interface GenerateMarketOptions {
  /** Names, or a count for the default names (BTC/USDT, ETH/USDT, … then SYM7/USDT …). */
  readonly symbols: readonly string[] | number;
  /** Bars per symbol. */
  readonly bars: number;
  readonly timeframeMs: DurationMs;
  /** Open time of the first bar. */
  readonly startMs: EpochMs;
  /** Any integer up to 2^53. */
  readonly seed: number;
  /**
   * Planted signal strength K in [0, 1]: correlation of `signalFeature[t]` with bar t+1's
   * standardised return. Absent: no signal column and K = 0.
   */
  readonly signal?: number;
  /** ρ in [0, 1]: correlation of the common factor across symbols. Default 0.6. */
  readonly correlation?: number;
  /**
   * Apply the regimes' drifts (bull up, bear down). Default: true, except when `signal` is
   * exactly 0, where the series must have no predictability at all (the leak-detector control).
   */
  readonly regimeDrift?: boolean;
}

export interface GeneratedSeries extends OhlcvColumns {
  readonly symbol: string;
  /** The planted signal (unit variance), present when `signal` was given; row t leads bar t+1. */
  readonly signalFeature?: Float64Array;
  /** Regime index into `REGIMES` per bar; the same array object for every series of one call. */
  readonly regime: Uint8Array;
}

const YEAR_MS = 365.25 * 86_400_000;
const DAY_MS = 86_400_000;
const GARCH_ALPHA = 0.08;
const GARCH_BETA = 0.9;
/**
 * Caps the GARCH variance multiplier (σ at most 3× its regime level) so that one jump, or a run
 * of large shocks, cannot make the next bars explode on top of the high-volatility regime's 2×.
 */
const GARCH_MAX = 9;
/** AR(1) persistence of the planted signal: it decays over a few bars, like order-flow imbalance. */
const SIGNAL_PERSISTENCE = 0.5;
/** Wick tilt per unit of K·s: exp(±1.5·K·s) scales the excursions beyond the candle body. */
const WICK_TILT = 1.5;
const JUMPS_PER_YEAR = 12;
/** Jump log-size standard deviation, in units of the symbol's daily volatility. */
const JUMP_SIZE_DAILY_VOLS = 0.5;
const DEFAULT_CORRELATION = 0.6;
/** E|Z| for Z ~ N(0,1) = √(2/π): normalises |z| in the volume model. */
const MEAN_ABS_NORMAL = Math.sqrt(2 / Math.PI);
const VOLUME_NOISE_SD = 0.5;
/** Stream id of the market-wide stream (regimes, market factor); symbols use their name hash. */
const MARKET_STREAM = 0x4d4b5446;

function checkOptions(o: GenerateMarketOptions, symbols: readonly string[]): void {
  if (!Number.isInteger(o.bars) || o.bars < 0) throw new RangeError(`bars must be a non-negative integer, got ${o.bars}`);
  if (!Number.isInteger(o.timeframeMs) || o.timeframeMs <= 0) throw new RangeError(`timeframeMs must be a positive integer, got ${o.timeframeMs}`);
  if (!Number.isSafeInteger(o.startMs)) throw new RangeError(`startMs must be an integer, got ${o.startMs}`);
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
  if (o.signal !== undefined && !(o.signal >= 0 && o.signal <= 1)) throw new RangeError(`signal must be in [0, 1], got ${o.signal}`);
  const rho = o.correlation ?? DEFAULT_CORRELATION;
  if (!(rho >= 0 && rho <= 1)) throw new RangeError(`correlation must be in [0, 1], got ${rho}`);
  if (symbols.length === 0) throw new RangeError('at least one symbol is needed');
  if (new Set(symbols).size !== symbols.length) throw new RangeError('symbol names must be unique');
}

/** The market-wide regime path and common factor, drawn from the market stream. */
function marketPath(seed: number, bars: number, timeframeMs: number): { regime: Uint8Array; factor: Float64Array } {
  const rng = createRandomStream(deriveSeed(seed, MARKET_STREAM));
  const leave = regimeLeaveProbabilities(timeframeMs);
  const regime = new Uint8Array(bars);
  const factor = new Float64Array(bars);
  // Start in bull, bear or range with equal odds: a series rarely opens mid-crash.
  let k = Math.floor(rng.uniform() * 3);
  for (let t = 0; t < bars; t++) {
    if (t > 0 && rng.uniform() < leave[k]!) {
      const row = REGIME_JUMP_MATRIX[k]!;
      let u = rng.uniform();
      let next = REGIMES.length - 1;
      for (let j = 0; j < REGIMES.length; j++) {
        u -= row[j]!;
        if (u < 0) {
          next = j;
          break;
        }
      }
      // Guards against the rounding case where the row's sum lands on the diagonal.
      k = next === k ? (k + 1) % REGIMES.length : next;
    }
    regime[t] = k;
    factor[t] = rng.normal();
  }
  return { regime, factor };
}

/**
 * Generates correlated OHLCV series with regimes, volatility clustering, jumps and an optional
 * planted signal (model and sources in this module's header). Runs at several million bars per
 * second per symbol; memory is 6–7 Float64Arrays per symbol.
 */
export function generateMarket(options: GenerateMarketOptions): GeneratedSeries[] {
  const symbols = typeof options.symbols === 'number' ? defaultSymbols(options.symbols) : [...options.symbols];
  checkOptions(options, symbols);
  const { bars, seed } = options;
  const tf = options.timeframeMs as number;
  const K = options.signal ?? 0;
  const rho = options.correlation ?? DEFAULT_CORRELATION;
  const withDrift = options.regimeDrift ?? options.signal !== 0;
  const { regime, factor } = marketPath(seed, bars, tf);

  const nRegimes = REGIMES.length;
  const driftPerBar = new Float64Array(nRegimes);
  const volMult = new Float64Array(nRegimes);
  for (let k = 0; k < nRegimes; k++) {
    driftPerBar[k] = withDrift ? (REGIME_PARAMS[k]!.annualDrift * tf) / YEAR_MS : 0;
    volMult[k] = REGIME_PARAMS[k]!.volMultiplier;
  }
  const sqrtRho = Math.sqrt(rho);
  const sqrtIdio = Math.sqrt(1 - rho);
  const noiseWeight = Math.sqrt(1 - K * K);
  const signalInnov = Math.sqrt(1 - SIGNAL_PERSISTENCE * SIGNAL_PERSISTENCE);
  const tilt = WICK_TILT * K;
  const jumpProb = 1 - Math.exp((-JUMPS_PER_YEAR * tf) / YEAR_MS);
  const omega = 1 - GARCH_ALPHA - GARCH_BETA;

  return symbols.map((symbol) => {
    const profile = symbolProfile(symbol);
    const rng = createRandomStream(deriveSeed(seed, hashString(symbol)));
    const uniform = rng.uniform;
    const normal = rng.normal;
    const sigmaBar = profile.annualVol * Math.sqrt(tf / YEAR_MS);
    const jumpSd = JUMP_SIZE_DAILY_VOLS * profile.annualVol * Math.sqrt(DAY_MS / YEAR_MS);
    const volumePerBar = (profile.dailyVolume * tf) / DAY_MS;

    const ts = new Float64Array(bars);
    const open = new Float64Array(bars);
    const high = new Float64Array(bars);
    const low = new Float64Array(bars);
    const close = new Float64Array(bars);
    const volume = new Float64Array(bars);
    const signalFeature = options.signal === undefined ? undefined : new Float64Array(bars);

    let price = profile.startPrice;
    let g = 1;
    // The signal starts in its stationary distribution, so bar 0 is no different from the rest.
    let s = signalFeature ? normal() : 0;
    for (let t = 0; t < bars; t++) {
      const k = regime[t]!;
      const sigma = sigmaBar * volMult[k]! * Math.sqrt(g);
      const eps = K * s + noiseWeight * (sqrtRho * factor[t]! + sqrtIdio * normal());
      const jump = uniform() < jumpProb ? jumpSd * normal() : 0;
      const r = driftPerBar[k]! + sigma * eps + jump;

      if (signalFeature) {
        s = SIGNAL_PERSISTENCE * s + signalInnov * normal();
        signalFeature[t] = s;
      }

      // Brownian-bridge extremes in log space, relative to the open.
      const s2 = 2 * sigma * sigma;
      const rr = r * r;
      const top = 0.5 * (r + Math.sqrt(rr - s2 * Math.log(uniform())));
      const bottom = 0.5 * (r - Math.sqrt(rr - s2 * Math.log(uniform())));
      const bodyTop = r > 0 ? r : 0;
      const bodyBottom = r < 0 ? r : 0;
      let upper = top - bodyTop;
      let lower = bodyBottom - bottom;
      if (tilt !== 0) {
        const w = Math.exp(tilt * s);
        upper /= w;
        lower *= w;
      }

      const o = price;
      const c = o * Math.exp(r);
      const h = o * Math.exp(bodyTop + upper);
      const l = o * Math.exp(bodyBottom - lower);
      ts[t] = options.startMs + t * tf;
      open[t] = o;
      close[t] = c;
      // exp() of the same exponent is exact, but the max/min make the invariant hold to the bit.
      high[t] = h > c ? (h > o ? h : o) : c > o ? c : o;
      low[t] = l < c ? (l < o ? l : o) : c < o ? c : o;

      const z = eps + jump / sigma;
      const activity = 0.35 + (0.65 * Math.abs(z)) / MEAN_ABS_NORMAL;
      const volLevel = Math.pow(sigma / sigmaBar, 0.7);
      volume[t] = volumePerBar * Math.exp(VOLUME_NOISE_SD * normal() - 0.5 * VOLUME_NOISE_SD * VOLUME_NOISE_SD) * activity * volLevel;

      g = omega + (GARCH_ALPHA * z * z + GARCH_BETA) * g;
      if (g > GARCH_MAX) g = GARCH_MAX;
      price = c;
    }
    const series: GeneratedSeries = { symbol, ts, open, high, low, close, volume, regime };
    return signalFeature ? { ...series, signalFeature } : series;
  });
}
