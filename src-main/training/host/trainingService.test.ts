import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFiles } from '../../../test-support/fixtures.js';
import { trainingWorkspace, TRAINING_WORKER, type TrainingWorkspace } from '../../../test-support/trainingWorkspace.js';
import { requirePrerequisite } from '../../../test-support/vitest.js';
import type { RunStatus } from '../../../src-shared/contract/training.js';
import type { Services } from '../../services/createServices.js';
import type { TrainingProcess } from './trainingProcess.js';

describe('training through the contract (built worker)', () => {
  if (!requirePrerequisite(builtFiles(TRAINING_WORKER))) return;
  let ws: TrainingWorkspace;
  let dir: string;
  let services: Services;
  let dispatch: TrainingWorkspace['dispatch'];
  let spawned: TrainingProcess[];
  let datasetIds: number[] = [];

  beforeAll(async () => {
    ws = await trainingWorkspace('candela-train-', { symbols: 2, bars: 4000, timeframe: '5m', seed: 2, signal: 0.4 });
    ({ dir, services, dispatch, spawned, datasetIds } = ws);
  });
  afterAll(async () => {
    await ws?.close();
  });

  /** Status events of every run from now on; filter by run once its id is known. */
  const statuses = () => {
    const all: { runId: number; status: RunStatus }[] = [];
    const off = services.events.subscribe((name, p) => {
      if (name === 'training.status') all.push(p as { runId: number; status: RunStatus });
    });
    return { of: (runId: number) => all.filter((e) => e.runId === runId).map((e) => e.status), off };
  };
  const waitFor = async (cond: () => boolean | Promise<boolean>, ms = 60_000) => {
    const end = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('shows the model summary before starting', async () => {
    const r = await dispatch('training.summary', { config: { datasetIds, model: 'lstm', window: 16 } });
    expect(r.ok).toBe(true);
    if (r.ok) {
      const s = r.value as { layers: { name: string }[]; totalParams: number };
      expect(s.layers.length).toBeGreaterThan(2);
      expect(s.totalParams).toBeGreaterThan(1000);
    }
  });

  it('starts, pauses, resumes and completes a run, recording every epoch', async () => {
    const events = statuses();
    // The planted signal is the generator's `signal` column: an extra column, used only when asked.
    const runId = await ws.start({ datasetIds, model: 'mlp', window: 8, epochs: 4, batchSize: 64, includeExtras: true });
    const seen = { includes: (s: RunStatus) => events.of(runId).includes(s) };
    await waitFor(async () => ((await services.db.getRun(runId))?.epochs.length ?? 0) >= 1);
    expect((await dispatch('training.pause', { runId })).ok).toBe(true);
    await waitFor(() => seen.includes('paused'));
    const pausedAt = (await services.db.getRun(runId))!.epochs.length;
    await new Promise((r) => setTimeout(r, 300));
    expect((await services.db.getRun(runId))!.epochs.length).toBe(pausedAt);
    expect((await dispatch('training.resume', { runId })).ok).toBe(true);
    expect(await services.training.whenSettled(runId)).toBe('completed');
    events.off();
    const run = await dispatch('training.run', { runId });
    if (!run.ok) throw new Error(run.error.message);
    const detail = run.value as { status: string; epochs: { epoch: number }[]; test: { accuracy: number; baselineAccuracy: number }; modelSummary: unknown; backend: string };
    expect(detail.status).toBe('completed');
    expect(detail.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(detail.modelSummary).not.toBeNull();
    expect(detail.backend).toMatch(/wasm|cpu|tensorflow/);
    // Planted signal: clearly better than always guessing the majority class.
    expect(detail.test.accuracy).toBeGreaterThan(detail.test.baselineAccuracy + 0.03);
    expect(events.of(runId)).toEqual(['running', 'paused', 'running', 'completed']);
  });

  it('stops a run and keeps its result', async () => {
    const runId = await ws.start({ datasetIds, model: 'mlp', window: 8, epochs: 50, batchSize: 64, patience: 100 });
    await waitFor(async () => ((await services.db.getRun(runId))?.epochs.length ?? 0) >= 1);
    expect((await dispatch('training.stop', { runId })).ok).toBe(true);
    expect(await services.training.whenSettled(runId)).toBe('stopped');
    const run = (await services.db.getRun(runId))!;
    expect(run.test).not.toBeNull();
    expect(run.epochs.length).toBeLessThan(50);
  });

  it('marks a run failed with the reason when its process is killed, and resumes it from the checkpoint', async () => {
    const runId = await ws.start({ datasetIds, model: 'mlp', window: 8, epochs: 6, batchSize: 64, patience: 100 });
    await waitFor(async () => ((await services.db.getRun(runId))?.epochs.length ?? 0) >= 2);
    spawned.at(-1)!.kill();
    expect(await services.training.whenSettled(runId)).toBe('failed');
    const failed = (await services.db.getRun(runId))!;
    expect(failed.failure).toMatch(/killed|exited/);
    expect(failed.resumable).toBe(true);
    // The app carries on: other requests still work.
    expect((await dispatch('datasets.list', {})).ok).toBe(true);
    expect((await dispatch('training.resume', { runId })).ok).toBe(true);
    expect(await services.training.whenSettled(runId)).toBe('completed');
    expect((await services.db.getRun(runId))!.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('evaluates a finished run; the metrics recompute from its predictions CSV to 1e-9', async () => {
    const runs = await services.db.listRuns();
    const done = runs.find((r) => r.status === 'completed')!;
    const r = await dispatch('evaluation.run', { runId: done.id });
    if (!r.ok) throw new Error(r.error.message);
    const csvFile = join(dir, 'preds.csv');
    const { runCli } = await import('../../cli/main.js');
    const { vi } = await import('vitest');
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((t) => ((out += String(t)), true));
    await runCli(['--workspace', join(dir, 'ws'), 'eval', String(done.id), '--json', '--predictions', csvFile]);
    spy.mockRestore();
    const doc = JSON.parse(out) as { samples: number; classes: string[]; accuracy: number; logLoss: number; brier: number; confusionMatrix: number[][]; baselines: { majority: number } };
    const lines = (await import('node:fs')).readFileSync(csvFile, 'utf8').trim().split('\n');
    // After the probabilities: the signal-quality score and the forward return it is judged against.
    expect(lines[0]).toBe(['timestamp', 'symbol', 'y_true', 'y_pred', ...doc.classes.map((c) => `p_${c}`), 'score', 'forward_return'].join(','));
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(doc.samples);
    // Independent recomputation, straight from the file.
    const k = doc.classes.length;
    let correct = 0;
    let logLoss = 0;
    let brier = 0;
    const cm = doc.classes.map(() => doc.classes.map(() => 0));
    const counts = new Map<string, number>();
    for (const row of rows) {
      const t = doc.classes.indexOf(row[2]!);
      const p = row.slice(4, 4 + k).map(Number);
      const pred = doc.classes.indexOf(row[3]!);
      if (t === pred) correct++;
      cm[t]![pred]!++;
      logLoss -= Math.log(Math.min(1 - 2 ** -52, Math.max(2 ** -52, p[t]!)));
      brier += p.reduce((s, v, j) => s + (v - (j === t ? 1 : 0)) ** 2, 0);
      counts.set(row[2]!, (counts.get(row[2]!) ?? 0) + 1);
    }
    expect(Math.abs(doc.accuracy - correct / rows.length)).toBeLessThan(1e-9);
    expect(Math.abs(doc.logLoss - logLoss / rows.length)).toBeLessThan(1e-9);
    expect(Math.abs(doc.brier - brier / rows.length)).toBeLessThan(1e-9);
    expect(doc.confusionMatrix).toEqual(cm);
    expect(Math.abs(doc.baselines.majority - Math.max(...counts.values()) / rows.length)).toBeLessThan(1e-9);
    const latest = await dispatch('evaluation.latest', { runId: done.id });
    expect(latest.ok && latest.value).toBeTruthy();
  });

  it('backtests a finished run: fills at the next open, totals reconcile with the trade list', async () => {
    const done = (await services.db.listRuns()).find((r) => r.status === 'completed')!;
    const r = await dispatch('backtests.run', { runId: done.id, settings: { takerFeeBps: 10, slippageBps: 2 } });
    if (!r.ok) throw new Error(r.error.message);
    const bt = r.value as { backtestId: number; symbols: { symbol: string; metrics: Record<string, number> }[]; portfolio: Record<string, number> };
    expect(bt.symbols).toHaveLength(2);
    for (const s of bt.symbols) {
      const view = await dispatch('backtests.symbol', { backtestId: bt.backtestId, symbol: s.symbol });
      if (!view.ok) throw new Error(view.error.message);
      const v = view.value as { trades: { entryTs: number; entryPrice: number; pnl: number; fees: number; side: string; slippage: number }[]; series: { equity: number[] }; datasetId: number };
      expect(v.trades.length).toBe(s.metrics.trades);
      const candles = await services.db.queryCandles({ datasetId: v.datasetId, rollupMs: null, limit: 200_000, anchor: 'first' });
      const openAt = new Map(candles.ts.map((t, i) => [t, candles.open[i]!]));
      for (const t of v.trades.slice(0, 50)) {
        // Market fill at the bar's open, moved against the trader by the slippage (2 bps).
        const open = openAt.get(t.entryTs)!;
        expect(t.entryPrice).toBeCloseTo(t.side === 'long' ? open * 1.0002 : open * 0.9998, 8);
      }
      const pnl = v.trades.reduce((a, t) => a + t.pnl, 0);
      expect(v.series.equity.at(-1)! - 1).toBeCloseTo(pnl, 9);
      expect(v.trades.reduce((a, t) => a + t.fees, 0)).toBeCloseTo(s.metrics.feesPaid, 9);
    }
    const costless = await dispatch('backtests.run', { runId: done.id, settings: { takerFeeBps: 0, makerFeeBps: 0 } });
    if (!costless.ok) throw new Error(costless.error.message);
    // Costs only ever lower the result.
    const free = costless.value as { symbols: { metrics: { totalReturn: number } }[] };
    bt.symbols.forEach((s, i) => expect(s.metrics.totalReturn).toBeLessThanOrEqual(free.symbols[i]!.metrics.totalReturn));
    const sweep = await dispatch('backtests.sweep', { runId: done.id, thresholds: [0.5, 0.6, 0.7] });
    expect(sweep.ok && (sweep.value as { rows: { symbols: unknown[] }[] }).rows.map((r) => r.symbols.length)).toEqual([2, 2, 2]);
  });

  it('exports a finished model that loads back and predicts the same', async () => {
    const done = (await services.db.listRuns()).find((r) => r.status === 'completed')!;
    const run = (await services.db.getRun(done.id))!;
    const { exportModelTo } = await import('./exportModel.js');
    const out = join(dir, 'exported');
    await exportModelTo(run.checkpointDir, done.id, out);
    const { readModelFiles } = await import('../loop/checkpoint.js');
    const tf = await import('@tensorflow/tfjs');
    const original = await readModelFiles(join(run.checkpointDir, 'final'));
    const loaded = await readModelFiles(out);
    const x = tf.randomNormal([4, ...(original.inputs[0]!.shape.slice(1) as number[])], 0, 1, 'float32', 3);
    const a = (original.predict(x) as import('@tensorflow/tfjs').Tensor).arraySync();
    const b = (loaded.predict(x) as import('@tensorflow/tfjs').Tensor).arraySync();
    expect(b).toEqual(a);
    const files = await dispatch('training.exportModel', { runId: done.id });
    expect(files.ok && (files.value as { files: { name: string }[] }).files.map((f) => f.name)).toEqual(['model.json', 'weights.bin', 'preprocessing.json']);
  });

  it('runs walk-forward validation: a fresh model per fold, every fold judged out of sample', async () => {
    const runId = await ws.start({ datasetIds, model: 'mlp', window: 8, epochs: 2, batchSize: 64, validation: 'walk-forward', folds: 3 });
    expect(await services.training.whenSettled(runId)).toBe('completed');
    await services.training.evaluationsSettled();
    const run = (await services.db.getRun(runId))!;
    expect(run.validation).toBe('walk-forward');
    expect(run.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    const ev = await dispatch('evaluation.latest', { runId });
    if (!ev.ok || !ev.value) throw new Error('no evaluation');
    const folds = ((ev.value as { report: unknown }).report as { folds: { fold: number; samples: number; fromTs: number; toTs: number }[] }).folds;
    expect(folds.map((f) => f.fold)).toEqual([1, 2, 3]);
    // Out-of-sample segments follow one another in time.
    for (let i = 1; i < folds.length; i++) expect(folds[i]!.fromTs).toBeGreaterThan(folds[i - 1]!.toTs);
    expect(folds.reduce((n, f) => n + f.samples, 0)).toBe(run.test!.samples);
  });

  it('refuses bad configs and unknown runs with typed errors', async () => {
    const bad = await dispatch('training.start', { config: { datasetIds: [], model: 'mlp' } });
    expect(!bad.ok && bad.error.code).toBe('BAD_REQUEST');
    const missing = await dispatch('training.start', { config: { datasetIds: [9999] } });
    expect(!missing.ok && missing.error.code).toBe('NOT_FOUND');
    const noRun = await dispatch('training.pause', { runId: 12345 });
    expect(!noRun.ok && noRun.error.code).toBe('CONFLICT');
  });
});
