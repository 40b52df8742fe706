import { describe, expect, it } from 'vitest';
import { annualisedCaveat, testPeriodText } from './annualisedCaveat.js';

describe('annualisedCaveat', () => {
  it('warns about a 10-day test of 5-minute bars and gives the Sharpe interval', () => {
    const perYear = 365 * 288;
    const c = annualisedCaveat({ bars: 10 * 288, periodsPerYear: perYear, sharpe: 2 });
    expect(c.years).toBeCloseTo(10 / 365, 12);
    // √q · √((1 + (2/√q)²/2) / T) with q = 105,120 and T = 2,880.
    const se = Math.sqrt(perYear) * Math.sqrt((1 + 4 / perYear / 2) / 2880);
    expect(c.sharpeInterval!.standardError).toBeCloseTo(se, 9);
    expect(c.warning).toBe(`Test covers 10 days; annualised Sharpe, Sortino and CAGR are unreliable (Sharpe 95 % interval ${(2 - 1.959964 * se).toFixed(1)} to ${(2 + 1.959964 * se).toFixed(1)}).`);
  });

  it('says nothing about a test of a year or more, and leaves out an undefined Sharpe', () => {
    expect(annualisedCaveat({ bars: 400, periodsPerYear: 252, sharpe: 1 }).warning).toBeNull();
    const c = annualisedCaveat({ bars: 100, periodsPerYear: 252, sharpe: null });
    expect(c.sharpeInterval).toBeNull();
    expect(c.warning).toBe('Test covers 5 months; annualised Sharpe, Sortino and CAGR are unreliable.');
  });

  it('names a period in days, months or years', () => {
    expect(testPeriodText(1 / 365.25)).toBe('1 day');
    expect(testPeriodText(0.5)).toBe('6 months');
    expect(testPeriodText(3.04)).toBe('3 years');
  });
});
