import {
  bps,
  fraction,
} from '../src-shared/domain/units.js';
import {
  createSimulationBuffers,
  prepareSymbol,
  resolveBacktestSettings,
  simulate,
  syntheticMarket,
  thresholdSweep,
  TradeLog,
} from '../src-shared/compute/backtest/index.js';

/**
 * Backtest engine throughput: the bare simulation loop on 10 M bar-steps (one 1 M-bar synthetic
 * symbol, ten thresholds) with percent stops and targets, taker fees, slippage and fixed 8-hourly
 * funding all on — the configuration whose cost the speed goal (≥ 50 M bar-steps/s on one core)
 * is stated for. Preparation (validation, signal decoding) is timed separately as a sweep figure.
 */
export function benchBacktest(): { name: string; value: number; unit: string }[] {
  const bars = 1_000_000;
  const input = syntheticMarket({ bars, seed: 7, spacingMs: 3_600_000 });
  const settings = resolveBacktestSettings({
    stopLoss: 0.01,
    takeProfit: 0.02,
    maxHoldingBars: 48,
    takerFeeBps: bps(5),
    makerFeeBps: bps(2),
    slippageBps: bps(2),
    fundingSource: 'fixed',
    fundingRatePer8h: fraction(0.0001),
  });
  const prepared = prepareSymbol(input, settings);
  const buffers = createSimulationBuffers(bars);
  const log = new TradeLog(1 << 16);
  const thresholds = [0.34, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];
  // Warm-up so the figure measures optimized code, not the interpreter.
  for (let i = 0; i < 3; i++) simulate(prepared, settings, 0.5, buffers, log);
  const t0 = performance.now();
  for (const th of thresholds) simulate(prepared, settings, th, buffers, log);
  const loopSeconds = (performance.now() - t0) / 1000;

  const sweepInputs = [0, 1, 2, 3].map((k) => syntheticMarket({ bars: 100_000, seed: 100 + k }));
  const t1 = performance.now();
  const sweep = thresholdSweep(sweepInputs, settings, thresholds);
  const sweepSeconds = (performance.now() - t1) / 1000;

  return [
    { name: 'backtest loop (stops, fees, slippage, funding)', value: Math.round((bars * thresholds.length) / loopSeconds), unit: 'bar-steps/s' },
    { name: 'threshold sweep incl. preparation (4 × 100k bars × 10 thresholds)', value: Math.round(sweep.barSteps / sweepSeconds), unit: 'bar-steps/s' },
  ];
}
