import { describe, expect, it } from 'vitest';
import { bps, fraction } from '../../domain/units.js';
import { runBacktest } from './engine.js';
import { backtestMetrics } from './metrics.js';
import { equalWeightPortfolio } from './portfolio.js';
import { prepareSymbol } from './prepare.js';
import { resolveBacktestSettings, type BacktestSettings } from './settings.js';
import { createSimulationBuffers, EQUITY_CAP, simulate } from './simulate.js';
import { costRerunTotalReturn, costReruns, thresholdSweep } from './sweep.js';
import { syntheticMarket } from './__fixtures__/syntheticMarket.js';
import { TradeLog } from './trades.js';

const costly: Partial<BacktestSettings> = {
  stopLoss: 0.01,
  takeProfit: 0.02,
  maxHoldingBars: 48,
  takerFeeBps: bps(5),
  slippageBps: bps(2),
  fundingSource: 'fixed',
  fundingRatePer8h: fraction(0.0001),
};

describe('cost re-runs', () => {
  it('equal a plain backtest at each fee and slippage, bit for bit, with stops, ATR slippage, funding and vol-target sizing', () => {
    const symbols = [4, 5].map((seed) => syntheticMarket({ bars: 2000, seed, warmupBars: 200 }));
    const perSymbol: Partial<BacktestSettings>[] = [
      { ...costly, stopUnit: 'atr', stopLoss: 2, takeProfit: 3, slippageAtrFraction: fraction(0.05) },
      { ...costly, sizing: 'vol-target', makerFeeBps: bps(1), minConfidence: 0.55 },
    ];
    const rerun = costReruns(symbols, perSymbol);
    for (const change of [{}, { takerFeeBps: bps(0) }, { takerFeeBps: bps(12.5), makerFeeBps: bps(12.5), slippageBps: bps(0) }, { slippageBps: bps(30) }]) {
      const got = rerun(change);
      const plain = symbols.map((input, i) => runBacktest(input, { ...perSymbol[i], ...change }));
      expect(got.map((r) => backtestMetrics(r))).toStrictEqual(plain.map((r) => backtestMetrics(r)));
      expect(got.map((r) => Array.from(r.equity))).toStrictEqual(plain.map((r) => Array.from(r.equity)));
      expect(got.map((r) => r.trades)).toStrictEqual(plain.map((r) => r.trades));
    }
    // The total-return path reuses its buffers between calls: any order of costs gives the plain run's figure.
    const totalAt = costRerunTotalReturn(symbols, perSymbol);
    for (const change of [{ takerFeeBps: bps(40) }, {}, { takerFeeBps: bps(0), slippageBps: bps(0) }, { takerFeeBps: bps(900), makerFeeBps: bps(900) }, { takerFeeBps: bps(40) }]) {
      const plain = equalWeightPortfolio(symbols.map((input, i) => runBacktest(input, { ...perSymbol[i], ...change }))).metrics.totalReturn;
      expect(Object.is(totalAt(change), plain)).toBe(true);
    }
    // the costs do change the outcome, so the comparison above is not between identical runs
    expect(rerun({ takerFeeBps: bps(50) })[0]!.totals.finalEquity).not.toBe(rerun({ takerFeeBps: bps(0) })[0]!.totals.finalEquity);
  });
});

describe('threshold sweep', () => {
  it('equals a plain backtest at each threshold, bit for bit, per symbol and for the portfolio', () => {
    const symbols = [1, 2, 3].map((seed) => syntheticMarket({ bars: 3000, seed, warmupBars: 200 }));
    const thresholds = [0, 0.45, 0.6, 0.8];
    for (const settings of [costly, { ...costly, direction: 'long-only', sizing: 'confidence', maxLeverage: 2, fixedFraction: 1.5 } satisfies Partial<BacktestSettings>]) {
      const sweep = thresholdSweep(symbols, settings, thresholds);
      expect(sweep.rows.map((r) => r.threshold)).toEqual(thresholds);
      expect(sweep.barSteps).toBe(3 * 3000 * 4);
      for (const row of sweep.rows) {
        const plain = symbols.map((input) => runBacktest(input, { ...settings, minConfidence: row.threshold }));
        // toStrictEqual compares numbers with Object.is: any difference in the last bit fails.
        expect(row.symbols).toStrictEqual(plain.map((r) => ({ symbol: r.symbol, metrics: backtestMetrics(r), halted: r.halted })));
        expect(row.portfolio).toStrictEqual(equalWeightPortfolio(plain).metrics);
      }
      // higher thresholds trade less on this market
      const trades = (th: number): number => sweep.rows.find((r) => r.threshold === th)!.portfolio.trades;
      expect(trades(0.8)).toBeLessThan(trades(0));
    }
  });

  it('takes one settings object per symbol', () => {
    const symbols = [1, 2].map((seed) => syntheticMarket({ bars: 2000, seed }));
    const perSymbol: Partial<BacktestSettings>[] = [costly, { ...costly, takerFeeBps: bps(0), fundingSource: 'none' }];
    const row = thresholdSweep(symbols, perSymbol, [0.5]).rows[0]!;
    symbols.forEach((input, i) => expect(row.symbols[i]!.metrics).toStrictEqual(backtestMetrics(runBacktest(input, { ...perSymbol[i], minConfidence: 0.5 }))));
    expect(() => thresholdSweep(symbols, [costly], [0.5])).toThrow(/1 settings for 2 symbols/);
  });

  it('refuses thresholds outside [0, 1]', () => {
    expect(() => thresholdSweep([syntheticMarket({ bars: 100, seed: 1 })], {}, [1.5])).toThrow(/outside/);
  });

  // The backtest benchmark's two cases (bench/backtest.bench.ts reports their bar-steps/s): each
  // must trade to the last bar at every threshold, or its figure would count bars never traded.
  it('trades to the last bar at every threshold with stops, fees, slippage and funding on, for a persistent and an every-bar signal', () => {
    const bars = 20_000;
    const thresholds = [0.34, 0.45, 0.55, 0.65, 0.75];
    const buffers = createSimulationBuffers(bars);
    const log = new TradeLog(1 << 12);
    // The re-drawn case trades at 2 % of equity so that its costs do not wipe the account out.
    for (const [persistence, fixedFraction] of [[0.9, 1], [0, 0.02]] as const) {
      const s = resolveBacktestSettings({ ...costly, fixedFraction });
      const p = prepareSymbol(syntheticMarket({ bars, seed: 7, persistence }), s);
      for (const th of thresholds) {
        const totals = simulate(p, s, th, buffers, log);
        expect(totals.trades, `persistence ${persistence}, threshold ${th}`).toBeGreaterThan(0);
        expect(totals.finalEquity, `persistence ${persistence}, threshold ${th}`).toBeGreaterThan(0);
        expect(totals.finalEquity).toBeLessThan(s.initialEquity * EQUITY_CAP);
      }
    }
    const symbols = Array.from({ length: 4 }, (_, k) => syntheticMarket({ bars: 5_000, seed: 50 + k, persistence: 0.9 }));
    const sweep = thresholdSweep(symbols, costly, [0.34, 0.5, 0.65, 0.8]);
    expect(sweep.barSteps).toBe(4 * 5_000 * 4);
    expect(sweep.rows.flatMap((r) => r.symbols.map((x) => x.halted))).toEqual(new Array(16).fill(null));
  });
});
