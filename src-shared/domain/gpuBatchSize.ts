/**
 * A batch size the GPU can hold, from the adapter's limits. WebGPU reports no total memory, only
 * per-buffer limits; every tensor of a training step is one storage buffer, and one bound larger
 * than `maxStorageBufferBindingSize` fails the step. The largest per-sample tensors of the model
 * zoo are the recurrent gates (window × 4·hidden), the attention scores (heads × window²), the
 * transformer's feed-forward layer (window × 4·hidden) and the input window itself.
 */

/** What the suggestion reads from the model settings. */
export interface BatchShape {
  window: number;
  features: number;
  hidden: number;
  heads: number;
}

const FLOAT_BYTES = 4;
const MIN_BATCH = 8;
const MAX_BATCH = 8192;

/** Bytes of the largest single tensor one sample contributes to a training step. */
export function largestTensorBytesPerSample(shape: BatchShape): number {
  const { window, features, hidden, heads } = shape;
  return FLOAT_BYTES * Math.max(window * features, window * 4 * hidden, heads * window * window);
}

/**
 * The largest power of two (8 to 8192, the training form's range) whose largest tensor fits the
 * binding limit with half of it to spare, since tfjs may pack a step's tensors in other layouts.
 */
export function suggestedGpuBatchSize(limits: { maxStorageBufferBindingSize: number }, shape: BatchShape): number {
  const fits = Math.floor(limits.maxStorageBufferBindingSize / 2 / largestTensorBytesPerSample(shape));
  if (fits < MIN_BATCH) return MIN_BATCH;
  return Math.min(MAX_BATCH, 2 ** Math.floor(Math.log2(fits)));
}
