import { describe, expect, it } from 'vitest';
import { bps } from '../../domain/units.js';
import { runBacktest } from './engine.js';
import { handBars } from './__fixtures__/handBars.js';
import type { BacktestSettings } from './settings.js';
import { syntheticMarket } from './__fixtures__/syntheticMarket.js';

const free: Partial<BacktestSettings> = { takerFeeBps: bps(0), makerFeeBps: bps(0) };
const market = syntheticMarket({ bars: 3000, seed: 21, warmupBars: 100 });

/** Probability of the argmax class of the prediction row acted on at `bar` (from bar − 1), recomputed naively. */
function confidenceAt(bar: number): number {
  const row = Array.from(market.predictions.probs.subarray((bar - 1) * 3, bar * 3));
  return Math.max(...row);
}

describe('position sizing (each trade size recomputed independently)', () => {
  it('fixed fraction is capped by maxLeverage', () => {
    const r = runBacktest(market, { ...free, fixedFraction: 3, maxLeverage: 2 });
    expect(r.trades.count).toBeGreaterThan(50);
    expect(r.trades.size.every((x) => x === 2)).toBe(true);
    // notional at the entry fill / equity before entry = size
    for (let i = 0; i < r.trades.count; i++) {
      expect((r.trades.quantity[i] * r.trades.entryPrice[i]) / r.trades.entryEquity[i]).toBeCloseTo(2, 12);
    }
  });

  it('confidence-scaled: fixedFraction × (p − 1/3) / (2/3)', () => {
    const r = runBacktest(market, { ...free, sizing: 'confidence', fixedFraction: 1.5, maxLeverage: 2 });
    for (let i = 0; i < r.trades.count; i++) {
      const p = confidenceAt(r.trades.entryBar[i]);
      expect(r.trades.size[i]).toBeCloseTo(1.5 * ((p - 1 / 3) / (2 / 3)), 12);
    }
  });

  it('fractional Kelly from the predicted probability and the payoff ratio of earlier trades', () => {
    const s = { ...free, sizing: 'kelly' as const, kellyFraction: 0.5, kellyMinTrades: 10, kellyPriorPayoff: 1.2, maxLeverage: 1 };
    const r = runBacktest(market, s);
    expect(r.trades.count).toBeGreaterThan(100);
    let observedUsed = 0;
    for (let i = 0; i < r.trades.count; i++) {
      const earlier = Array.from(r.trades.returnFraction.subarray(0, i));
      const wins = earlier.filter((x) => x > 0);
      const losses = earlier.filter((x) => x < 0);
      const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
      const enough = wins.length + losses.length >= 10 && wins.length > 0 && losses.length > 0;
      const b = enough ? mean(wins) / -mean(losses) : 1.2;
      if (enough) observedUsed++;
      const p = confidenceAt(r.trades.entryBar[i]);
      expect(r.trades.size[i], `trade ${i}`).toBeCloseTo(Math.min(0.5 * (p - (1 - p) / b), 1), 12);
    }
    expect(observedUsed).toBeGreaterThan(50);
  });

  it('volatility targeting: (20 % / √8766) / σ of the last 20 log returns', () => {
    const r = runBacktest(market, { ...free, sizing: 'vol-target', volTargetAnnual: 0.2, volLookbackBars: 20, maxLeverage: 4 });
    const close = market.candles.close;
    for (let i = 0; i < r.trades.count; i++) {
      const at = r.trades.entryBar[i] - 1;
      const rets: number[] = [];
      for (let j = at - 19; j <= at; j++) rets.push(Math.log(close[j] / close[j - 1]));
      const mean = rets.reduce((x, y) => x + y, 0) / 20;
      const sd = Math.sqrt(rets.reduce((x, y) => x + (y - mean) ** 2, 0) / 19);
      expect(r.trades.size[i], `trade ${i}`).toBeCloseTo(Math.min(0.2 / Math.sqrt(8766) / sd, 4), 9);
    }
  });
});

describe('direction and uncertainty rules', () => {
  const calm = [100, 100.5, 99.5, 100] as const;
  const rows = Array.from({ length: 6 }, () => calm);

  it('long-only never shorts; a DOWN call closes the long', () => {
    const r = runBacktest(handBars(rows, ['U', 'D', 'D', 'U', 'U', 'U']), { ...free, direction: 'long-only' });
    expect(Array.from(r.sideDuring)).toEqual([0, 1, 0, 0, 1, 1]);
    expect(Array.from(r.trades.side).every((x) => x === 1)).toBe(true);
  });

  it('below minConfidence: flat by default, keep the position with whenUncertain = hold; a missing prediction always means flat', () => {
    const input = handBars(rows, ['U', 'U', 'U', null, 'U', 'U']);
    input.predictions.probs.set([0.3, 0.3, 0.4], 3); // bar 1: UP, but only 0.4 < 0.5
    const flat = runBacktest(input, { ...free, minConfidence: 0.5 });
    const hold = runBacktest(input, { ...free, minConfidence: 0.5, whenUncertain: 'hold' });
    expect(Array.from(flat.sideDuring)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(Array.from(hold.sideDuring)).toEqual([0, 1, 1, 1, 0, 1]);
  });
});
