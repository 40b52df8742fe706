/**
 * The fastest a training step could be in 128-bit WebAssembly: its matrix products' arithmetic at
 * the kernels' multiply-add peak on this machine, measured in the same run. Read beside PyTorch's
 * figure it says which goals the platform allows at all: a native BLAS uses the CPU's widest
 * vectors (AVX-512 where there is one, four times WebAssembly's), so on such a machine a model
 * that is nearly all matrix products can at best tie PyTorch at one thread.
 */

/** The shapes of a benchmark step. */
export interface StepShape {
  batch: number;
  steps: number;
  features: number;
  hidden: number;
  classes: number;
}

/** Models whose step is nearly all matrix products, so that their arithmetic bounds their speed. */
const CEILING_MODELS = ['mlp', 'lstm', 'gru'] as const;
export type CeilingModel = (typeof CEILING_MODELS)[number];

/** Whether {@link stepMatMulFlops} counts this model. */
export const isCeilingModel = (model: string): model is CeilingModel => (CEILING_MODELS as readonly string[]).includes(model);

/**
 * Floating-point operations (2 per multiply-add) of one step's matrix products, forward and
 * backward, as the kernels compute them: no gradient for the model input, no recurrent product
 * at the first time step (its state is zero), and the head's three products.
 */
export function stepMatMulFlops(model: CeilingModel, s: StepShape): number {
  const { batch: B, steps: T, features: F, hidden: H, classes: C } = s;
  const head = 3 * 2 * B * H * C;
  if (model === 'mlp') return 2 * (2 * B * T * F * H) + head;
  const G = (model === 'lstm' ? 4 : 3) * H;
  const inputProducts = 2 * (2 * B * F * G * T); // x·W forward, xᵀ·∂z backward, every step
  const recurrentProducts = 3 * (2 * B * H * G * (T - 1)); // h·R forward, hᵀ·∂z and ∂z·Rᵀ backward, after the first step
  return inputProducts + recurrentProducts + head;
}

/** Samples/s of a step whose matrix products alone run at `peakGflops`. */
export function ceilingSamplesPerSec(model: CeilingModel, s: StepShape, peakGflops: number): number {
  return (s.batch * peakGflops * 1e9) / stepMatMulFlops(model, s);
}
