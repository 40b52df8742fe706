/** Confidence value marking a bar without a prediction (real confidences are >= 0). */
export const NO_PREDICTION = -1;

/** Per-bar signal decoded once from the probability rows, so threshold sweeps reuse it. */
export interface DecodedSignals {
  /** +1 when the argmax class is UP, −1 when DOWN, 0 otherwise (FLAT or no prediction). */
  direction: Int8Array;
  /** Probability of the argmax class; `NO_PREDICTION` (−1) on rows with a NaN. Float32 like the probabilities it comes from (exact), half the memory traffic in the bar loop. */
  confidence: Float32Array;
  /** First and last bar with a prediction; −1 when there is none. */
  firstPrediction: number;
  lastPrediction: number;
}

/**
 * Decodes class probabilities into a direction and a confidence per bar. The predicted class is
 * the argmax; ties go to the lower column, so equal UP and DOWN probabilities never flip a trade
 * by column order alone in a DOWN/FLAT/UP layout (DOWN wins, which in long-only means flat).
 */
export function decodeSignals(probs: Float32Array, classes: number, downClass: number, upClass: number): DecodedSignals {
  const n = (probs.length / classes) | 0;
  const direction = new Int8Array(n);
  const confidence = new Float32Array(n);
  let firstPrediction = -1;
  let lastPrediction = -1;
  for (let i = 0; i < n; i++) {
    const row = i * classes;
    let best = 0;
    let bestP = probs[row];
    let missing = bestP !== bestP;
    for (let k = 1; k < classes; k++) {
      const p = probs[row + k];
      if (p !== p) missing = true;
      else if (p > bestP) {
        bestP = p;
        best = k;
      }
    }
    if (missing) {
      confidence[i] = NO_PREDICTION;
      continue;
    }
    if (firstPrediction < 0) firstPrediction = i;
    lastPrediction = i;
    confidence[i] = bestP;
    direction[i] = best === upClass ? 1 : best === downClass ? -1 : 0;
  }
  return { direction, confidence, firstPrediction, lastPrediction };
}
