import { describe, expect, expectTypeOf, it } from 'vitest';
import { durationMs } from '../domain/units.js';
import { generateMarket } from '../compute/generator/generateMarket.js';
import { healthReport, type HealthSummary } from '../compute/health/index.js';
import { healthSummarySchema, type HealthSummaryPayload } from './datasets.js';

describe('healthSummarySchema', () => {
  it('is the type of the compute module’s summary, both ways', () => {
    expectTypeOf<HealthSummary>().toExtend<HealthSummaryPayload>();
    expectTypeOf<HealthSummaryPayload>().toExtend<HealthSummary>();
  });

  it('accepts a computed summary as it is stored (through JSON)', () => {
    const [s] = generateMarket({ symbols: 1, bars: 3_000, timeframeMs: durationMs(3_600_000), startMs: 0 as never, seed: 3, signal: 0 });
    const { summary } = healthReport(s!, durationMs(3_600_000));
    expect(healthSummarySchema.parse(JSON.parse(JSON.stringify(summary)))).toEqual(summary);
  });
});
