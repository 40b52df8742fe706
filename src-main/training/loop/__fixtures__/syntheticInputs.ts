/**
 * Training inputs from the synthetic market generator, with its planted signal as the extra
 * column `signal` — for the loop's tests and the leak-detector control (signal 0). Test-only: it sits
 * in __fixtures__ so product code cannot reach it (eslint refuses the import).
 */
import { generateMarket } from '../../../../src-shared/compute/generator/index.js';
import { durationMs, epochMs } from '../../../../src-shared/domain/units.js';
import type { DataSpec } from '../dataSpec.js';
import type { TrainingInput } from '../prepareTrainingData.js';
import type { TrainingIo } from '../runTraining.js';
import type { WorkerToHost } from '../../protocol.js';

export interface SyntheticInputOptions {
  symbols: number;
  bars: number;
  /** Planted signal strength K in [0, 1]; 0 = a pure random walk with no drift. */
  signal: number;
  seed: number;
  /** Bar length; default 5 minutes. */
  timeframeMs?: number;
  /** Cross-symbol correlation of the shocks; default 0 (independent symbols). */
  correlation?: number;
}

/** One input per generated symbol; dataset ids are 1 … symbols. */
export function syntheticTrainingInputs(options: SyntheticInputOptions): TrainingInput[] {
  const series = generateMarket({
    symbols: options.symbols,
    bars: options.bars,
    timeframeMs: durationMs(options.timeframeMs ?? 300_000),
    startMs: epochMs(Date.UTC(2024, 0, 1)),
    seed: options.seed,
    signal: options.signal,
    correlation: options.correlation ?? 0,
  });
  return series.map((s, i): TrainingInput => ({
    datasetId: i + 1,
    symbol: s.symbol,
    candles: {
      ts: s.ts,
      open: s.open,
      high: s.high,
      low: s.low,
      close: s.close,
      volume: s.volume,
      extras: s.signalFeature ? { signal: s.signalFeature } : undefined,
    },
  }));
}

/** The small next-bar UP/DOWN setup the loop's tests share: minimal features plus the signal column. */
export function nextBarSpec(seed: number): DataSpec {
  return {
    featureSet: 'minimal',
    extras: 'raw',
    window: 8,
    horizon: 1,
    labels: { kind: 'direction', bandBps: 0, classes: 'up-down' },
    split: { train: 0.6, val: 0.2, test: 0.2 },
    balancePerSymbol: true,
    magnitudeHead: false,
    seed,
  };
}

/** A run's process channel over these inputs that records every message the run sends (no controls). */
export function recordingIo(inputs: readonly TrainingInput[]): TrainingIo & { sent: WorkerToHost[] } {
  const sent: WorkerToHost[] = [];
  return {
    sent,
    loadCandles: (id) => {
      const input = inputs.find((i) => i.datasetId === id)!;
      return { symbol: input.symbol, candles: input.candles };
    },
    send: (m) => void sent.push(m),
    onControl: () => {},
  };
}
