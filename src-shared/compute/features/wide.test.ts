import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.js';
import { GOLDEN_CLOSE, GOLDEN_HIGH, GOLDEN_LOW, GOLDEN_OPEN, GOLDEN_TS, GOLDEN_VOLUME } from './__fixtures__/golden-ohlcv.js';
import { expectMatchesGolden, expectRowIdentical, perturbedAfter } from './__fixtures__/featureChecks.js';
import { syntheticOhlcv } from './__fixtures__/synthetic-ohlcv.js';
import { computeFeature, FeatureContext, parseFeatureName } from './feature-catalog.js';
import { computeFeatureMatrix } from './feature-matrix.js';
import { FEATURE_SETS } from './feature-sets.js';
import type { OhlcvColumns } from './ohlcv.js';
import { coarseBars, coarseLogReturn } from './wide.js';

// Produced by scripts/golden/features_wide.py (pandas 3.0.6 , numpy 2.4.6 )
const GOLDEN: Record<string, { firstValid: number; at: Record<number, number> }> = {
  "month_sin": { firstValid: 0, at: { 0: 0.0, 1: 0.0, 2: 0.0, 55: 0.0, 60: 0.0, 119: 0.0, 121: 0.0, 122: 0.0, 150: 0.0, 151: 0.0, 200: 0.0, 201: 0.0, 230: 0.0, 240: 0.0, 259: 0.0 } },
  "month_cos": { firstValid: 0, at: { 0: 1.0, 1: 1.0, 2: 1.0, 55: 1.0, 60: 1.0, 119: 1.0, 121: 1.0, 122: 1.0, 150: 1.0, 151: 1.0, 200: 1.0, 201: 1.0, 230: 1.0, 240: 1.0, 259: 1.0 } },
  "dom_sin": { firstValid: 0, at: { 0: 0.0, 1: 0.0, 2: 0.0, 55: 0.39435585511331855, 60: 0.39435585511331855, 119: 0.7247927872291199, 121: 0.8486442574947509, 122: 0.8486442574947509, 150: 0.9377521321470804, 151: 0.9377521321470804, 200: 0.9987165071710528, 201: 0.9987165071710528, 230: 0.9680771188662043, 240: 0.8978045395707416, 259: 0.8978045395707416 } },
  "dom_cos": { firstValid: 0, at: { 0: 1.0, 1: 1.0, 2: 1.0, 55: 0.9189578116202306, 60: 0.9189578116202306, 119: 0.6889669190756866, 121: 0.5289640103269624, 122: 0.5289640103269624, 150: 0.3473052528448203, 151: 0.3473052528448203, 200: -0.05064916883871264, 201: -0.05064916883871264, 230: -0.2506525322587204, 240: -0.4403941515576344, 259: -0.4403941515576344 } },
  "session_asia": { firstValid: 0, at: { 0: 1.0, 1: 1.0, 2: 1.0, 55: 1.0, 60: 0.0, 119: 0.0, 121: 1.0, 122: 1.0, 150: 1.0, 151: 1.0, 200: 0.0, 201: 0.0, 230: 0.0, 240: 1.0, 259: 0.0 } },
  "session_europe": { firstValid: 0, at: { 0: 0.0, 1: 0.0, 2: 0.0, 55: 1.0, 60: 1.0, 119: 0.0, 121: 0.0, 122: 0.0, 150: 0.0, 151: 1.0, 200: 1.0, 201: 1.0, 230: 1.0, 240: 0.0, 259: 0.0 } },
  "session_us": { firstValid: 0, at: { 0: 0.0, 1: 0.0, 2: 0.0, 55: 0.0, 60: 0.0, 119: 0.0, 121: 0.0, 122: 0.0, 150: 0.0, 151: 0.0, 200: 0.0, 201: 0.0, 230: 1.0, 240: 0.0, 259: 1.0 } },
  "weekend": { firstValid: 0, at: { 0: 0.0, 1: 0.0, 2: 0.0, 55: 0.0, 60: 0.0, 119: 0.0, 121: 1.0, 122: 1.0, 150: 1.0, 151: 1.0, 200: 0.0, 201: 0.0, 230: 0.0, 240: 0.0, 259: 0.0 } },
  "htf_logret_240_1": { firstValid: 7, at: { 7: 0.012946763831822323, 8: 0.012946763831822323, 9: 0.012946763831822323, 55: -0.007120283246671667, 60: 0.020919004903309477, 119: 0.026357469766403983, 121: 0.026357469766403983, 122: 0.026357469766403983, 150: 0.0059817208619626265, 151: -0.02405477009830128, 200: -0.019924585952346537, 201: -0.019924585952346537, 230: -0.013159980518774898, 240: -0.009226398943828432, 259: -0.014304725018209999 } },
  "htf_logret_240_3": { firstValid: 15, at: { 15: 0.03479971911004821, 16: 0.03479971911004821, 17: 0.03479971911004821, 55: -0.01330921208303708, 60: 0.014094390115895142, 119: 0.022802741982093814, 121: 0.022802741982093814, 122: 0.022802741982093814, 150: 0.03680301019386003, 151: 0.008118392054088866, 200: -0.0380519705449033, 201: -0.0380519705449033, 230: -0.02765504743691434, 240: 0.0014493456327120777, 259: -0.010723440640763783 } },
  "htf_logret_240_6": { firstValid: 27, at: { 27: -0.003487622487857904, 28: -0.003487622487857904, 29: -0.003487622487857904, 55: 0.003878093658700486, 60: 0.03159508535310632, 119: 0.02598269228614348, 121: 0.02598269228614348, 122: 0.02598269228614348, 150: 0.06841669751657956, 151: 0.053418593096075384, 200: -0.017500559986482447, 201: -0.017500559986482447, 230: -0.06946977702358319, 240: -0.026205701804202397, 259: -0.024207223857401965 } },
  "htf_rv_240_3": { firstValid: 15, at: { 15: 0.03082840916047621, 16: 0.03082840916047621, 17: 0.03082840916047621, 55: 0.0041104022520072146, 60: 0.014528822077436917, 119: 0.023224939193361598, 121: 0.023224939193361598, 122: 0.023224939193361598, 150: 0.012077269720105048, 151: 0.025282752183796324, 200: 0.006289828475162504, 201: 0.006289828475162504, 230: 0.010806116192962501, 240: 0.01732122100715083, 259: 0.009359209383255213 } },
  "htf_rsi_240_5": { firstValid: 23, at: { 23: 53.185840707964594, 24: 53.185840707964594, 25: 53.185840707964594, 55: 47.80662205446352, 60: 66.5639444130451, 119: 66.99885849019981, 121: 66.99885849019981, 122: 66.99885849019981, 150: 79.0174392184157, 151: 56.62954409572658, 200: 34.533529003118474, 201: 34.533529003118474, 230: 16.67419441292776, 240: 29.388673877689982, 259: 27.663862772123707 } },
  "htf_sma_dist_240_4": { firstValid: 15, at: { 15: 0.009015122140364484, 16: 0.016188445133772822, 17: -0.0027142303218301578, 55: -0.006801379990142853, 60: -0.0038860740813615458, 119: 0.022730455075846034, 121: 0.022730455075846034, 122: 0.020210035005834293, 150: 0.0022561261643623265, 151: -0.008550814999554568, 200: -0.00886143931256711, 201: -0.025331185105621157, 230: -0.0021131609563834752, 240: 0.00038361944950615623, 259: -0.009633817855322913 } },
  "htf_logret_1440_1": { firstValid: 47, at: { 47: 0.00197336028517529, 48: 0.00197336028517529, 49: 0.00197336028517529, 55: 0.00197336028517529, 60: 0.00197336028517529, 119: 0.02598269228614348, 121: 0.02598269228614348, 122: 0.02598269228614348, 150: 0.03391980634659584, 151: 0.03391980634659584, 200: 0.05472434403506253, 201: 0.05472434403506253, 230: -0.05632201365736498, 240: -0.026205701804202397, 259: -0.026205701804202397 } },
  "htf_logret_1440_2": { firstValid: 71, at: { 71: 0.1183425498809953, 72: 0.1183425498809953, 73: 0.1183425498809953, 119: -0.03946291147276648, 121: -0.03946291147276648, 122: -0.03946291147276648, 150: 0.05990249863273938, 151: 0.05990249863273938, 200: -0.007616722679118358, 201: -0.007616722679118358, 230: -0.001597669622302531, 240: -0.08252771546156745, 259: -0.08252771546156745 } },
  "htf_rv_1440_3": { firstValid: 95, at: { 95: 0.09191331202014125, 96: 0.09191331202014125, 97: 0.09191331202014125, 119: 0.09090789413488552, 121: 0.09090789413488552, 122: 0.09090789413488552, 150: 0.05522018927702972, 151: 0.05522018927702972, 200: 0.06245437650096114, 201: 0.06245437650096114, 230: 0.06591893120890283, 240: 0.057428155283996675, 259: 0.057428155283996675 } },
  "htf_rsi_1440_5": { firstValid: 143, at: { 143: 72.78552581982662, 144: 72.78552581982662, 145: 72.78552581982662, 150: 72.78552581982662, 151: 72.78552581982662, 200: 64.49531094020219, 201: 64.49531094020219, 230: 50.7574164850121, 240: 45.3650941407788, 259: 45.3650941407788 } },
  "htf_sma_dist_1440_4": { firstValid: 95, at: { 95: 0.008454961976288367, 96: 0.006943460393935119, 97: 0.004109394927023002, 119: 0.015078868737405271, 121: 0.015078868737405271, 122: 0.012577305260232041, 150: 0.011406158423876267, 151: 0.0036517740408457122, 200: 0.0023762645121869763, 201: -0.014280218163713276, 230: -0.04183480382098814, 240: -0.027095089306533482, 259: -0.04836077041458742 } },
  "vol_pctrank_20": { firstValid: 20, at: { 20: 1.0, 21: 1.0, 22: 0.6666666666666666, 55: 0.3611111111111111, 60: 0.6097560975609756, 119: 0.86, 121: 0.6666666666666666, 122: 0.6601941747572816, 150: 0.6030534351145038, 151: 0.6287878787878788, 200: 0.10497237569060773, 201: 0.17582417582417584, 230: 0.15639810426540285, 240: 0.11764705882352941, 259: 0.39166666666666666 } },
  "vol_regime_20": { firstValid: 20, at: { 20: 2.0, 21: 2.0, 22: 1.0, 23: 2.0, 25: 1.0, 35: 1.0, 55: 1.0, 60: 1.0, 119: 2.0, 121: 1.0, 122: 1.0, 150: 1.0, 151: 1.0, 200: 0.0, 201: 0.0, 230: 0.0, 240: 0.0, 259: 1.0 } },
  "trend_regime_20": { firstValid: 20, at: { 20: 0.0, 21: 0.0, 22: 0.0, 30: -1.0, 31: -1.0, 32: -1.0, 55: 0.0, 60: 0.0, 67: 1.0, 68: 1.0, 69: 1.0, 119: 0.0, 121: 0.0, 122: 0.0, 150: 0.0, 151: 0.0, 200: 0.0, 201: 0.0, 230: 0.0, 240: 0.0, 259: 0.0 } },
  "vol_pctrank_50": { firstValid: 50, at: { 50: 1.0, 51: 1.0, 52: 0.6666666666666666, 55: 1.0, 60: 0.7272727272727273, 119: 0.7285714285714285, 121: 0.5138888888888888, 122: 0.3972602739726027, 150: 0.6831683168316832, 151: 0.7156862745098039, 200: 0.12582781456953643, 201: 0.16447368421052633, 230: 0.03867403314917127, 240: 0.1256544502617801, 259: 0.014285714285714285 } },
  "vol_regime_50": { firstValid: 50, at: { 50: 2.0, 51: 2.0, 52: 1.0, 53: 1.0, 54: 2.0, 55: 2.0, 60: 2.0, 62: 1.0, 119: 2.0, 121: 1.0, 122: 1.0, 150: 2.0, 151: 2.0, 200: 0.0, 201: 0.0, 230: 0.0, 240: 0.0, 259: 0.0 } },
  "trend_regime_50": { firstValid: 50, at: { 50: 0.0, 51: 0.0, 52: 0.0, 55: 0.0, 60: 0.0, 70: 1.0, 71: 1.0, 72: 1.0, 119: 0.0, 121: 0.0, 122: 0.0, 150: 0.0, 151: 0.0, 200: 0.0, 201: 0.0, 227: -1.0, 228: -1.0, 230: 0.0, 234: -1.0, 240: 0.0, 259: 0.0 } },
  "xref_logret_1": { firstValid: 1, at: { 1: -0.0019018072895963312, 2: 0.009175291256094802, 3: 0.0037653631487179324, 55: -0.00661567458567372, 60: 0.018259072108948372, 119: 0.009353575759618711, 121: -9.117848194148017e-05, 122: -0.0015513075155620525, 150: 0.006550527812013545, 151: -0.024320521991810642, 200: 0.008980874079187668, 201: -0.0013555648002300034, 230: 0.008330588704941085, 240: -0.009406865296605636, 259: -0.017231791336746113 } },
  "xref_logret_4": { firstValid: 4, at: { 4: 0.007372754329412937, 5: -0.004418121455223046, 6: -0.014499529058237972, 55: -0.009858123999779311, 60: 0.003996301434339365, 119: 0.03501634739619416, 121: 0.02726727460480391, 122: 0.008805780621296704, 150: 0.01243884293146219, 151: -0.026060106669864955, 200: -0.007109141302196744, 201: 0.001719690879526679, 230: 0.014793737620050158, 240: -0.007015549412219557, 259: -0.007975144390152476 } },
  "xref_rv_5": { firstValid: 5, at: { 5: 0.00858665107099712, 6: 0.008579703965766865, 7: 0.009773534794404322, 55: 0.005347531027777023, 60: 0.010699567387323434, 119: 0.005794566676940828, 121: 0.007417358251375387, 122: 0.007822959954601492, 150: 0.00921130227190931, 151: 0.015315378291477307, 200: 0.008167597251717241, 201: 0.008126998649920402, 230: 0.0099023615884157, 240: 0.009779078905359034, 259: 0.01041617644550313 } },
  "xrank_logret_1": { firstValid: 1, at: { 1: 1.0, 2: 0.6666666666666666, 3: 0.3333333333333333, 55: 1.0, 60: 0.3333333333333333, 119: 0.3333333333333333, 121: 1.0, 122: 0.3333333333333333, 150: 0.3333333333333333, 151: 1.0, 200: 1.0, 201: 0.3333333333333333, 230: 0.3333333333333333, 240: 1.0, 259: 1.0 } },
  "xrank_logret_3": { firstValid: 3, at: { 3: 0.3333333333333333, 4: 0.3333333333333333, 5: 0.3333333333333333, 55: 0.6666666666666666, 60: 0.3333333333333333, 119: 0.3333333333333333, 121: 0.3333333333333333, 122: 0.6666666666666666, 150: 0.3333333333333333, 151: 0.3333333333333333, 200: 0.6666666666666666, 201: 0.3333333333333333, 230: 0.6666666666666666, 240: 0.3333333333333333, 259: 0.3333333333333333 } },
};

const cols: OhlcvColumns = {
  ts: Float64Array.from(GOLDEN_TS),
  open: Float64Array.from(GOLDEN_OPEN),
  high: Float64Array.from(GOLDEN_HIGH),
  low: Float64Array.from(GOLDEN_LOW),
  close: Float64Array.from(GOLDEN_CLOSE),
  volume: Float64Array.from(GOLDEN_VOLUME),
};

/** The golden script's other assets: B = the opens without bars 50–59 and 150 (the reference), C = the highs. */
const missing = new Set([50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 150]);
const assetB = { ts: cols.ts.filter((_, i) => !missing.has(i)), close: cols.open.filter((_, i) => !missing.has(i)) };
const assetC = { ts: cols.ts, close: cols.high };

describe('wide catalog families match independent pandas goldens (scripts/golden/features_wide.py)', () => {
  const ctx = new FeatureContext(cols, [assetB, cols, assetC]);
  for (const [name, { firstValid, at }] of Object.entries(GOLDEN)) {
    it(name, () => expectMatchesGolden(name, computeFeature(ctx, name), { firstValid, at }, GOLDEN_CLOSE.length));
  }
});

describe('multi-timeframe roll-ups', () => {
  const H = 3_600_000;
  it('complete a 4-hour bar at the close of its last hour, or at the next bar after a gap, never earlier', () => {
    // Hourly bars 00:00…05:00, then a gap to 09:00: bucket [04, 08) ends early (its 06:00 and 07:00 bars are missing).
    const ts = [0, 1, 2, 3, 4, 5, 9, 10].map((h) => h * H);
    const close = [10, 11, 12, 13, 14, 15, 19, 20];
    const c = coarseBars(ts, close, 240);
    expect(Array.from(c.completed)).toEqual([0, 0, 0, 1, 1, 1, 2, 2]);
    expect(Array.from(c.close)).toEqual([13, 15]);
    expect(Array.from(coarseLogReturn(c, 1))).toEqual([NaN, NaN, NaN, NaN, NaN, NaN, Math.log(15 / 13), Math.log(15 / 13)]);
  });

  it('a weekly return needs two completed weeks and then changes only at week ends', () => {
    const data = syntheticOhlcv(24 * 7 * 4, 5);
    const w = computeFeature(new FeatureContext(data), 'htf_logret_10080_1');
    const first = w.findIndex(Number.isFinite);
    // 2024-01-01 is a Monday but the epoch's weeks start on Thursday: the first full bucket ends on 2024-01-04 + 7 days.
    expect(first).toBeGreaterThan(24 * 7);
    expect(first).toBeLessThan(24 * 7 * 3);
    const changes = Array.from(w).filter((v, t) => t > first && v !== w[t - 1]).length;
    expect(changes).toBeLessThanOrEqual(2);
  });
});

describe('cross-asset features', () => {
  it('never look ahead in any asset: changing the other assets after t leaves the target row t bit-identical', () => {
    const a = syntheticOhlcv(400, 21);
    const b = syntheticOhlcv(400, 22);
    const c = syntheticOhlcv(380, 23);
    const names = ['xref_logret_1', 'xref_logret_20', 'xref_rv_20', 'xrank_logret_1', 'xrank_logret_20'];
    const base = computeFeatureMatrix(a, names, { crossAssets: [b, a, c] });
    for (const t of [25, 200, 398]) {
      const bump = (x: OhlcvColumns) => ({ ts: x.ts, close: x.close.map((v, u) => (u > t ? v * (1.5 + Math.sin(u)) : v)) });
      const p = computeFeatureMatrix(a, names, { crossAssets: [bump(b), a, bump(c)] });
      expectRowIdentical(base, p, t);
    }
    // Alone, a dataset is its own reference: the reference return is its own, and it ranks first among one.
    const alone = new FeatureContext(a);
    expect(Array.from(computeFeature(alone, 'xref_logret_3'))).toEqual(Array.from(computeFeature(alone, 'logret_3')));
    expect(computeFeature(alone, 'xrank_logret_3')[10]).toBe(1);
  });
});

describe('the wide feature set', () => {
  const data = syntheticOhlcv(24 * 7 * 5, 3);
  const m = computeFeatureMatrix(data, 'wide');

  it('has 155 distinct parseable features, regimes among them, and a group for regimes alone', () => {
    expect(FEATURE_SETS.wide.length).toBe(155);
    expect(new Set(FEATURE_SETS.wide).size).toBe(155);
    for (const f of FEATURE_SETS.wide) expect(typeof parseFeatureName(f), f).toBe('object');
    expect(FEATURE_SETS.regimes).toEqual(expect.arrayContaining(['vol_regime_20', 'trend_regime_20', 'vol_pctrank_20']));
    expect(m.features).toBe(155);
    // Two completed weeks of the epoch's Thursday-aligned weeks.
    expect(m.firstValidRow).toBeGreaterThan(200);
    expect(m.firstValidRow).toBeLessThan(m.rows);
  });

  it('never looks ahead: changing bars after t leaves row t bit-identical', () => {
    const rng = mulberry32(17);
    for (const t of [10, 250, 401, 700, m.rows - 2]) expectRowIdentical(m, computeFeatureMatrix(perturbedAfter(data, t, rng), 'wide'), t);
  });

  it('is scale-free: multiplying prices and volume by constants changes no feature', () => {
    const c: OhlcvColumns = { ...data, open: data.open.map((x) => x * 37.3), high: data.high.map((x) => x * 37.3), low: data.low.map((x) => x * 37.3), close: data.close.map((x) => x * 37.3), volume: data.volume.map((x) => x * 0.013) };
    const s = computeFeatureMatrix(c, 'wide');
    for (let i = m.firstValidRow * m.features; i < m.data.length; i++) {
      const want = m.data[i];
      expect(Math.abs(s.data[i] - want), `${m.names[i % m.features]} row ${Math.floor(i / m.features)}`).toBeLessThanOrEqual(2e-5 * Math.max(1, Math.abs(want)));
    }
  });
});
