import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { expectRowIdentical, perturbedAfter } from './__fixtures__/featureChecks.js';
import { syntheticOhlcv } from './__fixtures__/synthetic-ohlcv.js';
import { computeFeature, FeatureContext, parseFeatureName } from './feature-catalog.js';
import { computeFeatureMatrix } from './feature-matrix.js';
import { FEATURE_SETS, FEATURE_SET_NAMES } from './feature-sets.js';
import type { OhlcvColumns } from './ohlcv.js';

function cloneCols(c: OhlcvColumns): OhlcvColumns {
  return {
    ts: c.ts.slice(),
    open: c.open.slice(),
    high: c.high.slice(),
    low: c.low.slice(),
    close: c.close.slice(),
    volume: c.volume.slice(),
    extras: c.extras ? Object.fromEntries(Object.entries(c.extras).map(([k, v]) => [k, v.slice()])) : undefined,
  };
}

describe('feature sets', () => {
  it('all parse, have no duplicates, and full has 60 features', () => {
    for (const name of FEATURE_SET_NAMES) {
      const names: readonly string[] = FEATURE_SETS[name];
      expect(new Set(names).size).toBe(names.length);
      for (const f of names) expect(typeof parseFeatureName(f), f).toBe('object');
    }
    expect(FEATURE_SETS.full.length).toBe(60);
  });

  it('rejects unknown names, sets and extras', () => {
    const cols = syntheticOhlcv(50);
    expect(() => computeFeatureMatrix(cols, ['rsi'])).toThrow(/parameter/);
    expect(() => computeFeatureMatrix(cols, ['nope_3'])).toThrow(/unknown feature family/);
    expect(() => computeFeatureMatrix(cols, ['logret_0'])).toThrow(RangeError);
    expect(() => computeFeatureMatrix(cols, 'everything' as 'full')).toThrow(/unknown feature set/);
    expect(() => computeFeatureMatrix(cols, ['extra:funding'])).toThrow(/no extra column/);
    expect(() => computeFeatureMatrix({ ...cols, close: cols.close.subarray(1) }, 'minimal')).toThrow(/close/);
  });
});

describe('computeFeatureMatrix', () => {
  const cols = syntheticOhlcv(600, 3);
  const m = computeFeatureMatrix(cols, 'full');

  it('stores each catalog column row-major as Float32', () => {
    expect([m.rows, m.features, m.data.length]).toEqual([600, 60, 600 * 60]);
    const ctx = new FeatureContext(cols);
    for (const j of [0, 22, 35, 59]) {
      const col = Float32Array.from(computeFeature(ctx, m.names[j]));
      for (let t = 0; t < m.rows; t++) expect(Object.is(m.data[t * m.features + j], col[t])).toBe(true);
    }
    // Catalog MACD is divided by close so it is scale-free.
    expect(m.names).toContain('macd_line');
  });

  it('reports the first complete row (SMA/EMA 200 warm-up)', () => {
    expect(m.firstValidRow).toBe(199);
    const row = (t: number): number[] => Array.from(m.data.subarray(t * m.features, (t + 1) * m.features));
    expect(row(199).every(Number.isFinite)).toBe(true);
    expect(row(198).some(Number.isNaN)).toBe(true);
    const small = computeFeatureMatrix(syntheticOhlcv(100, 4), 'full');
    expect(small.firstValidRow).toBe(100);
  });

  it('never looks ahead: changing bars after t leaves row t bit-identical', () => {
    const rng = mulberry32(11);
    for (const t of [0, 30, 199, 250, 421, 598]) expectRowIdentical(m, computeFeatureMatrix(perturbedAfter(cols, t, rng), 'full'), t);
  });

  it('is scale-free: multiplying prices and volume by constants changes no feature', () => {
    const c = cloneCols(cols);
    for (const key of ['open', 'high', 'low', 'close'] as const) for (let u = 0; u < c.ts.length; u++) c[key][u] *= 37.3;
    for (let u = 0; u < c.ts.length; u++) c.volume[u] *= 0.013;
    const s = computeFeatureMatrix(c, 'full');
    for (let i = m.firstValidRow * m.features; i < m.data.length; i++) {
      const want = m.data[i];
      expect(Math.abs(s.data[i] - want), `${m.names[i % m.features]} row ${Math.floor(i / m.features)}`).toBeLessThanOrEqual(
        2e-5 * Math.max(1, Math.abs(want)),
      );
    }
  });

  it('includes dataset extras as-is or as change when asked', () => {
    const funding = Float64Array.from({ length: 600 }, (_, t) => 0.0001 * Math.sin(t / 10));
    const withExtras: OhlcvColumns = { ...cols, extras: { funding } };
    const x = computeFeatureMatrix(withExtras, 'minimal', { includeExtras: 'diff' });
    expect(x.names.at(-1)).toBe('extra_diff:funding');
    expect(x.data[5 * x.features + x.features - 1]).toBe(Math.fround(funding[5] - funding[4]));
    const raw = computeFeatureMatrix(withExtras, ['logret_1', 'extra:funding', 'extra_pct:funding']);
    expect(raw.data[7 * 3 + 1]).toBe(Math.fround(funding[7]));
    expect(raw.data[7 * 3 + 2]).toBe(Math.fround(funding[7] / funding[6] - 1));
    expect(raw.data[2]).toBeNaN(); // no previous value at row 0
  });

  it('keeps NaN at input gaps after the warm-up', () => {
    const c = cloneCols(cols);
    c.close[400] = NaN;
    const g = computeFeatureMatrix(c, 'minimal');
    expect(g.firstValidRow).toBeLessThan(400);
    const j = g.names.indexOf('logret_1');
    expect(g.data[401 * g.features + j]).toBeNaN();
    expect(Number.isFinite(g.data[402 * g.features + j])).toBe(true);
  });
});
