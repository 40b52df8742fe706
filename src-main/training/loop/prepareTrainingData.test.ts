import { describe, expect, it } from 'vitest';

import { sampleCount } from '../../../src-shared/compute/sampling/index.js';
import type { DataSpec } from './dataSpec.js';
import { validateDataSpec } from './dataSpec.js';
import { prepareTrainingData, type PreparedData, type TrainingInput } from './prepareTrainingData.js';
import { syntheticTrainingInputs } from './__fixtures__/syntheticInputs.js';

const SPEC: DataSpec = {
  featureSet: 'minimal',
  extras: 'raw',
  window: 16,
  horizon: 3,
  labels: { kind: 'direction', bandBps: 5, classes: 'up-flat-down' },
  split: { train: 0.6, val: 0.2, test: 0.2 },
  embargo: 5,
  balancePerSymbol: false,
  magnitudeHead: true,
  seed: 1,
};

const inputs = (bars = [2000, 1500, 1800]): TrainingInput[] =>
  bars.map((n, i) => {
    const [one] = syntheticTrainingInputs({ symbols: 1, bars: n, signal: 0.2, seed: 10 + i });
    return { ...one, datasetId: 100 + i, symbol: `S${i}/USDT` };
  });

function rowsOf(index: Uint32Array, ds: number): number[] {
  const rows: number[] = [];
  for (let i = 0; i < sampleCount(index); i++) if (index[2 * i] === ds) rows.push(index[2 * i + 1]);
  return rows;
}

describe('prepareTrainingData', () => {
  const data = prepareTrainingData(inputs(), SPEC);

  it('purges and embargoes between splits: no training label reaches into validation, none of validation into test', () => {
    data.splits.forEach((split, ds) => {
      const train = rowsOf(data.train, ds);
      const val = rowsOf(data.val, ds);
      const test = rowsOf(data.test, ds);
      expect(train.length && val.length && test.length).toBeTruthy();
      // Last bar a label can see (row + horizon), then at least `embargo` unused bars.
      expect(Math.max(...train) + SPEC.horizon + 5).toBeLessThan(Math.min(...val));
      expect(Math.max(...val) + SPEC.horizon + 5).toBeLessThan(Math.min(...test));
      expect(split.embargo).toBe(5);
    });
  });

  it('fits the standardizer on training rows only: changing validation and test bars leaves it unchanged', () => {
    const changed = inputs().map((input) => {
      const close = input.candles.close.slice();
      const cut = Math.floor(close.length * 0.6);
      for (let t = cut; t < close.length; t++) close[t] *= 1 + 0.05 * Math.sin(t);
      return { ...input, candles: { ...input.candles, close } };
    });
    const other = prepareTrainingData(changed, SPEC);
    expect(Array.from(other.standardizer.mean)).toEqual(Array.from(data.standardizer.mean));
    expect(Array.from(other.standardizer.std)).toEqual(Array.from(data.standardizer.std));
    expect(Array.from(other.train)).toEqual(Array.from(data.train));
  });

  it('standardizes the pooled training rows to mean 0 and std 1 and never leaves NaN in a sample window', () => {
    const f = data.features;
    const sum = new Float64Array(f);
    const sq = new Float64Array(f);
    let n = 0;
    data.splits.forEach((split, ds) => {
      const m = data.matrices[ds];
      const first = rowsOf(data.train, ds)[0] - SPEC.window + 1;
      for (let t = first; t < split.train.end; t++) {
        n++;
        for (let j = 0; j < f; j++) {
          sum[j] += m[t * f + j];
          sq[j] += m[t * f + j] ** 2;
        }
      }
    });
    for (let j = 0; j < f; j++) {
      expect(Math.abs(sum[j] / n)).toBeLessThan(0.05);
      expect(Math.sqrt(sq[j] / n)).toBeGreaterThan(0.9);
    }
    expect(data.matrices.every((m) => m.every(Number.isFinite))).toBe(true);
    expect(data.featureNames).toContain('extra:signal');
  });

  it('lists every test sample with its timestamp, symbol and true class', () => {
    const { ts, symbolIndex, yTrue } = data.testSamples;
    expect(ts.length).toBe(sampleCount(data.test));
    const raw = inputs();
    for (let i = 0; i < ts.length; i += 97) {
      const ds = data.test[2 * i];
      const row = data.test[2 * i + 1];
      expect(symbolIndex[i]).toBe(ds);
      expect(ts[i]).toBe(raw[ds].candles.ts[row]);
      expect(yTrue[i]).toBe(data.labels[ds][row]);
      expect(yTrue[i]).toBeGreaterThanOrEqual(0);
    }
    expect(data.classNames).toEqual(['DOWN', 'FLAT', 'UP']);
    expect(data.datasetIds).toEqual([100, 101, 102]);
  });

  it('weights classes to a mean of 1 over the training samples and scales the magnitude target to unit RMS', () => {
    let weightSum = 0;
    let sq = 0;
    const n = sampleCount(data.train);
    for (let i = 0; i < n; i++) {
      const ds = data.train[2 * i];
      const row = data.train[2 * i + 1];
      weightSum += data.classWeights[data.labels[ds][row]];
      sq += (data.magnitudeTargets as Float32Array[])[ds][row] ** 2;
    }
    expect(weightSum / n).toBeCloseTo(1, 4);
    expect(Math.sqrt(sq / n)).toBeCloseTo(1, 4);
    expect(data.magnitudeScale).toBeGreaterThan(0);
  });

  it('balances training samples per symbol and caps them, leaving validation and test whole', () => {
    const capped = prepareTrainingData(inputs(), { ...SPEC, balancePerSymbol: true, maxSamplesPerSymbol: 300 });
    expect([0, 1, 2].map((ds) => rowsOf(capped.train, ds).length)).toEqual([300, 300, 300]);
    expect(Array.from(capped.test)).toEqual(Array.from(data.test));
  });

  it('prepares triple-barrier labels and up-down classes', () => {
    const tb = prepareTrainingData(inputs(), {
      ...SPEC,
      magnitudeHead: false,
      labels: { kind: 'triple-barrier', barriers: { kind: 'volatility', window: 20, profitTakeMult: 1, stopLossMult: 1 }, classes: 'up-down' },
    });
    expect(tb.classNames).toEqual(['DOWN', 'UP']);
    expect(tb.magnitudeTargets).toBeNull();
    expect(sampleCount(tb.train)).toBeGreaterThan(1000);
  });

  it('explains what is wrong with a spec or with data that is too short', () => {
    expect(validateDataSpec(SPEC)).toEqual([]);
    const problems = validateDataSpec({ ...SPEC, featureSet: 'nope', window: 0, split: { train: 0.8, val: 0.2, test: 0.2 } });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/Feature set "nope" is unknown/);
    expect(() => prepareTrainingData(inputs([60]), SPEC)).toThrow(/has no samples/);
    const mixed = inputs([1000, 1000]);
    mixed[1] = { ...mixed[1], candles: { ...mixed[1].candles, extras: {} } };
    expect(() => prepareTrainingData(mixed, SPEC)).toThrow(/same extra columns/);
  });

  it('is deterministic', () => {
    const again: PreparedData = prepareTrainingData(inputs(), SPEC);
    expect(Array.from(again.train)).toEqual(Array.from(data.train));
    expect(Array.from(again.matrices[1])).toEqual(Array.from(data.matrices[1]));
  });
});
