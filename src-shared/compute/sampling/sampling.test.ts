import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { classWeights } from './class-weights.js';
import { gatherLabels, gatherWindows } from './gather.js';
import { buildSampleIndex, sampleCount, shuffleSampleIndex, type SampleSource } from './sample-index.js';

function source(rows: number, validFrom: number, split: [number, number], seed: number): SampleSource {
  const rng = mulberry32(seed);
  const labels = Int8Array.from({ length: rows }, (_, t) => (t >= rows - 5 ? -1 : rng() < 0.1 ? -1 : Math.floor(rng() * 3)));
  return { rows, validFrom, labels, splitRange: { start: split[0], end: split[1] } };
}

const pairs = (index: Uint32Array): [number, number][] =>
  Array.from({ length: sampleCount(index) }, (_, i) => [index[2 * i], index[2 * i + 1]]);

describe('buildSampleIndex', () => {
  const sources = [source(1000, 50, [0, 700], 1), source(300, 199, [0, 210], 2), source(5000, 10, [3000, 5000], 3)];

  it('takes every labeled row whose whole window is valid and which lies in the split', () => {
    const index = buildSampleIndex(sources, { window: 32, balancePerSymbol: false, seed: 1 });
    const byDs = [0, 0, 0];
    for (const [ds, row] of pairs(index)) {
      const s = sources[ds];
      expect(row - 31).toBeGreaterThanOrEqual(s.validFrom);
      expect(row >= s.splitRange.start && row < s.splitRange.end).toBe(true);
      expect(s.labels[row]).toBeGreaterThanOrEqual(0);
      byDs[ds]++;
    }
    const expected = sources.map((s) => {
      let c = 0;
      for (let t = Math.max(s.splitRange.start, s.validFrom + 31); t < s.splitRange.end; t++) if (s.labels[t] >= 0) c++;
      return c;
    });
    expect(byDs).toEqual(expected);
  });

  it('balances datasets by capping the large ones, deterministically by seed', () => {
    const opts = { window: 8, balancePerSymbol: true, seed: 99 };
    const a = buildSampleIndex(sources, opts);
    const b = buildSampleIndex(sources, opts);
    expect(Array.from(a)).toEqual(Array.from(b));
    const counts = [0, 0, 0];
    for (const [ds] of pairs(a)) counts[ds]++;
    expect(new Set(counts).size).toBe(1);
    expect(counts[0]).toBeGreaterThan(0);
    const c = buildSampleIndex(sources, { ...opts, seed: 100 });
    expect(Array.from(c)).not.toEqual(Array.from(a));
    // Rows stay in time order within each dataset and are never repeated.
    const p = pairs(a);
    for (let i = 1; i < p.length; i++) if (p[i][0] === p[i - 1][0]) expect(p[i][1]).toBeGreaterThan(p[i - 1][1]);
  });

  it('caps every dataset at maxPerSymbol', () => {
    const index = buildSampleIndex(sources, { window: 8, balancePerSymbol: false, maxPerSymbol: 100, seed: 3 });
    const counts = [0, 0, 0];
    for (const [ds] of pairs(index)) counts[ds]++;
    expect(counts).toEqual([100, counts[1], 100]);
    expect(counts[1]).toBeLessThanOrEqual(100);
  });

  it('spaces rows by stride, with a seeded random phase when asked', () => {
    const src = [source(1000, 0, [0, 1000], 4)];
    src[0].labels.fill(1);
    const fixed = pairs(buildSampleIndex(src, { window: 16, stride: 16, balancePerSymbol: false, seed: 1 }));
    expect(fixed[0][1]).toBe(15);
    expect(fixed.every(([, r], i) => i === 0 || r - fixed[i - 1][1] === 16)).toBe(true);
    const phases = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      phases.add(pairs(buildSampleIndex(src, { window: 16, stride: 16, randomOffsets: true, balancePerSymbol: false, seed }))[0][1]);
    }
    expect(phases.size).toBeGreaterThan(3);
    for (const p of phases) expect(p >= 15 && p < 31).toBe(true);
  });

  it('shuffles pairs deterministically and keeps them intact', () => {
    const index = buildSampleIndex(sources, { window: 8, balancePerSymbol: false, seed: 1 });
    const before = new Set(pairs(index).map(([d, r]) => `${d}:${r}`));
    const s1 = shuffleSampleIndex(index.slice(), 7);
    const s2 = shuffleSampleIndex(index.slice(), 7);
    expect(Array.from(s1)).toEqual(Array.from(s2));
    expect(Array.from(s1)).not.toEqual(Array.from(index));
    expect(new Set(pairs(s1).map(([d, r]) => `${d}:${r}`))).toEqual(before);
  });
});

describe('gatherWindows', () => {
  const features = 16;
  const window = 64;
  const rng = mulberry32(12);
  const rowsPer = [3000, 5000, 800];
  const matrices = rowsPer.map((rows) => Float32Array.from({ length: rows * features }, () => rng()));
  const sources: SampleSource[] = rowsPer.map((rows) => ({
    rows,
    validFrom: 100,
    labels: new Int8Array(rows).fill(1),
    splitRange: { start: 0, end: rows },
  }));
  const index = shuffleSampleIndex(buildSampleIndex(sources, { window, balancePerSymbol: false, seed: 5 }), 5);

  it('equals a naive per-element copy, and stops at the end of the index', () => {
    const batch = 256;
    const out = new Float32Array(batch * window * features);
    const n = sampleCount(index);
    for (const start of [0, 1000, n - 100]) {
      out.fill(-1);
      const count = gatherWindows(matrices, index, start, batch, window, features, out);
      expect(count).toBe(Math.min(batch, n - start));
      for (let b = 0; b < count; b++) {
        const ds = index[2 * (start + b)];
        const end = index[2 * (start + b) + 1];
        for (let w = 0; w < window; w++) {
          for (let f = 0; f < features; f++) {
            const want = matrices[ds][(end - window + 1 + w) * features + f];
            if (out[(b * window + w) * features + f] !== want) throw new Error(`mismatch at sample ${b}, step ${w}, feature ${f}`);
          }
        }
      }
      if (count < batch) expect(out[count * window * features]).toBe(-1);
    }
  });

  it('gathers the matching labels and rejects windows that do not fit', () => {
    const labels = rowsPer.map((rows) => Int8Array.from({ length: rows }, (_, t) => t % 3));
    const out = new Int32Array(4);
    expect(gatherLabels(labels, index, 10, 4, out)).toBe(4);
    for (let b = 0; b < 4; b++) expect(out[b]).toBe(index[2 * (10 + b) + 1] % 3);
    const bad = Uint32Array.from([0, 10]);
    expect(() => gatherWindows(matrices, bad, 0, 1, window, features, new Float32Array(window * features))).toThrow(RangeError);
    expect(() => gatherWindows(matrices, index, 0, 2, window, features, new Float32Array(window * features))).toThrow(RangeError);
  });
});

describe('classWeights', () => {
  it('weights classes by inverse frequency, mean weight 1, absent classes 0', () => {
    const w = classWeights(Int8Array.from([0, 0, 0, 1, 2, 2, -1]), 4);
    expect(Array.from(w)).toEqual([Math.fround(6 / 9), 2, 1, 0]);
    const labels = [0, 0, 0, 1, 2, 2];
    expect(labels.reduce((s, c) => s + w[c], 0) / labels.length).toBeCloseTo(1, 6);
    expect(() => classWeights([3], 3)).toThrow(RangeError);
  });
});
