/**
 * Inverse-frequency class weights w_c = N / (K · n_c), where N counts labeled rows (label ≥ 0), n_c
 * those of class c and K the number of classes present; absent classes get 0. The weighted mean
 * over the labeled rows is exactly 1, so the loss keeps its scale.
 * Source: scikit-learn `compute_class_weight('balanced')` (King & Zeng, 2001).
 */
export function classWeights(labels: ArrayLike<number>, numClasses: number): Float32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new RangeError(`numClasses must be an integer ≥ 1, got ${numClasses}`);
  const counts = new Float64Array(numClasses);
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (c < 0) continue;
    if (!(c < numClasses) || !Number.isInteger(c)) throw new RangeError(`label ${c} outside 0 … ${numClasses - 1}`);
    counts[c]++;
    total++;
  }
  let present = 0;
  for (let c = 0; c < numClasses; c++) if (counts[c] > 0) present++;
  const out = new Float32Array(numClasses);
  for (let c = 0; c < numClasses; c++) out[c] = counts[c] > 0 ? total / (present * counts[c]) : 0;
  return out;
}
