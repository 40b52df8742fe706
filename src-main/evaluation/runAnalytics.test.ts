import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFiles } from '../../test-support/fixtures.js';
import { trainingWorkspace, TRAINING_WORKER, type TrainingWorkspace } from '../../test-support/trainingWorkspace.js';
import { requirePrerequisite } from '../../test-support/vitest.js';
import { pearson, spearman } from '../../test-support/correlation.js';
import { runAnalyticsSchema } from '../../src-shared/contract/evaluation.js';
import type { Services } from '../services/createServices.js';
import { readTestPredictions } from '../training/loop/artifactFiles.js';

describe('evaluation.analytics through the contract (built worker)', () => {
  if (!requirePrerequisite(builtFiles(TRAINING_WORKER))) return;
  let ws: TrainingWorkspace;
  let services: Services;
  let dispatch: TrainingWorkspace['dispatch'];
  let runId = 0;

  beforeAll(async () => {
    ws = await trainingWorkspace('candela-analytics-', { symbols: 2, bars: 2000, timeframe: '1h', seed: 6, signal: 0.4 });
    ({ services, dispatch } = ws);
    const { datasetIds } = ws;
    runId = await ws.start({ datasetIds, model: 'mlp', window: 8, epochs: 1, batchSize: 64 });
    expect(await services.training.whenSettled(runId)).toBe('completed');
  }, 180_000);
  afterAll(async () => {
    await ws?.close();
  });

  it('IC is the correlation of P(UP) − P(DOWN) with the forward log return of the saved predictions, and the regime rows add up to the test set', async () => {
    const r = await dispatch('evaluation.analytics', { runId });
    if (!r.ok) throw new Error(r.error.message);
    const a = runAnalyticsSchema.parse(r.value);

    // Recomputed from the files the run wrote and the candles, without the analytics library.
    const run = (await services.db.getRun(runId))!;
    const preds = await readTestPredictions(join(run.checkpointDir, 'final'));
    const datasets = await services.db.listDatasets();
    const k = preds.classNames.length;
    const up = preds.classNames.findIndex((c) => c.toUpperCase() === 'UP');
    const down = preds.classNames.findIndex((c) => c.toUpperCase() === 'DOWN');
    const closes = new Map<string, Map<number, number>>();
    const barsOf = new Map<string, number[]>();
    for (const d of datasets) {
      const c = await services.db.queryCandles({ datasetId: d.id, rollupMs: null, limit: 1e6, anchor: 'first' });
      closes.set(d.symbol, new Map(Array.from(c.ts, (t, i) => [t, c.close[i]!])));
      barsOf.set(d.symbol, Array.from(c.ts));
    }
    const scores: number[] = [];
    const forward: number[] = [];
    for (let i = 0; i < preds.yTrue.length; i++) {
      const symbol = preds.symbols[preds.symbolIndex[i]!]!;
      const bars = barsOf.get(symbol)!;
      const j = bars.indexOf(preds.ts[i]!);
      if (j < 0 || j + a.horizon >= bars.length) continue;
      scores.push(preds.probs[i * k + up]! - preds.probs[i * k + down]!);
      forward.push(Math.log(closes.get(symbol)!.get(bars[j + a.horizon]!)! / closes.get(symbol)!.get(bars[j]!)!));
    }
    expect(a.signalQuality.overall.n).toBe(scores.length);
    expect(a.signalQuality.overall.ic).toBeCloseTo(pearson(scores, forward), 9);
    expect(Math.abs(a.signalQuality.overall.rankIc!)).toBeLessThanOrEqual(1);

    expect(a.samples).toBe(preds.yTrue.length);
    expect(a.signalQuality.decay.map((d) => d.horizon)).toEqual([1, 2, 3, 4].map((m) => m * a.horizon));
    expect(a.signalQuality.perSymbol.reduce((s, x) => s + x.n, 0)).toBe(a.signalQuality.overall.n);
    expect(a.bias.reduce((s, b) => s + b.n, 0)).toBe(a.samples);
    for (const rows of [a.regimes.volatility.rows, a.regimes.trend.rows]) {
      expect(rows.reduce((s, x) => s + x.bars, 0)).toBe(a.samples);
      expect(rows.filter((x) => x.regime !== 'unknown' && x.bars > 0).length).toBeGreaterThan(1);
    }
    // The persistence baseline per regime recombines, weighted by the samples that have a call, into the report's.
    const evaluated = await dispatch('evaluation.run', { runId });
    if (!evaluated.ok) throw new Error(evaluated.error.message);
    const persistence = (evaluated.value as { report: { baselines: { persistence: { accuracy: number; samples: number } } } }).report.baselines.persistence;
    for (const rows of [a.regimes.volatility.rows, a.regimes.trend.rows]) {
      const withCall = rows.reduce((s, r) => s + r.persistenceBars, 0);
      expect(withCall).toBe(persistence.samples);
      expect(rows.reduce((s, r) => s + (r.persistenceAccuracy ?? 0) * r.persistenceBars, 0) / withCall).toBeCloseTo(persistence.accuracy, 12);
    }
    // Cut points come from the bars before the test period only.
    for (const t of a.regimes.volatility.thresholds) {
      expect(t.trainingBars).toBeGreaterThan(100);
      expect(t.trainingBars).toBeLessThan(2000 - preds.yTrue.length / 2);
      expect(t.lower!).toBeLessThan(t.upper!);
    }
  });

  it("with a magnitude head, its predicted log return is scored the same way as P(UP) − P(DOWN); without one, magnitude is null", async () => {
    const plain = await dispatch('evaluation.analytics', { runId });
    if (!plain.ok) throw new Error(plain.error.message);
    expect(runAnalyticsSchema.parse(plain.value).signalQuality.magnitude).toBeNull();

    const magRun = await ws.start({ datasetIds: ws.datasetIds, model: 'mlp', window: 8, epochs: 1, batchSize: 64, magnitudeHead: true });
    expect(await services.training.whenSettled(magRun)).toBe('completed');
    const r = await dispatch('evaluation.analytics', { runId: magRun });
    if (!r.ok) throw new Error(r.error.message);
    const a = runAnalyticsSchema.parse(r.value);
    const run = (await services.db.getRun(magRun))!;
    const preds = await readTestPredictions(join(run.checkpointDir, 'final'));
    expect(preds.magnitude).toBeDefined();
    const datasets = await services.db.listDatasets();
    const bars = new Map<string, { ts: number[]; close: number[] }>();
    for (const d of datasets) {
      const c = await services.db.queryCandles({ datasetId: d.id, rollupMs: null, limit: 1e6, anchor: 'first' });
      bars.set(d.symbol, { ts: Array.from(c.ts), close: Array.from(c.close) });
    }
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < preds.yTrue.length; i++) {
      const b = bars.get(preds.symbols[preds.symbolIndex[i]!]!)!;
      const j = b.ts.indexOf(preds.ts[i]!);
      if (j < 0 || j + a.horizon >= b.ts.length) continue;
      x.push(preds.magnitude![i]!);
      y.push(Math.log(b.close[j + a.horizon]! / b.close[j]!));
    }
    const m = a.signalQuality.magnitude!;
    expect(m.overall.n).toBe(x.length);
    expect(m.overall.ic).toBeCloseTo(pearson(x, y), 9);
    expect(m.overall.rankIc).toBeCloseTo(spearman(x, y), 9);
    expect(m.decay.map((d) => d.horizon)).toEqual(a.signalQuality.decay.map((d) => d.horizon));
  }, 180_000);

  it('refuses an unknown run with a sentence', async () => {
    const r = await dispatch('evaluation.analytics', { runId: 999 });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'Run 999 does not exist.' } });
  });
});
