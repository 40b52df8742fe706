import { describe, expect, it } from 'vitest';
import { fraction } from '../../domain/units.js';
import { mulberry32 } from '../random.js';
import { randomEntryTest, sortBoundedIntegers, versusBuyAndHold } from './significance.js';
import { normalSampler } from './statistics.js';

const n = 2000;
const normal = normalSampler(mulberry32(17));
const asset = Float64Array.from({ length: n }, () => 0.01 * normal());

/** Long trades of `h` bars every `gap` bars, and their compounded return. */
function trades(h: number, gap: number, pick: (start: number) => 1 | -1): { holding: Int32Array; sides: Int8Array; total: number } {
  const holding: number[] = [];
  const sides: number[] = [];
  let growth = 1;
  for (let start = 0; start + h <= n; start += gap) {
    const side = pick(start);
    let g = 1;
    for (let t = start; t < start + h; t++) g *= 1 + asset[t];
    growth *= 1 + side * (g - 1);
    holding.push(h);
    sides.push(side);
  }
  return { holding: Int32Array.from(holding), sides: Int8Array.from(sides), total: growth - 1 };
}

describe('random-entry test', () => {
  it('a strategy that knows the next bars beats random entries (small p)', () => {
    // Foresight: each trade takes the side of its holding period's move.
    const t = trades(5, 20, (start) => {
      let g = 1;
      for (let u = start; u < start + 5; u++) g *= 1 + asset[u];
      return g >= 1 ? 1 : -1;
    });
    const res = randomEntryTest({ assetReturns: asset, holdingBars: t.holding, sides: t.sides, strategyReturn: t.total }, { samples: 999, seed: 1 });
    expect(res.pValue).toBe(1 / 1000);
    expect(res.null.p95).toBeLessThan(t.total);
  });

  it('p-values of a strategy without an edge are spread over (0, 1] and repeat with the seed', () => {
    const ps: number[] = [];
    for (let k = 0; k < 20; k++) {
      const rng = mulberry32(100 + k);
      const t = trades(10, 40, () => (rng() < 0.5 ? 1 : -1));
      ps.push(randomEntryTest({ assetReturns: asset, holdingBars: t.holding, sides: t.sides, strategyReturn: t.total }, { samples: 199, seed: k }).pValue);
    }
    // Under H0 the 20 p-values are ~uniform: mean 0.5, sd of the mean 0.29/√20 ≈ 0.065; allow 4 sd.
    const meanP = ps.reduce((a, b) => a + b, 0) / ps.length;
    expect(Math.abs(meanP - 0.5)).toBeLessThan(0.26);
    const input = { assetReturns: asset, holdingBars: Int32Array.from([3, 4]), sides: Int8Array.from([1, -1]), strategyReturn: 0.01 };
    expect(randomEntryTest(input, { samples: 50, seed: 3 })).toEqual(randomEntryTest(input, { samples: 50, seed: 3 }));
  });

  it('charges the cost per random trade and refuses impossible placements', () => {
    const input = { assetReturns: new Float64Array(100), holdingBars: Int32Array.from([5, 5]), sides: Int8Array.from([1, 1]), strategyReturn: 0 };
    const res = randomEntryTest({ ...input, costPerTrade: fraction(0.01) }, { samples: 20, seed: 1 });
    expect(res.null.p50).toBeCloseTo(0.99 * 0.99 - 1, 14);
    expect(() => randomEntryTest({ ...input, holdingBars: Int32Array.from([60, 50]) }, { samples: 1, seed: 1 })).toThrow(/hold 110 bars/);
  });
});

describe('against buy and hold', () => {
  it('buy and hold itself is no better than buy and hold', () => {
    const res = versusBuyAndHold(asset, asset, { samples: 200, seed: 1 });
    expect(res.excessReturn).toBe(0);
    expect(res.meanExcessPerBar).toBe(0);
    // d ≡ 0: every centred resample equals 0 ≥ 0, so p = 1.
    expect(res.pValue).toBe(1);
  });

  it('a steady excess of 5 bps a bar on top of the market is significant', () => {
    const strategy = Float64Array.from(asset, (r, t) => r + 0.0005 + 0.001 * Math.sin(t));
    const res = versusBuyAndHold(strategy, asset, { samples: 999, seed: 2, blockLength: 20 });
    expect(res.pValue).toBeLessThan(0.01);
    expect(res.excessReturn).toBeGreaterThan(0);
    expect(res.blockLength).toBe(20);
  });
});

describe('sortBoundedIntegers', () => {
  it('orders integers in [0, max] exactly as the typed array sort does, by counting or not', () => {
    const rng = mulberry32(9);
    for (const [length, max] of [[0, 0], [1, 0], [50, 3], [1000, 40], [300, 5000]] as const) {
      const values = Float64Array.from({ length }, () => Math.floor(rng() * (max + 1)));
      const expected = values.slice().sort();
      const counted = values.slice();
      sortBoundedIntegers(counted, max, new Int32Array(max + 1));
      const compared = values.slice();
      sortBoundedIntegers(compared, max, null);
      expect(Array.from(counted)).toEqual(Array.from(expected));
      expect(Array.from(compared)).toEqual(Array.from(expected));
    }
  });
});
