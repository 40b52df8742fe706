/**
 * Timings asked for by issue 15: one Monte Carlo call (1,000 paths × 10,000 bars) and one HMM fit
 * (10,000 returns, 3 states). Run: npx esbuild src-shared/compute/analytics/__fixtures__/measure.ts --bundle --platform=node --format=esm --outfile=/tmp/measure.mjs && node /tmp/measure.mjs
 */
import { fraction } from '../../../domain/units.js';
import { mulberry32 } from '../../random.js';
import { fitGaussianHmm } from '../hmm.js';
import { blockBootstrapMonteCarlo, noiseMonteCarlo, tradeMonteCarlo } from '../monteCarlo.js';
import { normalSampler } from '../statistics.js';

const normal = normalSampler(mulberry32(7));
const n = 10_000;
const r = new Float64Array(n);
for (let t = 0; t < n; t++) r[t] = (Math.floor(t / 500) % 3 === 2 ? 0.02 : 0.005) * normal() + 0.0001;

function time<T>(label: string, f: () => T): T {
  const t0 = performance.now();
  const v = f();
  console.log(`${label}: ${(performance.now() - t0).toFixed(0)} ms`);
  return v;
}
for (let rep = 0; rep < 2; rep++) {
  time('block bootstrap Monte Carlo, 1,000 paths × 10,000 bars', () => blockBootstrapMonteCarlo(r, { paths: 1000, seed: 1, drawdownThreshold: fraction(0.2) }));
  time('trade reorder Monte Carlo, 1,000 paths × 10,000 trades', () => tradeMonteCarlo(r, 'reorder', { paths: 1000, seed: 1 }));
  time('noise Monte Carlo, 1,000 paths × 10,000 bars', () => noiseMonteCarlo(r, { paths: 1000, seed: 1 }));
  const m = time('HMM fit, 10,000 returns, 3 states, 5 restarts', () => fitGaussianHmm(r, { states: 3, seed: 1 }));
  console.log(`  iterations of the winning restart ${m.iterations}, converged ${m.converged}, sd ${Array.from(m.variances, Math.sqrt).map((v) => v.toFixed(4)).join(' ')}`);
}
