/**
 * Gradient kernels that tfjs-backend-wasm 4.22 does not ship, found by training each model kind
 * one step on wasm: `Conv2DBackpropFilter` (the weight gradient of every tf.conv1d/conv2d) and
 * `UnsortedSegmentSum` (the gradient of tf.gather, e.g. embeddings). They are written as plain
 * loops over the wasm heap, following the definitions used by tfjs-backend-cpu; the project's
 * own models avoid both on the hot path, so these exist so that any tfjs layer still trains.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type KernelArgs = Parameters<tf.KernelFunc>[0];

function wasmBackendOf(args: KernelArgs): BackendWasm {
  // tfjs types a kernel's backend as KernelBackend; these configs are registered for 'wasm' only.
  return args.backend as unknown as BackendWasm;
}

/** dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·sh + kh − top, ow·sw + kw − left, ci] · dy[b,oh,ow,co] (NHWC). */
function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackendOf(args);
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
  );
  const { strideHeight, strideWidth, filterHeight, filterWidth, inChannels, outChannels } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const out = backend.makeOutput(info.filterShape, 'float32');
  const dW = backend.typedArrayFromHeap(out) as Float32Array;
  dW.fill(0);
  const xv = backend.typedArrayFromHeap(x) as Float32Array;
  const dyv = backend.typedArrayFromHeap(dy) as Float32Array;
  const [, xH, xW] = x.shape;
  const xS = tf.util.computeStrides(x.shape);
  const dyS = tf.util.computeStrides(dy.shape);
  const wS = tf.util.computeStrides(info.filterShape);
  for (let kh = 0; kh < filterHeight; kh++) {
    const ohMin = Math.max(0, Math.ceil((top - kh) / strideHeight));
    const ohMax = Math.min(info.outHeight, Math.floor((xH + top - kh - 1) / strideHeight) + 1);
    for (let kw = 0; kw < filterWidth; kw++) {
      const owMin = Math.max(0, Math.ceil((left - kw) / strideWidth));
      const owMax = Math.min(info.outWidth, Math.floor((xW + left - kw - 1) / strideWidth) + 1);
      for (let ci = 0; ci < inChannels; ci++) {
        const wBase = kh * wS[0] + kw * wS[1] + ci * wS[2];
        for (let b = 0; b < info.batchSize; b++) {
          for (let oh = ohMin; oh < ohMax; oh++) {
            const xh = oh * strideHeight + kh - top;
            for (let ow = owMin; ow < owMax; ow++) {
              const xw = ow * strideWidth + kw - left;
              const xVal = xv[b * xS[0] + xh * xS[1] + xw * xS[2] + ci];
              const dyBase = b * dyS[0] + oh * dyS[1] + ow * dyS[2];
              for (let co = 0; co < outChannels; co++) dW[wBase + co] += xVal * dyv[dyBase + co];
            }
          }
        }
      }
    }
  }
  return out;
}

/** out[segmentIds[i], …] += x[i, …]; ids outside [0, numSegments) are dropped, as in TensorFlow. */
function unsortedSegmentSum(args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackendOf(args);
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = args.attrs?.numSegments as number;
  const idRank = segmentIds.shape.length;
  const inner = tf.util.sizeFromShape(x.shape.slice(idRank));
  const out = backend.makeOutput([numSegments, ...x.shape.slice(idRank)], x.dtype);
  const ov = backend.typedArrayFromHeap(out);
  ov.fill(0);
  const xv = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  for (let i = 0; i < ids.length; i++) {
    const seg = ids[i];
    if (seg < 0 || seg >= numSegments) continue;
    const src = i * inner;
    const dst = seg * inner;
    for (let j = 0; j < inner; j++) ov[dst + j] += xv[src + j];
  }
  return out;
}

/** Kernel configs for gradients the wasm backend lacks. */
export function missingGradientKernelConfigs(): tf.KernelConfig[] {
  return [
    { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter as tf.KernelFunc },
    { kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum as tf.KernelFunc },
  ];
}
