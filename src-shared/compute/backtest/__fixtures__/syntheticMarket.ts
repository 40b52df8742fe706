import { mulberry32 } from '../../random.js';
import type { SymbolInput } from '../inputs.js';

export interface SyntheticMarketOptions {
  bars: number;
  seed: number;
  /** Bar spacing in ms. Default 1 h. */
  spacingMs?: number;
  /** First bar's open time. Default 2024-01-01T00:00Z. */
  startTs?: number;
  /** Per-bar volatility of log returns. Default 0.01. */
  volatility?: number;
  /** How often the synthetic model's argmax is the true next-bar direction (0.33 = no skill). Default 0.45. */
  skill?: number;
  /** Bars at the start without predictions (a training split). Default 0. */
  warmupBars?: number;
  /**
   * Probability that a bar's call repeats the previous one (real models move slowly because their
   * input windows overlap). Default 0: a fresh call every bar.
   */
  persistence?: number;
}

/**
 * A seeded random-walk market (with small open gaps and wicks, plus an ATR column) and a
 * synthetic three-class (DOWN/FLAT/UP) model that calls the next bar's direction right with
 * probability `skill`. For tests and benchmarks only (hence __fixtures__, which product code may
 * not import): the predictions are stamped with their own bar, so they pass the causal check
 * although they were generated from the future bar.
 */
export function syntheticMarket(o: SyntheticMarketOptions): SymbolInput {
  const n = o.bars;
  const rnd = mulberry32(o.seed);
  const spacing = o.spacingMs ?? 3_600_000;
  const t0 = o.startTs ?? Date.UTC(2024, 0, 1);
  const vol = o.volatility ?? 0.01;
  const skill = o.skill ?? 0.45;
  const warmup = o.warmupBars ?? 0;
  const persistence = o.persistence ?? 0;
  const gauss = (): number => {
    // Box–Muller; 1 − u keeps the log argument in (0, 1].
    const u = 1 - rnd();
    const v = rnd();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const ts = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const atr = new Float64Array(n);
  let prevClose = 100;
  for (let i = 0; i < n; i++) {
    ts[i] = t0 + i * spacing;
    const o1 = prevClose * Math.exp(0.1 * vol * gauss());
    const c1 = o1 * Math.exp(vol * gauss());
    open[i] = o1;
    close[i] = c1;
    high[i] = Math.max(o1, c1) * (1 + 0.5 * vol * rnd());
    low[i] = Math.min(o1, c1) * (1 - 0.5 * vol * rnd());
    const tr = high[i] - low[i];
    atr[i] = i === 0 ? tr : atr[i - 1] + (tr - atr[i - 1]) / 14;
    prevClose = c1;
  }
  const probs = new Float32Array(n * 3).fill(Number.NaN);
  const predTs = new Float64Array(n).fill(Number.NaN);
  for (let i = warmup; i < n - 1; i++) {
    predTs[i] = ts[i];
    if (i > warmup && rnd() < persistence) {
      probs.copyWithin(i * 3, (i - 1) * 3, i * 3);
      continue;
    }
    const move = close[i + 1] / close[i] - 1;
    const truth = Math.abs(move) < 0.1 * vol ? 1 : move > 0 ? 2 : 0;
    const called = rnd() < skill ? truth : Math.floor(rnd() * 3);
    const p = 0.34 + 0.5 * rnd();
    const rest = (1 - p) / 2;
    for (let k = 0; k < 3; k++) probs[i * 3 + k] = k === called ? p : rest;
  }
  return { symbol: `SYN${o.seed}`, candles: { ts, open, high, low, close }, predictions: { ts: predTs, probs, classes: 3 }, atr };
}
