import type { ClassIds, ProbabilityMatrix } from './types.js';

/*
 * Scores of the predicted probabilities themselves (proper scoring rules), as opposed to the
 * argmax labels. Both assume `probs` rows are probability vectors; they are not renormalised.
 */

/** Machine epsilon of float32 (2⁻²³), numpy's `np.finfo(np.float32).eps`. */
export const FLOAT32_EPSILON = 2 ** -23;

/**
 * The clipping epsilon scikit-learn's `log_loss` uses for this array: since scikit-learn 1.2 the
 * default is `np.finfo(y_pred.dtype).eps`, and since 1.5 it is no longer configurable. So a
 * Float32Array (a tfjs softmax) is clipped at 2⁻²³ ≈ 1.19e-7 (a certain miss costs ≈ 15.9 nats)
 * and a Float64Array at 2⁻⁵² ≈ 2.22e-16 (≈ 36.0 nats). Following the dtype keeps our number equal
 * to what scikit-learn reports on the very same array.
 */
export function logLossEpsilon(probs: ProbabilityMatrix): number {
  return probs instanceof Float32Array ? FLOAT32_EPSILON : Number.EPSILON;
}

/**
 * Mean multiclass log loss (cross-entropy, natural log): −(1/n) Σᵢ log pᵢ,yᵢ, with every
 * probability first clipped to `[eps, 1 − eps]` so that a confident miss costs a large finite
 * amount instead of +∞, as scikit-learn's `log_loss`. Unlike scikit-learn < 1.5, rows are not
 * renormalised after clipping (scikit-learn ≥ 1.5 only warns when rows do not sum to one);
 * arithmetic is float64 whatever the input type. Null when there are no samples.
 *
 * @param eps - defaults to {@link logLossEpsilon} of `probs`.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.log_loss.html
 */
export function logLoss(
  yTrue: ClassIds,
  probs: ProbabilityMatrix,
  classCount: number,
  eps: number = logLossEpsilon(probs),
  include?: Uint8Array,
): number | null {
  const upper = 1 - eps;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (include !== undefined && include[i] === 0) continue;
    const p = probs[i * classCount + yTrue[i]];
    sum -= Math.log(p < eps ? eps : p > upper ? upper : p);
    n++;
  }
  return n === 0 ? null : sum / n;
}

/**
 * Multiclass Brier score: (1/n) Σᵢ Σₖ (pᵢₖ − [yᵢ = k])², in [0, 2]. This is Brier's original
 * (1950) definition and what scikit-learn ≥ 1.7 `brier_score_loss` returns for a probability
 * matrix (its `scale_by_half='auto'` does not halve the multiclass case). It is the Brier score
 * the report shows as the headline. Null when there are no samples.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.brier_score_loss.html
 */
export function multiclassBrier(
  yTrue: ClassIds,
  probs: ProbabilityMatrix,
  classCount: number,
  include?: Uint8Array,
): number | null {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (include !== undefined && include[i] === 0) continue;
    const row = i * classCount;
    const y = yTrue[i];
    for (let k = 0; k < classCount; k++) {
      const d = probs[row + k] - (k === y ? 1 : 0);
      sum += d * d;
    }
    n++;
  }
  return n === 0 ? null : sum / n;
}

/**
 * One-vs-rest Brier score of each class: (1/n) Σᵢ (pᵢₖ − [yᵢ = k])², in [0, 1], which is the
 * classic binary `brier_score_loss(y_true == k, probs[:, k])` of scikit-learn. Their sum over
 * classes is {@link multiclassBrier}; their mean is that divided by the class count. Null when
 * there are no samples.
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.brier_score_loss.html
 */
export function oneVsRestBrier(
  yTrue: ClassIds,
  probs: ProbabilityMatrix,
  classCount: number,
): Float64Array | null {
  const out = new Float64Array(classCount);
  const n = yTrue.length;
  if (n === 0) return null;
  for (let i = 0; i < n; i++) {
    const row = i * classCount;
    const y = yTrue[i];
    for (let k = 0; k < classCount; k++) {
      const d = probs[row + k] - (k === y ? 1 : 0);
      out[k] += d * d;
    }
  }
  for (let k = 0; k < classCount; k++) out[k] /= n;
  return out;
}
