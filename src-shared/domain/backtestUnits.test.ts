import { describe, expect, it } from 'vitest';
import { breakevenText, equityPct } from './backtestUnits.js';

describe('equityPct', () => {
  it('states an amount as a percentage of the starting equity', () => {
    expect(equityPct(1.1719, 1)).toBe('117.19 %');
    expect(equityPct(0.002, 1, 3)).toBe('0.200 %');
    expect(equityPct(50, 10_000)).toBe('0.50 %');
    expect(equityPct(null, 1)).toBe('—');
  });
});

describe('breakevenText', () => {
  it('gives the fee and the headroom over the fee paid', () => {
    expect(breakevenText({ takerFeeBps: 7.26, status: 'found', maxBps: 1000 }, 5)).toBe('Breakeven taker fee: 7.3 bps (2.3 bps of headroom over the 5 bps this backtest pays); above it the portfolio loses money.');
    expect(breakevenText({ takerFeeBps: 3, status: 'found', maxBps: 1000 }, 5)).toBe('Breakeven taker fee: 3 bps (already exceeded by the 5 bps this backtest pays); above it the portfolio loses money.');
  });

  it('says when there is no such fee, or it was not computed', () => {
    expect(breakevenText({ takerFeeBps: 0, status: 'unprofitable-at-zero-cost', maxBps: 1000 }, 5)).toMatch(/loses money even with no taker fee/);
    expect(breakevenText({ takerFeeBps: null, status: 'profitable-beyond-max', maxBps: 1000 }, 5)).toMatch(/above 1000 bps/);
    expect(breakevenText(undefined, 5)).toMatch(/run it again/);
    expect(breakevenText(null, 5)).toMatch(/no return/);
  });
});
