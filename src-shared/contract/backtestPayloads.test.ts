import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  backtestMetrics,
  equalWeightPortfolio,
  resolveBacktestSettings,
  runBacktest,
  thresholdSweep,
  type BacktestMetrics,
  type BacktestResult,
  type BacktestSettings,
  type ThresholdSweepRow,
} from '../compute/backtest/index.js';
import { syntheticMarket } from '../compute/backtest/__fixtures__/syntheticMarket.js';
import { finiteJson } from '../domain/finite.js';
import { bps, fraction } from '../domain/units.js';
import {
  backtestMetricsSchema,
  backtestSettingsFromStored,
  backtestSweepRowSchema,
  parseStoredBacktest,
  resolvedBacktestSettingsSchema,
  type BacktestMetricsPayload,
  type BacktestSweepRow,
  type BacktestSymbolResult,
  type ResolvedBacktestSettings,
} from './backtests.js';
import { ContractFailure } from './result.js';

/** The settings with their unit brands taken off: the contract carries bps and fractions as plain numbers. */
type Unbranded<T> = { [K in keyof T]: T[K] extends number ? number : T[K] };

describe('backtest payload schemas', () => {
  it('are the types of the engine’s metrics, settings and sweep rows, both ways', () => {
    expectTypeOf<BacktestMetrics>().toExtend<BacktestMetricsPayload>();
    expectTypeOf<BacktestMetricsPayload>().toExtend<BacktestMetrics>();
    expectTypeOf<BacktestSettings>().toExtend<ResolvedBacktestSettings>();
    expectTypeOf<ResolvedBacktestSettings>().toExtend<Unbranded<BacktestSettings>>();
    expectTypeOf<BacktestResult['halted']>().toEqualTypeOf<BacktestSymbolResult['halted']>();
    expectTypeOf<ThresholdSweepRow>().toExtend<BacktestSweepRow>();
  });

  it('read a computed backtest’s metrics and resolved settings as they cross JSON', () => {
    const settings: Partial<BacktestSettings> = { stopLoss: 0.01, takeProfit: 0.02, maxHoldingBars: 48, takerFeeBps: bps(5), slippageBps: bps(2), fundingSource: 'fixed', fundingRatePer8h: fraction(0.0001) };
    const results = [1, 2].map((seed) => runBacktest(syntheticMarket({ bars: 1500, seed, warmupBars: 200 }), settings));
    const metrics = [...results.map((r) => backtestMetrics(r)), equalWeightPortfolio(results).metrics];
    for (const m of metrics) {
      expect(backtestMetricsSchema.parse(JSON.parse(JSON.stringify(m)))).toEqual(m);
      expect(backtestMetricsSchema.parse(finiteJson(m))).toEqual(m);
    }
    const resolved = resolveBacktestSettings(settings);
    expect(resolvedBacktestSettingsSchema.parse(JSON.parse(JSON.stringify(resolved)))).toEqual(resolved);
  });

  it('keep null metrics with their reasons (a backtest that never trades)', () => {
    const r = runBacktest(syntheticMarket({ bars: 600, seed: 4, warmupBars: 200 }), { minConfidence: 1 });
    const m = backtestMetricsSchema.parse(finiteJson(backtestMetrics(r)));
    expect(m.trades).toBe(0);
    expect(m.winRate).toBeNull();
    expect(m.nullReasons.winRate).toEqual(expect.any(String));
  });

  it('read a threshold sweep’s rows', () => {
    const inputs = [3, 4].map((seed) => syntheticMarket({ bars: 800, seed, warmupBars: 200 }));
    for (const row of thresholdSweep(inputs, {}, [0, 0.6, 1]).rows) expect(backtestSweepRowSchema.parse(finiteJson(row))).toEqual(row);
  });

  it('refuse a non-finite number where a metric promises one, and take null where it allows it', () => {
    const m = backtestMetrics(runBacktest(syntheticMarket({ bars: 600, seed: 5, warmupBars: 200 }), {}));
    expect(() => backtestMetricsSchema.parse(finiteJson({ ...m, feesPaid: Number.NaN }))).toThrow();
    expect(backtestMetricsSchema.parse(finiteJson({ ...m, sharpe: Number.POSITIVE_INFINITY })).sharpe).toBeNull();
  });

  it('read a stored backtest, and refuse one of another shape with a sentence', () => {
    const r = runBacktest(syntheticMarket({ bars: 600, seed: 6, warmupBars: 200 }), {});
    const summary = { portfolio: backtestMetrics(r), symbols: [{ symbol: r.symbol, metrics: backtestMetrics(r), halted: r.halted }] };
    const stored = parseStoredBacktest(1, JSON.stringify(resolveBacktestSettings({})), JSON.stringify(summary));
    expect(stored.settings).toEqual(resolveBacktestSettings({}));
    expect(stored.symbols).toEqual(summary.symbols);
    expect(backtestSettingsFromStored(stored.settings)).not.toBeNull();
    expect(() => parseStoredBacktest(2, '{}', JSON.stringify(summary))).toThrow(ContractFailure);
    expect(() => parseStoredBacktest(2, JSON.stringify(resolveBacktestSettings({})), '{"portfolio":{}}')).toThrow(/Backtest 2 .* run it again/);
  });
});
