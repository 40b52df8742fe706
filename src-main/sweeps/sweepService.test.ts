import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { builtFiles, repoPath } from '../../test-support/fixtures.js';
import { createHeadlessServices, fixedBackend } from '../../test-support/headlessServices.js';
import { trainingWorkspace, TRAINING_WORKER, type TrainingWorkspace } from '../../test-support/trainingWorkspace.js';
import { requirePrerequisite } from '../../test-support/vitest.js';
import { isFinishedRunStatus } from '../../src-shared/contract/training.js';
import { sweepSpecSchema, type SweepDetail, type SweepSpecInput } from '../../src-shared/contract/sweeps.js';
import { proposeTrial } from '../../src-shared/compute/experiments/sweepSampler.js';
import { parseSearchSpace } from '../../src-shared/compute/experiments/searchSpace.js';
import type { Services } from '../services/createServices.js';

/**
 * Sweeps on the built training worker, on generated markets: small MLPs, few epochs, so that each
 * sweep of up to 8 trials finishes in well under a minute on 2 cores.
 */
describe('sweeps through the contract (built worker)', () => {
  if (!requirePrerequisite(builtFiles(TRAINING_WORKER))) return;
  const open: TrainingWorkspace[] = [];
  afterAll(async () => {
    for (const ws of open) await ws.close();
  });

  const run = async (ws: TrainingWorkspace, spec: SweepSpecInput): Promise<SweepDetail> => {
    const started = await ws.dispatch('sweeps.start', { spec });
    if (!started.ok) throw new Error(started.error.message);
    const { sweepId } = started.value as { sweepId: number };
    await ws.services.sweeps.whenSettled(sweepId);
    const detail = await ws.dispatch('sweeps.get', { sweepId });
    if (!detail.ok) throw new Error(detail.error.message);
    return detail.value as SweepDetail;
  };

  const space = { lr: { float: [0.0001, 0.03], log: true }, hidden: { choice: [8, 16, 32] }, dropout: { float: [0, 0.5] } };

  it('finds the planted signal: 8 TPE trials, 2 at a time, median pruning; only the winner is tested', async () => {
    const ws = await trainingWorkspace('candela-sweep-planted-', { symbols: 2, bars: 4000, timeframe: '5m', seed: 5, signal: 0.5 });
    open.push(ws);
    const base = { datasetIds: ws.datasetIds, model: 'mlp' as const, includeExtras: true, window: 8, epochs: 4, batchSize: 64, patience: 100 };
    const sweep = await run(ws, { base, params: space, sampler: 'tpe', trials: 8, parallel: 2, prune: 'median', seed: 3 });
    expect(sweep.status, sweep.failure ?? '').toBe('completed');
    expect(sweep.trials).toHaveLength(8);
    expect(sweep.trials.filter((t) => t.status === 'pruned').length).toBeGreaterThanOrEqual(1);
    expect(sweep.best).not.toBeNull();
    const best = sweep.best!;
    expect(best.test).not.toBeNull();
    expect(best.test!.accuracy - best.test!.baselineAccuracy).toBeGreaterThanOrEqual(0.05);
    expect(best.note).toMatch(/^Best of 8 trials/);
    // The test split is touched once: no other trial's run has test figures or an evaluation.
    const runs = await ws.services.db.listRuns();
    const trialRuns = runs.filter((r) => r.sweepId === sweep.sweepId);
    expect(trialRuns).toHaveLength(8);
    for (const r of trialRuns) expect(r.test === null, `run ${r.id}`).toBe(r.id !== best.runId);
    expect(trialRuns.find((r) => r.id === best.runId)!.verdict).not.toBeNull();
    // Opening another trial in Evaluation says why it has no test figures, not that files are missing.
    const loser = trialRuns.find((r) => r.id !== best.runId && isFinishedRunStatus(r.status))!;
    const opened = await ws.dispatch('evaluation.run', { runId: loser.id });
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.error.message).toBe(`Run ${loser.id} is a trial of sweep ${sweep.sweepId}; its test split stays sealed so that the sweep's choice is tested once. Open the sweep's winner instead.`);
    expect(trialRuns.find((r) => r.id === best.runId)!.name).toMatch(/best of 8 trials/);
    // Log loss is minimised: the winner has the lowest objective among completed trials.
    const completed = sweep.trials.filter((t) => t.status === 'completed').map((t) => t.objective!);
    expect(best.objective).toBe(Math.min(...completed));
    expect(sweep.trials.at(-1)!.bestSoFar ?? best.objective).toBeGreaterThanOrEqual(best.objective);
    expect(sweep.selection).not.toBeNull();
    expect(sweep.selection!.trials).toBeGreaterThanOrEqual(completed.length);
    expect(sweep.selection!.sentence).toMatch(/Best of \d+ trials/);
  }, 180_000);

  it('on a random walk the winner is no better than the baseline and the selection says it is not significant', async () => {
    const ws = await trainingWorkspace('candela-sweep-null-', { symbols: 2, bars: 8000, timeframe: '5m', seed: 8, signal: 0 });
    open.push(ws);
    const base = { datasetIds: ws.datasetIds, model: 'mlp' as const, window: 8, epochs: 3, batchSize: 128, patience: 100 };
    const sweep = await run(ws, { base, params: space, sampler: 'tpe', trials: 6, parallel: 2, prune: 'median', seed: 4, objective: 'val-sharpe' });
    expect(sweep.status, sweep.failure ?? '').toBe('completed');
    const test = sweep.best!.test!;
    expect(Math.abs(test.accuracy - test.baselineAccuracy)).toBeLessThanOrEqual(0.02);
    expect(sweep.selection!.significant).toBe(false);
    expect(sweep.selection!.deflatedSharpeSentence).toMatch(/not significant/);
  }, 180_000);

  it('pauses, survives a restart and resumes without training a finished trial again', async () => {
    const ws = await trainingWorkspace('candela-sweep-resume-', { symbols: 1, bars: 3000, timeframe: '5m', seed: 2, signal: 0.3 });
    const spec: SweepSpecInput = {
      base: { datasetIds: ws.datasetIds, model: 'mlp', window: 8, epochs: 3, batchSize: 64, patience: 100 },
      params: { lr: { float: [0.0005, 0.01], log: true }, hidden: { choice: [8, 16] } },
      sampler: 'random',
      trials: 3,
      parallel: 1,
      prune: 'none',
      seed: 11,
    };
    const started = await ws.dispatch('sweeps.start', { spec });
    if (!started.ok) throw new Error(started.error.message);
    const { sweepId } = started.value as { sweepId: number };
    const trialsOf = () => ws.services.db.listTrials(sweepId);
    const waitFor = async (cond: () => Promise<boolean>) => {
      const end = Date.now() + 60_000;
      while (!(await cond())) {
        if (Date.now() > end) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // Trial 1 finished and trial 2 has trained an epoch: pause there.
    await waitFor(async () => (await trialsOf()).some((t) => t.index === 1 && t.valLosses.length >= 1));
    expect((await ws.dispatch('sweeps.pause', { sweepId })).ok).toBe(true);
    const before = await trialsOf();
    const finished = before.filter((t) => t.finishedSeq !== null);
    expect(finished.map((t) => t.index)).toEqual([0]);
    const firstRun = (await ws.services.db.getRun(finished[0]!.runId))!;
    // The paused trial checkpoints within a batch and says so; then the app is closed.
    const pausedRun = before.find((t) => t.index === 1)!.runId;
    await waitFor(async () => (await ws.services.db.getRun(pausedRun))!.status === 'paused');

    // Restart: close the services, open new ones on the same workspace.
    await ws.services.close();
    const services: Services = await createHeadlessServices(join(ws.dir, 'ws'), { probeBackend: async () => fixedBackend('wasm'), trainingWorkerScript: repoPath(TRAINING_WORKER) });
    onTestFinished(async () => {
      await services.close();
      rmSync(ws.dir, { recursive: true, force: true });
    });
    expect((await services.sweeps.get(sweepId)).status).toBe('interrupted');
    await services.sweeps.resume(sweepId);
    await services.sweeps.whenSettled(sweepId);

    const after = await services.sweeps.get(sweepId);
    expect(after.status, after.failure ?? '').toBe('completed');
    expect(after.trials.map((t) => t.index)).toEqual([0, 1, 2]);
    // The finished trial kept its run and was not trained again; the paused one continued in its own run.
    expect(after.trials[0]!.runId).toBe(firstRun.id);
    expect((await services.db.getRun(firstRun.id))!.epochs).toHaveLength(firstRun.epochs.length);
    expect(after.trials[1]!.runId).toBe(before.find((t) => t.index === 1)!.runId);
    expect((await services.db.listRuns()).filter((r) => r.sweepId === sweepId)).toHaveLength(3);
    // Every trial has the parameters the seed gives its index, interrupted or not.
    const parsed = sweepSpecSchema.parse(spec);
    after.trials.forEach((t, i) => expect(t.params).toEqual(proposeTrial(parseSearchSpace(spec.params), { kind: 'random' }, parsed.seed, i)));
  }, 180_000);

  it('marks a trial whose process is killed failed and goes on (ASHA pruning)', async () => {
    const ws = await trainingWorkspace('candela-sweep-kill-', { symbols: 1, bars: 3000, timeframe: '5m', seed: 9, signal: 0.3 });
    open.push(ws);
    const spec: SweepSpecInput = {
      base: { datasetIds: ws.datasetIds, model: 'mlp', window: 8, epochs: 3, batchSize: 64, patience: 100 },
      params: { lr: { float: [0.001, 0.01], log: true } },
      sampler: 'random',
      trials: 3,
      parallel: 1,
      prune: 'asha',
      seed: 2,
    };
    const started = await ws.dispatch('sweeps.start', { spec });
    if (!started.ok) throw new Error(started.error.message);
    const { sweepId } = started.value as { sweepId: number };
    const end = Date.now() + 60_000;
    while (!(await ws.services.db.listTrials(sweepId)).some((t) => t.valLosses.length >= 1)) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
    ws.spawned.at(-1)!.kill();
    await ws.services.sweeps.whenSettled(sweepId);
    const sweep = await ws.services.sweeps.get(sweepId);
    expect(sweep.status, sweep.failure ?? '').toBe('completed');
    expect(sweep.trials).toHaveLength(3);
    expect(sweep.trials[0]).toMatchObject({ status: 'failed', objective: null });
    expect(sweep.trials[0]!.reason).toMatch(/killed|exited/);
    expect(sweep.trials.slice(1).every((t) => t.status === 'completed' || t.status === 'pruned')).toBe(true);
    expect(sweep.best!.trialId).not.toBe(sweep.trials[0]!.trialId);
    // ASHA's only rung below 3 epochs is epoch 1 (η = 3): a pruned trial stopped there, outranked.
    for (const t of sweep.trials.filter((x) => x.status === 'pruned')) expect(t).toMatchObject({ epochs: 1, reason: expect.stringMatching(/^rung 0 \(epoch 1\): rank \d of \d, outside the top 1/) });
  }, 120_000);

  it('stops a sweep: the running trial stops, the best finished one is tested; a time budget ends proposals', async () => {
    const ws = await trainingWorkspace('candela-sweep-stop-', { symbols: 1, bars: 3000, timeframe: '5m', seed: 4, signal: 0.3 });
    open.push(ws);
    const base = { datasetIds: ws.datasetIds, model: 'mlp' as const, window: 8, epochs: 3, batchSize: 64, patience: 100 };
    const params = { lr: { float: [0.001, 0.01], log: true } };
    const started = await ws.dispatch('sweeps.start', { spec: { base, params, sampler: 'random', trials: 6, parallel: 1, prune: 'none', seed: 1 } });
    if (!started.ok) throw new Error(started.error.message);
    const { sweepId } = started.value as { sweepId: number };
    const end = Date.now() + 60_000;
    while (!(await ws.services.db.listTrials(sweepId)).some((t) => t.index === 1 && t.valLosses.length >= 1)) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await ws.dispatch('sweeps.stop', { sweepId })).ok).toBe(true);
    await ws.services.sweeps.whenSettled(sweepId);
    const stopped = await ws.services.sweeps.get(sweepId);
    expect(stopped.status, stopped.failure ?? '').toBe('stopped');
    expect(stopped.trials.map((t) => t.status)).toEqual(['completed', 'stopped']);
    expect(stopped.best).toMatchObject({ trialId: stopped.trials[0]!.trialId, test: { samples: expect.any(Number) } });
    expect((await ws.dispatch('sweeps.resume', { sweepId })).ok).toBe(false);

    // One second of budget, and the sweep's clock moved two seconds on once its first trial has
    // launched: that trial is the only one, however fast this machine trains.
    const realNow = Date.now.bind(Date);
    let shift = 0;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + shift);
    onTestFinished(() => clock.mockRestore());
    const off = ws.services.events.subscribe((name, p) => {
      if (name === 'sweeps.updated' && (p as { sweepId: number }).sweepId !== sweepId) shift = 2000;
    });
    const budget = await ws.dispatch('sweeps.start', { spec: { base, params, sampler: 'random', trials: 6, parallel: 1, prune: 'none', seed: 1, timeBudgetSec: 1 } });
    if (!budget.ok) throw new Error(budget.error.message);
    const budgetId = (budget.value as { sweepId: number }).sweepId;
    await ws.services.sweeps.whenSettled(budgetId);
    off();
    const timed = await ws.services.sweeps.get(budgetId);
    expect(timed).toMatchObject({ status: 'completed', trialsDone: 1 });
    expect(timed.trials).toHaveLength(1);
  }, 120_000);

  it('refuses a space the training config cannot take, with a sentence, before any run exists', async () => {
    const ws = await trainingWorkspace('candela-sweep-refuse-', { symbols: 1, bars: 600, timeframe: '5m', seed: 1, signal: 0 });
    open.push(ws);
    const bad = await ws.dispatch('sweeps.start', { spec: { base: { datasetIds: ws.datasetIds }, params: { hidden: { choice: [2, 16] } } } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/hidden the value 2.*at least 4/);
    expect(await ws.services.db.listRuns()).toEqual([]);
    const unknown = await ws.dispatch('sweeps.start', { spec: { base: { datasetIds: ws.datasetIds }, params: { datasetIds: { choice: [1] } } } });
    expect(!unknown.ok && unknown.error.message).toMatch(/"datasetIds" cannot be searched/);
    const both = await ws.dispatch('sweeps.start', { spec: { base: { datasetIds: ws.datasetIds, lr: 0.01 }, params: { lr: { float: [0.001, 0.1] } } } });
    expect(!both.ok && both.error.message).toMatch(/both searched and fixed/);
    // A config the schema takes but the data cannot (a window longer than the splits): the plan says so.
    const tooLong = await ws.dispatch('sweeps.start', { spec: { base: { datasetIds: ws.datasetIds, model: 'mlp' }, params: { window: { choice: [500] } }, sampler: 'random', trials: 2 } });
    expect(!tooLong.ok && tooLong.error.message).toMatch(/^Trial 1 \(window 500\) could not start: /);
    expect(await ws.services.db.listRuns()).toEqual([]);
    expect((await ws.services.sweeps.list())[0]).toMatchObject({ status: 'failed' });
  });
});
