import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { requirePrerequisite } from '../../../test-support/vitest.js';
import { initWasmBackend } from '../backends/wasmSetup.js';
import { buildModel } from '../models/buildModel.js';
import type { ModelConfig } from '../models/config.js';
import { gruSequence } from '../models/layers/gruOp.js';
import { lstmSequence } from '../models/layers/lstmOp.js';
import { trainStep } from '../models/objective.js';
import { useRecurrentKernels } from './fusedRecurrentOp.js';
import {
  gruKernelRun,
  kernelActivations,
  kernelFmaPeakGflops,
  kernelMatMul,
  lstmKernelRun,
  recomputedForwardPasses,
  recurrentKernelVariant,
  setRecurrentKernels,
  setRelaxedRecurrentKernels,
} from './recurrentKernels.js';

type Weights = { kernel: tf.Tensor; recurrent: tf.Tensor; bias: tf.Tensor };
type Op = (x: tf.Tensor, w: Weights, o: { returnSequences: boolean; inputGradient: boolean }) => tf.Tensor;

const CELLS: Array<[string, Op, number, (h: number) => number[]]> = [
  ['lstm', lstmSequence, 4, (h) => [4 * h]],
  ['gru', gruSequence, 3, (h) => [2, 3 * h]],
];

/** Batch, steps, features, units: none a multiple of 4 (every vector loop's scalar tail runs), then the benchmark's widths. */
const SIZES: Array<[number, number, number, number]> = [
  [5, 7, 3, 5],
  [3, 4, 6, 9],
  [9, 6, 16, 64],
];

/** Largest |a − b| relative to the largest |b| (at least 1e-3, so all-tiny tensors are compared absolutely). */
function relativeDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-3, tf.max(tf.abs(b)).dataSync()[0]));
}

/**
 * Value and gradients of Σ op(x)·mask with respect to x and the three weights, on the chosen
 * path; with `withX` false, x is a constant and only the weights' gradients come back.
 */
function valueAndGrads(op: Op, fused: boolean, x: tf.Tensor, w: Weights, mask: tf.Tensor, returnSequences: boolean, inputGradient: boolean, withX = true): tf.Tensor[] {
  const previous = setRecurrentKernels(fused);
  try {
    const f = (xi: tf.Tensor, k: tf.Tensor, r: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.sum(tf.mul(op(xi, { kernel: k, recurrent: r, bias: b }, { returnSequences, inputGradient }), mask));
    const { value, grads } = withX ? tf.valueAndGrads(f)([x, w.kernel, w.recurrent, w.bias]) : tf.valueAndGrads((k: tf.Tensor, r: tf.Tensor, b: tf.Tensor) => f(x, k, r, b))([w.kernel, w.recurrent, w.bias]);
    return [value, ...grads];
  } finally {
    setRecurrentKernels(previous);
  }
}

describe('the kernels’ exp, sigmoid and tanh', () => {
  it('are accurate to about 1e-6 relative (tanh: absolute) over the whole float range the gates see', () => {
    // 4,001 values: not a multiple of 4, so the scalar tail is checked too.
    const values = Float32Array.from({ length: 4001 }, (_, i) => -40 + i * 0.02);
    const { exp, sigmoid, tanh } = kernelActivations(values);
    let expError = 0;
    let sigmoidError = 0;
    let tanhError = 0;
    values.forEach((v, i) => {
      expError = Math.max(expError, Math.abs(exp[i] - Math.exp(v)) / Math.exp(v));
      sigmoidError = Math.max(sigmoidError, Math.abs(sigmoid[i] - 1 / (1 + Math.exp(-v))) / (1 / (1 + Math.exp(-v))));
      tanhError = Math.max(tanhError, Math.abs(tanh[i] - Math.tanh(v)));
    });
    expect(expError).toBeLessThan(1e-6);
    expect(sigmoidError).toBeLessThan(1e-6);
    expect(tanhError).toBeLessThan(1e-6);
    const extremes = kernelActivations(Float32Array.from([-200, 200, NaN]));
    expect(Array.from(extremes.sigmoid.subarray(0, 2))).toEqual([expect.closeTo(0, 30), 1]);
    expect(Array.from(extremes.tanh.subarray(0, 2))).toEqual([-1, 1]);
    // A diverging run must still show NaN rather than a clamped, plausible value.
    expect(extremes.sigmoid[2]).toBeNaN();
  });

  it.each([true, false])('σ(x) is 1 / (1 + their own exp(−x)) to the bit (relaxed SIMD allowed: %s), though σ folds the negation into its constants', (relaxed) => {
    setRelaxedRecurrentKernels(relaxed);
    try {
      const xs = Float32Array.from({ length: 6001 }, (_, i) => -100 + i * (200 / 6000) + Math.sin(i) * 1e-3);
      const { sigmoid } = kernelActivations(xs);
      const { exp } = kernelActivations(xs.map((v) => -v));
      const expected = exp.map((e) => Math.fround(1 / Math.fround(1 + e)));
      expect(Array.from(sigmoid)).toEqual(Array.from(expected));
    } finally {
      setRelaxedRecurrentKernels(true);
    }
  });
});

describe('the kernels’ matMul', () => {
  /** Seeded values in [−1, 1) (xorshift), so a failure reproduces. */
  function values(count: number, seed: number): Float32Array {
    let state = seed * 2654435761 || 1;
    return Float32Array.from({ length: count }, () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 2 ** 31 - 1;
    });
  }

  /** A · op(B) in float64, A stored [m, k] or [k, m], B stored [k, n] or [n, k]. */
  function reference(a: Float32Array, ta: boolean, b: Float32Array, tb: boolean, m: number, k: number, n: number): Float64Array {
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let kk = 0; kk < k; kk++) sum += a[ta ? kk * m + i : i * k + kk] * b[tb ? j * k + kk : kk * n + j];
        out[i * n + j] = sum;
      }
    }
    return out;
  }

  // Sizes off the 6 × 8 and 4 × 8 tiles and the 128-deep k blocks, and widths that are padded
  // (multiples of 64). [41, 200, 70]: rows 6 at a time, then 4, then 1, in the first 64 columns;
  // the last 6 columns (not a whole 8-wide tile) 4 rows at a time.
  const SHAPES: Array<[number, number, number]> = [
    [1, 1, 1],
    [7, 13, 5],
    [37, 129, 45],
    [64, 300, 128],
    [6, 1024, 11],
    [41, 200, 70],
    [13, 64, 72],
  ];

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('agrees with a float64 reference (transposeA=%s, transposeB=%s), the same on every call', (ta, tb) => {
    for (const [m, k, n] of SHAPES) {
      const a = values(m * k, m + k);
      const b = values(k * n, k + n);
      const out = new Float32Array(m * n).fill(Number.NaN);
      kernelMatMul(a, ta, b, tb, m, k, n, out);
      const want = reference(a, ta, b, tb, m, k, n);
      // Each element is a sum of k products of values below 1: float32 rounding stays below k·2⁻²³.
      const worst = out.reduce((w, v, i) => Math.max(w, Math.abs(v - want[i])), 0);
      expect(worst, `[${m}, ${k}]·[${k}, ${n}]`).toBeLessThan(k * 2 ** -23 + 1e-7);
      const again = new Float32Array(m * n);
      kernelMatMul(a, ta, b, tb, m, k, n, again);
      expect(Array.from(again)).toEqual(Array.from(out));
    }
  });

  it('refuses operands that do not fit the shapes it is given', () => {
    expect(() => kernelMatMul(new Float32Array(6), false, new Float32Array(6), false, 2, 3, 3, new Float32Array(6))).toThrow(/do not fit \[2, 3\] · \[3, 3\]/);
  });
});

describe('the two builds of the kernels', () => {
  afterEach(() => {
    setRelaxedRecurrentKernels(true);
    setRecurrentKernels(true);
  });

  it('run the relaxed-SIMD build where the runtime has relaxed SIMD (Node 20 under its flag), the plain one when forced or asked', () => {
    // CANDELA_RELAXED_SIMD=0 forces the plain build for the whole process.
    expect(recurrentKernelVariant()).toBe(process.env.CANDELA_RELAXED_SIMD === '0' ? 'plain' : 'relaxed');
    expect(setRelaxedRecurrentKernels(false)).toBe(process.env.CANDELA_RELAXED_SIMD !== '0');
    expect(recurrentKernelVariant()).toBe('plain');
    setRecurrentKernels(false);
    expect(recurrentKernelVariant()).toBeNull();
  });

  it('report their multiply-add peak for the benchmarks, from either build', () => {
    const relaxed = kernelFmaPeakGflops();
    setRelaxedRecurrentKernels(false);
    const plain = kernelFmaPeakGflops();
    for (const peak of [relaxed, plain]) expect(peak !== null && Number.isFinite(peak) && peak > 0).toBe(true);
  });

  describe('side by side', () => {
    const relaxedAllowed = {
      what: 'the relaxed-SIMD build',
      met: process.env.CANDELA_RELAXED_SIMD !== '0',
      why: 'CANDELA_RELAXED_SIMD=0 forces the plain build for this process',
      optional: true,
    };
    if (!requirePrerequisite(relaxedAllowed)) return;
    it.each(['lstm', 'gru'] as const)(
      '%s: fused multiply-adds round differently from multiply-then-add, within 1e-5 of it, and repeat exactly',
      (cell) => {
        const gates = cell === 'lstm' ? 4 : 3;
        const dims = { batch: 9, steps: 6, features: 16, units: 64 };
        const values = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.3 + i * 1.7) * 0.5);
        const inputs = {
          x: values(9 * 6 * 16, 1),
          kernel: values(16 * gates * 64, 2),
          recurrent: values(64 * gates * 64, 3),
          bias: values(cell === 'lstm' ? 4 * 64 : 6 * 64, 4),
        };
        const dy = values(9 * 6 * 64, 5);
        const pass = (): Float32Array[] => {
          const run = (cell === 'lstm' ? lstmKernelRun : gruKernelRun)(dims, inputs, true, true);
          const g = run.backward(dy, true);
          return [run.output, g.dx!, g.dKernel, g.dRecurrent, g.dBias];
        };
        const relaxed = pass();
        expect(pass()).toEqual(relaxed);
        setRelaxedRecurrentKernels(false);
        const plain = pass();
        // Every x64 and arm64 CPU V8 targets today fuses; the builds would be bitwise equal only where it cannot.
        expect(relaxed).not.toEqual(plain);
        relaxed.forEach((r, k) => {
          const scale = Math.max(1e-3, ...plain[k].map(Math.abs));
          const worst = Math.max(...r.map((v, i) => Math.abs(v - plain[k][i])));
          expect(worst / scale, `array ${k}`).toBeLessThan(1e-5);
        });
      },
    );
  });
});

describe('a kernel run whose activations were not kept', () => {
  it('recomputes its forward pass for the backward and gets the same gradients', () => {
    const dims = { batch: 3, steps: 4, features: 2, units: 5 };
    const values = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.3 + i * 1.7) * 0.8);
    const inputs = { x: values(24, 1), kernel: values(40, 2), recurrent: values(100, 3), bias: values(20, 4) };
    const dy = values(15, 5);
    const kept = lstmKernelRun(dims, inputs, false, true);
    const dropped = lstmKernelRun(dims, inputs, false, false);
    expect(dropped.output).toEqual(kept.output);
    const before = recomputedForwardPasses();
    const fromDropped = dropped.backward(dy, true);
    expect(recomputedForwardPasses()).toBe(before + 1);
    expect(fromDropped).toEqual(kept.backward(dy, true));
    expect(() => kept.backward(dy, true)).toThrow(/differentiated twice/);
  });
});

// The build the runtime picks (relaxed SIMD here) on both backends, and the plain-SIMD fallback forced.
describe.each([
  ['cpu', true],
  ['wasm', true],
  ['wasm', false],
] as const)('fused recurrent kernels on %s (relaxed SIMD allowed: %s)', (backend, relaxed) => {
  beforeAll(async () => {
    setRelaxedRecurrentKernels(relaxed);
    if (backend === 'wasm') await initWasmBackend();
    else await tf.setBackend(backend);
  });
  afterAll(async () => {
    setRelaxedRecurrentKernels(true);
    await tf.setBackend('cpu');
  });
  afterEach(() => {
    setRecurrentKernels(true);
  });

  it('run the expected build', () => {
    expect(recurrentKernelVariant()).toBe(relaxed && process.env.CANDELA_RELAXED_SIMD !== '0' ? 'relaxed' : 'plain');
  });

  it('serve this backend: one op runs a handful of tfjs kernels instead of hundreds', async () => {
    expect(useRecurrentKernels()).toBe(true);
    const x = tf.randomNormal([4, 12, 3]);
    const w = { kernel: tf.randomNormal([3, 20]), recurrent: tf.randomNormal([5, 20]), bias: tf.zeros([20]) };
    // tf.profile hands back the engine's one profile object, so read each count before the next run.
    const fused = await tf.profile(() => lstmSequence(x, w, { returnSequences: false, inputGradient: true }));
    const fusedKernels = fused.kernels.length;
    const fusedResult = fused.result as tf.Tensor;
    setRecurrentKernels(false);
    const ops = await tf.profile(() => lstmSequence(x, w, { returnSequences: false, inputGradient: true }));
    expect(fusedKernels).toBeLessThan(5);
    expect(ops.kernels.length).toBeGreaterThan(12 * 5);
    tf.dispose([x, w.kernel, w.recurrent, w.bias, fusedResult, ops.result as tf.Tensor]);
  });

  for (const [name, op, gates, biasShape] of CELLS) {
    for (const [batch, steps, features, units] of SIZES) {
      for (const returnSequences of [false, true]) {
        it(`${name} B${batch} T${steps} F${features} H${units}${returnSequences ? ', every step' : ''}: value, dx, dKernel, dRecurrent and dBias equal the tfjs-op path`, () => {
          tf.tidy(() => {
            const x = tf.randomNormal([batch, steps, features], 0, 1, 'float32', 1);
            const w = {
              kernel: tf.randomNormal([features, gates * units], 0, 0.5, 'float32', 2),
              recurrent: tf.randomNormal([units, gates * units], 0, 0.5, 'float32', 3),
              bias: tf.randomNormal(biasShape(units), 0, 0.5, 'float32', 4),
            };
            const mask = tf.randomNormal(returnSequences ? [batch, steps, units] : [batch, units], 0, 1, 'float32', 9);
            const fused = valueAndGrads(op, true, x, w, mask, returnSequences, true);
            const reference = valueAndGrads(op, false, x, w, mask, returnSequences, true);
            const names = ['value', 'dx', 'dKernel', 'dRecurrent', 'dBias'];
            const diffs = Object.fromEntries(fused.map((t, i) => [names[i], relativeDiff(t, reference[i])]));
            for (const n of names) expect(diffs[n], n).toBeLessThan(1e-4);
            // Without an input gradient the weights' gradients are unchanged, and asking for dx anyway fails loudly.
            const noInput = valueAndGrads(op, true, x, w, mask, returnSequences, false, false);
            expect(relativeDiff(noInput[1], reference[2])).toBeLessThan(1e-4);
            expect(relativeDiff(noInput[2], reference[3])).toBeLessThan(1e-4);
            expect(() => valueAndGrads(op, true, x, w, mask, returnSequences, false)).toThrow(/gradient of input/);
          });
        });
      }
    }
  }

  it('gives each of two stacked layers its own saved activations (both backward passes after both forwards)', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([6, 5, 3], 0, 1, 'float32', 1);
      const w1 = { kernel: tf.randomNormal([3, 28], 0, 0.5, 'float32', 2), recurrent: tf.randomNormal([7, 28], 0, 0.5, 'float32', 3), bias: tf.zeros([28]) };
      const w2 = { kernel: tf.randomNormal([7, 15], 0, 0.5, 'float32', 4), recurrent: tf.randomNormal([5, 15], 0, 0.5, 'float32', 5), bias: tf.zeros([2, 15]) };
      const grads = (fused: boolean): tf.Tensor[] => {
        const previous = setRecurrentKernels(fused);
        try {
          return tf.grads((k1: tf.Tensor, k2: tf.Tensor) => {
            const h = lstmSequence(x, { ...w1, kernel: k1 }, { returnSequences: true, inputGradient: false });
            return tf.sum(gruSequence(h, { ...w2, kernel: k2 }, { returnSequences: false, inputGradient: true }));
          })([w1.kernel, w2.kernel]);
        } finally {
          setRecurrentKernels(previous);
        }
      };
      const [a, b] = [grads(true), grads(false)];
      a.forEach((g, i) => expect(relativeDiff(g, b[i])).toBeLessThan(1e-4));
    });
  });

  it('leaves no tensors behind in inference or training', () => {
    const x = tf.randomNormal([3, 5, 4]);
    const w = { kernel: tf.randomNormal([4, 24]), recurrent: tf.randomNormal([6, 24]), bias: tf.zeros([24]) };
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        tf.grads((k: tf.Tensor) => lstmSequence(x, { ...w, kernel: k }, { returnSequences: true, inputGradient: false }).sum())([w.kernel]);
        lstmSequence(x, w, { returnSequences: false, inputGradient: false });
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w.kernel, w.recurrent, w.bias]);
  });
});

describe('training on the fused kernels', () => {
  afterAll(async () => {
    setRecurrentKernels(true);
    await tf.setBackend('cpu');
  });

  async function losses(kind: 'lstm' | 'gru', fused: boolean): Promise<number[]> {
    const previous = setRecurrentKernels(fused);
    try {
      const config: ModelConfig = { kind, window: 12, features: 5, classes: 3, hidden: 10, layers: 2, dropout: 0, magnitudeHead: true, seed: 3 };
      const model = buildModel(config);
      const x = tf.randomNormal([24, 12, 5], 0, 1, 'float32', 7);
      const signal = tf.tidy(() => tf.mean(tf.slice(x, [0, 8, 0], [24, 4, 1]), [1, 2]));
      const label = tf.tidy(() => tf.add(tf.cast(tf.greater(signal, 0.2), 'int32'), tf.cast(tf.greater(signal, -0.2), 'int32')));
      const targets = { direction: tf.oneHot(label, 3).toFloat(), magnitude: tf.reshape(signal, [24, 1]) };
      const optimizer = tf.train.adam(0.01);
      const out: number[] = [];
      for (let i = 0; i < 25; i++) out.push(await trainStep(model, optimizer, x, targets));
      tf.dispose([x, signal, label, targets.direction, targets.magnitude]);
      optimizer.dispose();
      model.dispose();
      return out;
    } finally {
      setRecurrentKernels(previous);
    }
  }

  it.each(['lstm', 'gru'] as const)('%s (2 layers) follows the tfjs-op path’s losses step for step, learns, and repeats exactly', async (kind) => {
    await initWasmBackend();
    const recomputedBefore = recomputedForwardPasses();
    const fused = await losses(kind, true);
    // Training records gradients, so every backward pass found its forward's activations kept.
    expect(recomputedForwardPasses()).toBe(recomputedBefore);
    expect(await losses(kind, true)).toEqual(fused);
    const previous = setRelaxedRecurrentKernels(false);
    const plain = await losses(kind, true);
    setRelaxedRecurrentKernels(previous);
    plain.forEach((loss, i) => expect(Math.abs(loss - fused[i]) / fused[i], `plain build, step ${i}`).toBeLessThan(1e-3));
    const reference = await losses(kind, false);
    fused.forEach((loss, i) => expect(Math.abs(loss - reference[i]) / reference[i], `step ${i}`).toBeLessThan(1e-3));
    expect(fused[fused.length - 1]).toBeLessThan(fused[0] * 0.8);
  });
});
