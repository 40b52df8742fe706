import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../backends/selectBackend.js';
import { AdamW, clipByGlobalNorm, type OptimizerSpec } from './adamw.js';

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

  it('continues identically after exporting and importing its state', async () => {
    const spec: OptimizerSpec = { kind: 'adamw', lr: 0.05, weightDecay: 0.1, clipNorm: 0 };
    const run = async (split: boolean): Promise<Float32Array> => {
      const w = tf.variable(tf.tensor2d([1, -2, 3, 0.5], [2, 2]));
      let opt = new AdamW(spec);
      for (const [i, g] of grads.entries()) {
        if (split && i === 2) {
          const state = await opt.exportState();
          opt.dispose();
          opt = new AdamW(spec);
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
