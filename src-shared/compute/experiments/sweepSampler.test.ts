import { describe, expect, it } from 'vitest';
import { proposeTrial, selectionStatistics, trialSeed, type SearchSpace, type TrialObservation } from './index.js';
import { mulberry32, type Rng } from '../random.js';
import { normalQuantile } from './distributions.js';

const space: SearchSpace = { lr: { kind: 'float', low: 1e-4, high: 1e-2, log: true }, hidden: { kind: 'choice', values: [16, 32, 64] } };

describe('proposeTrial', () => {
  it('is a function of (seed, index, history): a resumed sweep proposes the same trials', () => {
    for (const kind of ['random', 'tpe'] as const) {
      const history: TrialObservation[] = [];
      const first: unknown[] = [];
      for (let i = 0; i < 15; i++) {
        const p = proposeTrial(space, { kind }, 42, i, history)!;
        first.push(p);
        history.push({ params: p, value: Math.abs(Math.log10(p.lr as number) + 3) });
      }
      // "Restart": recompute trial 12 from the stored history of the first 12.
      expect(proposeTrial(space, { kind }, 42, 12, history.slice(0, 12))).toEqual(first[12]);
      expect(proposeTrial(space, { kind }, 43, 12, history.slice(0, 12))).not.toEqual(first[12]);
    }
  });

  it('walks a grid and ends', () => {
    const grid = { kind: 'grid', grid: { floatPoints: 2 } } as const;
    const points = Array.from({ length: 7 }, (_, i) => proposeTrial(space, grid, 1, i));
    expect(points.slice(0, 6).every((p) => p !== null)).toBe(true);
    expect(points[6]).toBeNull();
  });

  it('gives neighbouring trials unrelated seeds', () => {
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => trialSeed(7, i)));
    expect(seeds.size).toBe(1000);
  });
});

function gaussian(rng: Rng): number {
  return normalQuantile((rng() * 4294967295 + 0.5) / 4294967296);
}

describe('selectionStatistics', () => {
  it('says a noise winner is not significant, and a real edge is', () => {
    const rng = mulberry32(4);
    const T = 600;
    const N = 8;
    const noise = new Float64Array(T * N).map(() => 0.01 * gaussian(rng));
    const s = selectionStatistics(noise, N);
    expect(s.trials).toBe(8);
    expect(s.significant).toBe(false);
    expect(s.pbo).not.toBeNull();
    expect(s.sentence).toMatch(/^Best of 8 trials\. After allowing for the search, its Sharpe ratio is not significant/);
    const edge = Float64Array.from(noise, (v, i) => (i % N === 3 ? v + 0.003 : v));
    const e = selectionStatistics(edge, N);
    expect(e.deflated.winner).toBe(3);
    expect(e.significant).toBe(true);
    expect(e.pbo!).toBeLessThan(0.1);
    // The sweep chose another trial (by its log loss, say): that trial's DSR is the one reported.
    const chosen = selectionStatistics(edge, N, { winner: 5 });
    expect(chosen.deflated.winner).toBe(5);
    expect(chosen.significant).toBe(false);
    expect(chosen.deflated.expectedMaxSharpe).toBe(e.deflated.expectedMaxSharpe);
    expect(chosen.pbo).toBe(e.pbo);
    expect(selectionStatistics(edge, N, { winner: 3 }).deflatedSharpe).toBe(e.deflatedSharpe);
    const flat = Float64Array.from(edge, (v, i) => (i % N === 5 ? 0 : v));
    expect(selectionStatistics(flat, N, { winner: 5 })).toMatchObject({ deflatedSharpe: 0, significant: false });
    expect(() => selectionStatistics(edge, N, { winner: N })).toThrow(/winner must be a column/);
  });

  it('leaves the PBO out when the period is too short', () => {
    const s = selectionStatistics(Float64Array.from([0.01, 0.02, -0.01, 0.0, 0.02, 0.01]), 2);
    expect(s.pbo).toBeNull();
    expect(s.pboUnavailable).toMatch(/at least 4 periods/);
  });
});
