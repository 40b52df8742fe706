/**
 * Transpose, Sum and Mean for the tfjs 'wasm' backend (4.22), rewritten for the layouts training uses.
 *
 * Its Transpose walks the output one element at a time through generic N-d index arithmetic:
 * 5–8 ns per element, so turning a [16384, 96] gradient (a batch of 256 × 64 steps) costs more
 * than the matMul that needs it. Its Sum and Mean over any axis but the last transpose the input first,
 * so every bias gradient (a sum over the batch and time axes) pays that transpose too. Profiled
 * on the transformer of the training benchmark, the two took about a quarter of a step.
 *
 * Here a permutation is first reduced to its blocks of input axes that stay together; what the
 * layers produce (2-D transposes, [B, T, H, d] ↔ [B, H, T, d]) is then a batch of 2-D block
 * transposes, copied in tiles that stay in cache. A sum over a run of adjacent axes with axes
 * after it is accumulated row by row into the output, each output element summed in input order
 * in float32, as the original sums a transposed copy; other cases go to the original kernels.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { createSimdLayout } from './simdLayout.js';

type KernelArgs = Parameters<tf.KernelFunc>[0];

function requireKernel(name: string): tf.KernelConfig {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel == null) throw new Error(`wasm kernel '${name}' is not registered; load @tensorflow/tfjs-backend-wasm first`);
  return kernel;
}

let simd: { memory: unknown; kernels: ReturnType<typeof createSimdLayout> } | null = null;

/** The SIMD kernels bound to the backend's heap (simdLayout.ts), or null where they cannot be built. */
export function simdLayoutFor(backend: BackendWasm): ReturnType<typeof createSimdLayout> {
  // Emscripten exposes the instance's exports as `asm`; the typings do not declare it.
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  if (simd === null || simd.memory !== memory) simd = { memory, kernels: memory ? createSimdLayout(memory as never) : null };
  return simd.kernels;
}

/** A tensor's byte offset in the wasm heap. */
export const offsetOf = (backend: BackendWasm, t: tf.TensorInfo): number => backend.dataIdMap.get(t.dataId)!.memoryOffset;

/**
 * A permutation of `shape` reduced to its blocks: input axes that stay adjacent and in order in
 * the output are merged. Returns the merged input shape and the permutation over its blocks.
 */
export function reducePermutation(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  // Axes of size 1 move nowhere; dropping them lets more blocks merge.
  const kept = perm.filter((p) => shape[p] !== 1);
  const groups: number[][] = [];
  for (const p of kept) {
    const last = groups[groups.length - 1];
    if (last && p === last[last.length - 1] + 1) last.push(p);
    else groups.push([p]);
  }
  const byInput = [...groups].sort((a, b) => a[0] - b[0]);
  return {
    shape: byInput.map((g) => g.reduce((s, p) => s * shape[p], 1)),
    perm: groups.map((g) => byInput.indexOf(g)),
  };
}

/**
 * The permutation as a batch of 2-D block transposes, [batch, rows, cols, inner] →
 * [batch, cols, rows, inner], or null when it is not one.
 */
export function blockTransposePlan(shape: readonly number[], perm: readonly number[]): [number, number, number, number] | null {
  const reduced = reducePermutation(shape, perm);
  const s = reduced.shape;
  switch (reduced.perm.join(',')) {
    case '':
    case '0':
      return [1, 1, 1, s.reduce((a, b) => a * b, 1)];
    case '1,0':
      return [1, s[0], s[1], 1];
    case '0,2,1':
      return [s[0], s[1], s[2], 1];
    case '1,0,2':
      return [1, s[0], s[1], s[2]];
    case '0,2,1,3':
      return [s[0], s[1], s[2], s[3]];
    default:
      return null;
  }
}

/** Rows copied per tile: a tile of the input (rows × cols × inner floats) stays within ~16 KB. */
const TILE_FLOATS = 4096;

/** out[b, c, r, :] = x[b, r, c, :] for float32 views. */
export function blockTranspose(x: Float32Array, out: Float32Array, batch: number, rows: number, cols: number, inner: number): void {
  const tile = Math.max(1, Math.floor(TILE_FLOATS / Math.max(1, cols * inner)));
  const plane = rows * cols * inner;
  for (let b = 0; b < batch; b++) {
    const base = b * plane;
    for (let r0 = 0; r0 < rows; r0 += tile) {
      const r1 = Math.min(rows, r0 + tile);
      for (let c = 0; c < cols; c++) {
        let o = base + (c * rows + r0) * inner;
        if (inner === 1) {
          for (let r = r0, i = base + r0 * cols + c; r < r1; r++, i += cols) out[o++] = x[i];
        } else {
          for (let r = r0; r < r1; r++) {
            const i = base + (r * cols + c) * inner;
            for (let e = 0; e < inner; e++) out[o + e] = x[i + e];
            o += inner;
          }
        }
      }
    }
  }
}

/**
 * out[o, j] = Σ_i x[o, i, j] for x [outer, reduce, inner] (float32, each output summed in
 * order of i, rounded to float32 after every addition).
 */
export function sumMiddleAxis(x: Float32Array, out: Float32Array, outer: number, reduce: number, inner: number): void {
  out.fill(0);
  for (let o = 0; o < outer; o++) {
    const at = o * inner;
    for (let i = 0; i < reduce; i++) {
      const from = (o * reduce + i) * inner;
      for (let j = 0; j < inner; j++) out[at + j] += x[from + j];
    }
  }
}

/** Transpose that copies whole blocks in cache-sized tiles (see the header); other cases go to the original. */
export function fastTransposeConfig(): tf.KernelConfig {
  const original = requireKernel('Transpose');
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const perm = args.attrs?.perm as number[];
    if (x.dtype !== 'float32') return original.kernelFunc(args) as tf.TensorInfo;
    const plan = blockTransposePlan(x.shape, perm);
    if (plan === null) return original.kernelFunc(args) as tf.TensorInfo;
    const backend = args.backend as unknown as BackendWasm;
    const out = backend.makeOutput(perm.map((p) => x.shape[p]), 'float32');
    // makeOutput may grow the wasm memory, which detaches older views: take views afterwards.
    const outVals = backend.typedArrayFromHeap(out) as Float32Array;
    if (outVals.length === 0) return out;
    const xVals = backend.typedArrayFromHeap(x) as Float32Array;
    const [batch, rows, cols, inner] = plan;
    const kernels = simdLayoutFor(backend);
    if (rows === 1 || cols === 1) outVals.set(xVals);
    else if (kernels) kernels.transpose(offsetOf(backend, x), offsetOf(backend, out), batch, rows, cols, inner * 4, Math.max(1, Math.floor(TILE_FLOATS / (cols * inner))));
    else blockTranspose(xVals, outVals, batch, rows, cols, inner);
    return out;
  };
  return { kernelName: 'Transpose', backendName: 'wasm', setupFunc: original.setupFunc, kernelFunc: kernelFunc as tf.KernelFunc };
}

/**
 * Sum (or Mean) over adjacent axes followed by others, without the original's transpose (see the
 * header); other cases go to the original kernel.
 */
function middleAxesReduction(kernelName: 'Sum' | 'Mean'): tf.KernelConfig {
  const original = requireKernel(kernelName);
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype !== 'float32') return original.kernelFunc(args) as tf.TensorInfo;
    const axes = tf.util.parseAxisParam(args.attrs?.axis as number | number[], x.shape).sort((a, b) => a - b);
    const first = axes[0];
    const last = axes[axes.length - 1];
    // Only a run of adjacent axes with at least one axis after it; a reduction over the last axes is already fast.
    if (axes.length === 0 || last - first + 1 !== axes.length || last === x.shape.length - 1) return original.kernelFunc(args) as tf.TensorInfo;
    const size = (from: number, to: number): number => x.shape.slice(from, to).reduce((a, b) => a * b, 1);
    const outer = size(0, first);
    const reduce = size(first, last + 1);
    const inner = size(last + 1, x.shape.length);
    const keepDims = Boolean(args.attrs?.keepDims);
    const outShape = x.shape.flatMap((d, i) => (i < first || i > last ? [d] : keepDims ? [1] : []));
    const backend = args.backend as unknown as BackendWasm;
    const out = backend.makeOutput(outShape, 'float32');
    const outVals = backend.typedArrayFromHeap(out) as Float32Array;
    if (outVals.length === 0) return out;
    const kernels = inner % 4 === 0 ? simdLayoutFor(backend) : null;
    if (kernels) kernels.sum(offsetOf(backend, x), offsetOf(backend, out), outer, reduce, inner * 4);
    else sumMiddleAxis(backend.typedArrayFromHeap(x) as Float32Array, outVals, outer, reduce, inner);
    if (kernelName === 'Mean') for (let j = 0; j < outVals.length; j++) outVals[j] /= reduce;
    return out;
  };
  return { kernelName, backendName: 'wasm', setupFunc: original.setupFunc, kernelFunc: kernelFunc as tf.KernelFunc };
}

/** Sum over adjacent axes followed by others, without the original's transpose (see the header). */
export const fastSumConfig = (): tf.KernelConfig => middleAxesReduction('Sum');

/** Mean over adjacent axes followed by others (the sum, divided by the count), without the original's transpose. */
export const fastMeanConfig = (): tf.KernelConfig => middleAxesReduction('Mean');
