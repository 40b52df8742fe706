/**
 * Faster replacements for a few tfjs-backend-wasm 4.22 kernels that training leans on.
 *
 * The wasm backend only reaches XNNPACK's fast GEMM for a 2-D `BatchMatMul` without transposes;
 * every matMul with `transposeA`/`transposeB` (that is, every gradient of a dense layer) and
 * every batched one (attention) falls into a naive scalar triple loop, 5–10× slower. Its `Slice`
 * kernel copies the WHOLE input out
 * of the wasm heap before taking the slice, so slicing one time step out of a sequence costs a
 * copy of the sequence; its `Concat` and `Identity` (used by every tf.clone, e.g. tensors saved
 * for a gradient) copy with one typed-array call per row, which dominates for narrow rows. The
 * matMul wrapper keeps the original kernel and only changes how it is called; the copy kernels
 * are rewritten with the same results.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { kernelMatMul, kernelTimeConv, matMulKernelAvailable } from '../kernels/recurrentKernels.js';
import { createSimdBatchMatMul, isWasmMemory, type SimdBatchMatMul, type WasmMemory } from './simdBatchMatMul.js';
import { offsetOf, simdLayoutFor } from './wasmLayoutKernels.js';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** tfjs types a kernel's backend as the abstract KernelBackend; on 'wasm' it is BackendWasm. */
function wasmBackendOf(args: KernelArgs): BackendWasm {
  return args.backend as unknown as BackendWasm;
}

/** A float32 tensor's values as a view of the wasm heap (valid until the heap next grows). */
function heapFloats(backend: BackendWasm, t: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

function requireKernel(name: string): tf.KernelConfig {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel == null) throw new Error(`wasm kernel '${name}' is not registered; load @tensorflow/tfjs-backend-wasm first`);
  return kernel;
}

function callKernel(kernel: tf.KernelConfig, args: KernelArgs): tf.TensorInfo {
  return kernel.kernelFunc(args) as tf.TensorInfo;
}

/** Swaps the last two axes of `x` with the backend's own Transpose kernel. */
function transposeLastTwo(transpose: tf.KernelConfig, x: tf.TensorInfo, backend: BackendWasm): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return callKernel(transpose, { inputs: { x }, backend: backend as unknown as tf.KernelBackend, attrs: { perm } });
}

let simdKernels: { memory: WasmMemory; run: Map<number, SimdBatchMatMul> | null } | null = null;

/** The SIMD batched matMul (simdBatchMatMul.ts) by block width, bound to the backend's heap, or null where it cannot be built. */
function simdBatchMatMulFor(backend: BackendWasm): Map<number, SimdBatchMatMul> | null {
  // Emscripten exposes the instance's exports as `asm`; the typings do not declare it.
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  if (!isWasmMemory(memory)) return null;
  if (simdKernels === null || simdKernels.memory !== memory) simdKernels = { memory, run: createSimdBatchMatMul(memory) };
  return simdKernels.run;
}

// Measured on wasm-simd in Node 20 (ns per element): XNNPACK packs a fresh right-hand matrix at
// ~15 ns/element (it re-packs whenever the tensor id changes, i.e. on every gradient), a
// transpose costs ~2 ns/element. Used only to pick the cheaper of two equivalent layouts.
const PACK_NS = 15;
const TRANSPOSE_NS = 2;

/**
 * Products of at least this many multiply-adds run on the recurrent kernels' gemm
 * ({@link kernelMatMul}); smaller ones stay on XNNPACK, where copying operands in and out would
 * cost more than the faster microkernel saves.
 */
export const KERNEL_MATMUL_MIN_MACS = 1 << 20;
/**
 * …and so do products whose right-hand matrix holds at least this many values: XNNPACK packs a B
 * it has not seen (every gradient's) at ~15 ns a value, which the gemm's plain copy beats by far
 * (a conv bias gradient, [1, 16384]·[16384, 32]: 1.9 ms on XNNPACK in a training step).
 */
export const KERNEL_MATMUL_MIN_B_VALUES = 1 << 16;
/**
 * Operands and product together above this many values stay on XNNPACK: the gemm copies them into
 * a second wasm memory, which must not grow towards its 4 GiB limit (nor double a huge product's
 * footprint).
 */
const KERNEL_MATMUL_MAX_VALUES = 1 << 26;

let kernelMatMulOn = true;

/** Sends large dense matMuls and time convolutions to the recurrent kernels' gemm (true, the default) or to XNNPACK; returns the previous setting. For tests and benchmarks that compare both. */
export function setKernelMatMul(on: boolean): boolean {
  const previous = kernelMatMulOn;
  kernelMatMulOn = on;
  return previous;
}

/**
 * BatchMatMul that sends large unbatched products to the recurrent kernels' gemm (see
 * {@link KERNEL_MATMUL_MIN_MACS}) and the rest of them to XNNPACK: transposed operands are
 * transposed explicitly, and for such calls (autodiff's gradients), when packing `b` would cost
 * more than packing `a`, it computes (BᵀAᵀ)ᵀ instead. Batched products go to the project's SIMD
 * kernel (simdBatchMatMul.ts) when N is a multiple of 4, else to the naive loop in its
 * cache-friendly layout (`transposeB=true`, both inner loops contiguous).
 */
export function fastBatchMatMulConfig(): tf.KernelConfig {
  const original = requireKernel('BatchMatMul');
  const transpose = requireKernel('Transpose');
  const reshape = requireKernel('Reshape');
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const backend = wasmBackendOf(args);
    const kb = args.backend;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const transposeA = Boolean(args.attrs?.transposeA);
    const transposeB = Boolean(args.attrs?.transposeB);
    const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return callKernel(original, args);

    const temps: tf.TensorInfo[] = [];
    const own = (t: tf.TensorInfo): tf.TensorInfo => (temps.push(t), t);
    const finish = (out: tf.TensorInfo): tf.TensorInfo => {
      for (const t of temps) backend.disposeData(t.dataId);
      return out;
    };

    if (batchA === 1 && batchB === 1) {
      const m = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
      const k = transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
      const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
      const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
      const a2 = own(callKernel(reshape, { inputs: { x: a }, backend: kb, attrs: { shape: transposeA ? [k, m] : [m, k] } }));
      const b2 = own(callKernel(reshape, { inputs: { x: b }, backend: kb, attrs: { shape: transposeB ? [n, k] : [k, n] } }));
      const values = m * k + k * n + m * n;
      if (kernelMatMulOn && (m * k * n >= KERNEL_MATMUL_MIN_MACS || k * n >= KERNEL_MATMUL_MIN_B_VALUES) && values <= KERNEL_MATMUL_MAX_VALUES && matMulKernelAvailable()) {
        const out = backend.makeOutput(outShape, 'float32');
        // Views after makeOutput: growing the heap detaches older ones.
        const heap = (t: tf.TensorInfo) => heapFloats(backend, t);
        kernelMatMul(heap(a2), transposeA, heap(b2), transposeB, m, k, n, heap(out));
        return finish(out);
      }
      const direct = PACK_NS * k * n + TRANSPOSE_NS * ((transposeA ? m * k : 0) + (transposeB ? k * n : 0));
      const flipped = PACK_NS * k * m + TRANSPOSE_NS * ((transposeA ? 0 : m * k) + (transposeB ? 0 : k * n) + m * n);
      let out: tf.TensorInfo;
      if (!transposeA && !transposeB) {
        // An untransposed call keeps its layout: `b` may be a matrix reused across calls (weights,
        // a shared gradient), whose packing XNNPACK caches by tensor id.
        out = callKernel(original, { inputs: { a: a2, b: b2 }, backend: kb, attrs: { transposeA: false, transposeB: false } });
      } else if (direct <= flipped) {
        const aN = transposeA ? own(transposeLastTwo(transpose, a2, backend)) : a2;
        const bN = transposeB ? own(transposeLastTwo(transpose, b2, backend)) : b2;
        out = callKernel(original, { inputs: { a: aN, b: bN }, backend: kb, attrs: { transposeA: false, transposeB: false } });
      } else {
        // C = (Bᵀ Aᵀ)ᵀ: Bᵀ is b itself when transposeB was asked for, likewise Aᵀ.
        const bT = transposeB ? b2 : own(transposeLastTwo(transpose, b2, backend));
        const aT = transposeA ? a2 : own(transposeLastTwo(transpose, a2, backend));
        const cT = own(callKernel(original, { inputs: { a: bT, b: aT }, backend: kb, attrs: { transposeA: false, transposeB: false } }));
        out = transposeLastTwo(transpose, cT, backend);
      }
      out.shape = outShape;
      return finish(out);
    }

    const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
    // C in column blocks of ≤ 16 held in registers (simdBatchMatMul.ts); Aᵀ is read in place, Bᵀ transposed once.
    const blocks = batchA === batchB && n % 4 === 0 ? simdBatchMatMulFor(backend) : null;
    if (blocks) {
      const m = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
      const k = transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
      const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
      const bN = transposeB ? own(transposeLastTwo(transpose, b, backend)) : b;
      const out = backend.makeOutput(outShape, 'float32');
      const offset = (t: tf.TensorInfo): number => backend.dataIdMap.get(t.dataId)!.memoryOffset;
      const [aAt, bAt, cAt] = [offset(a), offset(bN), offset(out)];
      for (let column = 0; column < n; column += 16) {
        const width = Math.min(16, n - column);
        blocks.get(width)!(aAt, bAt + 4 * column, cAt + 4 * column, batchA, m, k, transposeA ? 4 : k * 4, transposeA ? m * 4 : 4, n * 4, n * 4);
      }
      return finish(out);
    }
    if (batchA === batchB && (transposeA || !transposeB)) {
      const aN = transposeA ? own(transposeLastTwo(transpose, a, backend)) : a;
      const bT = transposeB ? b : own(transposeLastTwo(transpose, b, backend));
      return finish(callKernel(original, { inputs: { a: aN, b: bT }, backend: kb, attrs: { transposeA: false, transposeB: true } }));
    }
    return callKernel(original, args);
  };
  return { kernelName: 'BatchMatMul', backendName: 'wasm', setupFunc: original.setupFunc, kernelFunc: kernelFunc as tf.KernelFunc };
}

/**
 * Conv2D that sends convolutions along time (the causal conv layers: input [B, T, 1, C], filter
 * [k, 1, C, F], stride 1, padding only along time) to the recurrent kernels' gemm
 * ({@link kernelTimeConv}), which reads each output's window in place; XNNPACK's convolution ran
 * the benchmark's conv layer ([256, 64, 1, 16] ⊛ [5, 1, 16, 32]) at ≈ 8 G multiply-adds/s. Other
 * convolutions, and small ones, keep the original kernel.
 */
export function fastConv2DConfig(): tf.KernelConfig {
  const original = requireKernel('Conv2D');
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const backend = wasmBackendOf(args);
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DAttrs;
    if (!kernelMatMulOn || x.dtype !== 'float32' || filter.dtype !== 'float32' || attrs.dataFormat === 'NCHW') return callKernel(original, args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const alongTime = info.inWidth === 1 && info.filterWidth === 1 && info.outWidth === 1 && info.strideHeight === 1 && info.padInfo.left === 0 && info.padInfo.right === 0;
    const macs = info.batchSize * info.outHeight * info.outChannels * info.filterHeight * info.inChannels;
    const values = tf.util.sizeFromShape(x.shape) + tf.util.sizeFromShape(filter.shape) + tf.util.sizeFromShape(info.outShape);
    if (!alongTime || macs < KERNEL_MATMUL_MIN_MACS || values > KERNEL_MATMUL_MAX_VALUES || !matMulKernelAvailable()) return callKernel(original, args);
    const out = backend.makeOutput(info.outShape, 'float32');
    // Views after makeOutput: growing the heap detaches older ones.
    const heap = (t: tf.TensorInfo) => heapFloats(backend, t);
    kernelTimeConv(heap(x), heap(filter), {
      batch: info.batchSize,
      steps: info.inHeight,
      channels: info.inChannels,
      padBefore: info.padInfo.top,
      padAfter: info.padInfo.bottom,
      taps: info.filterHeight,
      dilation: info.dilationHeight,
      filters: info.outChannels,
    }, heap(out));
    return out;
  };
  return { kernelName: 'Conv2D', backendName: 'wasm', setupFunc: original.setupFunc, kernelFunc: kernelFunc as tf.KernelFunc };
}

/**
 * Copies `length` floats between two views of the wasm heap. All tensors live in one
 * ArrayBuffer, so a run is one `copyWithin` on a whole-heap view: a native memmove with no
 * per-call allocation (subarray()+set() allocates a view per row, which dominated narrow rows).
 * Float32Array only; other dtypes go to the original kernels.
 */
function copyRun(src: Float32Array, srcOffset: number, dst: Float32Array, dstOffset: number, length: number): void {
  if (length < 32) {
    for (let i = 0; i < length; i++) dst[dstOffset + i] = src[srcOffset + i];
    return;
  }
  const heap = heapOf(dst);
  const from = src.byteOffset / 4 + srcOffset;
  heap.copyWithin(dst.byteOffset / 4 + dstOffset, from, from + length);
}

let heapView: Float32Array | null = null;

/** A Float32Array over the whole wasm heap, rebuilt when memory growth replaced the buffer. */
function heapOf(view: Float32Array): Float32Array {
  if (heapView === null || heapView.buffer !== view.buffer) heapView = new Float32Array(view.buffer);
  return heapView;
}

/** The backend's own Slice, kept for dtypes the in-place version does not handle. */
let originalSlice: tf.KernelConfig;

/** Slice that reads its input in place on the wasm heap instead of copying all of it first. */
function sliceInPlace(args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackendOf(args);
  const { x } = args.inputs as { x: tf.TensorInfo };
  const [begin, size] = tf.slice_util.parseSliceParams(
    x as tf.Tensor,
    args.attrs?.begin as number | number[],
    args.attrs?.size as number | number[] | undefined,
  );
  if (x.dtype !== 'float32') return callKernel(originalSlice, args);
  // makeOutput may grow the wasm memory, which detaches older views: take views afterwards.
  const out = backend.makeOutput(size, x.dtype);
  const outVals = heapFloats(backend, out);
  if (outVals.length === 0) return out;
  const xVals = heapFloats(backend, x);
  const strides = tf.util.computeStrides(x.shape);
  if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    const offset = tf.slice_util.computeFlatOffset(begin, strides);
    outVals.set(xVals.subarray(offset, offset + outVals.length));
    return out;
  }
  const rank = x.shape.length;
  const run = size[rank - 1];
  const simd = simdLayoutFor(backend);
  if (simd) {
    // One SIMD call per block of rows (the second-to-last axis), walking the axes before it like an odometer.
    const rows = size[rank - 2];
    const index = new Array<number>(Math.max(rank - 2, 0)).fill(0);
    const [xAt, outAt] = [offsetOf(backend, x), offsetOf(backend, out)];
    for (let outOffset = 0; ; outOffset += rows * run) {
      let xOffset = begin[rank - 1] + begin[rank - 2] * strides[rank - 2];
      for (let d = 0; d < rank - 2; d++) xOffset += (begin[d] + index[d]) * strides[d];
      simd.copyRows(xAt + 4 * xOffset, 4 * strides[rank - 2], outAt + 4 * outOffset, 4 * run, rows, 4 * run);
      let d = rank - 3;
      while (d >= 0 && ++index[d] === size[d]) index[d--] = 0;
      if (d < 0) return out;
    }
  }
  // Copy contiguous runs along the last axis, walking the outer axes like an odometer.
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  let outOffset = 0;
  for (;;) {
    let xOffset = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) xOffset += (begin[d] + index[d]) * strides[d];
    copyRun(xVals, xOffset, outVals, outOffset, run);
    outOffset += run;
    let d = rank - 2;
    while (d >= 0 && ++index[d] === size[d]) index[d--] = 0;
    if (d < 0) break;
  }
  return out;
}

/**
 * Identity that shares the input's buffer (reference counted), as the cpu backend does: tensors
 * are immutable, so the wasm backend's copy only costs time.
 */
export function sharedIdentityConfig(): tf.KernelConfig {
  const original = requireKernel('Identity');
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return callKernel(original, args);
    wasmBackendOf(args).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return { kernelName: 'Identity', backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc };
}

/**
 * Cast that shares the input's buffer when the dtype stays the same, as Identity does above:
 * tfjs' gradient of Identity (every clone, e.g. the first input of a tf.layers.add) is a cast to
 * float32 of a float32 gradient, which the wasm backend copied (2 MB a step in a conv block).
 */
export function sharedCastConfig(): tf.KernelConfig {
  const original = requireKernel('Cast');
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string' || x.dtype !== (args.attrs as { dtype?: string } | undefined)?.dtype) return callKernel(original, args);
    wasmBackendOf(args).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return { kernelName: 'Cast', backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc };
}

/** Concat with per-row copies done by loop for narrow rows (see {@link copyRun}). */
export function fastConcatConfig(): tf.KernelConfig {
  const original = requireKernel('Concat');
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const backend = wasmBackendOf(args);
    const inputs = args.inputs as unknown as tf.TensorInfo[];
    const nonEmpty = inputs.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
    if (nonEmpty.length < 2 || nonEmpty[0].dtype !== 'float32') return callKernel(original, args);
    const axis = tf.util.parseAxisParam(args.attrs?.axis as number, inputs[0].shape)[0];
    const outShape = tf.backend_util.computeOutShape(inputs.map((t) => t.shape), axis);
    const out = backend.makeOutput(outShape, nonEmpty[0].dtype);
    const outVals = heapFloats(backend, out);
    const outer = tf.util.sizeFromShape(nonEmpty[0].shape.slice(0, axis));
    const inner = nonEmpty.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
    const rowLength = inner.reduce((a, b) => a + b, 0);
    const simd = simdLayoutFor(backend);
    nonEmpty.forEach((t, i) => {
      const column = inner.slice(0, i).reduce((a, b) => a + b, 0);
      if (simd) {
        simd.copyRows(offsetOf(backend, t), 4 * inner[i], offsetOf(backend, out) + 4 * column, 4 * rowLength, outer, 4 * inner[i]);
        return;
      }
      const vals = heapFloats(backend, t);
      for (let row = 0; row < outer; row++) copyRun(vals, row * inner[i], outVals, row * rowLength + column, inner[i]);
    });
    return out;
  };
  return { kernelName: 'Concat', backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** Slice, SplitV and Unpack (the latter two call Slice internally) using the in-place read. */
export function inPlaceSliceConfigs(): tf.KernelConfig[] {
  originalSlice = requireKernel('Slice');
  const splitV = (args: KernelArgs): tf.TensorInfo[] => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const axis = tf.util.parseAxisParam(args.attrs?.axis as number, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, args.attrs?.numOrSizeSplits as number | number[], axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[axis] = s;
      const part = sliceInPlace({ inputs: { x }, backend: args.backend, attrs: { begin: [...begin], size } });
      begin[axis] += s;
      return part;
    });
  };
  const unpack = (args: KernelArgs): tf.TensorInfo[] => {
    const { value } = args.inputs as { value: tf.TensorInfo };
    const rank = value.shape.length;
    const axis = ((args.attrs?.axis as number) + rank) % rank;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const size = [...value.shape];
    size[axis] = 1;
    return Array.from({ length: value.shape[axis] }, (_, i) => {
      const begin = new Array<number>(rank).fill(0);
      begin[axis] = i;
      const part = sliceInPlace({ inputs: { x: value }, backend: args.backend, attrs: { begin, size } });
      return { dataId: part.dataId, dtype: part.dtype, shape: outShape };
    });
  };
  return [
    { kernelName: 'Slice', backendName: 'wasm', kernelFunc: sliceInPlace as tf.KernelFunc },
    { kernelName: 'SplitV', backendName: 'wasm', kernelFunc: splitV as unknown as tf.KernelFunc },
    { kernelName: 'Unpack', backendName: 'wasm', kernelFunc: unpack as unknown as tf.KernelFunc },
  ];
}
