import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { directionalMovement } from './adx.js';
import { bollingerBands } from './bollinger.js';
import { dayOfWeekCyclic, hourOfDayCyclic } from './calendar.js';
import { candleShape } from './candle-shape.js';
import { commodityChannelIndex } from './cci.js';
import { ema, wilderSmoothing } from './moving-averages.js';
import { logReturns, simpleReturns } from './returns.js';
import { rollingMax, rollingMean, rollingMin, rollingStd, rollingSum } from './rolling-window.js';
import { relativeStrengthIndex } from './rsi.js';
import { stochasticOscillator } from './stochastic.js';
import { realizedVolatility } from './volatility.js';
import { moneyFlowIndex, onBalanceVolumeFlow, rollingVwapDistance, volumeZScore } from './volume-flow.js';
import { williamsR } from './williams-r.js';

type Reducer = (w: number[]) => number;
function naive(x: ArrayLike<number>, window: number, f: Reducer): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let t = window - 1; t < x.length; t++) {
    const w = Array.from({ length: window }, (_, k) => x[t - window + 1 + k]);
    if (w.every(Number.isFinite)) out[t] = f(w);
  }
  return out;
}
const sum: Reducer = (w) => w.reduce((a, b) => a + b, 0);
const mean: Reducer = (w) => sum(w) / w.length;
const sampleStd: Reducer = (w) => Math.sqrt(w.reduce((a, v) => a + (v - mean(w)) ** 2, 0) / (w.length - 1));

function expectClose(got: Float64Array, want: Float64Array, relTol: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    if (Number.isNaN(want[i])) expect(got[i], `index ${i}`).toBeNaN();
    else expect(Math.abs(got[i] - want[i]), `index ${i}: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(relTol * Math.max(1, Math.abs(want[i])));
  }
}

describe('rolling windows', () => {
  const rng = mulberry32(7);
  const x = Float64Array.from({ length: 500 }, () => rng() * 10 - 5);
  x[100] = NaN;
  x[101] = NaN;
  x[300] = Infinity;

  it('agree with a naive window scan, including gaps', () => {
    for (const w of [1, 2, 5, 17]) {
      expectClose(rollingSum(x, w), naive(x, w, sum), 1e-12);
      expectClose(rollingMean(x, w), naive(x, w, mean), 1e-12);
      expectClose(rollingMax(x, w), naive(x, w, (v) => Math.max(...v)), 0);
      expectClose(rollingMin(x, w), naive(x, w, (v) => Math.min(...v)), 0);
      if (w > 1) expectClose(rollingStd(x, w, 1), naive(x, w, sampleStd), 1e-10);
    }
  });

  it('do not drift over long series at a large offset', () => {
    const long = Float64Array.from({ length: 200_000 }, () => 1e6 + rng());
    const sd = rollingStd(long, 50, 1);
    const s = rollingSum(long, 50);
    for (const t of [49, 1000, 123_457, 199_999]) {
      const w = Array.from(long.subarray(t - 49, t + 1));
      expect(Math.abs(sd[t] - sampleStd(w))).toBeLessThan(1e-9);
      expect(Math.abs(s[t] - sum(w))).toBeLessThan(1e-6);
    }
  });

  it('return exactly 0 std on a constant series and NaN on short input', () => {
    const c = new Float64Array(30).fill(42.5);
    expect(Array.from(rollingStd(c, 10, 1).subarray(9))).toEqual(new Array(21).fill(0));
    expect(Array.from(rollingSum(new Float64Array(3).fill(1), 5)).every(Number.isNaN)).toBe(true);
    expect(rollingMean(new Float64Array(0), 5).length).toBe(0);
  });

  it('reject non-integer or too small windows', () => {
    expect(() => rollingSum(x, 0)).toThrow(RangeError);
    expect(() => rollingSum(x, 2.5)).toThrow(RangeError);
    expect(() => rollingStd(x, 1, 1)).toThrow(RangeError);
  });
});

describe('recursive smoothing', () => {
  it('seeds with the SMA and restarts its warm-up after a gap', () => {
    const e = ema([1, 2, 3, NaN, 4, 5, 6], 2);
    expectClose(e, Float64Array.from([NaN, 1.5, 2.5, NaN, NaN, 4.5, 4.5 + (2 / 3) * 1.5]), 1e-15);
    const w = wilderSmoothing([2, 4, 6, 8], 2);
    expectClose(w, Float64Array.from([NaN, 3, 4.5, 6.25]), 1e-15);
  });
});

describe('indicator conventions on degenerate input', () => {
  const n = 80;
  const flat = new Float64Array(n).fill(100);
  const vol = new Float64Array(n).fill(5);
  const last = (a: Float64Array): number => a[n - 1];

  it('constant prices give the documented neutral values', () => {
    expect(last(relativeStrengthIndex(flat, 14))).toBe(50);
    expect(last(stochasticOscillator(flat, flat, flat).k)).toBe(50);
    expect(last(williamsR(flat, flat, flat))).toBe(-50);
    const bb = bollingerBands(flat);
    expect(last(bb.percentB)).toBe(0.5);
    expect(last(bb.bandwidth)).toBe(0);
    expect(last(commodityChannelIndex(flat, flat, flat))).toBe(0);
    const dmi = directionalMovement(flat, flat, flat);
    expect([last(dmi.plusDi), last(dmi.minusDi), last(dmi.adx)]).toEqual([0, 0, 0]);
    expect(last(moneyFlowIndex(flat, flat, flat, vol))).toBe(50);
    expect(last(volumeZScore(vol))).toBe(0);
    expect(last(realizedVolatility(flat, 20))).toBe(0);
    expect(last(onBalanceVolumeFlow(flat, vol))).toBe(0);
    expect(last(rollingVwapDistance(flat, flat, flat, vol))).toBe(0);
    const shape = candleShape(flat, flat, flat, flat);
    expect([last(shape.body), last(shape.upperShadow), last(shape.lowerShadow)]).toEqual([0, 0, 0]);
  });

  it('zero volume makes the VWAP undefined, and a missing price never yields a number', () => {
    expect(last(rollingVwapDistance(flat, flat, flat, new Float64Array(n)))).toBeNaN();
    expect(simpleReturns([100, NaN, 110], 1)[2]).toBeNaN();
    expect(logReturns([100, 0, 110], 1)[1]).toBeNaN();
    expect(logReturns([100, 0, 110], 1)[2]).toBeNaN();
  });

  it('candle parts sum to 1 on bars with a range', () => {
    const s = candleShape([10, 12], [13, 12.5], [9, 10], [12, 10.5]);
    for (const t of [0, 1]) expect(Math.abs(s.body[t]) + s.upperShadow[t] + s.lowerShadow[t]).toBeCloseTo(1, 12);
  });
});

describe('calendar encodings', () => {
  it('use UTC hour and Monday=0 weekday, also before 1970', () => {
    const saturdayNoon = Date.UTC(2024, 0, 6, 12, 0);
    const h = hourOfDayCyclic([saturdayNoon]);
    expect(h.sin[0]).toBeCloseTo(0, 12);
    expect(h.cos[0]).toBeCloseTo(-1, 12);
    const d = dayOfWeekCyclic([saturdayNoon, Date.UTC(1969, 11, 31, 18, 0)]);
    expect(d.sin[0]).toBeCloseTo(Math.sin((2 * Math.PI * 5) / 7), 12);
    expect(d.sin[1]).toBeCloseTo(Math.sin((2 * Math.PI * 2) / 7), 12); // Wednesday
    expect(hourOfDayCyclic([Date.UTC(1969, 11, 31, 18, 0)]).sin[0]).toBeCloseTo(-1, 12);
  });
});
