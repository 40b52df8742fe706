import { typicalPrice } from './cci.js';
import { assertWindow, rollingMean, rollingStd, rollingSum } from './rolling-window.js';

/**
 * On-balance volume (Granville): OBV_0 = 0, OBV_t = OBV_{t−1} + sign(C_t − C_{t−1})·V_t.
 * Cumulative and in volume units, so not a feature by itself (see {@link onBalanceVolumeFlow}).
 * A bar with a missing close or volume adds nothing to the running total and reports NaN.
 * Source: StockCharts ChartSchool, "On Balance Volume (OBV)".
 */
export function onBalanceVolume(close: ArrayLike<number>, volume: ArrayLike<number>): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  let obv = 0;
  for (let t = 1; t < n; t++) {
    const step = Math.sign(close[t] - close[t - 1]) * volume[t];
    if (step === step) {
      obv += step;
      out[t] = obv;
    } else {
      out[t] = NaN;
    }
  }
  return out;
}

/**
 * Scale-free OBV slope: (OBV_t − OBV_{t−window}) / Σ_{t−window+1..t} V, i.e. the window's signed
 * volume over its total volume, in [−1, 1]; 0 when the window traded nothing.
 * First defined at index `window`.
 */
export function onBalanceVolumeFlow(close: ArrayLike<number>, volume: ArrayLike<number>, window = 20): Float64Array {
  assertWindow(window);
  const n = close.length;
  const signed = new Float64Array(n).fill(NaN);
  const vol = new Float64Array(n).fill(NaN);
  for (let t = 1; t < n; t++) {
    signed[t] = Math.sign(close[t] - close[t - 1]) * volume[t];
    vol[t] = volume[t];
  }
  const num = rollingSum(signed, window);
  const den = rollingSum(vol, window);
  for (let t = 0; t < n; t++) num[t] = den[t] > 0 ? num[t] / den[t] : den[t] === 0 ? 0 : NaN;
  return num;
}

/**
 * Money Flow Index (Quong & Soudack): raw money flow TP_t·V_t counts as positive when TP_t > TP_{t−1},
 * negative when TP_t < TP_{t−1} (neither when equal); MFI = 100 − 100/(1 + Σpos/Σneg) over the last
 * `period` bars. 100 when Σneg = 0, 50 when both sums are 0. First defined at index `period`.
 * Source: StockCharts ChartSchool, "Money Flow Index (MFI)"; TA-Lib MFI.
 */
export function moneyFlowIndex(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  volume: ArrayLike<number>,
  period = 14,
): Float64Array {
  const tp = typicalPrice(high, low, close);
  const n = close.length;
  const pos = new Float64Array(n).fill(NaN);
  const neg = new Float64Array(n).fill(NaN);
  for (let t = 1; t < n; t++) {
    const flow = tp[t] * volume[t];
    const d = tp[t] - tp[t - 1];
    if (flow !== flow || d !== d) continue;
    pos[t] = d > 0 ? flow : 0;
    neg[t] = d < 0 ? flow : 0;
  }
  const sPos = rollingSum(pos, period);
  const sNeg = rollingSum(neg, period);
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const p = sPos[t];
    const q = sNeg[t];
    out[t] = q > 0 ? 100 - 100 / (1 + p / q) : p > 0 ? 100 : p === 0 ? 50 : NaN;
  }
  return out;
}

/**
 * Distance of close to the rolling volume-weighted average price: close / VWAP − 1 with
 * VWAP = Σ TP·V / Σ V over the last `window` bars (TP = typical price). NaN when the window traded
 * no volume (VWAP undefined). First defined at index window−1.
 * Source: StockCharts ChartSchool, "Volume-Weighted Average Price (VWAP)" (here a rolling, not
 * session-anchored, window, since datasets have no sessions).
 */
export function rollingVwapDistance(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  volume: ArrayLike<number>,
  window = 20,
): Float64Array {
  const tp = typicalPrice(high, low, close);
  const n = close.length;
  const pv = new Float64Array(n);
  for (let t = 0; t < n; t++) pv[t] = tp[t] * volume[t];
  const num = rollingSum(pv, window);
  const den = rollingSum(volume, window);
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = den[t] > 0 ? close[t] / (num[t] / den[t]) - 1 : NaN;
  return out;
}

/**
 * Volume z-score: (V_t − mean) / std over the last `window` volumes including V_t, with the sample
 * std (ddof = 1, pandas' rolling default); 0 when the window's volume is constant.
 * First defined at index window−1.
 */
export function volumeZScore(volume: ArrayLike<number>, window = 20): Float64Array {
  const mean = rollingMean(volume, window);
  const sd = rollingStd(volume, window, 1);
  const n = volume.length;
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = sd[t] > 0 ? (volume[t] - mean[t]) / sd[t] : sd[t] === 0 ? 0 : NaN;
  return out;
}
