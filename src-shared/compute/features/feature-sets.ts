/**
 * Named, selectable feature sets. Every name resolves through the feature catalog
 * (see feature-catalog.ts); a test checks that each one parses and is scale-free.
 */

const CALENDAR = ['hour_sin', 'hour_cos', 'dow_sin', 'dow_cos'] as const;
const CANDLE = ['candle_body', 'candle_upper', 'candle_lower'] as const;

export const FEATURE_SETS = {
  /** A small, fast baseline: returns, one volatility, one oscillator, one trend, volume, candle. */
  minimal: ['logret_1', 'logret_5', 'logret_20', 'rv_20', 'rsi_14', 'sma_dist_25', 'vol_z_20', 'candle_body'],
  /** Trend and oscillators. */
  momentum: [
    'logret_1', 'logret_3', 'logret_5', 'logret_10', 'logret_20',
    'rsi_7', 'rsi_14', 'macd_line', 'macd_signal', 'macd_hist',
    'stoch_k_14', 'stoch_d_14_3', 'cci_20', 'willr_14', 'adx_14', 'plus_di_14', 'minus_di_14',
    'mfi_14', 'obv_flow_20', 'ema_dist_7', 'ema_dist_25', 'sma_dist_99',
  ],
  /** Volatility estimators, band position and candle anatomy. */
  volatility: [
    'logret_1', 'rv_10', 'rv_20', 'rv_50', 'parkinson_20', 'gk_20', 'natr_14',
    'bb_pctb_20', 'bb_width_20', ...CANDLE, 'vol_z_20',
  ],
  /** Everything: 60 features. Needs 200 bars of warm-up (SMA/EMA 200). */
  full: [
    'logret_1', 'logret_2', 'logret_3', 'logret_5', 'logret_10', 'logret_20', 'logret_50', 'logret_100',
    'rv_5', 'rv_10', 'rv_20', 'rv_50', 'rv_100',
    'parkinson_20', 'parkinson_50', 'gk_20', 'gk_50', 'natr_7', 'natr_14',
    'rsi_7', 'rsi_14', 'rsi_21',
    'macd_line', 'macd_signal', 'macd_hist',
    'bb_pctb_20', 'bb_width_20', 'bb_pctb_50', 'bb_width_50',
    'stoch_k_14', 'stoch_d_14_3', 'cci_20', 'cci_50', 'willr_14', 'willr_50',
    'adx_14', 'plus_di_14', 'minus_di_14',
    'obv_flow_20', 'obv_flow_50', 'mfi_14', 'vwap_dist_20', 'vwap_dist_50',
    'sma_dist_7', 'sma_dist_25', 'sma_dist_99', 'sma_dist_200',
    'ema_dist_7', 'ema_dist_25', 'ema_dist_99', 'ema_dist_200',
    ...CANDLE, 'vol_z_20', 'vol_z_50', ...CALENDAR,
  ],
} as const satisfies Record<string, readonly string[]>;

export type FeatureSetName = keyof typeof FEATURE_SETS;

export const FEATURE_SET_NAMES = Object.keys(FEATURE_SETS) as FeatureSetName[];

export function isFeatureSetName(name: string): name is FeatureSetName {
  return Object.prototype.hasOwnProperty.call(FEATURE_SETS, name);
}
