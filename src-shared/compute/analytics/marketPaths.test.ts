import { describe, expect, it } from 'vitest';
import { fraction } from '../../domain/units.js';
import type { OhlcvColumns } from '../../domain/ohlcv.js';
import { mulberry32 } from '../random.js';
import { resampleMarket, sharedTestCalendar, type MarketSymbol } from './marketPaths.js';
import { summarizeEquityPaths } from './monteCarlo.js';

/** A random-walk market of n hourly bars with wicks, volume and a funding column. */
function market(n: number, seed: number, start = 0): OhlcvColumns {
  const rng = mulberry32(seed);
  const c = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  const funding = new Float64Array(n);
  let price = 100;
  for (let i = 0; i < n; i++) {
    const open = price * (1 + (rng() - 0.5) * 0.002);
    price = open * Math.exp((rng() - 0.5) * 0.02);
    c.ts[i] = start + i * 3_600_000;
    c.open[i] = open;
    c.close[i] = price;
    c.high[i] = Math.max(open, price) * (1 + rng() * 0.004);
    c.low[i] = Math.min(open, price) * (1 - rng() * 0.004);
    c.volume[i] = 1 + rng();
    funding[i] = (rng() - 0.5) * 1e-4;
  }
  return { ...c, extras: { funding } };
}

const SYMBOLS: MarketSymbol[] = [
  { candles: market(300, 1), testStart: 200 },
  { candles: market(300, 2), testStart: 200 },
];

describe('resampleMarket', () => {
  it('is the real market to the last bit with one block over the whole test and no noise', () => {
    const [a, b] = resampleMarket(SYMBOLS, { seed: 9, blockLength: 100, noiseFraction: 0 }, 3);
    for (const [path, real] of [[a!, SYMBOLS[0]!.candles], [b!, SYMBOLS[1]!.candles]] as const) {
      for (const col of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) expect(Array.from(path[col])).toStrictEqual(Array.from(real[col]));
      expect(Array.from(path.extras!.funding!)).toStrictEqual(Array.from(real.extras!.funding!));
    }
  });

  it('repeats exactly for a seed and path, differs between paths, and keeps the bars before the test period', () => {
    const spec = { seed: 5, blockLength: 7, noiseFraction: 0.5 };
    const once = resampleMarket(SYMBOLS, spec, 2);
    const again = resampleMarket(SYMBOLS, spec, 2);
    const other = resampleMarket(SYMBOLS, spec, 3);
    expect(once.map((c) => Array.from(c.close))).toStrictEqual(again.map((c) => Array.from(c.close)));
    expect(Array.from(once[0]!.close)).not.toStrictEqual(Array.from(other[0]!.close));
    expect(Array.from(once[0]!.close.subarray(0, 200))).toStrictEqual(Array.from(SYMBOLS[0]!.candles.close.subarray(0, 200)));
    expect(Array.from(once[0]!.close.subarray(200))).not.toStrictEqual(Array.from(SYMBOLS[0]!.candles.close.subarray(200)));
  });

  it('keeps every bar a valid candle under noise, and blocks of real bar shapes without it', () => {
    const [noisy] = resampleMarket(SYMBOLS, { seed: 1, blockLength: 10, noiseFraction: 1 }, 0);
    for (let i = 0; i < 300; i++) {
      expect(noisy!.high[i]).toBeGreaterThanOrEqual(Math.max(noisy!.open[i]!, noisy!.close[i]!));
      expect(noisy!.low[i]).toBeLessThanOrEqual(Math.min(noisy!.open[i]!, noisy!.close[i]!));
      expect(noisy!.low[i]).toBeGreaterThan(0);
    }
    // Without noise every test bar's close-to-close ratio is one of the real test period's ratios.
    const real = SYMBOLS[0]!.candles.close;
    const ratios = new Set(Array.from({ length: 100 }, (_, j) => (real[200 + j]! / real[199 + j]!).toFixed(12)));
    const [plain] = resampleMarket(SYMBOLS, { seed: 1, blockLength: 10, noiseFraction: 0 }, 0);
    for (let t = 200; t < 300; t++) expect(ratios.has((plain!.close[t]! / plain!.close[t - 1]!).toFixed(12))).toBe(true);
  });

  it('shares the blocks of symbols on one calendar (their bar ratios move together) and not otherwise', () => {
    expect(sharedTestCalendar(SYMBOLS)).toBe(true);
    const shifted = [SYMBOLS[0]!, { candles: market(300, 2, 1_800_000), testStart: 200 }];
    expect(sharedTestCalendar(shifted)).toBe(false);
    const source = (sym: MarketSymbol, path: OhlcvColumns, t: number) => {
      // The real test bar whose close-to-close ratio bar t of the path carries.
      const r = path.close[t]! / path.close[t - 1]!;
      for (let s = sym.testStart; s < 300; s++) if (Math.abs(sym.candles.close[s]! / sym.candles.close[s - 1]! - r) < 1e-12) return s;
      return -1;
    };
    const [a, b] = resampleMarket(SYMBOLS, { seed: 4, blockLength: 5, noiseFraction: 0 }, 0);
    for (let t = 201; t < 300; t++) if (source(SYMBOLS[0]!, a!, t) > 200) expect(source(SYMBOLS[1]!, b!, t)).toBe(source(SYMBOLS[0]!, a!, t));
  });

  it('refuses a test start outside the bars and a negative noise, with a sentence', () => {
    expect(() => resampleMarket([{ candles: SYMBOLS[0]!.candles, testStart: 300 }], { seed: 1, blockLength: 5, noiseFraction: 0 }, 0)).toThrow(/test start 300 is outside its 300 bars/);
    expect(() => resampleMarket(SYMBOLS, { seed: 1, blockLength: 5, noiseFraction: -1 }, 0)).toThrow(/noise fraction/);
  });
});

describe('summary of recomputed paths', () => {
  // Type-7 quantile (numpy's default), written out again here.
  const quantile = (values: number[], p: number) => {
    const s = [...values].sort((x, y) => x - y);
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    return s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!);
  };

  it('matches a plain reimplementation on a fixed set of path results', () => {
    const rng = mulberry32(11);
    const paths = Array.from({ length: 37 }, () => {
      const e = new Float64Array(60);
      e[0] = 1;
      for (let j = 1; j < 60; j++) e[j] = e[j - 1]! * (1 + (rng() - 0.48) * 0.05);
      return e;
    });
    const s = summarizeEquityPaths(paths, { drawdownThreshold: fraction(0.15) });
    const finals: number[] = [];
    const dds: number[] = [];
    const longest: number[] = [];
    for (const e of paths) {
      let peak = e[0]!;
      let peakAt = 0;
      let dd = 0;
      let long = 0;
      for (let j = 1; j < e.length; j++) {
        if (e[j]! >= peak) {
          if (j - peakAt > 1) long = Math.max(long, j - peakAt);
          peak = e[j]!;
          peakAt = j;
        } else dd = Math.max(dd, 1 - e[j]! / peak);
      }
      long = Math.max(long, e.length - 1 - peakAt);
      finals.push(e[e.length - 1]! / e[0]! - 1);
      dds.push(dd);
      longest.push(long);
    }
    for (const p of [0.05, 0.5, 0.95]) {
      const key = p === 0.05 ? 'p5' : p === 0.5 ? 'p50' : 'p95';
      expect(s.finalReturn[key]).toBeCloseTo(quantile(finals, p), 12);
      expect(s.maxDrawdown[key]).toBeCloseTo(quantile(dds, p), 12);
      expect(s.longestDrawdown[key]).toBeCloseTo(quantile(longest, p), 12);
    }
    const worst = [...finals].sort((x, y) => x - y).slice(0, Math.ceil(0.05 * 37));
    expect(s.worst5PercentFinalReturn).toBeCloseTo(worst.reduce((a, b) => a + b, 0) / worst.length, 12);
    expect(s.probabilityDrawdownBeyond).toBe(dds.filter((d) => d > 0.15).length / 37);
  });
});
