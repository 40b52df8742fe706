/**
 * How many data-parallel threads a model and batch are worth, decided from their arithmetic alone
 * (never from the machine's current load), so that a run repeats exactly for a fixed seed and
 * thread count.
 *
 * Splitting a batch over threads costs every step a fixed amount (handing the step over and
 * waiting for the slowest shard) and an amount that grows with the weights, not the samples: the
 * weights go out to every thread, the gradients come back and are summed, and the optimizer steps
 * on one thread. So a shard pays for its thread once its work covers both: at least
 * {@link MIN_SHARD_MULTIPLY_ADDS} plus {@link SHARD_MULTIPLY_ADDS_PER_WEIGHT} for every weight.
 * Measured on a 2-core machine, 2 threads against 1 in one process, after both had warmed up
 * (batch 256 unless said, 8 features, window and hidden 32 unless said; forward multiply-adds per batch):
 * - paid: the conv block (12.6 M, 1.30–1.47×), the GRU (31.5 M, 0.99–1.28×, median 1.12× over six
 *   runs; 37.8 M with 16 features, 1.41×), the LSTM (42 M, 1.52×), the transformer (86 M, 1.39×; at
 *   batch 64, 21.5 M, 1.22×), the TFT (172 M, 1.47×), the benchmark's MLP (window 64, 16 features,
 *   128 units: 33.5 M over 131 k weights, 1.36–1.42× in three of four benchmark runs, 0.92× in one);
 * - did not: the MLP with 64 units over the benchmark's window (16.8 M over 66 k weights, 0.97×),
 *   the default MLP (2.1 M, 0.79×), the GRU at window and hidden 16 (4.7 M, 1.02×), the conv block
 *   at batch 64 (3.1 M, 0.94×) or at window and hidden 16 (3.2 M, 1.01×).
 * The weight term is what separates the two MLPs: their shards do the same work per weight.
 */
import type { ModelConfig } from '../models/index.js';

/** The forward multiply-adds a thread's shard of a batch must carry to pay for the step's fixed cost of a thread… */
export const MIN_SHARD_MULTIPLY_ADDS = 2 ** 22;
/** …plus this many per weight of the model, for exchanging the weights and summing their gradients. */
export const SHARD_MULTIPLY_ADDS_PER_WEIGHT = 80;

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

/** The forward multiply-adds a shard of `config` must carry for its thread to pay off. */
export function minShardMultiplyAdds(config: ModelConfig): number {
  return MIN_SHARD_MULTIPLY_ADDS + SHARD_MULTIPLY_ADDS_PER_WEIGHT * matrixWeights(config);
}

/**
 * The threads (1 … `available`) a batch of `batchSize` samples of `config` is split over: the
 * most that still give every thread a shard of {@link minShardMultiplyAdds}.
 */
export function threadsForWorkload(config: ModelConfig, batchSize: number, available: number): number {
  const work = multiplyAddsPerSample(config) * batchSize;
  return Math.max(1, Math.min(available, Math.floor(work / minShardMultiplyAdds(config)), batchSize));
}
