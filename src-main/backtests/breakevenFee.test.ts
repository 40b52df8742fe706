import { describe, expect, it } from 'vitest';
import { equalWeightPortfolio, runBacktest, type BacktestSettings, type SymbolInput } from '../../src-shared/compute/backtest/index.js';
import { bps } from '../../src-shared/domain/units.js';
import { breakevenFee } from './backtestRun.js';

/**
 * A market that alternates between 100 and 101 at every open, traded by an oracle that knows the
 * next move: each bar earns about 1 % before costs and flips the position (two fills), so the
 * portfolio breaks even near 1 % / 2 = 50 bps a fill.
 */
function zigzag(symbol: string, n: number, level: number): SymbolInput {
  const start = Date.parse('2025-01-01T00:00:00Z');
  const ts = Float64Array.from({ length: n }, (_, i) => start + i * 3_600_000);
  const open = Float64Array.from({ length: n }, (_, i) => level * (i % 2 === 0 ? 1 : 1.01));
  const close = Float64Array.from({ length: n }, (_, i) => open[Math.min(n - 1, i + 1)]!);
  const high = Float64Array.from({ length: n }, (_, i) => Math.max(open[i]!, close[i]!));
  const low = Float64Array.from({ length: n }, (_, i) => Math.min(open[i]!, close[i]!));
  // Row i is acted on from open i+1 to open i+2: UP when that move is up.
  const probs = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const up = i + 2 < n ? open[i + 2]! > open[i + 1]! : true;
    probs[i * 2] = up ? 0.2 : 0.8;
    probs[i * 2 + 1] = up ? 0.8 : 0.2;
  }
  return { symbol, candles: { ts, open, high, low, close }, predictions: { ts, probs, classes: 2 } };
}

describe('breakevenFee', () => {
  const inputs = [zigzag('A', 200, 100), zigzag('B', 200, 50)];
  const settings: Partial<BacktestSettings>[] = inputs.map(() => ({ downClass: 0, upClass: 1, takerFeeBps: bps(5), slippageBps: bps(0) }));
  const returnAt = (fee: number) => equalWeightPortfolio(inputs.map((input, i) => runBacktest(input, { ...settings[i], takerFeeBps: bps(fee) }))).metrics.totalReturn!;

  it('finds the taker fee at which the portfolio return crosses 0, to 0.1 bps', () => {
    const b = breakevenFee(inputs, settings)!;
    expect(b.status).toBe('found');
    expect(b.takerFeeBps!).toBeGreaterThan(30);
    expect(b.takerFeeBps!).toBeLessThan(60);
    expect(returnAt(b.takerFeeBps! - 0.05)).toBeGreaterThan(0);
    expect(returnAt(b.takerFeeBps! + 0.05)).toBeLessThanOrEqual(0);
  });

  it('is 0 when the portfolio loses before any fee', () => {
    const wrong = inputs.map((x) => ({ ...x, predictions: { ...x.predictions, probs: x.predictions.probs.map((p) => 1 - p) } }));
    expect(breakevenFee(wrong, settings)).toEqual({ takerFeeBps: 0, status: 'unprofitable-at-zero-cost', maxBps: 1000 });
  });
});
