import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFiles } from '../../test-support/fixtures.js';
import { trainingWorkspace, TRAINING_WORKER, type TrainingWorkspace } from '../../test-support/trainingWorkspace.js';
import { requirePrerequisite } from '../../test-support/vitest.js';
import { backtestSummarySchema } from '../../src-shared/contract/backtests.js';
import { storedEvaluationSchema, type StoredEvaluation } from '../../src-shared/contract/evaluation.js';
import type { RequestOf, ResponseOf } from '../../src-shared/contract/index.js';
import { ensembleResultSchema, hparamsSchema, runComparisonSchema, runRowSchema, seedGroupSchema } from '../../src-shared/contract/runs.js';
import { readTestPredictions } from '../training/loop/artifactFiles.js';
import { compareJson } from '../cli/commands/runs.js';

describe('many runs through the contract (built worker)', () => {
  if (!requirePrerequisite(builtFiles(TRAINING_WORKER))) return;
  let ws: TrainingWorkspace;
  let source = 0;
  let groupId = 0;
  let members: number[] = [];

  const call = async <C extends 'runs.list' | 'runs.seeds' | 'runs.seedGroup' | 'runs.compare' | 'runs.hparams' | 'runs.ensemble' | 'runs.tag' | 'evaluation.latest' | 'backtests.run' | 'training.start' | 'training.run'>(
    channel: C,
    request: RequestOf<C>,
  ): Promise<ResponseOf<C>> => {
    const r = await ws.dispatch(channel, request);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as ResponseOf<C>;
  };
  const refusal = async (channel: 'runs.ensemble' | 'runs.seeds' | 'runs.list', request: object) => {
    const r = await ws.dispatch(channel, request);
    if (r.ok) throw new Error(`${channel} was expected to refuse`);
    return r.error.message;
  };
  const evaluation = async (runId: number): Promise<StoredEvaluation> => storedEvaluationSchema.parse(await call('evaluation.latest', { runId }));

  beforeAll(async () => {
    ws = await trainingWorkspace('candela-runs-', { symbols: 2, bars: 2500, timeframe: '1h', seed: 6, signal: 0.4 });
    const start = await call('training.start', { config: { datasetIds: ws.datasetIds, model: 'mlp', window: 8, epochs: 2, batchSize: 64, seed: 42 } });
    source = start.runId;
    expect(await ws.services.training.whenSettled(source)).toBe('completed');
    await ws.services.training.evaluationsSettled();
    // Two more seeds, one at a time: the run itself is the first of K = 3.
    const started = seedGroupSchema.parse(await call('runs.seeds', { runId: source, seeds: 3, parallel: 1 }));
    groupId = started.groupId;
    expect(started.members.map((m) => m.seed)).toEqual([42, 43, 44]);
    expect(started.members.filter((m) => m.status === 'pending')).toHaveLength(1);
    const group = await ws.services.seedGroups.whenSettled(groupId);
    members = group.members.map((m) => m.runId!);
  }, 300_000);
  afterAll(async () => {
    await ws?.close();
  });

  it('summarises the seeds as mean ± std with a t-interval of the per-run accuracies, and judges them by their spread', async () => {
    const g = seedGroupSchema.parse(await call('runs.seedGroup', { groupId }));
    expect(g.settled).toBe(true);
    expect(g.members.map((m) => m.status)).toEqual(['completed', 'completed', 'completed']);
    expect(g.members[0]!.runId).toBe(source);
    const evals = await Promise.all(members.map(evaluation));
    const acc = evals.map((e) => e.report.classification.accuracy!);
    const maj = evals.map((e) => e.report.baselines.majority!.accuracy!);
    const mean = (acc[0]! + acc[1]! + acc[2]!) / 3;
    const std = Math.sqrt(acc.reduce((s, a) => s + (a - mean) ** 2, 0) / 2);
    expect(g.metrics.accuracy!.values).toEqual(acc);
    expect(g.metrics.accuracy!.mean).toBeCloseTo(mean, 14);
    expect(g.metrics.accuracy!.std).toBeCloseTo(std, 14);
    // t(0.975, 2) = 4.302652729911275 (scipy.stats.t.ppf).
    expect(g.metrics.accuracy!.interval!.high - mean).toBeCloseTo((4.302652729911275 * std) / Math.sqrt(3), 9);
    expect(g.metrics.logLoss!.values).toEqual(evals.map((e) => e.report.probabilistic.logLoss));
    expect(g.metrics.sharpe).toBeNull();
    // The seeds really differ (else the spread, and every verdict built on it, would be empty).
    expect(new Set(acc).size).toBeGreaterThan(1);
    const v = g.verdicts.find((x) => x.baseline === 'majority')!;
    expect(v.method).toBe('paired');
    const diffs = acc.map((a, i) => a - maj[i]!);
    expect(v.improvement).toBeCloseTo((diffs[0]! + diffs[1]! + diffs[2]!) / 3, 14);
    expect(v.verdict).toBe(v.interval!.low > 0 ? 'better' : v.interval!.high < 0 ? 'worse' : 'inconclusive');
    expect(g.sentence).toMatch(/^Over 3 seeds, test accuracy is \d+\.\d %/);
    // A backtest of every seed brings the Sharpe ratio in.
    const sharpes: number[] = [];
    for (const id of members) sharpes.push(backtestSummarySchema.parse(await call('backtests.run', { runId: id, settings: {} })).portfolio.sharpe!);
    expect((await call('runs.seedGroup', { groupId })).metrics.sharpe!.values).toEqual(sharpes);
  });

  it('compares runs with their evaluations’ numbers, curves, and a config diff of only the seed', async () => {
    const c = runComparisonSchema.parse(await call('runs.compare', { runIds: members }));
    expect(c.configDiff).toEqual([{ field: 'seed', values: [42, 43, 44] }]);
    for (const [i, id] of members.entries()) {
      const e = (await evaluation(id)).report;
      const r = c.runs[i]!;
      expect(r.runId).toBe(id);
      expect(r.metrics.accuracy).toEqual({ value: e.classification.accuracy, low: e.bootstrap.accuracy!.lower, high: e.bootstrap.accuracy!.upper });
      expect(r.metrics.majorityAccuracy.value).toBe(e.baselines.majority!.accuracy);
      expect(r.metrics.macroF1).toBe(e.classification.macro.f1);
      expect(r.metrics.brier).toBe(e.probabilistic.brier);
      expect(r.epochs).toEqual((await call('training.run', { runId: id })).epochs);
      expect(r.epochs).toHaveLength(2);
    }
    // The CLI's --json carries the same numbers.
    expect(compareJson(c).runs.map((r) => r.metrics)).toEqual(c.runs.map((r) => r.metrics));
  });

  it('lists, filters by config, metric and tag, and sorts', async () => {
    await call('runs.tag', { runId: members[1]!, tags: ['best', 'keep'] });
    const all = await call('runs.list', {});
    expect(all.total).toBe(3);
    all.rows.forEach((r) => runRowSchema.parse(r));
    expect(all.rows.map((r) => r.summary.id)).toEqual([...members].sort((a, b) => b - a));
    expect(all.rows.every((r) => r.seedGroupId === groupId && r.tags.includes(`seeds-${groupId}`))).toBe(true);
    expect((await call('runs.list', { filter: 'seed>=43' })).rows.map((r) => r.summary.id).sort()).toEqual(members.slice(1).sort());
    expect((await call('runs.list', { filter: 'tag=best model=mlp window=8' })).rows.map((r) => r.summary.id)).toEqual([members[1]]);
    const byAcc = await call('runs.list', { sort: { key: 'accuracy', direction: 'desc' } });
    const accs = byAcc.rows.map((r) => r.metrics.accuracy.value!);
    expect(accs).toEqual([...accs].sort((a, b) => b - a));
    expect(await refusal('runs.list', { filter: 'windw=8' })).toMatch(/No run has a field named "windw"; did you mean window/);
  });

  it('gives parallel-coordinates data, and refuses importance with too few runs', async () => {
    const h = hparamsSchema.parse(await call('runs.hparams', { runIds: members, metric: 'accuracy' }));
    expect(h.dimensions).toEqual([{ field: 'seed', kind: 'number', categories: null, values: [42, 43, 44] }]);
    expect(h.values).toEqual((await Promise.all(members.map(evaluation))).map((e) => e.report.classification.accuracy));
    expect(h.importance).toBeNull();
    expect(h.importanceUnavailable).toMatch(/at least 4 runs/);
  });

  it('makes an ensemble that is evaluated and backtested like a run, its probabilities the members’ mean', async () => {
    const e = ensembleResultSchema.parse(await call('runs.ensemble', { runIds: members, weights: 'equal' }));
    expect(e.members.map((m) => m.weight)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    const run = await call('training.run', { runId: e.runId });
    expect(run.model).toBe('ensemble');
    expect(run.status).toBe('completed');
    const dirOf = async (id: number) => join((await ws.services.db.getRun(id))!.checkpointDir, 'final');
    const mine = await readTestPredictions(await dirOf(e.runId));
    const parts = await Promise.all(members.map(async (id) => readTestPredictions(await dirOf(id))));
    for (const i of [0, 17, mine.probs.length - 1]) expect(mine.probs[i]).toBeCloseTo((parts[0]!.probs[i]! + parts[1]!.probs[i]! + parts[2]!.probs[i]!) / 3, 6);
    const stored = await evaluation(e.runId);
    expect(stored.report.classification.accuracy).toBe(e.accuracy);
    expect(stored.report.samples).toBe(parts[0]!.yTrue.length);
    const bt = backtestSummarySchema.parse(await call('backtests.run', { runId: e.runId, settings: { takerFeeBps: 5 } }));
    expect(bt.runId).toBe(e.runId);
    expect(bt.portfolio.bars).toBeGreaterThan(0);
    // Listed as a run of model 'ensemble', tagged so.
    const row = (await call('runs.list', { filter: 'model=ensemble' })).rows;
    expect(row.map((r) => [r.summary.id, r.ensembleOf, r.tags.includes('ensemble')])).toEqual([[e.runId, members, true]]);

    const weighted = ensembleResultSchema.parse(await call('runs.ensemble', { runIds: members.slice(0, 2), weights: 'validation' }));
    const inv = weighted.members.map((m) => 1 / m.bestValLoss!);
    expect(weighted.members.map((m) => m.weight)).toEqual(inv.map((v) => v / (inv[0]! + inv[1]!)));
  });

  it('refuses an ensemble of runs on different test periods, naming what differs', async () => {
    const other = await call('training.start', { config: { datasetIds: ws.datasetIds, model: 'mlp', window: 8, epochs: 1, batchSize: 64, split: { train: 0.6, val: 0.2, test: 0.2 } } });
    expect(await ws.services.training.whenSettled(other.runId)).toBe('completed');
    expect(await refusal('runs.ensemble', { runIds: [source, other.runId] })).toMatch(new RegExp(`^Runs ${source} and ${other.runId} have different test periods`));
    const horizon = await call('training.start', { config: { datasetIds: ws.datasetIds, model: 'mlp', window: 8, epochs: 1, batchSize: 64, horizon: 2 } });
    expect(await ws.services.training.whenSettled(horizon.runId)).toBe('completed');
    expect(await refusal('runs.ensemble', { runIds: [source, horizon.runId] })).toMatch(new RegExp(`^Runs ${source} and ${horizon.runId} label their bars differently \\(horizon 1 vs 2 bars`));
    expect(await refusal('runs.ensemble', { runIds: [source, 999] })).toBe('Run 999 does not exist.');
    expect(await refusal('runs.seeds', { runId: (await call('runs.list', { filter: 'model=ensemble' })).rows[0]!.summary.id, seeds: 2 })).toMatch(/is an ensemble/);
  }, 120_000);
});
