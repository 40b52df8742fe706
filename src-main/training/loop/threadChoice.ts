/**
 * How many data-parallel threads a model and batch are worth, decided from their arithmetic alone
 * (never from the machine's current load), so that a run repeats exactly for a fixed seed and
 * thread count.
 *
 * Splitting a batch over threads adds costs to every step that grow with the weights, not the
 * samples: the weights go out to every thread, the gradients come back and are summed, and the
 * optimizer steps on one thread, about five passes over every weight; and threads that each
 * stream a large weight matrix through their caches slow each other down. A model whose weights
 * are each used many times per shard (along the window, in the conv, recurrent and attention
 * layers) hides those costs; one whose weights are each used once per sample (the MLP's first
 * layer) does not until the batch is large. Measured with the training benchmark's shapes
 * (batch 256, window 64, 16 features) on a 2-core machine, 2 threads against 1, in one process:
 * the conv block 35.0k against 23.5k samples/s (a shard of 25 M multiply-adds, 7,900 per weight),
 * the MLP 33.1k against 48.5k (17 M, 128 per weight); the recurrent models and the transformer
 * (84–170 M, thousands per weight) gained 1.2–1.5×. Hence two thresholds a shard must meet:
 * {@link MIN_SHARD_MULTIPLY_ADDS} and {@link MIN_SHARD_MULTIPLY_ADDS_PER_WEIGHT}.
 */
import type { ModelConfig } from '../models/index.js';

/** The least forward multiply-adds a thread's shard of a batch must carry for the thread to pay off. */
export const MIN_SHARD_MULTIPLY_ADDS = 2 ** 24;
/** …and the least per weight of the model, so that exchanging the weights and gradients stays cheap beside the shard's work. */
export const MIN_SHARD_MULTIPLY_ADDS_PER_WEIGHT = 1024;

/**
 * Forward-pass multiply-adds of one sample through the model's matrix products (the dominant
 * work; backward costs about twice as much in the same proportions). Element-wise work (norms,
 * activations, gates' nonlinearities) is left out.
 */
export function multiplyAddsPerSample(config: ModelConfig): number {
  const { window: T, features: F, hidden: H, layers: L, classes: C } = config;
  const head = H * C + (config.magnitudeHead ? H : 0);
  switch (config.kind) {
    case 'mlp': {
      const steps = config.lastSteps ?? T;
      return steps * F * H + (L - 1) * H * H + head;
    }
    case 'cnn': {
      const k = config.kernelSize ?? 5;
      let macs = 0;
      for (let i = 0, width = F; i < L; i++, width = H) {
        macs += T * k * width * H;
        // The residual projection when the block changes width.
        if (width !== H) macs += T * width * H;
      }
      return macs + head;
    }
    case 'lstm':
    case 'gru': {
      const gates = config.kind === 'lstm' ? 4 : 3;
      let macs = 0;
      for (let i = 0, width = F; i < L; i++, width = H) macs += T * gates * H * (width + H);
      return macs + head;
    }
    case 'transformer': {
      // Input projection; per layer: Q, K, V, scores and weighted values, output projection, FFN (width 2d).
      const perLayer = T * H * 3 * H + 2 * T * T * H + T * H * H + T * 4 * H * H;
      return T * F * H + L * perLayer + head;
    }
    case 'tft': {
      // Feature selection and embedding, the local LSTM, then causal attention layers as above with gated residuals.
      const embedding = T * F * H * 2;
      const local = T * 4 * H * 2 * H;
      const perLayer = T * H * 3 * H + 2 * T * T * H + T * H * H + T * 6 * H * H;
      return embedding + local + L * perLayer + head;
    }
  }
}

/**
 * Weights of the model's matrix products (those {@link multiplyAddsPerSample} counts; biases and
 * norm gains are left out), which a data-parallel step sends out and gets gradients back for.
 */
export function matrixWeights(config: ModelConfig): number {
  const { window: T, features: F, hidden: H, layers: L, classes: C } = config;
  const head = H * C + (config.magnitudeHead ? H : 0);
  switch (config.kind) {
    case 'mlp':
      return (config.lastSteps ?? T) * F * H + (L - 1) * H * H + head;
    case 'cnn': {
      const k = config.kernelSize ?? 5;
      let weights = 0;
      for (let i = 0, width = F; i < L; i++, width = H) weights += k * width * H + (width !== H ? width * H : 0);
      return weights + head;
    }
    case 'lstm':
    case 'gru': {
      const gates = config.kind === 'lstm' ? 4 : 3;
      let weights = 0;
      for (let i = 0, width = F; i < L; i++, width = H) weights += gates * H * (width + H);
      return weights + head;
    }
    case 'transformer':
      return F * H + L * 8 * H * H + head;
    case 'tft':
      return F * H * 2 + 4 * H * 2 * H + L * 10 * H * H + head;
  }
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
