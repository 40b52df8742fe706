/**
 * Pruners: should a running trial stop now, given its per-epoch validation loss and the other
 * trials' curves? Pure decision functions; the sweep service keeps the curves and calls one after
 * each epoch a trial reports. Lower values are better (validation loss); pass negated values for a
 * metric to maximise.
 *
 * Curves are indexed by step: `curve[s]` is the value reported after epoch s + 1 (step 0 = after
 * the first epoch). A curve may contain NaN for a step that was not reported.
 */

/** A pruner's verdict, with a sentence the trial table can show. */
export interface PruneDecision {
  readonly prune: boolean;
  readonly reason: string;
}

export interface MedianPrunerOptions {
  /** No pruning until this many other trials have a value at the step. Default 5 (Optuna's). */
  readonly nStartupTrials?: number;
  /** No pruning before this step (0-based). Default 0. */
  readonly nWarmupSteps?: number;
  /** Decide only every this many steps after the warm-up. Default 1. */
  readonly intervalSteps?: number;
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const n = values.length;
  return n % 2 === 1 ? values[(n - 1) >> 1] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

/**
 * The median stopping rule (Golovin et al. 2017, "Google Vizier: A Service for Black-Box
 * Optimization", KDD, §3.2.2), in Optuna's `MedianPruner` form: at step s, prune when the trial's
 * best value so far (min over steps ≤ s) is worse than the median of the other trials' values AT
 * step s. Using the trial's best rather than its latest value means one noisy epoch does not kill
 * it.
 *
 * `others` should be the curves of finished (completed) trials, as Optuna does: running trials'
 * early values would make the bar move with the scheduler's timing. Trials without a value at s
 * do not count towards the median or the startup count. A NaN at the trial's current step (a
 * diverged run) prunes it.
 *
 * @param curve - the trial's values up to and including the current step; the decision is for
 *   step `curve.length − 1`.
 */
export function medianPrune(curve: ArrayLike<number>, others: readonly ArrayLike<number>[], options: MedianPrunerOptions = {}): PruneDecision {
  const nStartup = options.nStartupTrials ?? 5;
  const warmup = options.nWarmupSteps ?? 0;
  const interval = options.intervalSteps ?? 1;
  if (!Number.isInteger(interval) || interval < 1) throw new RangeError(`intervalSteps must be a positive integer, got ${interval}`);
  const step = curve.length - 1;
  if (step < 0) return { prune: false, reason: 'no value reported yet' };
  if (Number.isNaN(curve[step])) return { prune: true, reason: `the value at epoch ${step + 1} is not a number (diverged)` };
  if (step < warmup) return { prune: false, reason: `warming up (${step + 1} of ${warmup} epochs)` };
  if ((step - warmup) % interval !== 0) return { prune: false, reason: 'not a decision step' };
  const atStep: number[] = [];
  for (const o of others) {
    if (o.length > step && !Number.isNaN(o[step])) atStep.push(o[step]);
  }
  if (atStep.length < nStartup || atStep.length === 0) {
    return { prune: false, reason: `only ${atStep.length} other trial(s) reached epoch ${step + 1} (need ${Math.max(1, nStartup)})` };
  }
  let best = Number.POSITIVE_INFINITY;
  for (let s = 0; s <= step; s++) if (curve[s] < best) best = curve[s];
  const m = median(atStep);
  return best > m
    ? { prune: true, reason: `best value ${fmt(best)} is worse than the median ${fmt(m)} of ${atStep.length} trials at epoch ${step + 1}` }
    : { prune: false, reason: `best value ${fmt(best)} is not worse than the median ${fmt(m)} at epoch ${step + 1}` };
}

export interface AshaOptions {
  /** r: epochs a trial gets before its first rung. Default 1. */
  readonly minResource?: number;
  /** η: each rung keeps the top 1/η. Default 3 (Li et al. 2020's default, Optuna's too). */
  readonly reductionFactor?: number;
  /** s: rungs start at r·η^s (skips the noisiest early rungs). Default 0. */
  readonly minEarlyStoppingRate?: number;
  /** Rungs at or beyond this many epochs are not created (the trial simply finishes). Default ∞. */
  readonly maxResource?: number;
}

/**
 * The epochs at which ASHA's rungs sit: r·η^(s+k) for k = 0, 1, … below `maxResource`
 * (Li et al. 2020, "A System for Massively Parallel Hyperparameter Tuning", MLSys, Algorithm 2).
 */
export function ashaRungs(options: AshaOptions = {}, limit = 64): number[] {
  const r = options.minResource ?? 1;
  const eta = options.reductionFactor ?? 3;
  const s = options.minEarlyStoppingRate ?? 0;
  const max = options.maxResource ?? Number.POSITIVE_INFINITY;
  if (!(r > 0) || !Number.isInteger(r)) throw new RangeError(`minResource must be a positive integer, got ${r}`);
  if (!(eta >= 2) || !Number.isInteger(eta)) throw new RangeError(`reductionFactor must be an integer ≥ 2, got ${eta}`);
  if (!(s >= 0) || !Number.isInteger(s)) throw new RangeError(`minEarlyStoppingRate must be a non-negative integer, got ${s}`);
  const rungs: number[] = [];
  for (let k = 0; k < limit; k++) {
    const epochs = r * eta ** (s + k);
    if (epochs >= max || !Number.isSafeInteger(epochs)) break;
    rungs.push(epochs);
  }
  return rungs;
}

/**
 * Asynchronous successive halving (ASHA; Li et al. 2020, Algorithm 2, in its stopping form as in
 * Optuna's `SuccessiveHalvingPruner` and Ray Tune's `ASHAScheduler`). When a trial completes the
 * epochs of a rung, its value there is compared with the values every other trial recorded at that
 * rung so far: it continues if it ranks in the top ⌊n/η⌋ of the n values (itself included; at least
 * the top 1, so the first trial at a rung always continues), and stops otherwise. The decision uses
 * only the trials that already reached the rung — that is what makes it asynchronous: no trial waits
 * for a rung to fill, at the price of promoting some trials a synchronous halving would not (Li et
 * al. §3.2 bound that share). Promotion is never revoked: between rungs the answer is "continue".
 *
 * Ties with the cut-off value continue (a tie is no evidence of being worse). NaN values rank last.
 *
 * @param curve - the trial's values up to and including the current step.
 * @param others - the curves of all other trials of the sweep, running, finished or pruned: a pruned
 *   trial's values at the rungs it reached still count, as in the paper.
 */
export function ashaPrune(curve: ArrayLike<number>, others: readonly ArrayLike<number>[], options: AshaOptions = {}): PruneDecision {
  const epochs = curve.length;
  if (epochs === 0) return { prune: false, reason: 'no value reported yet' };
  const rungs = ashaRungs(options);
  const k = rungs.indexOf(epochs);
  if (k < 0) return { prune: false, reason: `epoch ${epochs} is not a rung (rungs at ${rungs.slice(0, 6).join(', ')}${rungs.length > 6 ? ', …' : ''})` };
  const step = epochs - 1;
  const own = curve[step];
  if (Number.isNaN(own)) return { prune: true, reason: `the value at epoch ${epochs} is not a number (diverged)` };
  const eta = options.reductionFactor ?? 3;
  let better = 0;
  let n = 1;
  for (const o of others) {
    if (o.length <= step) continue;
    n++;
    const v = o[step];
    if (!Number.isNaN(v) && v < own) better++;
  }
  const keep = Math.max(1, Math.floor(n / eta));
  return better < keep
    ? { prune: false, reason: `rung ${k} (epoch ${epochs}): rank ${better + 1} of ${n}, within the top ${keep}; promoted` }
    : { prune: true, reason: `rung ${k} (epoch ${epochs}): rank ${better + 1} of ${n}, outside the top ${keep} (1/${eta})` };
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v);
}
