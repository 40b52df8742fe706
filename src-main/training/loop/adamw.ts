/**
 * Adam and AdamW with a state that can be written to a checkpoint and restored bit for bit.
 *
 * Written here rather than taken from tf.train.adam because tfjs has no AdamW, keeps Adam's
 * learning rate protected (schedules could not change it), and rebuilds its bias-correction
 * accumulators with pow() after setWeights() where training multiplied them step by step — so a
 * resumed run would drift from an uninterrupted one in the last bits.
 *
 * On the CPU backends (wasm, cpu) the update runs as one fused WebAssembly SIMD loop per variable
 * over host memory, with the moments kept there, instead of ~13 tfjs ops that each pass over the
 * weights again (benchmark MLP, 131 587 weights, wasm, side by side: 0.35–0.6 ms a step, the ops 1.15–1.85 ms).
 * Both paths round every intermediate to float32 in the same order, so they agree bit for bit
 * where the backend's arithmetic is IEEE float32, and a state exported on one resumes on the other.
 */
import * as tf from '@tensorflow/tfjs';

import { kernelOperand, kernelResults, onHostBackend } from '../kernels/kernelTensors.js';
import { adamKernelMemory, matMulKernelAvailable, type AdamKernelMemory } from '../kernels/recurrentKernels.js';

/** Optimizer settings of a run. */
export interface OptimizerSpec {
  /** 'adam': weight decay as an L2 term added to the gradient; 'adamw': decoupled decay. */
  kind: 'adam' | 'adamw';
  /** Peak learning rate (the schedule scales it). */
  lr: number;
  /** Decay coefficient λ; applied to weight matrices only (rank ≥ 2), never to biases or norm gains. */
  weightDecay: number;
  /** Largest global gradient norm; 0 disables clipping. */
  clipNorm: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * How {@link AdamW} computes an update. 'fused': one loop per variable over host arrays, with the
 * moments kept on the host; 'ops': about 13 tfjs ops per variable, the moments kept as variables;
 * 'auto': 'fused' on the CPU backends (wasm, cpu), where each op is a separate pass over memory
 * with its own dispatch cost, 'ops' on GPU and native backends, where the data would have to be
 * read back to the host.
 */
export type AdamPath = 'auto' | 'fused' | 'ops';

/** Options of {@link AdamW} beyond the run's settings. */
export interface AdamOptions {
  /** Default 'auto'; the others are for tests and measurements. */
  path?: AdamPath;
}

/** The optimizer's state as plain arrays, in the order of the variables it updates. */
export interface OptimizerState {
  /** Updates applied so far (t in the bias correction). */
  step: number;
  /** First moments m, one per variable. */
  m: Float32Array[];
  /** Second moments v, one per variable. */
  v: Float32Array[];
}

const DEFAULT_BETA1 = 0.9;
const DEFAULT_BETA2 = 0.999;
const DEFAULT_EPSILON = 1e-7;

/**
 * Adam (Kingma & Ba, 2015) with optional weight decay: coupled L2 for 'adam' (g ← g + λw, as
 * PyTorch's Adam), decoupled for 'adamw' (Loshchilov & Hutter, 2019: w ← w − lr·(m̂/(√v̂+ε) + λw)).
 * The bias corrections 1 − β^t are computed in double precision from the step count, so they
 * depend on nothing but `step`.
 */
export class AdamW {
  private stepCount = 0;
  /** Moments as variables (the 'ops' path) or host arrays (the 'fused' path); empty before the first update. */
  private m: tf.Variable[] | Float32Array[] = [];
  private v: tf.Variable[] | Float32Array[] = [];
  private hostSlots = false;
  private shapes: number[][] = [];
  /** The SIMD kernel holding this optimizer's host moments, where WebAssembly SIMD is available. */
  private kernel: AdamKernel | null = null;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly path: AdamPath;

  constructor(
    private readonly spec: OptimizerSpec,
    options: AdamOptions = {},
  ) {
    this.beta1 = spec.beta1 ?? DEFAULT_BETA1;
    this.beta2 = spec.beta2 ?? DEFAULT_BETA2;
    this.epsilon = spec.epsilon ?? DEFAULT_EPSILON;
    this.path = options.path ?? 'auto';
  }

  /** Updates applied so far. */
  get step(): number {
    return this.stepCount;
  }

  /** Applies one update with learning rate `lr` to `variables`, whose gradients are `grads` (same order). */
  apply(variables: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number): void {
    if (grads.length !== variables.length) throw new Error('the optimizer was built for a different set of variables');
    if (this.fused()) {
      this.fusedStep(variables, lr, (i) => kernelOperand(grads[i]));
      return;
    }
    this.prepareSlots(variables, false);
    this.stepCount++;
    const m = this.m as tf.Variable[];
    const v = this.v as tf.Variable[];
    const { beta1, beta2, epsilon } = this;
    const bc1 = 1 - beta1 ** this.stepCount;
    const bc2 = 1 - beta2 ** this.stepCount;
    const decay = this.spec.weightDecay;
    const decoupled = this.spec.kind === 'adamw';
    tf.tidy(() => {
      variables.forEach((w, i) => {
        const decays = decay > 0 && w.rank >= 2;
        const g = decays && !decoupled ? tf.add(grads[i], tf.mul(w, decay)) : grads[i];
        const mi = tf.add(tf.mul(m[i], beta1), tf.mul(g, 1 - beta1));
        const vi = tf.add(tf.mul(v[i], beta2), tf.mul(tf.square(g), 1 - beta2));
        m[i].assign(mi);
        v[i].assign(vi);
        let update = tf.div(tf.div(mi, bc1), tf.add(tf.sqrt(tf.div(vi, bc2)), epsilon));
        if (decays && decoupled) update = tf.add(update, tf.mul(w, decay));
        w.assign(tf.sub(w, tf.mul(update, lr)));
      });
    });
  }

  /**
   * {@link apply} with every variable's gradient concatenated in order in `flatGrads` (the layout of
   * the data-parallel loop's shared buffers), so the host path needs no gradient tensors at all.
   */
  applyFlat(variables: readonly tf.Variable[], flatGrads: Float32Array, lr: number): void {
    const total = variables.reduce((n, w) => n + w.size, 0);
    if (flatGrads.length !== total) throw new Error(`the flat gradient has ${flatGrads.length} values, the variables ${total}`);
    let at = 0;
    const views = variables.map((w) => {
      const g = flatGrads.subarray(at, at + w.size);
      at += w.size;
      return g;
    });
    if (this.fused()) {
      this.fusedStep(variables, lr, (i) => views[i]);
      return;
    }
    const grads = views.map((g, i) => tf.tensor(g, variables[i].shape, 'float32'));
    try {
      this.apply(variables, grads, lr);
    } finally {
      tf.dispose(grads);
    }
  }

  /** The state as host arrays (for a checkpoint), read asynchronously as the webgpu backend requires. */
  async exportState(): Promise<OptimizerState> {
    const read = async (slots: tf.Variable[] | Float32Array[]) =>
      this.hostSlots ? (slots as Float32Array[]).map((s) => s.slice()) : Promise.all((slots as tf.Variable[]).map(async (t) => ((await t.data()) as Float32Array).slice()));
    return { step: this.stepCount, m: await read(this.m), v: await read(this.v) };
  }

  /** Restores a state exported for the same variables (on either path). */
  importState(variables: readonly tf.Variable[], state: OptimizerState): void {
    this.disposeSlots();
    this.stepCount = state.step;
    // Before the first update there are no slots yet; they are created on the first apply().
    if (state.step === 0) return;
    if (state.m.length !== variables.length || state.v.length !== variables.length) {
      throw new Error(`the checkpoint's optimizer state has ${state.m.length} slots, the model ${variables.length} variables`);
    }
    variables.forEach((w, i) => {
      if (state.m[i].length !== w.size || state.v[i].length !== w.size) throw new Error(`the checkpoint's optimizer slot ${i} does not fit variable ${w.name}`);
    });
    this.shapes = variables.map((w) => [...w.shape]);
    this.hostSlots = this.fused();
    if (this.hostSlots) {
      this.createHostSlots(variables.map((w) => w.size));
      variables.forEach((_, i) => {
        (this.m as Float32Array[])[i].set(state.m[i]);
        (this.v as Float32Array[])[i].set(state.v[i]);
      });
    } else {
      // Copies: on the cpu backend a tensor keeps the very array it was made from, which the caller still holds.
      this.m = variables.map((w, i) => tf.tidy(() => tf.variable(tf.tensor(Float32Array.from(state.m[i]), w.shape, 'float32'), false)));
      this.v = variables.map((w, i) => tf.tidy(() => tf.variable(tf.tensor(Float32Array.from(state.v[i]), w.shape, 'float32'), false)));
    }
  }

  /** tfjs-style named weights (`iter`, then every m, then every v), for inspection and tooling. */
  getWeights(): { name: string; tensor: tf.Tensor }[] {
    const tensor = (s: tf.Variable | Float32Array, i: number): tf.Tensor => (s instanceof Float32Array ? tf.tensor(s.slice(), this.shapes[i], 'float32') : s.clone());
    return [
      { name: 'iter', tensor: tf.scalar(this.stepCount, 'int32') },
      ...this.m.map((t, i) => ({ name: `${i}/m`, tensor: tensor(t, i) })),
      ...this.v.map((t, i) => ({ name: `${i}/v`, tensor: tensor(t, i) })),
    ];
  }

  dispose(): void {
    this.disposeSlots();
  }

  private fused(): boolean {
    return this.path === 'fused' || (this.path === 'auto' && onHostBackend());
  }

  /**
   * Creates the slots on the first update, and moves them between host and backend when the path
   * changed since (a backend switched mid-run), so either path continues the other's state.
   */
  private prepareSlots(variables: readonly tf.Variable[], fused: boolean): void {
    if (this.m.length === 0) {
      this.shapes = variables.map((w) => [...w.shape]);
      this.hostSlots = fused;
      if (fused) {
        this.createHostSlots(variables.map((w) => w.size));
      } else {
        // Inside tidy: the zeros tensor a variable is made from would otherwise stay alive beside it.
        this.m = variables.map((w) => tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
        this.v = variables.map((w) => tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
      }
    }
    if (this.m.length !== variables.length) throw new Error('the optimizer was built for a different set of variables');
    if (this.hostSlots === fused) return;
    const read = (slots: tf.Variable[] | Float32Array[]) => (slots as (tf.Variable | Float32Array)[]).map((s) => (s instanceof Float32Array ? s : (s.dataSync() as Float32Array).slice()));
    this.importState(variables, { step: this.stepCount, m: read(this.m), v: read(this.v) });
  }

  /** The scalars of this step as the 'ops' path sees them: float32 tensors, so rounded to float32. */
  private constants(lr: number): FusedConstants {
    const decay = this.spec.weightDecay;
    return {
      beta1: Math.fround(this.beta1),
      oneMinusBeta1: Math.fround(1 - this.beta1),
      beta2: Math.fround(this.beta2),
      oneMinusBeta2: Math.fround(1 - this.beta2),
      bc1: Math.fround(1 - this.beta1 ** this.stepCount),
      bc2: Math.fround(1 - this.beta2 ** this.stepCount),
      epsilon: Math.fround(this.epsilon),
      decay: Math.fround(decay),
      lr: Math.fround(lr),
      decays: decay > 0,
      decoupled: this.spec.kind === 'adamw',
    };
  }

  /** Zeroed host moments for variables of these sizes: in the SIMD kernel's memory, or plain arrays without it. */
  private createHostSlots(sizes: number[]): void {
    this.kernel = AdamKernel.create(sizes);
    if (this.kernel) {
      this.m = this.kernel.m;
      this.v = this.kernel.v;
    } else {
      this.m = sizes.map((n) => new Float32Array(n));
      this.v = sizes.map((n) => new Float32Array(n));
    }
  }

  /** One update on the fused path; `grad(i)` gives variable i's gradient values (see {@link fusedUpdate}). */
  private fusedStep(variables: readonly tf.Variable[], lr: number, grad: (i: number) => Float32Array): void {
    this.prepareSlots(variables, true);
    this.stepCount++;
    const constants = this.constants(lr);
    variables.forEach((w, i) => this.fusedUpdate(w, i, () => grad(i), constants));
  }

  /**
   * One variable's update in one pass over host memory. `grad` gives the gradient's values; it is
   * called once, after the new weights' tensor is allocated, so a view of tfjs' heap it returns
   * stays valid while it is read.
   */
  private fusedUpdate(w: tf.Variable, i: number, grad: () => Float32Array, c: FusedConstants): void {
    const decays = c.decays && w.rank >= 2;
    const mode = !decays ? DECAY_NONE : c.decoupled ? DECAY_DECOUPLED : DECAY_COUPLED;
    const kernel = this.kernel;
    // The new weights are written straight into a tensor's memory (on wasm, in its heap), which the variable then takes.
    const [next] = kernelResults([w.shape], ([out]) => {
      const wv = kernelOperand(w);
      const g = grad();
      if (g.length !== wv.length) throw new Error(`gradient ${i} has ${g.length} values, variable ${w.name} ${wv.length}`);
      if (kernel) kernel.update(i, wv, g, mode, c, out);
      else adamUpdateScalar(wv, g, (this.m as Float32Array[])[i], (this.v as Float32Array[])[i], out, mode, c);
    });
    w.assign(next);
    next.dispose();
  }

  private disposeSlots(): void {
    if (!this.hostSlots) tf.dispose([...(this.m as tf.Variable[]), ...(this.v as tf.Variable[])]);
    this.m = [];
    this.v = [];
    this.kernel = null;
  }
}

/** The scalars of one step, rounded to float32. */
export interface FusedConstants {
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  bc1: number;
  bc2: number;
  epsilon: number;
  decay: number;
  lr: number;
  decays: boolean;
  decoupled: boolean;
}

const DECAY_NONE = 0;
const DECAY_COUPLED = 1;
const DECAY_DECOUPLED = 2;

/**
 * The update of one variable, element by element. Every intermediate is rounded to float32 where
 * the 'ops' path stores a tensor, in the same order of operations, so both give the same bits:
 * float32 +, −, ×, ÷ and √ are correctly rounded, and rounding the exact double result of one such
 * operation on float32 operands to float32 gives that same value.
 */
export function adamUpdateScalar(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, out: Float32Array, mode: number, c: FusedConstants): void {
  const fr = Math.fround;
  const { beta1, oneMinusBeta1, beta2, oneMinusBeta2, bc1, bc2, epsilon, decay, lr } = c;
  const n = w.length;
  for (let k = 0; k < n; k++) {
    const wk = w[k];
    const gk = mode === DECAY_COUPLED ? fr(g[k] + fr(wk * decay)) : g[k];
    const mk = fr(fr(m[k] * beta1) + fr(gk * oneMinusBeta1));
    const vk = fr(fr(v[k] * beta2) + fr(fr(gk * gk) * oneMinusBeta2));
    m[k] = mk;
    v[k] = vk;
    let update = fr(fr(mk / bc1) / fr(fr(Math.sqrt(fr(vk / bc2))) + epsilon));
    if (mode === DECAY_DECOUPLED) update = fr(update + fr(wk * decay));
    out[k] = wk - fr(update * lr);
  }
}

/** Whether the fused path runs the SIMD kernel here (the kernels' binary loads; else the scalar loop). */
export function adamSimdAvailable(): boolean {
  return matMulKernelAvailable();
}

/** When false, the fused path uses the scalar loop even where SIMD is available (for tests and measurements). */
let simdAllowed = true;
export function setAdamSimd(on: boolean): void {
  simdAllowed = on;
}

/**
 * One optimizer's moments in a kernel instance of its own (recurrent.as `adamUpdate`: the update
 * four lanes at a time; IEEE float32 like the backends, so the bits match {@link adamUpdateScalar}
 * and the 'ops' path), then three scratch buffers (w, g, out) as long as the largest variable. The
 * scalar loop alone is no faster than the wasm backend's vectorised ops (its three divisions and a
 * square root per element, one at a time, cost more than the ops' dispatch saves: ~1.5× slower on
 * the benchmark MLP); four lanes at a time it is 2–3× faster. The memory never grows after it is
 * made, so the moments can be handed out as views that stay valid.
 */
class AdamKernel {
  readonly m: Float32Array[];
  readonly v: Float32Array[];
  /** Byte offsets of the scratch buffers for w, g and the new weights. */
  private readonly scratch: [number, number, number];

  private constructor(
    private readonly memory: AdamKernelMemory,
    private readonly sizes: number[],
  ) {
    const { heap, offsets } = memory;
    this.m = sizes.map((n, i) => heap.subarray(offsets[i] / 4, offsets[i] / 4 + n));
    this.v = sizes.map((n, i) => heap.subarray(offsets[sizes.length + i] / 4, offsets[sizes.length + i] / 4 + n));
    const [wAt, gAt, outAt] = offsets.slice(2 * sizes.length);
    this.scratch = [wAt, gAt, outAt];
  }

  static create(sizes: number[]): AdamKernel | null {
    if (!simdAllowed) return null;
    const largest = Math.max(0, ...sizes);
    let memory: AdamKernelMemory | null;
    try {
      memory = adamKernelMemory([...sizes, ...sizes, largest, largest, largest]);
    } catch {
      // A model too large for one 32-bit memory: the scalar loop has no such limit.
      return null;
    }
    return memory ? new AdamKernel(memory, sizes) : null;
  }

  /** Updates variable i's moments in place and writes its new values into `out`. */
  update(i: number, w: Float32Array, g: Float32Array, mode: number, c: FusedConstants, out: Float32Array): void {
    const { heap, offsets, update } = this.memory;
    const [wAt, gAt, outAt] = this.scratch;
    const n = this.sizes[i];
    heap.set(w, wAt / 4);
    heap.set(g, gAt / 4);
    update(wAt, gAt, offsets[i], offsets[this.sizes.length + i], outAt, Math.ceil(n / 4) * 16, mode, c.beta1, c.oneMinusBeta1, c.beta2, c.oneMinusBeta2, c.bc1, c.bc2, c.epsilon, c.decay, c.lr);
    out.set(heap.subarray(outAt / 4, outAt / 4 + n));
  }
}

/**
 * Scales gradients so that their global L2 norm is at most `clipNorm` (Pascanu et al., 2013;
 * tf.clip_by_global_norm). Returns new tensors; 0 disables clipping (the gradients are cloned).
 */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], clipNorm: number): tf.Tensor[] {
  return tf.tidy(() => {
    if (!(clipNorm > 0)) return grads.map((g) => g.clone());
    const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
    // min(1, c / norm), computed on the backend so the step needs no extra read-back.
    const scale = tf.minimum(1, tf.div(clipNorm, tf.maximum(norm, 1e-12)));
    return grads.map((g) => tf.mul(g, scale));
  });
}

/**
 * {@link clipByGlobalNorm} in place on every gradient concatenated in one host array (the
 * data-parallel loop's layout); 0 disables clipping. The norm is summed in double precision, so
 * it can differ from the backend's float32 sum in the last bits.
 */
export function clipFlatByGlobalNorm(flat: Float32Array, clipNorm: number): void {
  if (!(clipNorm > 0)) return;
  let sum = 0;
  for (let k = 0; k < flat.length; k++) sum += flat[k] * flat[k];
  const norm = Math.fround(Math.sqrt(sum));
  // The same float32 scalars as the tensor version: min(1, c / max(norm, 1e-12)).
  const scale = Math.fround(Math.min(1, Math.fround(Math.fround(clipNorm) / Math.max(norm, Math.fround(1e-12)))));
  if (scale >= 1) return;
  for (let k = 0; k < flat.length; k++) flat[k] *= scale;
}
