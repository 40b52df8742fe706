/**
 * Shapes shared by the metric modules. Inputs are typed arrays so a million-sample evaluation
 * never goes through boxed JavaScript arrays; outputs that leave this library (the report) are
 * converted to plain arrays by `report.ts`.
 */

/** True (or predicted) class ids, one per sample, each in `[0, classCount)`. */
export type ClassIds = Int32Array | Int8Array | Uint8Array;

/**
 * Predicted class probabilities, row-major `[samples × classCount]`: row `i` holds the
 * probabilities of sample `i`, column `k` the probability of class `k`.
 */
export type ProbabilityMatrix = Float32Array | Float64Array;

/** Real-valued series (scores, returns, regression targets). */
export type RealSeries = Float32Array | Float64Array;

/** A two-sided confidence interval. */
export interface ConfidenceInterval {
  /** Value of the statistic on the full (not resampled) data. */
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  /** Coverage, e.g. 0.95. */
  readonly level: number;
  /** Resamples on which the statistic was defined (the interval's sample size). */
  readonly resamples: number;
}
