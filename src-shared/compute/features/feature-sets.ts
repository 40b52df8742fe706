/**
 * Named, selectable feature sets. Every name resolves through the feature catalog
 * (see feature-catalog.ts); a test checks that each one parses and is scale-free.
 */

const CALENDAR = ['hour_sin', 'hour_cos', 'dow_sin', 'dow_cos'] as const;
const CANDLE = ['candle_body', 'candle_upper', 'candle_lower'] as const;

const CALENDAR_WIDE = ['month_sin', 'month_cos', 'dom_sin', 'dom_cos', 'session_asia', 'session_europe', 'session_us', 'weekend'] as const;
const REGIMES = ['vol_pctrank_20', 'vol_pctrank_100', 'vol_regime_20', 'vol_regime_100', 'trend_regime_20', 'trend_regime_50'] as const;

const FULL = [
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
] as const;

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
  full: FULL,
  /**
   * Regimes as a feature group: the minimal set plus each bar's volatility regime (expanding
   * terciles), its percent rank and the trend regime, every one from past bars only.
   */
  regimes: [
    'logret_1', 'logret_5', 'logret_20', 'rv_20', 'rsi_14', 'sma_dist_25', 'vol_z_20', 'candle_body',
    ...REGIMES,
  ],
  /**
   * The wide catalog, 155 features: the full set, the classic indicators over more lengths,
   * multi-timeframe roll-ups (4 h, 1 d, 1 w bars, aligned without look-ahead), calendar and session
   * flags, regimes, and cross-asset features (the run's first dataset as the reference asset, the
   * cross-sectional rank among the run's datasets; a one-dataset run is its own reference). Needs 200 bars of warm-up and two completed weeks (the weekly return); on
   * bars of a day or longer the 4-hour roll-ups equal the bars themselves.
   */
  wide: [
    ...FULL,
    'ret_1', 'ret_5', 'ret_20', 'logret_4', 'logret_8', 'logret_15', 'logret_30', 'logret_200',
    'rv_3', 'rv_30', 'rv_200', 'parkinson_5', 'parkinson_10', 'parkinson_100', 'gk_5', 'gk_10', 'gk_100', 'natr_3', 'natr_21', 'natr_50',
    'rsi_3', 'rsi_5', 'rsi_28', 'rsi_50',
    'macd_line_5_35_5', 'macd_signal_5_35_5', 'macd_hist_5_35_5',
    'bb_pctb_10', 'bb_width_10', 'bb_pctb_100', 'bb_width_100',
    'stoch_k_7', 'stoch_k_28', 'stoch_d_7_3', 'stoch_d_28_3', 'cci_5', 'cci_10', 'cci_100', 'willr_7', 'willr_28',
    'adx_7', 'adx_28', 'plus_di_7', 'plus_di_28', 'minus_di_7', 'minus_di_28',
    'obv_flow_10', 'obv_flow_100', 'mfi_7', 'mfi_28', 'vwap_dist_10', 'vwap_dist_100',
    'sma_dist_10', 'sma_dist_50', 'sma_dist_100', 'ema_dist_10', 'ema_dist_50', 'ema_dist_100', 'vol_z_5', 'vol_z_10', 'vol_z_100',
    ...CALENDAR_WIDE,
    'htf_logret_240_1', 'htf_logret_240_3', 'htf_logret_240_6', 'htf_rv_240_6', 'htf_rv_240_20', 'htf_rsi_240_14', 'htf_sma_dist_240_6', 'htf_sma_dist_240_20',
    'htf_logret_1440_1', 'htf_logret_1440_5', 'htf_rv_1440_5', 'htf_rsi_1440_7', 'htf_sma_dist_1440_5', 'htf_sma_dist_1440_10',
    'htf_logret_10080_1',
    ...REGIMES,
    'xref_logret_1', 'xref_logret_20', 'xref_rv_20', 'xrank_logret_1', 'xrank_logret_20',
  ],
} as const satisfies Record<string, readonly string[]>;

export type FeatureSetName = keyof typeof FEATURE_SETS;

export const FEATURE_SET_NAMES = Object.keys(FEATURE_SETS) as FeatureSetName[];

export function isFeatureSetName(name: string): name is FeatureSetName {
  return Object.prototype.hasOwnProperty.call(FEATURE_SETS, name);
}
