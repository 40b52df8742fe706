/**
 * How many data-parallel threads a model and batch are worth, decided from their arithmetic alone
 * (never from the machine's current load), so that a run repeats exactly for a fixed seed and
 * thread count.
 *
 * Splitting a batch over threads adds costs to every step that grow with the weights, not the
 * samples: the weights go out to every thread, the gradients come back and are summed, and the
 * optimizer steps on one thread, a few passes over every weight; and each thread runs tfjs' fixed
 * per-op overhead for its shard. A model whose weights are each used many times per shard (along
 * the window, in the conv, recurrent and attention layers) hides those costs; one whose weights
 * are each used once per sample (the MLP's first layer) hides them once its shard has a hundred
 * or so samples. Measured with the training benchmark's shapes (batch 256, window 64, 16
 * features) on a 2-core machine, 2 threads against 1, in one process: the MLP (shards of 17 M
 * multiply-adds, 128 per weight) 48–58k against 37–45k samples/s once the gradients were summed
 * in one pass and read from the heap without copies (dataParallel.ts); the conv block, the
 * recurrent models and the transformer (25–170 M, thousands per weight) gained 1.2–1.5×. Hence
 * two thresholds a shard must meet: {@link MIN_SHARD_MULTIPLY_ADDS} and
 * {@link MIN_SHARD_MULTIPLY_ADDS_PER_WEIGHT}.
 */
import type { ModelConfig } from '../models/index.js';

/** The least forward multiply-adds a thread's shard of a batch must carry for the thread to pay off. */
export const MIN_SHARD_MULTIPLY_ADDS = 2 ** 24;
/** …and the least per weight of the model, so that exchanging the weights and gradients stays cheap beside the shard's work. */
export const MIN_SHARD_MULTIPLY_ADDS_PER_WEIGHT = 64;

/**
 * The model's matrix products for one sample: each weight matrix as [its weights, how many times a
 * sample uses it] (once in the MLP, once per step of the window in sequence layers), plus the
 * multiply-adds of products without weights (attention's scores and weighted values). Biases,
 * norm gains and element-wise work (activations, gates' nonlinearities) are left out.
 */
function matrixProducts(config: ModelConfig): { matrices: Array<[weights: number, uses: number]>; weightless: number } {
  const { window: T, features: F, hidden: H, layers: L, classes: C } = config;
  const matrices: Array<[number, number]> = [[H * C + (config.magnitudeHead ? H : 0), 1]];
  let weightless = 0;
  // Per attention layer: Q, K, V, the output projection, and the FFN (two matrices, width `ffn`·d).
  const attention = (ffn: number): void => {
    for (let i = 0; i < L; i++) matrices.push([3 * H * H, T], [H * H, T], [2 * ffn * H * H, T]);
    weightless += L * 2 * T * T * H;
  };
  switch (config.kind) {
    case 'mlp':
      matrices.push([(config.lastSteps ?? T) * F * H, 1], [(L - 1) * H * H, 1]);
      break;
    case 'cnn': {
      const k = config.kernelSize ?? 5;
      for (let i = 0, width = F; i < L; i++, width = H) {
        matrices.push([k * width * H, T]);
        // The residual projection when the block changes width.
        if (width !== H) matrices.push([width * H, T]);
      }
      break;
    }
    case 'lstm':
    case 'gru': {
      const gates = config.kind === 'lstm' ? 4 : 3;
      for (let i = 0, width = F; i < L; i++, width = H) matrices.push([gates * H * (width + H), T]);
      break;
    }
    case 'transformer':
      // Input projection, then the layers (FFN of width 2d).
      matrices.push([F * H, T]);
      attention(2);
      break;
    case 'tft':
      // Feature selection and embedding, the local LSTM, then causal attention layers with gated residuals.
      matrices.push([F * H * 2, T], [4 * H * 2 * H, T]);
      attention(3);
      break;
  }
  return { matrices, weightless };
}

/**
 * Forward-pass multiply-adds of one sample through the model's matrix products (the dominant
 * work; backward costs about twice as much in the same proportions).
 */
export function multiplyAddsPerSample(config: ModelConfig): number {
  const { matrices, weightless } = matrixProducts(config);
  return matrices.reduce((sum, [weights, uses]) => sum + weights * uses, weightless);
}

/**
 * Weights of the model's matrix products (those {@link multiplyAddsPerSample} counts), which a
 * data-parallel step sends out and gets gradients back for.
 */
export function matrixWeights(config: ModelConfig): number {
  return matrixProducts(config).matrices.reduce((sum, [weights]) => sum + weights, 0);
}

/**
 * The threads (1 … `available`) a batch of `batchSize` samples of `config` is split over: the
 * most that still give every thread {@link MIN_SHARD_MULTIPLY_ADDS} of work and
 * {@link MIN_SHARD_MULTIPLY_ADDS_PER_WEIGHT} per weight.
 */
export function threadsForWorkload(config: ModelConfig, batchSize: number, available: number): number {
  const work = multiplyAddsPerSample(config) * batchSize;
  const byWork = Math.floor(work / MIN_SHARD_MULTIPLY_ADDS);
  const byWeights = Math.floor(work / (MIN_SHARD_MULTIPLY_ADDS_PER_WEIGHT * matrixWeights(config)));
  return Math.max(1, Math.min(available, byWork, byWeights, batchSize));
}
