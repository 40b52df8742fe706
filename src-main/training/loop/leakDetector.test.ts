/**
 * The leak detector: on a pure random walk nothing is predictable, so a leak-free pipeline must
 * score within noise of the majority-class baseline on the test set; with a planted signal the
 * same pipeline must clearly beat it (so the null result is not just a model that cannot learn).
 */
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../backends/selectBackend.js';
import { nullTolerance, trainAndTest } from './__fixtures__/leakDetectorRun.js';
import { trainingThreadScript } from './__fixtures__/trainingThreadScript.js';

describe('leak detector (synthetic market, 3 symbols × 6000 bars of 5m, MLP)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('scores within 3 binomial standard errors of the majority baseline on a pure random walk', async () => {
    const r = await trainAndTest(0);
    console.log(`null: test accuracy ${(100 * r.accuracy).toFixed(2)}% vs majority ${(100 * r.baselineAccuracy).toFixed(2)}% (n = ${r.samples}, 3 SE = ${(100 * nullTolerance(r)).toFixed(2)} points)`);
    expect(Math.abs(r.accuracy - r.baselineAccuracy)).toBeLessThan(nullTolerance(r));
  });

  it('beats the majority baseline by more than 5 points with a planted signal of 0.4', async () => {
    const r = await trainAndTest(0.4);
    console.log(`signal 0.4: test accuracy ${(100 * r.accuracy).toFixed(2)}% vs majority ${(100 * r.baselineAccuracy).toFixed(2)}% (n = ${r.samples})`);
    expect(r.accuracy - r.baselineAccuracy).toBeGreaterThan(0.05);
  });
});

// The same checks on 2 data-parallel threads: averaging shard gradients must neither leak nor lose the signal.
describe('leak detector on 2 data-parallel threads (wasm)', () => {
  let threadScript: string;
  beforeAll(async () => {
    await selectBackend('wasm', { wasmThreads: 1 });
    threadScript = await trainingThreadScript();
  });

  it('scores within 3 binomial standard errors of the majority baseline on a pure random walk', async () => {
    const r = await trainAndTest(0, { threads: 2, threadScript });
    console.log(`null, 2 threads: test accuracy ${(100 * r.accuracy).toFixed(2)}% vs majority ${(100 * r.baselineAccuracy).toFixed(2)}% (n = ${r.samples}, 3 SE = ${(100 * nullTolerance(r)).toFixed(2)} points)`);
    expect(Math.abs(r.accuracy - r.baselineAccuracy)).toBeLessThan(nullTolerance(r));
  }, 120_000);

  it('beats the majority baseline by more than 5 points with a planted signal of 0.4', async () => {
    const r = await trainAndTest(0.4, { threads: 2, threadScript });
    console.log(`signal 0.4, 2 threads: test accuracy ${(100 * r.accuracy).toFixed(2)}% vs majority ${(100 * r.baselineAccuracy).toFixed(2)}% (n = ${r.samples})`);
    expect(r.accuracy - r.baselineAccuracy).toBeGreaterThan(0.05);
  }, 120_000);
});
