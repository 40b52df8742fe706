/**
 * Resampled markets for a Monte Carlo of a backtest whose signals are RECOMPUTED on each path (the
 * model predicts again on the new candles), as opposed to `monteCarlo.ts`'s resampling of a
 * backtest's own trades or bar returns, where the signals stay those of the real test period.
 *
 * A path keeps every bar before the test period as it was (the features' look-back and the run's
 * fitted standardizer see the real history) and rebuilds the test period [testStart, n):
 * - moving-block bootstrap (Künsch 1989) of the test bars: blocks of b consecutive bars with
 *   uniform starts in the test period, each bar kept as its shape relative to the previous close
 *   and chained from the last real close before the test (`resampleCandles`);
 * - optionally noise: bar t of the test period scaled by Π_{u ≤ t} exp(f·σ·ε_u), σ the sample std of
 *   the test period's close-to-close log returns, ε standard normal, the whole bar at once so that
 *   high ≥ max(open, close) ≥ min(open, close) ≥ low still holds.
 * With b ≥ the test length and f = 0 the path IS the real market, to the last bit: that is how the
 * pipeline (features → model → backtest) is checked to be faithful.
 *
 * Several symbols: when their test periods share one calendar (same bar times) one set of block
 * starts serves them all, so the cross-asset relations (and cross-asset features) of a block stay
 * those of the real market; otherwise each symbol draws its own blocks. Noise is independent per symbol.
 *
 * Path i is drawn from its own mulberry32 stream (`marketPathRng`), so the training process (which
 * predicts) and the DB worker (which backtests) each rebuild path i alone and get the same candles.
 */
import type { OhlcvColumns } from '../../domain/ohlcv.js';
import { mulberry32, type Rng } from '../random.js';
import { movingBlockBootstrapIndices, resampleCandles } from './monteCarlo.js';
import { normalSampler, sampleStd } from './statistics.js';

/** How the market is resampled. */
export interface MarketPathSpec {
  seed: number;
  /** Bars per block, clamped to [1, test length]; the test length or more keeps the real order. */
  blockLength: number;
  /** f: noise as a fraction of a typical bar's log move; 0 for none. */
  noiseFraction: number;
}

/** One symbol's real candles and the first bar of its test period. */
export interface MarketSymbol {
  candles: OhlcvColumns;
  testStart: number;
}

/** Path i's own stream: a splitmix-style spread of (seed, i) so paths do not share a stream. */
export function marketPathRng(seed: number, pathIndex: number): Rng {
  return mulberry32((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(pathIndex + 1, 0x85ebca6b)) >>> 0);
}

/** Whether every symbol's test period has the same bar times (then they share their blocks). */
export function sharedTestCalendar(symbols: readonly MarketSymbol[]): boolean {
  const [first, ...rest] = symbols;
  if (!first) return true;
  const ts0 = first.candles.ts.subarray(first.testStart);
  return rest.every((s) => {
    const ts = s.candles.ts.subarray(s.testStart);
    if (ts.length !== ts0.length) return false;
    for (let i = 0; i < ts.length; i++) if (ts[i] !== ts0[i]) return false;
    return true;
  });
}

function checkSymbol(s: MarketSymbol, k: number): void {
  const n = s.candles.ts.length;
  if (!Number.isInteger(s.testStart) || s.testStart < 0 || s.testStart >= n) throw new RangeError(`symbol ${k}: test start ${s.testStart} is outside its ${n} bars`);
}

/** Std of the close-to-close log returns of the test period (0 with fewer than 3 bars). */
function testLogReturnStd(c: OhlcvColumns, testStart: number): number {
  const from = Math.max(testStart, 1);
  const n = c.close.length - from;
  if (n < 2) return 0;
  const logs = new Float64Array(n);
  for (let i = from; i < c.close.length; i++) logs[i - from] = Math.log(c.close[i]! / c.close[i - 1]!);
  return sampleStd(logs);
}

/**
 * Path `pathIndex` of the resampled market: one candle set per symbol, as long as the real one,
 * with the same bar times; bars before each test start unchanged; extra columns (funding rates,
 * open interest, …) travel with their bar.
 */
export function resampleMarket(symbols: readonly MarketSymbol[], spec: MarketPathSpec, pathIndex: number): OhlcvColumns[] {
  symbols.forEach(checkSymbol);
  if (!(spec.noiseFraction >= 0) || !Number.isFinite(spec.noiseFraction)) throw new RangeError(`noise fraction must be a finite number ≥ 0, got ${spec.noiseFraction}`);
  if (!(spec.blockLength >= 1)) throw new RangeError(`block length must be at least 1 bar, got ${spec.blockLength}`);
  const rng = marketPathRng(spec.seed, pathIndex);
  const shared = sharedTestCalendar(symbols);
  let sharedBlocks: Int32Array | null = null;
  return symbols.map((s) => {
    const c = s.candles;
    const n = c.ts.length;
    const testBars = n - s.testStart;
    const blocks = shared ? (sharedBlocks ??= movingBlockBootstrapIndices(testBars, spec.blockLength, rng)) : movingBlockBootstrapIndices(testBars, spec.blockLength, rng);
    const indices = new Int32Array(n);
    for (let i = 0; i < s.testStart; i++) indices[i] = i;
    for (let j = 0; j < testBars; j++) indices[s.testStart + j] = s.testStart + blocks[j]!;
    const path = resampleCandles(c, indices);
    if (spec.noiseFraction > 0) {
      const scale = spec.noiseFraction * testLogReturnStd(c, s.testStart);
      const normal = normalSampler(rng);
      let factor = 1;
      for (let t = s.testStart; t < n; t++) {
        factor *= Math.exp(scale * normal());
        path.open[t]! *= factor;
        path.high[t]! *= factor;
        path.low[t]! *= factor;
        path.close[t]! *= factor;
      }
    }
    const extras = c.extras ? Object.fromEntries(Object.entries(c.extras).map(([name, col]) => [name, Float64Array.from(indices, (i) => col[i]!)])) : undefined;
    return { ...path, ...(extras ? { extras } : {}) };
  });
}
