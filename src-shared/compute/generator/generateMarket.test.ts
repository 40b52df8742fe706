import { describe, expect, it } from 'vitest';
import { durationMs, epochMs } from '../../domain/units.js';
import { generateMarket } from './generateMarket.js';
import type { GenerateMarketOptions, GeneratedSeries } from './generateMarket.js';
import { REGIMES, regimeTransitionMatrix } from './regimes.js';
import { defaultSymbols } from './symbols.js';

const FIVE_MIN = durationMs(300_000);
const START = epochMs(Date.UTC(2024, 0, 1));

function gen(over: Partial<GenerateMarketOptions> = {}): GeneratedSeries[] {
  return generateMarket({ symbols: 2, bars: 1000, timeframeMs: FIVE_MIN, startMs: START, seed: 42, ...over });
}

function logReturns(close: Float64Array): Float64Array {
  const r = new Float64Array(close.length - 1);
  for (let i = 1; i < close.length; i++) r[i - 1] = Math.log(close[i]! / close[i - 1]!);
  return r;
}

function corr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** corr(x[t], y[t+1]): how well x at a bar's close predicts the next bar's y. */
function leadCorr(x: Float64Array, next: Float64Array): number {
  // r[j] is the return of bar j+1, so x[t] pairs with r[t].
  return corr(x.subarray(0, next.length), next);
}

function bytes(a: Float64Array | Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe('generateMarket', () => {
  it('is byte-identical for the same seed and differs for another seed', () => {
    const a = gen({ signal: 0.2 });
    const b = gen({ signal: 0.2 });
    const c = gen({ signal: 0.2, seed: 43 });
    for (const key of ['ts', 'open', 'high', 'low', 'close', 'volume', 'signalFeature', 'regime'] as const) {
      expect(bytes(a[1]![key]!).equals(bytes(b[1]![key]!))).toBe(true);
    }
    expect(bytes(a[0]!.close).equals(bytes(c[0]!.close))).toBe(false);
  });

  it('leaves a symbol unchanged when another one is added', () => {
    const one = generateMarket({ symbols: ['ETH/USDT'], bars: 500, timeframeMs: FIVE_MIN, startMs: START, seed: 7 });
    const three = generateMarket({ symbols: ['BTC/USDT', 'ETH/USDT', 'XYZ/USDT'], bars: 500, timeframeMs: FIVE_MIN, startMs: START, seed: 7 });
    expect(bytes(three[1]!.close).equals(bytes(one[0]!.close))).toBe(true);
  });

  it('names default symbols and starts them at realistic levels', () => {
    expect(defaultSymbols(8)).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT', 'ADA/USDT', 'SYM7/USDT', 'SYM8/USDT']);
    const s = gen({ symbols: 7 });
    expect(s[0]!.open[0]).toBe(60_000);
    expect(s[4]!.open[0]).toBeLessThan(1);
    expect(s[6]!.symbol).toBe('SYM7/USDT');
    expect(s[6]!.open[0]).toBeGreaterThanOrEqual(0.1);
    expect(s[6]!.open[0]).toBeLessThanOrEqual(1000);
  });

  it('keeps every candle consistent: open = previous close, high/low bound the body, positive prices', () => {
    const [s] = gen({ symbols: ['SOL/USDT'], bars: 50_000, signal: 0.5, timeframeMs: durationMs(60_000) });
    const { ts, open, high, low, close, volume } = s!;
    for (let i = 0; i < ts.length; i++) {
      if (i > 0) {
        if (ts[i]! - ts[i - 1]! !== 60_000) throw new Error(`spacing at ${i}`);
        if (open[i] !== close[i - 1]) throw new Error(`open ${i} is not the previous close`);
      }
      if (!(high[i]! >= Math.max(open[i]!, close[i]!) && low[i]! <= Math.min(open[i]!, close[i]!) && low[i]! > 0)) {
        throw new Error(`candle ${i} is inconsistent: ${open[i]} ${high[i]} ${low[i]} ${close[i]}`);
      }
      if (!(volume[i]! > 0 && Number.isFinite(volume[i]!))) throw new Error(`volume ${i} is ${volume[i]}`);
    }
    // Wicks exist: the range is wider than the body on average.
    let wick = 0;
    for (let i = 0; i < ts.length; i++) wick += high[i]! - Math.max(open[i]!, close[i]!);
    expect(wick).toBeGreaterThan(0);
  });

  it('has no predictability at K = 0: lag-1 autocorrelation and signal lead correlation within noise', () => {
    const n = 200_000;
    const [s] = gen({ symbols: ['BTC/USDT'], bars: n, signal: 0 });
    const r = logReturns(s!.close);
    const tolerance = 4 / Math.sqrt(n); // four standard errors
    expect(Math.abs(corr(r.subarray(0, r.length - 1), r.subarray(1)))).toBeLessThan(tolerance);
    expect(Math.abs(leadCorr(s!.signalFeature!, r))).toBeLessThan(tolerance);
  });

  it('plants a signal of strength K that leads the next return and shows in the wicks', () => {
    const n = 200_000;
    const [s] = gen({ symbols: ['BTC/USDT'], bars: n, signal: 0.3 });
    const r = logReturns(s!.close);
    const lead = leadCorr(s!.signalFeature!, r);
    expect(lead).toBeGreaterThan(0.2);
    expect(lead).toBeLessThan(0.32);
    // Same bar: the AR(1) signal carries φ·K of the bar it closes; it leads more than it lags.
    expect(corr(s!.signalFeature!.subarray(1), r)).toBeLessThan(lead);

    // Price action alone: (lower wick − upper wick) / range leads the next return.
    const { open, high, low, close } = s!;
    const wickTilt = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const range = high[i]! - low[i]!;
      wickTilt[i] = range > 0 ? (Math.min(open[i]!, close[i]!) - low[i]! - (high[i]! - Math.max(open[i]!, close[i]!))) / range : 0;
    }
    expect(leadCorr(wickTilt, r)).toBeGreaterThan(0.05);
    const [nul] = gen({ symbols: ['BTC/USDT'], bars: n, signal: 0 });
    const nr = logReturns(nul!.close);
    for (let i = 0; i < n; i++) {
      const range = nul!.high[i]! - nul!.low[i]!;
      wickTilt[i] = range > 0 ? (Math.min(nul!.open[i]!, nul!.close[i]!) - nul!.low[i]! - (nul!.high[i]! - Math.max(nul!.open[i]!, nul!.close[i]!))) / range : 0;
    }
    expect(Math.abs(leadCorr(wickTilt, nr))).toBeLessThan(4 / Math.sqrt(n));
  });

  it('correlates symbols through the common factor', () => {
    const withFactor = gen({ bars: 50_000, correlation: 0.6, signal: 0 });
    const c = corr(logReturns(withFactor[0]!.close), logReturns(withFactor[1]!.close));
    expect(c).toBeGreaterThan(0.4);
    expect(c).toBeLessThan(0.65);
    const independent = gen({ bars: 50_000, correlation: 0, signal: 0 });
    expect(Math.abs(corr(logReturns(independent[0]!.close), logReturns(independent[1]!.close)))).toBeLessThan(0.03);
  });

  it('clusters volatility and has fat tails', () => {
    const [s] = gen({ symbols: ['ETH/USDT'], bars: 100_000, signal: 0 });
    const r = logReturns(s!.close);
    const abs = r.map(Math.abs);
    expect(corr(abs.subarray(0, abs.length - 1), abs.subarray(1))).toBeGreaterThan(0.1);
    let m2 = 0;
    let m4 = 0;
    for (const x of r) {
      m2 += x * x;
      m4 += x ** 4;
    }
    const kurtosis = (m4 / r.length) / (m2 / r.length) ** 2;
    expect(kurtosis).toBeGreaterThan(4);
    // Volume follows activity: busy bars trade more.
    expect(corr(abs, s!.volume.subarray(1))).toBeGreaterThan(0.2);
  });

  it('switches between all four regimes at the documented rates', () => {
    const hourly = durationMs(3_600_000);
    const bars = 24 * 365 * 20;
    const [s] = generateMarket({ symbols: 1, bars, timeframeMs: hourly, startMs: START, seed: 3 });
    const seen = new Set(s!.regime);
    expect(seen.size).toBe(REGIMES.length);
    const P = regimeTransitionMatrix(hourly);
    for (const row of P) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Empirical stay probability of the range regime against the matrix.
    let stays = 0;
    let visits = 0;
    for (let t = 1; t < bars; t++) {
      if (s!.regime[t - 1] !== 2) continue;
      visits++;
      if (s!.regime[t] === 2) stays++;
    }
    expect(1 - stays / visits).toBeCloseTo(1 - P[2]![2]!, 3);
  });

  it('drifts with the regimes unless K = 0 asks for a martingale', () => {
    const daily = durationMs(86_400_000);
    const trend = generateMarket({ symbols: 1, bars: 20_000, timeframeMs: daily, startMs: START, seed: 5 })[0]!;
    const flat = generateMarket({ symbols: 1, bars: 20_000, timeframeMs: daily, startMs: START, seed: 5, signal: 0 })[0]!;
    const meanReturnIn = (s: GeneratedSeries, regime: number): number => {
      const r = logReturns(s.close);
      let sum = 0;
      let n = 0;
      for (let t = 1; t < s.close.length; t++) {
        if (s.regime[t] !== regime) continue;
        sum += r[t - 1]!;
        n++;
      }
      return sum / n;
    };
    expect(meanReturnIn(trend, 0)).toBeGreaterThan(meanReturnIn(flat, 0));
    expect(meanReturnIn(trend, 1)).toBeLessThan(meanReturnIn(flat, 1));
  });

  it('rejects bad options', () => {
    expect(() => gen({ bars: -1 })).toThrow(RangeError);
    expect(() => gen({ signal: 1.5 })).toThrow(RangeError);
    expect(() => gen({ correlation: -0.2 })).toThrow(RangeError);
    expect(() => gen({ symbols: ['A', 'A'] })).toThrow(RangeError);
    expect(() => gen({ timeframeMs: durationMs(0) })).toThrow(RangeError);
  });
});
