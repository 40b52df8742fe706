/**
 * TensorBoard's scalar smoothing: an exponential moving average with weight `weight` in [0, 1)
 * on the previous value, debiased by 1 − weight^n so the first points are not pulled toward zero
 * (tensorboard/plugins/scalar/tf_scalar_dashboard, `smoothing` in vz_line_chart2). Non-finite
 * values are passed through as they are and do not enter the average.
 */
export function emaSmooth(values: readonly number[], weight: number): number[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * w + (1 - w) * v;
    n++;
    return w === 0 ? v : last / (1 - w ** n);
  });
}

/**
 * About `count` round tick values covering [min, max]: steps of 1, 2 or 5 × 10^k (Heckbert,
 * "Nice numbers for graph labels", Graphics Gems, 1990), the one nearest the even split on a log
 * scale, so a short axis is not left with a single tick by rounding the step up.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max <= min) return [min];
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).reduce((best, s) => (Math.abs(Math.log(s / raw)) < Math.abs(Math.log(best / raw)) ? s : best));
  const ticks: number[] = [];
  const start = Math.ceil(min / step - 1e-9) * step;
  // Counted, not stepped until past max: where the step is below the float resolution of the
  // values (a range of a few ulps, e.g. a flat loss), t += step would never move.
  const most = Math.ceil((max - min) / step) + 2;
  for (let k = 0; k < most; k++) {
    const t = Number((start + k * step).toPrecision(12));
    if (t > max + step * 1e-9) break;
    if (ticks.length === 0 || t > ticks[ticks.length - 1]) ticks.push(t);
  }
  // Rounding to 12 digits can step past a range narrower than that: one tick at its start.
  return ticks.length > 0 ? ticks : [min];
}
