/**
 * Tensors in and out of the WebAssembly kernels without needless copies: operands read where
 * they lie, results written where their tensors will live.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * A float32 tensor's values for a kernel call to copy in: on wasm a view of the backend's heap
 * (no copy, no garbage: dataSync would slice a fresh array for every operand, megabytes a step);
 * elsewhere dataSync. The view is valid only until tfjs next allocates, so read every operand of
 * a call, then call the kernel, before creating any tensor.
 */
export function kernelOperand(t: tf.Tensor): Float32Array {
  if (tf.getBackend() === 'wasm' && t.dtype === 'float32') {
    const backend = tf.backend() as unknown as BackendWasm;
    // A tensor made on another backend has not moved here yet; dataSync moves it.
    if (backend.dataIdMap.has(t.dataId)) return backend.typedArrayFromHeap(t) as Float32Array;
  }
  return t.dataSync() as Float32Array;
}

/**
 * New float32 tensors of `shapes` whose values `compute` writes into the arrays it is given: on
 * wasm, views of the tensors' own memory in the backend's heap (so a kernel's result is copied
 * once, not into a fresh array and then again into the heap); elsewhere new arrays the tensors
 * then own. The tensors are allocated before `compute` runs, so operands read with
 * {@link kernelOperand} inside it stay valid.
 */
export function kernelResults(shapes: number[][], compute: (outs: Float32Array[]) => void): tf.Tensor[] {
  if (tf.getBackend() !== 'wasm') {
    const outs = shapes.map((shape) => new Float32Array(tf.util.sizeFromShape(shape)));
    compute(outs);
    return outs.map((values, i) => tf.tensor(values, shapes[i], 'float32'));
  }
  const backend = tf.backend() as unknown as BackendWasm;
  const infos = shapes.map((shape) => backend.makeOutput(shape, 'float32'));
  try {
    compute(infos.map((info) => backend.typedArrayFromHeap(info) as Float32Array));
  } catch (error) {
    for (const info of infos) backend.disposeData(info.dataId, true);
    throw error;
  }
  return infos.map((info) => tf.engine().makeTensorFromTensorInfo(info));
}

/** Backends whose tensors live in host memory (wasm's heap, cpu's arrays): there the kernels and host loops beat tfjs ops. */
const HOST_BACKENDS: ReadonlySet<string> = new Set(['wasm', 'cpu']);

/** Whether the active backend keeps its tensors in host memory ({@link HOST_BACKENDS}). */
export function onHostBackend(): boolean {
  return HOST_BACKENDS.has(tf.getBackend());
}

/**
 * The gradient an op returns for an input that nothing trained lies upstream of (a layer with
 * `inputGradient: false`): a float32 scalar, not zeros of the input's shape. tfjs reads only the
 * gradients of inputs on a path from a trained variable, so this one is dropped unread (zeros of
 * a [256, 64, 16] input cost a megabyte written every step); and were the input on such a path
 * after all, tfjs would refuse the scalar's shape loudly rather than train on silent zeros.
 */
export function unreadGradient(): tf.Tensor {
  return tf.zeros([]);
}

/**
 * Whether tfjs is recording gradients: only then can a backward pass follow, so only then do the
 * kernel ops keep their activations. Read from the engine's state; if that field ever moves,
 * assume recording.
 */
export function recordingGradients(): boolean {
  const depth = (tf.engine() as unknown as { state?: { gradientDepth?: number } }).state?.gradientDepth;
  return typeof depth !== 'number' || depth > 0;
}
