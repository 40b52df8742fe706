import { describe, expect, it } from 'vitest';
import { bps, type Bps } from '../../domain/units.js';
import { breakevenCost, breakevenFromGrid, costCurve } from './costSensitivity.js';

/** A fixed trade list: 40 round trips, each charged the cost on its gross return. */
const gross = Float64Array.from({ length: 40 }, (_, i) => 0.004 + 0.01 * Math.sin(i));
const returnAtCost = (c: Bps): number => {
  let g = 1;
  for (const r of gross) g *= 1 + r - c / 10_000;
  return g - 1;
};

describe('cost sensitivity', () => {
  it('finds the breakeven, agreeing with the grid and with the exact root, in far fewer evaluations than bisection', () => {
    const res = breakevenCost(returnAtCost);
    expect(res.status).toBe('found');
    const b = res.breakevenBps as number;
    // The return falls ~0.004 per bps (40 trades × 1e-4), so a bracket of 0.01 bps leaves |return| ≤ 2e-5 at its midpoint.
    expect(Math.abs(returnAtCost(bps(b)))).toBeLessThan(2.5e-5);
    const [lo, hi] = res.bracket as [number, number];
    expect(hi - lo).toBeLessThanOrEqual(0.01);
    expect(returnAtCost(bps(lo))).toBeGreaterThan(0);
    expect(returnAtCost(bps(hi))).toBeLessThanOrEqual(0);
    const grid = Array.from({ length: 201 }, (_, i) => bps(i * 0.5));
    const fromGrid = breakevenFromGrid(grid, costCurve(returnAtCost, grid)) as number;
    // Linear interpolation on a 0.5-bps grid of a near-linear curve: within a fraction of a step.
    expect(Math.abs(fromGrid - b)).toBeLessThan(0.05);
    // Bracketing takes f(0), 10, 20, 40, 80 (the root is near 42.6 bps); bisection to 0.01 took 17 evaluations in all.
    expect(res.evaluations).toBeLessThanOrEqual(8);
  });

  it('keeps its bracket on a curve that is not linear, flat or steep near the root, and on a step', () => {
    const curves: Array<[string, (c: number) => number, number]> = [
      ['convex', (c) => Math.exp(-c / 30) - 0.2, -30 * Math.log(0.2)],
      ['flat at the root', (c) => 1e-6 * (40 - c) ** 3, 40],
      ['a step', (c) => (c < 123.456 ? 0.1 : -0.1), 123.456],
    ];
    for (const [name, curve, root] of curves) {
      const res = breakevenCost((c) => curve(c), { toleranceBps: 0.01 });
      const [lo, hi] = res.bracket as [number, number];
      expect(hi - lo, name).toBeLessThanOrEqual(0.01);
      expect(curve(lo), name).toBeGreaterThan(0);
      expect(curve(hi), name).toBeLessThanOrEqual(0);
      expect(Math.abs((res.breakevenBps as number) - root), name).toBeLessThan(0.01);
      expect(res.evaluations, name).toBeLessThan(40);
    }
  });

  it('reports no edge at zero cost and an edge beyond the search range', () => {
    expect(breakevenCost(() => -0.01)).toMatchObject({ breakevenBps: 0, status: 'unprofitable-at-zero-cost' });
    expect(breakevenCost(() => 0.5, { maxBps: 100 })).toMatchObject({ breakevenBps: null, status: 'profitable-beyond-max' });
    expect(breakevenCost((c) => 0.02 - c / 10_000, { initialBps: 1 }).breakevenBps).toBeCloseTo(200, 1);
  });

  it('the cost curve falls with cost', () => {
    const curve = costCurve(returnAtCost, [bps(0), bps(5), bps(10), bps(20)]);
    for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeLessThan(curve[i - 1]);
  });
});
