/**
 * The normal and Student-t distribution functions the experiment statistics need (the deflated
 * Sharpe ratio, the TPE's truncated Gaussians, the seeds' t-intervals). Nothing else in
 * `src-shared/compute` provided them when this folder was written; they live here rather than in
 * a shared "math" module so that this library can be moved or versioned on its own.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Standard normal density φ(x) = exp(−x²/2)/√(2π). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/**
 * Standard normal CDF Φ(x), relative error below 1e-13 in either tail (checked against SciPy).
 *
 * Sources: for |x| < 4, Hart et al. (1968), "Computer Approximations", algorithm 5666, in the
 * double-precision form of G. West (2005), "Better approximations to cumulative normal
 * functions", Wilmott Magazine (its own continued fraction only starts at 7.07, and between 4 and
 * 7 the rational form loses relative precision, 1e-9 at x = −8); for |x| ≥ 4, Laplace's continued
 * fraction for the Mills ratio, Abramowitz & Stegun (1964) 26.2.14, Q(z) = φ(z)/(z + 1/(z + 2/(z +
 * 3/(z + …)))), which with 40 terms is exact to rounding there. The tail is computed directly, never
 * as 1 − something, so Φ(−8) keeps its relative precision.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const z = Math.abs(x);
  let tail: number;
  if (z > 38.5) {
    tail = 0;
  } else if (z < 4) {
    const e = Math.exp(-0.5 * z * z);
    let num = 3.52624965998911e-2 * z + 0.700383064443688;
    num = num * z + 6.37396220353165;
    num = num * z + 33.912866078383;
    num = num * z + 112.079291497871;
    num = num * z + 221.213596169931;
    num = num * z + 220.206867912376;
    let den = 8.83883476483184e-2 * z + 1.75566716318264;
    den = den * z + 16.064177579207;
    den = den * z + 86.7807322029461;
    den = den * z + 296.564248779674;
    den = den * z + 637.333633378831;
    den = den * z + 793.826512519948;
    den = den * z + 440.413735824752;
    tail = (e * num) / den;
  } else {
    let d = z;
    for (let k = 40; k >= 1; k--) d = z + k / d;
    tail = normalPdf(z) / d;
  }
  return x > 0 ? 1 - tail : tail;
}

// Acklam's coefficients (see normalQuantile).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/**
 * Standard normal quantile Φ⁻¹(p): −∞ at 0, +∞ at 1, NaN outside [0, 1].
 *
 * Source: P. J. Acklam (2003), "An algorithm for computing the inverse normal cumulative
 * distribution function" (rational approximations, relative error 1.15e-9), followed by one step
 * of Halley's method on {@link normalCdf}, as Acklam recommends, which brings it to the CDF's own
 * precision (~1e-15 relative in the centre). In the lower tail the step uses p itself rather than
 * 1 − p, so small probabilities keep full precision.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  // Halley step; in the upper half the error is measured on the upper tail 1 − Φ(x) = Φ(−x)
  // against 1 − p, which is exact in floating point for p ≥ 0.5.
  const e = p < 0.5 ? normalCdf(x) - p : (1 - p) - normalCdf(-x);
  const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

/**
 * Student-t CDF with ν degrees of freedom, for integer ν ≥ 1 (seed counts minus one; a fractional
 * ν, e.g. Welch's, should be floored by the caller, which is conservative).
 *
 * Source: Abramowitz & Stegun (1964), "Handbook of Mathematical Functions", 26.7.3 (ν odd) and
 * 26.7.4 (ν even): A(t|ν) = P(|T| ≤ t) as a finite trigonometric series in θ = atan(t/√ν), exact
 * for integer ν, so no incomplete beta function is needed. Above ν = 1000 the normal limit is used
 * (|t-quantile − z| < 3e-3 there, far below the spread of any seed experiment).
 */
export function studentTCdf(t: number, nu: number): number {
  if (!Number.isInteger(nu) || nu < 1) throw new RangeError(`degrees of freedom must be a positive integer, got ${nu}`);
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  if (nu > 1000) return normalCdf(t);
  const theta = Math.atan(Math.abs(t) / Math.sqrt(nu));
  const s = Math.sin(theta);
  const c2 = Math.cos(theta) ** 2;
  let a: number;
  if (nu % 2 === 1) {
    let sum = 0;
    if (nu > 1) {
      // cosθ (1 + 2/3 cos²θ + 2·4/(3·5) cos⁴θ + … up to cos^(ν−2)θ)
      let term = Math.cos(theta);
      sum = term;
      for (let k = 3; k <= nu - 2; k += 2) {
        term *= ((k - 1) / k) * c2;
        sum += term;
      }
    }
    a = (2 / Math.PI) * (theta + s * sum);
  } else {
    // sinθ (1 + 1/2 cos²θ + 1·3/(2·4) cos⁴θ + … up to cos^(ν−2)θ)
    let term = 1;
    let sum = 1;
    for (let k = 2; k <= nu - 2; k += 2) {
      term *= ((k - 1) / k) * c2;
      sum += term;
    }
    a = s * sum;
  }
  return t >= 0 ? 0.5 + 0.5 * a : 0.5 - 0.5 * a;
}

/**
 * Student-t quantile: the t with {@link studentTCdf}(t, ν) = p, for integer ν ≥ 1. Closed forms for
 * ν = 1 (Cauchy: tan(π(p − ½))) and ν = 2 (t = (2p − 1)/√(2p(1 − p))); otherwise bisection to
 * machine precision from a normal-quantile bracket (monotone CDF, no convergence risk; ~60 CDF
 * calls, each O(ν), is nothing next to a training run).
 */
export function studentTQuantile(p: number, nu: number): number {
  if (!Number.isInteger(nu) || nu < 1) throw new RangeError(`degrees of freedom must be a positive integer, got ${nu}`);
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  if (nu === 1) return Math.tan(Math.PI * (p - 0.5));
  if (nu === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  if (p < 0.5) return -studentTQuantile(1 - p, nu);
  // Upper half: the t quantile lies above the normal one; double the upper bound until it brackets.
  let lo = normalQuantile(p);
  let hi = Math.max(1, 2 * lo);
  while (studentTCdf(hi, nu) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTCdf(mid, nu) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** The Euler–Mascheroni constant γ (used by the expected maximum of normal draws). */
export const EULER_MASCHERONI = 0.5772156649015329;
