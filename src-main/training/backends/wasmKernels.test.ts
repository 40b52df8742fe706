import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { KERNEL_MATMUL_MIN_MACS, setKernelMatMul } from './wasmFastKernels.js';
import { initWasmBackend } from './wasmSetup.js';

/** Runs `f` on wasm and on the reference cpu backend and returns both results as flat arrays. */
async function onBoth(f: () => tf.Tensor | tf.Tensor[]): Promise<{ wasm: number[][]; cpu: number[][] }> {
  const run = async (backend: string): Promise<number[][]> => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const out = f();
      // Shapes go first so a wrong output shape fails as loudly as wrong values.
      return (Array.isArray(out) ? out : [out]).flatMap((t) => [t.shape, Array.from(t.dataSync())]);
    });
  };
  const wasm = await run('wasm');
  const cpu = await run('cpu');
  await tf.setBackend('wasm');
  return { wasm, cpu };
}

function expectClose(a: number[][], b: number[][], tol = 1e-4): void {
  expect(a.length).toBe(b.length);
  a.forEach((row, i) => {
    expect(row.length).toBe(b[i].length);
    const worst = row.reduce((m, v, j) => Math.max(m, Math.abs(v - b[i][j]) / (1 + Math.abs(b[i][j]))), 0);
    expect(worst).toBeLessThanOrEqual(tol);
  });
}

function rand(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

describe('project wasm kernels', () => {
  beforeAll(async () => {
    const info = await initWasmBackend();
    expect(info.kernels.supplied).toEqual(['Conv2DBackpropFilter', 'UnsortedSegmentSum']);
    expect(info.kernels.replaced).toEqual(['Transpose', 'Sum', 'Mean', 'BatchMatMul', 'Conv2D', 'Concat', 'Identity', 'Cast', 'Slice', 'SplitV', 'Unpack']);
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matMul 2-D and batched agree with cpu (transposeA=%s, transposeB=%s)', async (ta, tb) => {
    const shapes: Array<[number[], number[]]> = [
      [ta ? [7, 5] : [5, 7], tb ? [3, 7] : [7, 3]],
      [ta ? [300, 4] : [4, 300], tb ? [9, 300] : [300, 9]], // takes the (BᵀAᵀ)ᵀ route
      [ta ? [1, 7, 5] : [1, 5, 7], tb ? [1, 3, 7] : [1, 7, 3]],
      [ta ? [4, 7, 5] : [4, 5, 7], tb ? [4, 3, 7] : [4, 7, 3]],
      [ta ? [2, 3, 7, 5] : [2, 3, 5, 7], tb ? [2, 3, 3, 7] : [2, 3, 7, 3]],
      // N a multiple of 4: the SIMD batched kernel.
      [ta ? [6, 7, 5] : [6, 5, 7], tb ? [6, 8, 7] : [6, 7, 8]],
      [ta ? [2, 3, 9, 4] : [2, 3, 4, 9], tb ? [2, 3, 12, 9] : [2, 3, 9, 12]],
      // Narrow N with M ≥ 16: computed as (BᵀAᵀ)ᵀ by the SIMD kernel.
      [ta ? [3, 6, 20] : [3, 20, 6], tb ? [3, 8, 6] : [3, 6, 8]],
      // N of 4 and 16 (the block kernel's other widths), a long K, and two batch axes.
      [ta ? [3, 33, 5] : [3, 5, 33], tb ? [3, 4, 33] : [3, 33, 4]],
      [ta ? [2, 9, 6] : [2, 6, 9], tb ? [2, 16, 9] : [2, 9, 16]],
      [ta ? [2, 2, 64, 17] : [2, 2, 17, 64], tb ? [2, 2, 8, 64] : [2, 2, 64, 8]],
      // Wider N in blocks of 16 with a narrower last block.
      [ta ? [2, 10, 7] : [2, 7, 10], tb ? [2, 36, 10] : [2, 10, 36]],
    ];
    for (const [sa, sb] of shapes) {
      const { wasm, cpu } = await onBoth(() => tf.matMul(rand(sa, 1), rand(sb, 2), ta, tb));
      expectClose(wasm, cpu);
    }
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('large matMuls (the recurrent kernels’ gemm) agree with cpu within 1e-5 (transposeA=%s, transposeB=%s)', async (ta, tb) => {
    // At least KERNEL_MATMUL_MIN_MACS multiply-adds each: the MLP's first layer and its gradients' shapes, and odd sizes.
    const shapes: Array<[number, number, number]> = [
      [256, 1024, 128],
      [1024, 256, 128],
      [256, 128, 1024],
      [37, 1001, 45],
      [129, 67, 131],
    ];
    for (const [m, k, n] of shapes) {
      expect(m * k * n).toBeGreaterThanOrEqual(KERNEL_MATMUL_MIN_MACS);
      const { wasm, cpu } = await onBoth(() => tf.matMul(rand(ta ? [k, m] : [m, k], 11), rand(tb ? [n, k] : [k, n], 12), ta, tb));
      // Relative to the output's scale: sums of k products of values in [−1, 1] grow like √k.
      const scale = Math.sqrt(k);
      expect(wasm[0]).toEqual([m, n]);
      const worst = wasm[1].reduce((w, v, i) => Math.max(w, Math.abs(v - cpu[1][i])), 0) / scale;
      expect(worst, `[${m}, ${k}]·[${k}, ${n}]`).toBeLessThanOrEqual(1e-5);
    }
  });

  it('large matMuls give the same values with the gemm off (XNNPACK) as on', () => {
    const a = rand([256, 1024], 13);
    const b = rand([1024, 128], 14);
    const on = tf.matMul(a, b).dataSync() as Float32Array;
    const previous = setKernelMatMul(false);
    try {
      const off = tf.matMul(a, b).dataSync() as Float32Array;
      const worst = on.reduce((w, v, i) => Math.max(w, Math.abs(v - off[i])), 0);
      expect(worst / Math.sqrt(1024)).toBeLessThanOrEqual(1e-5);
      expect(worst).toBeGreaterThan(0); // the two paths sum in different orders: the switch does switch
    } finally {
      setKernelMatMul(previous);
    }
  });

  it('convolutions along time (the causal conv layers, on the gemm) agree with cpu: dilations, padding, odd sizes', async () => {
    // [batch, steps, channels], taps, filters, dilation, padding along time: each ≥ KERNEL_MATMUL_MIN_MACS.
    const cases: Array<[number[], number, number, number, [number, number]]> = [
      [[256, 64, 16], 5, 32, 1, [4, 0]],
      [[33, 61, 7], 3, 45, 2, [4, 0]],
      [[19, 70, 13], 4, 37, 3, [2, 5]],
      [[40, 50, 9], 2, 64, 1, [0, 0]],
    ];
    for (const [[batch, steps, channels], taps, filters, dilation, [before, after]] of cases) {
      const outSteps = steps + before + after - (taps - 1) * dilation;
      expect(batch * outSteps * taps * channels * filters).toBeGreaterThanOrEqual(KERNEL_MATMUL_MIN_MACS);
      const { wasm, cpu } = await onBoth(() =>
        tf.conv2d(rand([batch, steps, 1, channels], 21) as tf.Tensor4D, rand([taps, 1, channels, filters], 22) as tf.Tensor4D, 1, [[0, 0], [before, after], [0, 0], [0, 0]], 'NHWC', [dilation, 1]),
      );
      expect(wasm[0]).toEqual([batch, outSteps, 1, filters]);
      const worst = wasm[1].reduce((w, v, i) => Math.max(w, Math.abs(v - cpu[1][i])), 0) / Math.sqrt(taps * channels);
      expect(worst, `${batch}×${steps}×${channels} ⊛ ${taps}×${filters} dilation ${dilation}`).toBeLessThanOrEqual(1e-5);
    }
  });

  it('matMul gradients agree with cpu', async () => {
    const { wasm, cpu } = await onBoth(() => {
      const a = rand([6, 4], 3);
      const b = rand([4, 5], 4);
      return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y).square().sum())([a, b]);
    });
    expectClose(wasm, cpu);
  });

  it('slices, splits and unstacks like the cpu backend at every rank', async () => {
    const { wasm, cpu } = await onBoth(() => {
      const x = rand([3, 4, 5, 2, 3], 5);
      return [
        tf.slice(rand([10, 6], 6), [2, 1], [5, 3]),
        tf.slice(rand([10, 6], 6), [2, 0], [5, 6]),
        tf.slice(rand([4, 5, 6], 7), [1, 2, 3], [2, 3, 2]),
        tf.slice(x, [1, 0, 2, 1, 0], [2, 3, 2, 1, 3]),
        tf.slice(x, [1], [1]),
        ...tf.split(rand([4, 9], 8), [2, 3, 4], 1),
        ...tf.unstack(rand([3, 4, 2], 9), 1),
      ];
    });
    expectClose(wasm, cpu, 0);
  });

  it('concatenates along every axis and clones like the cpu backend', async () => {
    const { wasm, cpu } = await onBoth(() => {
      const a = rand([2, 3, 4], 14);
      const b = rand([2, 3, 100], 15);
      return [
        tf.concat([a, rand([2, 3, 1], 16), b], 2),
        tf.concat([a, rand([2, 5, 4], 17)], 1),
        tf.concat([a, a], 0),
        tf.concat([tf.zeros([2, 0, 4]), a], 1),
        tf.clone(b),
      ];
    });
    expectClose(wasm, cpu, 0);
    // A clone shares the buffer; disposing one side must leave the other readable.
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
  });

  it('casts like the cpu backend, sharing the buffer when the dtype stays', async () => {
    const { wasm, cpu } = await onBoth(() => {
      const a = rand([3, 5], 18);
      return [tf.cast(a, 'float32'), tf.cast(tf.cast(tf.mul(a, 10), 'int32'), 'float32'), tf.cast(tf.greater(a, 0), 'float32')];
    });
    expectClose(wasm, cpu, 0);
    const x = tf.tensor1d([1.5, -2, 3]);
    const y = tf.cast(x, 'float32');
    const z = tf.cast(x, 'int32');
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1.5, -2, 3]);
    expect(Array.from(z.dataSync())).toEqual([1, -2, 3]);
    tf.dispose([y, z]);
  });

  it('supplies Conv2DBackpropFilter (conv weight gradient) with strides and padding', async () => {
    for (const [stride, pad] of [
      [1, 'valid'],
      [2, 'same'],
      [1, 'same'],
    ] as const) {
      const { wasm, cpu } = await onBoth(() =>
        tf.grad((w: tf.Tensor) => tf.conv2d(rand([2, 7, 6, 3], 10) as tf.Tensor4D, w as tf.Tensor4D, stride, pad).square().sum())(
          rand([3, 2, 3, 4], 11),
        ),
      );
      expectClose(wasm, cpu);
    }
  });

  it('transposes like the cpu backend: block transposes (SIMD and f32 runs, tiles, size-1 axes) and other permutations', async () => {
    const { wasm, cpu } = await onBoth(() => [
      tf.transpose(rand([300, 7], 20)),
      tf.transpose(rand([5000, 3], 21)),
      tf.transpose(rand([3, 70, 9], 22), [0, 2, 1]),
      tf.transpose(rand([6, 5, 8], 23), [1, 0, 2]),
      tf.transpose(rand([6, 5, 3], 24), [1, 0, 2]),
      tf.transpose(rand([4, 9, 3, 8], 25), [0, 2, 1, 3]),
      tf.transpose(rand([4, 9, 3, 2], 26), [0, 2, 1, 3]),
      tf.transpose(rand([2, 1, 5, 1, 3], 27), [0, 4, 2, 3, 1]),
      tf.transpose(rand([1, 1, 6], 28), [2, 0, 1]),
      tf.transpose(rand([3, 4, 5], 29), [2, 0, 1]),
      tf.transpose(rand([2, 3, 4, 5], 30), [3, 1, 2, 0]),
      tf.transpose(tf.zeros([0, 4]), [1, 0]),
      tf.transpose(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32')),
    ]);
    expectClose(wasm, cpu, 0);
  });

  it('sums and averages over leading, middle and trailing axes like the cpu backend, with and without keepDims', async () => {
    const { wasm, cpu } = await onBoth(() => {
      const x = rand([6, 40, 32], 31);
      const odd = rand([5, 7, 3], 32);
      return [
        tf.sum(x, 0),
        tf.sum(x, [0, 1]),
        tf.sum(x, 1),
        tf.sum(x, 1, true),
        tf.sum(x, [1, 0]),
        tf.sum(x, 2),
        tf.sum(x),
        tf.sum(odd, 0),
        tf.sum(odd, 1, true),
        tf.sum(rand([3, 4, 5, 8], 33), [0, 2]),
        tf.sum(tf.zeros([0, 8]), 0),
        tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 0),
        tf.mean(x, 1),
        tf.mean(x, [0, 1], true),
        tf.mean(odd, 1),
        tf.mean(x, 2),
        tf.mean(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 0),
        // The mean over time at the end of the conv and transformer models, and its gradient.
        tf.grad((t: tf.Tensor) => tf.mean(t, 1).square().sum())(x),
        // Bias gradients: the sum over the batch of a broadcast add.
        tf.grad((b: tf.Tensor) => tf.add(x, b).square().sum())(rand([32], 34)),
      ];
    });
    expectClose(wasm, cpu, 1e-5);
  });

  it('supplies UnsortedSegmentSum (gather gradient)', async () => {
    const { wasm, cpu } = await onBoth(() =>
      tf.grad((t: tf.Tensor) => tf.gather(t, tf.tensor1d([0, 2, 2, 4, 0], 'int32')).mul(rand([5, 3], 12)).sum())(rand([6, 3], 13)),
    );
    expectClose(wasm, cpu);
  });
});
