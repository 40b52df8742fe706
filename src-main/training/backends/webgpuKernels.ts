/**
 * Kernels the tfjs 'webgpu' backend (4.22) gets wrong for training and the project replaces.
 *
 * AddN binds every input as a storage buffer in one shader, so more inputs than the device's
 * maxStorageBuffersPerShaderStage minus one (the output) fail validation (Dawn's default limit is
 * 8; llvmpipe offers 16). Clipping by global norm sums one square per trainable variable, dozens
 * for the recurrent and attention models. Concat already splits its inputs this way; AddN does not.
 */
import * as tf from '@tensorflow/tfjs';

/** A kernel's output as the engine returns it from kernelFunc. */
type KernelOutput = tf.TensorInfo | tf.TensorInfo[];

/** The disposal a backend offers for intermediate results (public on every tfjs backend). */
interface DisposingBackend {
  disposeData(dataId: object): boolean;
}

let installed = false;

/**
 * Replaces AddN on 'webgpu' with one that adds at most `maxStorageBuffers - 1` inputs per shader
 * and then adds the partial sums the same way. Requires @tensorflow/tfjs-backend-webgpu to have
 * been imported; registers once per process.
 */
export function registerWebGpuTrainingKernels(maxStorageBuffers: number): void {
  if (installed) return;
  const original = tf.getKernel(tf.AddN, 'webgpu');
  if (!original) throw new Error("the webgpu backend has no AddN kernel to wrap (was @tensorflow/tfjs-backend-webgpu imported?)");
  const perShader = Math.max(2, maxStorageBuffers - 1);
  const addN = (args: Parameters<tf.KernelFunc>[0], inputs: tf.TensorInfo[]): tf.TensorInfo => {
    if (inputs.length <= perShader) return original.kernelFunc({ ...args, inputs: inputs as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo;
    const partial: tf.TensorInfo[] = [];
    for (let i = 0; i < inputs.length; i += perShader) partial.push(addN(args, inputs.slice(i, i + perShader)));
    const sum = addN(args, partial);
    for (const p of partial) (args.backend as unknown as DisposingBackend).disposeData(p.dataId);
    return sum;
  };
  tf.unregisterKernel(tf.AddN, 'webgpu');
  tf.registerKernel({
    kernelName: tf.AddN,
    backendName: 'webgpu',
    // AddN's inputs arrive as an array (the op passes its tensor list as the input map).
    kernelFunc: (args): KernelOutput => addN(args, args.inputs as unknown as tf.TensorInfo[]),
  });
  installed = true;
}
