/**
 * How many data-parallel threads a model and batch are worth, decided from their arithmetic alone
 * (never from the machine's current load), so that a run repeats exactly for a fixed seed and
 * thread count.
 *
 * Splitting a batch over threads adds fixed costs to every step: the weights go out to every
 * thread, the gradients come back and are summed, the optimizer steps on one thread, and the
 * threads meet once per step. And where two threads' SIMD work does not add up (on the 2-vCPU VM
 * measured here, two single-threaded 512² matMuls at once each ran at half speed), a thread
 * computing beside another runs slower than alone. Measured with the training
 * benchmark's shapes (batch 256, window 64, 16 features) on such a machine, otherwise idle: an
 * MLP step took 17.4 ms on 2 threads against 15.0 ms on 1 (half a batch: 5.1 ms alone, 11.8 ms
 * beside the other thread), the conv block 25.0 against 26.2 ms, while the transformer, with
 * about 4–6× their multiply-adds per sample, took 141 against 207 ms. The fixed costs were under
 * 3 ms a step for all three. Hence {@link MIN_SHARD_MULTIPLY_ADDS}: the MLP carries ≈ 34 M
 * multiply-adds per batch, the conv block ≈ 50 M, the transformer ≈ 210 M.
 */
import type { ModelConfig } from '../models/index.js';

/** The least forward multiply-adds a thread's shard of a batch must carry for the thread to pay off. */
export const MIN_SHARD_MULTIPLY_ADDS = 2 ** 26;

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
 * The threads (1 … `available`) a batch of `batchSize` samples of `config` is split over: the
 * most that still give every thread {@link MIN_SHARD_MULTIPLY_ADDS} of work.
 */
export function threadsForWorkload(config: ModelConfig, batchSize: number, available: number): number {
  const work = multiplyAddsPerSample(config) * batchSize;
  const worthwhile = Math.floor(work / MIN_SHARD_MULTIPLY_ADDS);
  return Math.max(1, Math.min(available, worthwhile, batchSize));
}
