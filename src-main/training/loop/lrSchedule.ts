/**
 * Learning-rate schedules: constant, cosine decay after a linear warm-up, and reduce-on-plateau.
 */

/** A schedule, as stored in a run's config. */
export type ScheduleSpec =
  | { kind: 'constant' }
  /** Linear warm-up over `warmupEpochs`, then cosine decay to `minLr` at the last step (Loshchilov & Hutter, 2017, without restarts). */
  | { kind: 'cosine'; warmupEpochs: number; minLr?: number }
  /** Multiplies the rate by `factor` after `patience` epochs without a relative val-loss improvement of `threshold` (Keras ReduceLROnPlateau). */
  | { kind: 'plateau'; factor: number; patience: number; minLr?: number; threshold?: number };

/** Everything a schedule remembers between epochs (only reduce-on-plateau remembers anything). */
export interface ScheduleState {
  lr: number;
  /** Best validation loss seen; null before the first epoch (JSON has no Infinity). */
  best: number | null;
  wait: number;
}

const DEFAULT_PLATEAU_THRESHOLD = 1e-4;

/** Learning rate per optimizer step, for a run of `epochs` × `stepsPerEpoch` steps. */
export class LrSchedule {
  private current: number;
  private best = Infinity;
  private wait = 0;

  constructor(
    private readonly spec: ScheduleSpec,
    private readonly baseLr: number,
    private readonly stepsPerEpoch: number,
    private readonly epochs: number,
  ) {
    this.current = baseLr;
  }

  /** Rate for the update with 0-based global index `step`. */
  lrAt(step: number): number {
    const spec = this.spec;
    if (spec.kind === 'constant') return this.baseLr;
    if (spec.kind === 'plateau') return this.current;
    const warmup = Math.max(0, Math.round(spec.warmupEpochs * this.stepsPerEpoch));
    if (step < warmup) return (this.baseLr * (step + 1)) / warmup;
    const minLr = spec.minLr ?? 0;
    const decaySteps = Math.max(1, this.epochs * this.stepsPerEpoch - warmup - 1);
    const progress = Math.min(1, (step - warmup) / decaySteps);
    return minLr + 0.5 * (this.baseLr - minLr) * (1 + Math.cos(Math.PI * progress));
  }

  /** Tells the schedule an epoch's validation loss (reduce-on-plateau acts on it). */
  onEpochEnd(valLoss: number): void {
    const spec = this.spec;
    if (spec.kind !== 'plateau') return;
    const threshold = spec.threshold ?? DEFAULT_PLATEAU_THRESHOLD;
    if (valLoss < this.best * (1 - threshold) || this.best === Infinity) {
      this.best = valLoss;
      this.wait = 0;
      return;
    }
    this.wait++;
    if (this.wait >= spec.patience) {
      this.current = Math.max(this.current * spec.factor, spec.minLr ?? 0);
      this.wait = 0;
    }
  }

  state(): ScheduleState {
    return { lr: this.current, best: Number.isFinite(this.best) ? this.best : null, wait: this.wait };
  }

  restore(state: ScheduleState): void {
    this.current = state.lr;
    this.best = state.best ?? Infinity;
    this.wait = state.wait;
  }
}
