import { describe, expect, it } from 'vitest';
import { bps, fraction } from '../../domain/units.js';
import { runBacktest } from './engine.js';
import { LookAheadError } from './errors.js';
import { handBars, HAND_CALLS } from './__fixtures__/handBars.js';
import { alignPredictionsToBars, type SymbolInput } from './inputs.js';
import { backtestMetrics } from './metrics.js';
import type { BacktestSettings } from './settings.js';
import { syntheticMarket } from './__fixtures__/syntheticMarket.js';
import { tradesToObjects } from './trades.js';

const H8 = 8 * 3_600_000;
const T0 = Date.UTC(2024, 0, 1); // a funding time (multiple of 8 h)
const P = HAND_CALLS;
const input = handBars;

describe('hand-computed case: a long, a reversal to short, fees, slippage, funding', () => {
  // 8-hour bars, each opening on a funding time; signals at each close act at the next open.
  const rows: [number, number, number, number][] = [
    [100, 101, 99, 100], // 0  call UP
    [100, 106, 99, 105], // 1  UP   → long at this open
    [105, 108, 104, 107], // 2 DOWN → still long (acts at bar 3)
    [110, 111, 108, 109], // 3 DOWN → close long, open short at this open
    [108, 109, 100, 101], // 4 FLAT → still short
    [102, 103, 101, 102], // 5 FLAT → close short at this open; last bar
  ];
  const settings: Partial<BacktestSettings> = {
    initialEquity: 1000,
    takerFeeBps: bps(10),
    slippageBps: bps(5),
    fundingSource: 'fixed',
    fundingRatePer8h: fraction(0.0001),
  };
  const r = runBacktest(input(rows, ['U', 'U', 'D', 'D', 'F', 'F']), settings);

  // Arithmetic, step by step (fee 0.1 %, slippage 0.05 % of price, funding 0.01 % per 8 h):
  // bar 1 open 100: buy at 100 × 1.0005 = 100.05; qty = 1000 / 100.05; fee = 1000 × 0.001 = 1
  const q1 = 1000 / 100.05;
  let cash = 1000 - q1 * 100.05 - 1;
  //   funding at bar 1's open (long pays): q1 × 100 × 0.0001
  const f11 = q1 * 100 * 0.0001;
  cash -= f11;
  const eq1 = cash + q1 * 105;
  // bar 2 open 105: hold; funding q1 × 105 × 0.0001
  const f12 = q1 * 105 * 0.0001;
  cash -= f12;
  const eq2 = cash + q1 * 107;
  // bar 3 open 110: sell at 110 × (1 − 0.0005) = 109.945, fee 0.1 % of that notional
  const exit1 = 110 * (1 - 0.0005);
  const fee1b = q1 * exit1 * 0.001;
  cash += q1 * exit1 - fee1b;
  const pnl1 = cash - 1000;
  //   then short: sell at 110 × (1 − 0.0005) = 109.945 (a sale, so slippage lowers it) with all the equity
  const e2 = cash;
  const entry2 = 110 * (1 - 0.0005);
  const q2 = e2 / entry2;
  const fee2a = q2 * entry2 * 0.001;
  cash += q2 * entry2 - fee2a;
  //   funding at bar 3's open: the short RECEIVES q2 × 110 × 0.0001
  const f23 = -q2 * 110 * 0.0001;
  cash -= f23;
  const eq3 = cash - q2 * 109;
  // bar 4 open 108: hold; receives q2 × 108 × 0.0001
  const f24 = -q2 * 108 * 0.0001;
  cash -= f24;
  const eq4 = cash - q2 * 101;
  // bar 5 open 102: buy back at 102 × 1.0005 = 102.051
  const exit2 = 102 * 1.0005;
  const fee2b = q2 * exit2 * 0.001;
  cash += -q2 * exit2 - fee2b;
  const pnl2 = cash - e2;

  it('produces exactly the two trades worked out by hand', () => {
    const t = tradesToObjects(r.trades);
    expect(t).toHaveLength(2);
    expect(t[0]).toMatchObject({ side: 'long', entryBar: 1, exitBar: 3, entryTs: T0 + H8, exitTs: T0 + 3 * H8, exitReason: 'signal', barsHeld: 2 });
    expect(t[0].entryPrice).toBeCloseTo(100.05, 12);
    expect(t[0].exitPrice).toBeCloseTo(109.945, 12);
    expect(t[0].quantity).toBeCloseTo(q1, 12);
    expect(t[0].fees).toBeCloseTo(1 + fee1b, 10);
    expect(t[0].funding).toBeCloseTo(f11 + f12, 12);
    expect(t[0].slippage).toBeCloseTo(q1 * 0.05 + q1 * 0.055, 10);
    expect(t[0].pnl).toBeCloseTo(pnl1, 9);
    expect(t[1]).toMatchObject({ side: 'short', entryBar: 3, exitBar: 5, exitReason: 'signal', barsHeld: 2 });
    expect(t[1].entryPrice).toBeCloseTo(109.945, 12);
    expect(t[1].exitPrice).toBeCloseTo(102.051, 12);
    expect(t[1].fees).toBeCloseTo(fee2a + fee2b, 10);
    expect(t[1].funding).toBeCloseTo(f23 + f24, 12);
    expect(t[1].funding).toBeLessThan(0);
    expect(t[1].pnl).toBeCloseTo(pnl2, 9);
  });

  it('marks equity to each close and reconciles totals', () => {
    expect(Array.from(r.equity)).toEqual([1000, eq1, eq2, eq3, eq4, cash].map((x) => expect.closeTo(x, 9)));
    expect(Array.from(r.sideDuring)).toEqual([0, 1, 1, -1, -1, 0]);
    expect(r.position[1]).toBeCloseTo((q1 * 105) / eq1, 12);
    expect(r.position[3]).toBeCloseTo((-q2 * 109) / eq3, 12);
    expect(r.totals.fees).toBeCloseTo(1 + fee1b + fee2a + fee2b, 10);
    expect(r.totals.funding).toBeCloseTo(f11 + f12 + f23 + f24, 12);
    expect(r.totals.finalEquity).toBeCloseTo(1000 + pnl1 + pnl2, 9);
    expect(r.window).toEqual({ start: 1, end: 5 });
  });
});

describe('always long with zero costs equals buy and hold', () => {
  const base = syntheticMarket({ bars: 3000, seed: 11, warmupBars: 200 });
  const probs = base.predictions.probs.map((_, i) => (Number.isNaN(base.predictions.probs[i]) ? Number.NaN : i % 3 === 2 ? 0.8 : 0.1));
  const longAlways: SymbolInput = { ...base, predictions: { ...base.predictions, probs } };
  const r = runBacktest(longAlways, { takerFeeBps: bps(0), makerFeeBps: bps(0) });

  it('bar by bar and in the metrics', () => {
    const { start, end } = r.window;
    expect(start).toBe(201);
    expect(r.trades.count).toBe(1);
    expect(tradesToObjects(r.trades)[0].exitReason).toBe('end');
    for (let t = 0; t < r.equity.length; t++) expect(r.equity[t]).toBeCloseTo(r.buyAndHoldEquity[t], 12);
    const expected = base.candles.close[end] / base.candles.open[start] - 1;
    const m = backtestMetrics(r);
    expect(m.totalReturn).toBeCloseTo(expected, 12);
    expect(m.buyAndHoldReturn).toBeCloseTo(expected, 12);
    expect(m.beta).toBeCloseTo(1, 10);
    expect(m.alphaAnnual).toBeCloseTo(0, 8);
    expect(m.exposure).toBe(1);
  });
});

describe('costs', () => {
  const market = syntheticMarket({ bars: 4000, seed: 5, warmupBars: 50 });
  const common: Partial<BacktestSettings> = { stopLoss: 0.015, takeProfit: 0.03, maxHoldingBars: 24, minConfidence: 0.5 };
  const free: Partial<BacktestSettings> = { ...common, takerFeeBps: bps(0), makerFeeBps: bps(0) };
  const variants: Record<string, Partial<BacktestSettings>> = {
    fees: { ...common },
    slippage: { ...free, slippageBps: bps(3) },
    atrSlippage: { ...free, slippageAtrFraction: fraction(0.05) },
    funding: { ...free, fundingSource: 'fixed', fundingRatePer8h: fraction(0.0003) },
    all: { ...common, slippageBps: bps(3), slippageAtrFraction: fraction(0.05), fundingSource: 'fixed', fundingRatePer8h: fraction(0.0003) },
  };

  for (const direction of ['long-only', 'long-short'] as const) {
    it(`only ever lower the result (${direction}; positive funding only in long-only)`, () => {
      const ref = runBacktest(market, { ...free, direction });
      expect(ref.trades.count).toBeGreaterThan(100);
      for (const [name, v] of Object.entries(variants)) {
        if (name === 'funding' && direction === 'long-short') continue; // shorts receive positive funding
        const r = runBacktest(market, { ...v, direction });
        // Same trades (stop levels are set from the open, never from a slipped fill)...
        expect(r.trades.count, name).toBe(ref.trades.count);
        expect(Array.from(r.trades.exitReason), name).toEqual(Array.from(ref.trades.exitReason));
        // ...each one worse, and the whole run worse.
        // (funding only touches trades held over a funding time, hence "not better" per trade)
        for (let i = 0; i < r.trades.count; i++) {
          if (name === 'funding') expect(r.trades.returnFraction[i], `${name} trade ${i}`).toBeLessThanOrEqual(ref.trades.returnFraction[i] + 1e-12);
          else expect(r.trades.returnFraction[i], `${name} trade ${i}`).toBeLessThan(ref.trades.returnFraction[i]);
        }
        expect(r.totals.finalEquity, name).toBeLessThan(ref.totals.finalEquity);
      }
    });
  }

  it('totals reconcile with the trade list and the equity curve', () => {
    const r = runBacktest(market, { ...variants.all, direction: 'long-short' });
    const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);
    expect(r.totals.fees).toBeCloseTo(sum(r.trades.fees), 10);
    expect(r.totals.funding).toBeCloseTo(sum(r.trades.funding), 10);
    expect(r.totals.slippage).toBeCloseTo(sum(r.trades.slippage), 10);
    expect(r.totals.fees).toBeGreaterThan(0);
    expect(r.totals.slippage).toBeGreaterThan(0);
    expect(r.totals.finalEquity).toBeCloseTo(1 + sum(r.trades.pnl), 10);
    expect(r.equity[r.equity.length - 1]).toBe(r.totals.finalEquity);
    // Fees are the fee rate times the traded notional at the fill prices.
    let feeCheck = 0;
    for (let i = 0; i < r.trades.count; i++) {
      const q = r.trades.quantity[i];
      const exitRate = r.trades.exitReason[i] === 2 ? 0.0002 : 0.0005; // take-profit rests as a maker order
      feeCheck += q * r.trades.entryPrice[i] * 0.0005 + q * r.trades.exitPrice[i] * exitRate;
    }
    expect(r.totals.fees).toBeCloseTo(feeCheck, 10);
  });
});

describe('look-ahead', () => {
  const market = syntheticMarket({ bars: 2000, seed: 3, warmupBars: 10 });

  it('refuses predictions stamped later than their bar', () => {
    const ts = market.predictions.ts.slice();
    ts[500] = market.candles.ts[501];
    expect(() => runBacktest({ ...market, predictions: { ...market.predictions, ts } })).toThrow(LookAheadError);
    // The same predictions shifted one bar earlier with their honest stamps: every row is refused.
    const shifted = { ts: market.predictions.ts.slice(1), probs: market.predictions.probs.slice(3), classes: 3 };
    const candles = { ...market.candles, ts: market.candles.ts.slice(0, -1), open: market.candles.open.slice(0, -1), high: market.candles.high.slice(0, -1), low: market.candles.low.slice(0, -1), close: market.candles.close.slice(0, -1) };
    expect(() => runBacktest({ symbol: 'X', candles, predictions: shifted })).toThrow(/stamped/);
  });

  it('a row without a timestamp is refused', () => {
    const ts = market.predictions.ts.slice();
    ts[40] = Number.NaN;
    expect(() => runBacktest({ ...market, predictions: { ...market.predictions, ts } })).toThrow(/no timestamp/);
  });

  it('a model shifted one bar into the future is refused with honest stamps, and profits absurdly with faked ones', () => {
    // "Model": the direction of each bar's own candle, known at its close — no edge on the next bar.
    const { open, close, ts } = market.candles;
    const n = ts.length;
    const call = (t: number): readonly number[] => (close[t] > open[t] ? P.U : P.D);
    const honestProbs = new Float32Array(n * 3);
    const leakedProbs = new Float32Array(n * 3).fill(Number.NaN);
    for (let t = 0; t < n; t++) honestProbs.set(call(t), t * 3);
    for (let t = 0; t + 1 < n; t++) leakedProbs.set(call(t + 1), t * 3); // row t uses bar t + 1
    const leakedTs = new Float64Array(n).fill(Number.NaN);
    leakedTs.set(ts.subarray(1), 0); // its honest stamp: the bar it really used
    expect(() => runBacktest({ ...market, predictions: { ts: leakedTs, probs: leakedProbs, classes: 3 } })).toThrow(LookAheadError);

    const honest = backtestMetrics(runBacktest({ ...market, predictions: { ts, probs: honestProbs, classes: 3 } }));
    const faked = backtestMetrics(runBacktest({ ...market, predictions: { ts, probs: leakedProbs, classes: 3 } }));
    expect(Math.abs(honest.totalReturn!)).toBeLessThan(5); // a coin flip with costs
    expect(faked.totalReturn!).toBeGreaterThan(100 * (1 + honest.totalReturn!)); // knows each bar's close in advance
    expect(faked.winRate!).toBeGreaterThan(0.9);
  });

  it('alignPredictionsToBars places rows only on their own bar', () => {
    const barTs = Float64Array.of(0, 10, 20, 30);
    const aligned = alignPredictionsToBars(barTs, Float64Array.of(10, 25, 30), Float32Array.of(1, 0, 0.5, 0.5, 0, 1), 2);
    expect(Array.from(aligned.ts)).toEqual([Number.NaN, 10, Number.NaN, 30]);
    expect(Array.from(aligned.probs)).toEqual([Number.NaN, Number.NaN, 1, 0, Number.NaN, Number.NaN, 0, 1]);
  });
});

describe('outputs are always finite; metrics are numbers or null with a reason', () => {
  const market = syntheticMarket({ bars: 1500, seed: 9, warmupBars: 100 });
  const configs: Partial<BacktestSettings>[] = [
    {},
    { minConfidence: 1 }, // never trades
    { sizing: 'kelly', kellyMinTrades: 5 },
    { sizing: 'vol-target', maxLeverage: 3 },
    { sizing: 'confidence', whenUncertain: 'hold', minConfidence: 0.6 },
    { stopUnit: 'atr', stopLoss: 1, takeProfit: 2, slippageAtrFraction: fraction(0.1), fundingSource: 'fixed', maxLeverage: 10, fixedFraction: 10 },
  ];
  for (const cfg of configs) {
    it(JSON.stringify(cfg), () => {
      const r = runBacktest(market, cfg);
      for (const a of [r.equity, r.position, r.trades.pnl, r.trades.fees, r.trades.funding, r.trades.returnFraction]) {
        expect(a.every(Number.isFinite)).toBe(true);
      }
      const m = backtestMetrics(r);
      for (const [k, v] of Object.entries(m)) {
        if (k === 'nullReasons') continue;
        if (v === null) expect(m.nullReasons[k], k).toBeTypeOf('string');
        else expect(Number.isFinite(v), k).toBe(true);
      }
      expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    });
  }

  it('a model that knows the future on a long run hits the equity cap instead of overflowing to NaN', () => {
    const long = syntheticMarket({ bars: 60_000, seed: 2, skill: 1, volatility: 0.02 });
    const r = runBacktest(long, { takerFeeBps: bps(0), fixedFraction: 3, maxLeverage: 3 });
    expect(r.halted).toBe('equity-cap');
    expect(r.equity.every(Number.isFinite)).toBe(true);
    const m = backtestMetrics(r);
    expect(m.totalReturn).toBeGreaterThan(1e100);
    for (const [k, v] of Object.entries(m)) if (typeof v === 'number') expect(Number.isFinite(v), k).toBe(true);
  });

  it('no predictions at all: empty window, all-null metrics with reasons', () => {
    const none = { ...market, predictions: { ...market.predictions, probs: new Float32Array(market.predictions.probs.length).fill(Number.NaN) } };
    const r = runBacktest(none);
    expect(r.window.start).toBeGreaterThan(r.window.end);
    expect(r.equity.every((x) => x === 1)).toBe(true);
    const m = backtestMetrics(r);
    expect(m.totalReturn).toBeNull();
    expect(m.nullReasons.totalReturn).toMatch(/no bars/);
    expect(m.profitFactor).toBeNull();
  });
});

describe('input validation', () => {
  const calm = [100, 101, 99, 100] as const;
  it('refuses inconsistent inputs with a message naming the problem', () => {
    const ok = input([calm, calm, calm], ['U', 'U', 'U']);
    expect(() => runBacktest(ok)).not.toThrow();
    const unordered = input([calm, calm, calm], ['U', 'U', 'U']);
    unordered.candles.ts[2] = unordered.candles.ts[1];
    expect(() => runBacktest(unordered)).toThrow(/strictly increasing/);
    expect(() => runBacktest(input([calm, [100, 100.5, 99, 101], calm], ['U', 'U', 'U']))).toThrow(/high\/low/);
    expect(() => runBacktest(input([calm, [100, 101, 99, Number.NaN], calm], ['U', 'U', 'U']))).toThrow(/bar 1/);
    expect(() => runBacktest(ok, { stopUnit: 'atr', stopLoss: 2 })).toThrow(/atr column/);
    expect(() => runBacktest(ok, { fundingSource: 'column' })).toThrow(/fundingRate/);
    expect(() => runBacktest(ok, { upClass: 3 })).toThrow(/downClass\/upClass/);
    expect(() => runBacktest(ok, { takerFeeBps: bps(-1) })).toThrow(/takerFeeBps/);
    expect(() => runBacktest({ ...ok, atr: new Float64Array(2) })).toThrow(/atr has 2 rows/);
  });
});
