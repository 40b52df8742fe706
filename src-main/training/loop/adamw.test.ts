import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { mulberry32 } from '../../../src-shared/compute/random.js';
import { selectBackend } from '../backends/selectBackend.js';
import { AdamW, adamSimdAvailable, clipByGlobalNorm, clipFlatByGlobalNorm, setAdamSimd, type AdamPath, type OptimizerSpec } from './adamw.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

/** Reference Adam/AdamW in double precision for one 2×2 weight matrix and a bias. */
function reference(spec: OptimizerSpec, w0: number[], grads: number[][], lr: number): number[] {
  const [b1, b2, eps] = [0.9, 0.999, 1e-7];
  const w = [...w0];
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  grads.forEach((g, step) => {
    const t = step + 1;
    for (let i = 0; i < w.length; i++) {
      const gi = spec.kind === 'adam' ? g[i] + spec.weightDecay * w[i] : g[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      let update = m[i] / (1 - b1 ** t) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps);
      if (spec.kind === 'adamw') update += spec.weightDecay * w[i];
      w[i] -= lr * update;
    }
  });
  return w;
}

describe('AdamW', () => {
  const grads = [
    [0.5, -1, 2, 0.1],
    [0.4, -0.2, 1, 0.3],
    [-0.3, 0.6, 0.2, -1],
  ];

  it.each(['adam', 'adamw'] as const)('%s matches a double-precision reference and decays matrices only', (kind) => {
    const spec: OptimizerSpec = { kind, lr: 0.05, weightDecay: 0.1, clipNorm: 0 };
    const kernel = tf.variable(tf.tensor2d([1, -2, 3, 0.5], [2, 2]));
    const bias = tf.variable(tf.tensor1d([1, -2, 3, 0.5]));
    const opt = new AdamW(spec);
    for (const g of grads) {
      const gk = tf.tensor2d(g, [2, 2]);
      const gb = tf.tensor1d(g);
      opt.apply([kernel, bias], [gk, gb], spec.lr);
      tf.dispose([gk, gb]);
    }
    const want = reference(spec, [1, -2, 3, 0.5], grads, spec.lr);
    const wantBias = reference({ ...spec, weightDecay: 0 }, [1, -2, 3, 0.5], grads, spec.lr);
    Array.from(kernel.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(want[i], 5));
    Array.from(bias.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(wantBias[i], 5));
    expect(opt.step).toBe(3);
    opt.dispose();
    tf.dispose([kernel, bias]);
  });

  it.each(['auto', 'ops', 'fused'] as const)('continues identically after exporting and importing its state (%s path)', async (path) => {
    const spec: OptimizerSpec = { kind: 'adamw', lr: 0.05, weightDecay: 0.1, clipNorm: 0 };
    const run = async (split: boolean): Promise<Float32Array> => {
      const w = tf.variable(tf.tensor2d([1, -2, 3, 0.5], [2, 2]));
      let opt = new AdamW(spec, { path });
      for (const [i, g] of grads.entries()) {
        if (split && i === 2) {
          const state = await opt.exportState();
          opt.dispose();
          opt = new AdamW(spec, { path });
          opt.importState([w], state);
        }
        const gt = tf.tensor2d(g, [2, 2]);
        opt.apply([w], [gt], spec.lr);
        gt.dispose();
      }
      const out = w.dataSync() as Float32Array;
      opt.dispose();
      w.dispose();
      return out;
    };
    expect(Array.from(await run(true))).toEqual(Array.from(await run(false)));
  });

  it('clips gradients to a global norm', () => {
    const grads = [tf.tensor1d([3, 0]), tf.tensor1d([0, 4])];
    const clipped = clipByGlobalNorm(grads, 1);
    expect(Array.from(clipped[0].dataSync())).toEqual([Math.fround(0.6), 0]);
    expect(Array.from(clipped[1].dataSync())).toEqual([0, Math.fround(0.8)]);
    const untouched = clipByGlobalNorm(grads, 10);
    expect(Array.from(untouched[1].dataSync())).toEqual([0, 4]);
    tf.dispose([...grads, ...clipped, ...untouched]);
  });
});

/** A kernel, a bias and 100 steps of random gradients: enough steps for float32 rounding differences to show. */
function randomProblem(seed: number, steps = 100): { kernel: Float32Array; bias: Float32Array; grads: Float32Array[][] } {
  const rng = mulberry32(seed);
  const draw = (n: number, scale: number) => Float32Array.from({ length: n }, () => (rng() * 2 - 1) * scale);
  return { kernel: draw(16 * 8, 1), bias: draw(8, 0.5), grads: Array.from({ length: steps }, () => [draw(16 * 8, 0.3), draw(8, 0.3)]) };
}

/** Trains the random problem on `path` and returns the final weights and state. */
async function train(path: AdamPath, spec: OptimizerSpec, seed: number, flat = false): Promise<{ weights: Float32Array[]; m: Float32Array[]; v: Float32Array[] }> {
  const problem = randomProblem(seed);
  const kernel = tf.variable(tf.tensor2d(problem.kernel, [16, 8]));
  const bias = tf.variable(tf.tensor1d(problem.bias));
  const opt = new AdamW(spec, { path });
  problem.grads.forEach(([gk, gb], step) => {
    // A schedule: the learning rate changes every step.
    const lr = spec.lr * (1 - step / 200);
    if (flat) {
      const joined = new Float32Array(gk.length + gb.length);
      joined.set(gk);
      joined.set(gb, gk.length);
      opt.applyFlat([kernel, bias], joined, lr);
    } else {
      const g = [tf.tensor2d(gk, [16, 8]), tf.tensor1d(gb)];
      opt.apply([kernel, bias], g, lr);
      tf.dispose(g);
    }
  });
  const state = await opt.exportState();
  const weights = [kernel.dataSync().slice() as Float32Array, bias.dataSync().slice() as Float32Array];
  opt.dispose();
  tf.dispose([kernel, bias]);
  return { weights, m: state.m, v: state.v };
}

function expectClose(actual: Float32Array[], expected: Float32Array[], relative: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(a.length).toBe(expected[i].length);
    let worst = 0;
    a.forEach((x, k) => {
      const want = expected[i][k];
      worst = Math.max(worst, Math.abs(x - want) / Math.max(Math.abs(want), 1e-6));
    });
    expect(worst, `array ${i}`).toBeLessThanOrEqual(relative);
  });
}

const SPECS: OptimizerSpec[] = [
  { kind: 'adam', lr: 0.01, weightDecay: 0.05, clipNorm: 0 },
  { kind: 'adamw', lr: 0.01, weightDecay: 0.05, clipNorm: 0 },
  { kind: 'adamw', lr: 0.003, weightDecay: 0, clipNorm: 0 },
];

it('has WebAssembly SIMD for the fused update (Node ≥ 16, Electron)', () => {
  expect(adamSimdAvailable()).toBe(true);
});

describe.each([
  ['cpu', 'SIMD'],
  ['cpu', 'scalar'],
  ['wasm', 'SIMD'],
  ['wasm', 'scalar'],
] as const)('the fused host update on %s (%s)', (backend, kernel) => {
  beforeAll(async () => {
    await selectBackend(backend);
    expect(tf.getBackend()).toBe(backend);
    setAdamSimd(kernel === 'SIMD');
  });
  afterAll(async () => {
    setAdamSimd(true);
    await tf.setBackend('cpu');
  });

  it('is the path chosen by default', async () => {
    const [auto, fused] = await Promise.all([train('auto', SPECS[1], 1), train('fused', SPECS[1], 1)]);
    expect(auto).toEqual(fused);
  });

  it.each(SPECS)('agrees with the tf-op path over 100 steps ($kind, decay $weightDecay)', async (spec) => {
    const ops = await train('ops', spec, 2);
    const fused = await train('fused', spec, 2);
    expectClose(fused.weights, ops.weights, 1e-6);
    expectClose(fused.m, ops.m, 1e-6);
    expectClose(fused.v, ops.v, 1e-6);
    // The cpu backend's ops are float32 arithmetic in JavaScript, so the fused path reproduces them exactly.
    if (backend === 'cpu') expect(fused).toEqual(ops);
  });

  it.each(['ops', 'fused'] as const)('applyFlat gives the same result as apply (%s path)', async (path) => {
    for (const spec of SPECS) expect(await train(path, spec, 3, true)).toEqual(await train(path, spec, 3, false));
  });

  it('continues identically after exporting and importing its state, also across paths', async () => {
    const spec = SPECS[0];
    const problem = randomProblem(4, 10);
    const run = async (paths: AdamPath[]): Promise<Float32Array> => {
      const w = tf.variable(tf.tensor2d(problem.kernel, [16, 8]));
      let opt = new AdamW(spec, { path: paths[0] });
      for (const [i, [g]] of problem.grads.entries()) {
        if (i === 5 && paths.length > 1) {
          const state = await opt.exportState();
          opt.dispose();
          opt = new AdamW(spec, { path: paths[1] });
          opt.importState([w], state);
          // The exported arrays are copies: changing them must not reach the optimizer.
          state.m[0].fill(0);
        }
        const gt = tf.tensor2d(g, [16, 8]);
        opt.apply([w], [gt], spec.lr);
        gt.dispose();
      }
      const out = w.dataSync().slice() as Float32Array;
      opt.dispose();
      w.dispose();
      return out;
    };
    const straight = await run(['fused']);
    expect(await run(['fused', 'fused'])).toEqual(straight);
    expectClose([await run(['fused', 'ops'])], [straight], 1e-6);
    expectClose([await run(['ops', 'fused'])], [straight], 1e-6);
  });

  it('exports, imports and reports its moments exactly', async () => {
    const spec = SPECS[1];
    const problem = randomProblem(5, 3);
    const w = tf.variable(tf.tensor2d(problem.kernel, [16, 8]));
    const opt = new AdamW(spec, { path: 'fused' });
    for (const [g] of problem.grads) {
      const gt = tf.tensor2d(g, [16, 8]);
      opt.apply([w], [gt], spec.lr);
      gt.dispose();
    }
    const state = await opt.exportState();
    const restored = new AdamW(spec, { path: 'fused' });
    restored.importState([w], state);
    expect(await restored.exportState()).toEqual(state);
    const named = restored.getWeights();
    expect(named.map((n) => n.name)).toEqual(['iter', '0/m', '0/v']);
    expect(named[1].tensor.shape).toEqual([16, 8]);
    expect(named[1].tensor.dataSync()).toEqual(state.m[0]);
    expect(named[2].tensor.dataSync()).toEqual(state.v[0]);
    tf.dispose(named.map((n) => n.tensor));
    opt.dispose();
    restored.dispose();
    w.dispose();
  });

  it('clips a flat gradient as clipByGlobalNorm clips the tensors', () => {
    const problem = randomProblem(6, 1);
    const [gk, gb] = problem.grads[0];
    for (const clipNorm of [0, 0.5, 1e3]) {
      const tensors = [tf.tensor2d(gk, [16, 8]), tf.tensor1d(gb)];
      const clipped = clipByGlobalNorm(tensors, clipNorm);
      const flat = new Float32Array(gk.length + gb.length);
      flat.set(gk);
      flat.set(gb, gk.length);
      clipFlatByGlobalNorm(flat, clipNorm);
      expectClose([flat.subarray(0, gk.length), flat.subarray(gk.length)], clipped.map((t) => t.dataSync() as Float32Array), 1e-6);
      if (clipNorm !== 0.5) expect(flat).toEqual(Float32Array.from([...gk, ...gb]));
      tf.dispose([...tensors, ...clipped]);
    }
  });
});
