/**
 * Adam and AdamW with a state that can be written to a checkpoint and restored bit for bit.
 *
 * Written here rather than taken from tf.train.adam because tfjs has no AdamW, keeps Adam's
 * learning rate protected (schedules could not change it), and rebuilds its bias-correction
 * accumulators with pow() after setWeights() where training multiplied them step by step — so a
 * resumed run would drift from an uninterrupted one in the last bits.
 */
import * as tf from '@tensorflow/tfjs';

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
  private m: tf.Variable[] = [];
  private v: tf.Variable[] = [];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  constructor(private readonly spec: OptimizerSpec) {
    this.beta1 = spec.beta1 ?? DEFAULT_BETA1;
    this.beta2 = spec.beta2 ?? DEFAULT_BETA2;
    this.epsilon = spec.epsilon ?? DEFAULT_EPSILON;
  }

  /** Updates applied so far. */
  get step(): number {
    return this.stepCount;
  }

  /** Applies one update with learning rate `lr` to `variables`, whose gradients are `grads` (same order). */
  apply(variables: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number): void {
    if (this.m.length === 0) this.createSlots(variables);
    if (this.m.length !== variables.length || grads.length !== variables.length) throw new Error('the optimizer was built for a different set of variables');
    this.stepCount++;
    const { beta1, beta2, epsilon } = this;
    const bc1 = 1 - beta1 ** this.stepCount;
    const bc2 = 1 - beta2 ** this.stepCount;
    const decay = this.spec.weightDecay;
    const decoupled = this.spec.kind === 'adamw';
    tf.tidy(() => {
      variables.forEach((w, i) => {
        const decays = decay > 0 && w.rank >= 2;
        const g = decays && !decoupled ? tf.add(grads[i], tf.mul(w, decay)) : grads[i];
        const m = tf.add(tf.mul(this.m[i], beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[i], beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        let update = tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), epsilon));
        if (decays && decoupled) update = tf.add(update, tf.mul(w, decay));
        w.assign(tf.sub(w, tf.mul(update, lr)));
      });
    });
  }

  /** The state as host arrays (for a checkpoint), read asynchronously as the webgpu backend requires. */
  async exportState(): Promise<OptimizerState> {
    const read = (slots: tf.Variable[]) => Promise.all(slots.map(async (t) => ((await t.data()) as Float32Array).slice()));
    return { step: this.stepCount, m: await read(this.m), v: await read(this.v) };
  }

  /** Restores a state exported for the same variables. */
  importState(variables: readonly tf.Variable[], state: OptimizerState): void {
    this.disposeSlots();
    this.stepCount = state.step;
    // Before the first update there are no slots yet; they are created on the first apply().
    if (state.step === 0) return;
    if (state.m.length !== variables.length || state.v.length !== variables.length) {
      throw new Error(`the checkpoint's optimizer state has ${state.m.length} slots, the model ${variables.length} variables`);
    }
    this.m = variables.map((w, i) => tf.tidy(() => tf.variable(tf.tensor(state.m[i], w.shape), false)));
    this.v = variables.map((w, i) => tf.tidy(() => tf.variable(tf.tensor(state.v[i], w.shape), false)));
  }

  /** tfjs-style named weights (`iter`, then every m, then every v), for inspection and tooling. */
  getWeights(): { name: string; tensor: tf.Tensor }[] {
    return [
      { name: 'iter', tensor: tf.scalar(this.stepCount, 'int32') },
      ...this.m.map((t, i) => ({ name: `${i}/m`, tensor: t.clone() })),
      ...this.v.map((t, i) => ({ name: `${i}/v`, tensor: t.clone() })),
    ];
  }

  dispose(): void {
    this.disposeSlots();
  }

  private createSlots(variables: readonly tf.Variable[]): void {
    // Inside tidy: the zeros tensor a variable is made from would otherwise stay alive beside it.
    this.m = variables.map((w) => tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
    this.v = variables.map((w) => tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
  }

  private disposeSlots(): void {
    tf.dispose([...this.m, ...this.v]);
    this.m = [];
    this.v = [];
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
