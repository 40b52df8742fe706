/**
 * Cost sensitivity: the strategy's return as a function of trading cost, and the cost at which the
 * edge is gone. The caller supplies `returnAtCost(bps)`, typically a backtest re-run with the
 * round-trip cost set to that many basis points (the wiring decides how bps split into fee and
 * slippage). Return is assumed non-increasing in cost, which holds for a fixed trade list; a
 * path-dependent strategy (stops sized on equity) may break it slightly, in which case bisection
 * still returns a sign change inside the bracket it found.
 */
import { bps, type Bps } from '../../domain/units.js';

/** Returns the strategy's total return (a fraction) at a given cost. */
export type ReturnAtCost = (cost: Bps) => number;

/** Return at each cost of a grid. */
export function costCurve(returnAtCost: ReturnAtCost, grid: readonly Bps[]): Float64Array {
  return Float64Array.from(grid, (c) => returnAtCost(c));
}

export interface BreakevenOptions {
  /** First upper bracket tried. Default 10 bps. */
  initialBps?: number;
  /** Give up bracketing above this. Default 10,000 bps (100 %). */
  maxBps?: number;
  /** Bisect until the bracket is narrower than this. Default 0.01 bps. */
  toleranceBps?: number;
}

export interface Breakeven {
  /**
   * The cost at which the return crosses zero (midpoint of the final bracket); 0 when the strategy
   * loses even at zero cost; null when it stays profitable up to `maxBps`.
   */
  breakevenBps: Bps | null;
  /** Why the value is 0 or null, else 'found'. */
  status: 'found' | 'unprofitable-at-zero-cost' | 'profitable-beyond-max';
  /** Final bracket [lower, upper]: return > 0 at lower, ≤ 0 at upper. */
  bracket: [Bps, Bps] | null;
  /** Calls of `returnAtCost`. */
  evaluations: number;
}

/**
 * Breakeven cost by bracketing then a safeguarded false position (Press et al. 2007, "Numerical
 * Recipes", §9.1–9.2): starting from [0, initial], double the upper end until the return is ≤ 0
 * there; then narrow the bracket, keeping return > 0 at its lower end and ≤ 0 at its upper, until
 * it is narrower than the tolerance. Each probe is the chord's zero (the Illinois variant halves a
 * stale end's value, so neither end sticks), kept a quarter tolerance inside the bracket so that a
 * probe next to the root closes it; a step pair that fails to halve the bracket is followed by a
 * bisection. Each evaluation is a whole backtest: on the near-linear return-versus-cost curves of
 * real strategies this takes about a third of plain bisection's ~20 evaluations.
 */
export function breakevenCost(returnAtCost: ReturnAtCost, options: BreakevenOptions = {}): Breakeven {
  const maxBps = options.maxBps ?? 10_000;
  const tol = options.toleranceBps ?? 0.01;
  let evaluations = 0;
  const f = (c: number): number => {
    evaluations++;
    const v = returnAtCost(bps(c));
    if (Number.isNaN(v)) throw new RangeError(`return at ${c} bps is NaN`);
    return v;
  };
  let flo = f(0);
  if (flo <= 0) return { breakevenBps: bps(0), status: 'unprofitable-at-zero-cost', bracket: null, evaluations };
  let lo = 0;
  let hi = Math.min(options.initialBps ?? 10, maxBps);
  let fhi = f(hi);
  while (fhi > 0) {
    if (hi >= maxBps) return { breakevenBps: null, status: 'profitable-beyond-max', bracket: null, evaluations };
    lo = hi;
    flo = fhi;
    hi = Math.min(hi * 2, maxBps);
    fhi = f(hi);
  }
  let side = 0;
  let slowSteps = 0;
  while (hi - lo > tol) {
    const width = hi - lo;
    const margin = tol / 4;
    const chord = lo + (width * flo) / (flo - fhi);
    const x = slowSteps >= 2 ? lo + width / 2 : Math.min(Math.max(chord, lo + margin), hi - margin);
    const fx = f(x);
    if (fx > 0) {
      lo = x;
      flo = fx;
      if (side === 1) fhi /= 2;
      side = 1;
    } else {
      hi = x;
      fhi = fx;
      if (side === -1) flo /= 2;
      side = -1;
    }
    slowSteps = hi - lo <= width / 2 ? 0 : slowSteps + 1;
  }
  return { breakevenBps: bps((lo + hi) / 2), status: 'found', bracket: [bps(lo), bps(hi)], evaluations };
}

/**
 * Breakeven read off a cost grid by linear interpolation between the last grid point with a
 * positive return and the next (the cross-check for `breakevenCost`, and what a plot shows).
 * Null when the return never crosses zero on the grid.
 */
export function breakevenFromGrid(grid: readonly Bps[], returns: Float64Array): Bps | null {
  for (let i = 1; i < grid.length; i++) {
    if (returns[i - 1] > 0 && returns[i] <= 0) {
      const w = returns[i - 1] / (returns[i - 1] - returns[i]);
      return bps(grid[i - 1] + w * (grid[i] - grid[i - 1]));
    }
  }
  return null;
}
