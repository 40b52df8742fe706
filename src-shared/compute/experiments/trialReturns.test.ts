import { describe, expect, it } from 'vitest';
import { alignedTrialReturns, trialPeriodReturns, type TrialPredictions } from './trialReturns.js';

const classNames = ['DOWN', 'UP'];

describe('validation returns of sweep trials', () => {
  it('holds the most probable direction for the next bar and pays costs on each change of position', () => {
    const p: TrialPredictions = {
      // long, long, short on one symbol
      probs: [0.2, 0.8, 0.4, 0.6, 0.9, 0.1],
      ts: [0, 1, 2],
      symbolIndex: [0, 0, 0],
      nextReturn: [0.01, -0.02, -0.03],
      classNames,
    };
    const r = trialPeriodReturns(p, { feeBps: 5, slippageBps: 5 });
    // enter long: one side of 10 bps; stay long; flip to short: two sides.
    expect(r.get(0)).toBeCloseTo(0.01 - 0.001, 12);
    expect(r.get(1)).toBeCloseTo(-0.02, 12);
    expect(r.get(2)).toBeCloseTo(0.03 - 0.002, 12);
  });

  it('averages symbols at a time and aligns trials on the times all of them have', () => {
    const a: TrialPredictions = { probs: [0, 1, 0, 1, 1, 0], ts: [10, 20, 10], symbolIndex: [0, 0, 1], nextReturn: [0.01, 0.02, 0.03], classNames };
    const b: TrialPredictions = { probs: [1, 0, 1, 0], ts: [20, 30], symbolIndex: [0, 0], nextReturn: [0.02, 0.05], classNames };
    const { returns, times } = alignedTrialReturns([a, b], { feeBps: 0, slippageBps: 0 });
    expect(Array.from(times)).toEqual([20]);
    // trial a at t = 20: long symbol 0 → +0.02; trial b at t = 20: short → −0.02
    expect(Array.from(returns)).toEqual([0.02, -0.02]);
    expect(trialPeriodReturns(a, { feeBps: 0, slippageBps: 0 }).get(10)).toBeCloseTo((0.01 - 0.03) / 2, 12);
  });

  it('keeps a FLAT call out of the market', () => {
    const p: TrialPredictions = { probs: [0.1, 0.8, 0.1], ts: [0], symbolIndex: [0], nextReturn: [0.5], classNames: ['DOWN', 'FLAT', 'UP'] };
    expect(trialPeriodReturns(p, { feeBps: 10, slippageBps: 0 }).get(0)).toBe(0);
  });
});
