import { describe, expect, it } from 'vitest';
import { returnMetrics, tradeMetrics, type EquityPath } from './metrics.js';
import { allocateTradeList } from './trades.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const PPY = 365.25 * 24;

/** The closed-form series of scripts/golden/backtest_metrics.py (`path_series`). */
function pathSeries(n: number): EquityPath {
  const ts = new Float64Array(n + 1);
  const equity = new Float64Array(n + 1);
  const benchmark = new Float64Array(n + 1);
  equity[0] = 1;
  benchmark[0] = 100;
  ts[0] = T0;
  for (let j = 1; j <= n; j++) {
    const r = 0.004 * Math.sin(0.37 * j) + 0.0015 * Math.cos(1.1 * j) + 0.002 * Math.sin(0.02 * j) + 0.0002;
    const b = 0.005 * Math.sin(0.37 * j + 0.5) + 0.002 * Math.cos(0.9 * j);
    equity[j] = equity[j - 1] * (1 + r);
    benchmark[j] = benchmark[j - 1] * (1 + b);
    ts[j] = T0 + j * H;
  }
  return { ts, equity, benchmark };
}

/** Relative closeness, for metrics of very different magnitudes. */
function expectRel(actual: number | null, expected: number, rel = 1e-9): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

// Produced by `/usr/bin/python3 scripts/golden/backtest_metrics.py` (numpy 2.4), keys
// `returns_rf0`, `returns_rf3pct` and `trades`; see that script for each independent formula.
const GOLDEN_RF0 = {
  totalReturn: 0.3501481350912168,
  cagr: 192.12881284625672,
  annualVolatility: 0.30849840455086114,
  sharpe: 17.220200225959786,
  sortino: 28.334762614644944,
  maxDrawdown: 0.1763913583398269,
  maxDrawdownDurationBars: 267,
  maxDrawdownDurationMs: 961200000.0,
  calmar: 1089.2189654558408,
  var95: 0.004677186737614969,
  cvar95: 0.005405100323835548,
  buyAndHoldReturn: 0.016745595762110987,
  beta: 0.6020544624459422,
  alphaAnnual: 5.098836197543561,
};
const GOLDEN_RF3_SHARPE = 17.124384974916847;
const GOLDEN_RF3_SORTINO = 28.150849628299756;
const GOLDEN_TRADES = {
  trades: 40,
  winRate: 0.575,
  profitFactor: 1.9320418234935468,
  expectancy: 0.0010339507494210147,
  averageWin: 0.003727461189458332,
  averageLoss: -0.0026102104341588846,
  averageHoldingBars: 6.05,
  averageHoldingMs: 21780000.0,
};

describe('return metrics vs the independent numpy computation', () => {
  const path = pathSeries(500);

  it('rf = 0', () => {
    const m = returnMetrics(path, PPY);
    for (const [k, v] of Object.entries(GOLDEN_RF0)) expectRel(m[k as keyof typeof GOLDEN_RF0], v);
    expect(m.bars).toBe(500);
  });

  it('rf = 3 % a year changes Sharpe and Sortino only', () => {
    const m = returnMetrics(path, PPY, { riskFreeRateAnnual: 0.03 });
    expectRel(m.sharpe, GOLDEN_RF3_SHARPE);
    expectRel(m.sortino, GOLDEN_RF3_SORTINO);
    expectRel(m.totalReturn, GOLDEN_RF0.totalReturn);
  });
});

describe('trade metrics vs the independent numpy computation', () => {
  it('40 formula trades', () => {
    const log = allocateTradeList(40);
    for (let k = 0; k < 40; k++) {
      const i = k;
      const pnl = 0.01 * Math.sin(1.3 * i) + 0.002;
      const bars = 1 + ((i * 7) % 11);
      log.pnl[k] = pnl;
      log.entryEquity[k] = 2;
      log.returnFraction[k] = pnl / 2;
      log.barsHeld[k] = bars;
      log.entryTs[k] = T0 + i * 10 * H;
      log.exitTs[k] = log.entryTs[k] + bars * H;
    }
    const m = tradeMetrics(log);
    for (const [k, v] of Object.entries(GOLDEN_TRADES)) expectRel(m[k as keyof typeof GOLDEN_TRADES], v);
  });
});

describe('definitions on tiny hand cases', () => {
  const p = (eq: number[]): EquityPath => ({
    ts: Float64Array.from(eq, (_, i) => i * 1000),
    equity: Float64Array.from(eq),
    benchmark: Float64Array.from(eq, (_, i) => 1 + i),
  });

  it('drawdown duration: peak to recovery, or peak to the end when unrecovered', () => {
    // peak 2 at obs 1, back above it at obs 4 → 3 bars; then 2.1 → 1.9 unrecovered → 1 bar
    const m = returnMetrics(p([1, 2, 1.5, 1.8, 2.1, 1.9]), 252);
    expect(m.maxDrawdown).toBeCloseTo(0.25, 15);
    expect(m.maxDrawdownDurationBars).toBe(3);
    expect(m.maxDrawdownDurationMs).toBe(3000);
    const tail = returnMetrics(p([1, 2, 1.9, 1.8, 1.7, 1.95]), 252);
    expect(tail.maxDrawdownDurationBars).toBe(4);
    // no drawdown at all: 0, and Calmar null with its reason
    const nulls = returnMetrics(p([1, 1, 1.1, 1.2]), 252);
    expect(nulls.maxDrawdownDurationBars).toBe(0);
    expect(nulls.calmar).toBeNull();
  });

  it('VaR/CVaR 95 % on 40 returns take the 2 worst (k = ⌈0.05 · 40⌉ − 1 = 1)', () => {
    const eq = [1];
    const rets = Array.from({ length: 40 }, (_, i) => (i === 7 ? -0.05 : i === 30 ? -0.03 : 0.001 * ((i % 5) - 1)));
    for (const r of rets) eq.push(eq[eq.length - 1] * (1 + r));
    const m = returnMetrics(p(eq), 252);
    expect(m.var95).toBeCloseTo(0.03, 12);
    expect(m.cvar95).toBeCloseTo(0.04, 12);
  });

  it('empty and single-bar windows give nulls with reasons, never NaN', () => {
    const empty = returnMetrics({ ts: new Float64Array(0), equity: new Float64Array(0), benchmark: new Float64Array(0) }, 252);
    expect(empty.sharpe).toBeNull();
    const one = returnMetrics(p([1, 1.01]), 252);
    expect(one.totalReturn).toBeCloseTo(0.01, 15);
    expect(one.sharpe).toBeNull();
    expect(one.beta).toBeNull();
    const trades = tradeMetrics(allocateTradeList(0));
    expect(trades.winRate).toBeNull();
    expect(trades.trades).toBe(0);
  });
});
