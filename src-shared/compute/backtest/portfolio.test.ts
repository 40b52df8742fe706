import { describe, expect, it } from 'vitest';
import { bps, durationMs } from '../../domain/units.js';
import { runBacktest, type BacktestResult } from './engine.js';
import { backtestMetrics } from './metrics.js';
import { equalWeightPortfolio, equalWeightTotalReturn } from './portfolio.js';
import { resolveBacktestSettings } from './settings.js';
import { syntheticMarket } from './__fixtures__/syntheticMarket.js';
import { allocateTradeList } from './trades.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/**
 * A result whose window path is given directly: the symbols of `portfolio()` in
 * scripts/golden/backtest_metrics.py (symbol k starts at hour `start`, has `count` bars `step` hours apart).
 */
function formulaSymbol(k: number, start: number, count: number, step: number): BacktestResult {
  const ts = new Float64Array(count + 1);
  const equity = new Float64Array(count + 1);
  const bh = new Float64Array(count + 1);
  equity[0] = 1;
  bh[0] = 1;
  for (let m = 0; m <= count; m++) ts[m] = T0 + H * (start + step * m);
  for (let j = 1; j <= count; j++) {
    equity[j] = equity[j - 1] * (1 + (0.003 * Math.sin(0.21 * j + k) + 0.001 * (k - 1)));
    bh[j] = bh[j - 1] * (1 + 0.004 * Math.cos(0.17 * j + 2 * k));
  }
  return {
    symbol: `F${k}`,
    settings: resolveBacktestSettings(),
    ts,
    equity,
    position: new Float64Array(count + 1),
    sideDuring: new Int8Array(count + 1),
    buyAndHoldEquity: bh,
    trades: allocateTradeList(0),
    totals: { fees: 0, funding: 0, slippage: 0, turnover: 0, trades: 0, finalEquity: equity[count] },
    halted: null,
    window: { start: 1, end: count },
    calendar: { calendar: '24/7', periodsPerYear: 8766, barSpacingMs: durationMs(step * H) },
  };
}

// Produced by `/usr/bin/python3 scripts/golden/backtest_metrics.py`, key `portfolio` (numpy,
// explicit loop over the union of timestamps; see the script).
const GOLDEN = {
  totalReturn: -0.1252556714113755,
  cagr: -0.9799660411794145,
  annualVolatility: 0.13228917379883642,
  sharpe: -29.486362422125957,
  sortino: -31.97976927234556,
  maxDrawdown: 0.1376484321348307,
  maxDrawdownDurationBars: 287,
  maxDrawdownDurationMs: 1033200000.0,
  calmar: -7.119340380277699,
  var95: 0.0031755855911018704,
  cvar95: 0.0037009991979197964,
  buyAndHoldReturn: 0.03187197472564218,
  beta: -0.15020596067834574,
  alphaAnnual: -3.7606086890048185,
  bars: 300,
  periodsPerYear: 8766.0,
};

describe('equal-weight portfolio', () => {
  it('matches the independent union-of-timestamps computation', () => {
    const p = equalWeightPortfolio([formulaSymbol(0, 0, 300, 1), formulaSymbol(1, 40, 100, 2), formulaSymbol(2, 7, 50, 3)]);
    for (const [k, v] of Object.entries(GOLDEN)) {
      const got = p.metrics[k as keyof typeof GOLDEN];
      expect(Math.abs(got! - v), k).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
    }
    expect(p.path.equity[300]).toBeCloseTo(0.8747443285886245, 12);
    // hour 41 (first bar of symbol 1) to hour 57 (last of symbol 2) have all three active
    expect(p.activeSymbols[1]).toBe(1);
    expect(p.activeSymbols[50]).toBe(3);
    expect(p.activeSymbols[300]).toBe(1);
  });

  it('of one symbol is that symbol', () => {
    const r = runBacktest(syntheticMarket({ bars: 2000, seed: 4, warmupBars: 100 }), { stopLoss: 0.02, fundingSource: 'fixed' });
    const one = equalWeightPortfolio([r]).metrics;
    const m = backtestMetrics(r);
    for (const k of ['totalReturn', 'sharpe', 'maxDrawdown', 'var95', 'beta', 'buyAndHoldReturn', 'winRate', 'feesPaid', 'fundingPaid', 'exposure', 'turnoverAnnual'] as const) {
      expect(one[k], k).toBeCloseTo(m[k]!, 10);
    }
  });

  it('of two copies is the copy; skips symbols without a window', () => {
    const input = syntheticMarket({ bars: 1500, seed: 8, warmupBars: 100 });
    const r = runBacktest(input);
    const empty = runBacktest({ ...input, predictions: { ...input.predictions, probs: new Float32Array(input.predictions.probs.length).fill(Number.NaN) } });
    const p = equalWeightPortfolio([r, r, empty]);
    expect(p.metrics.totalReturn).toBeCloseTo(backtestMetrics(r).totalReturn!, 10);
    expect(p.metrics.trades).toBe(2 * r.trades.count);
  });
});

describe('equalWeightTotalReturn', () => {
  it('is the portfolio total return to the last bit, for symbols with windows of different lengths, fees and none left', () => {
    const symbols = [1, 2, 3, 4].map((seed) => syntheticMarket({ bars: 1500 + 300 * seed, seed, warmupBars: 100 + 50 * seed }));
    for (const fee of [0, 3, 25]) {
      const results = symbols.map((input) => runBacktest(input, { takerFeeBps: bps(fee), slippageBps: bps(1) }));
      const full = equalWeightPortfolio(results).metrics.totalReturn;
      expect(full).not.toBeNull();
      expect(Object.is(equalWeightTotalReturn(results), full)).toBe(true);
      expect(Object.is(equalWeightTotalReturn(results.slice(1, 3)), equalWeightPortfolio(results.slice(1, 3)).metrics.totalReturn)).toBe(true);
    }
    expect(equalWeightTotalReturn([])).toBeNull();
    expect(equalWeightPortfolio([]).metrics.totalReturn).toBeNull();
  });
});
