/**
 * A seed group's report, built in the DB worker: each metric over the group's finished seeds as
 * mean ± std with its 95 % t-interval, and test accuracy judged against each baseline by the spread
 * of the per-seed differences (src-shared/compute/experiments/seeds.ts). The baselines are measured
 * on each seed's own test split, so the comparison is paired; with one finished seed there is no
 * spread and every verdict is inconclusive.
 */
import { compareWithBaseline, summarizeSeeds } from '../../src-shared/compute/experiments/index.js';
import { ContractFailure } from '../../src-shared/contract/result.js';
import type { SeedGroup, SeedMetric, SeedVerdict } from '../../src-shared/contract/runs.js';
import { isFinishedRunStatus } from '../../src-shared/contract/training.js';
import type { Db } from '../db/connection.js';
import { runFacts, seedGroups, type RunFacts, type SeedGroupRow } from '../db/queries/runGroups.js';
import { evaluateMissing } from './runRows.js';

const ACTIVE = new Set(['pending', 'queued', 'running', 'paused']);

function seedMetric(values: (number | null)[]): SeedMetric | null {
  if (values.length === 0 || values.some((v) => v === null || !Number.isFinite(v))) return null;
  const v = values as number[];
  const s = summarizeSeeds(v);
  return { k: s.k, mean: s.mean, std: s.std, interval: s.interval, values: v };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const points = (x: number) => `${(100 * x).toFixed(1)} points`;

function sentenceOf(group: SeedGroupRow, evaluated: number, accuracy: SeedMetric | null, majority: SeedVerdict | undefined, waiting: number): string {
  const parts: string[] = [];
  if (waiting > 0) parts.push(`${waiting} of ${group.members.length} seeds still to finish.`);
  if (!accuracy) {
    parts.push('No seed has been evaluated yet.');
    return parts.join(' ');
  }
  const spread = accuracy.std === null ? '' : ` ± ${points(accuracy.std)}`;
  const interval = accuracy.interval ? ` (95 % interval across seeds ${pct(accuracy.interval.low)} to ${pct(accuracy.interval.high)})` : '';
  parts.push(`Over ${evaluated} seed${evaluated === 1 ? '' : 's'}, test accuracy is ${pct(accuracy.mean)}${spread}${interval}.`);
  if (majority) {
    if (!majority.interval) parts.push('With one seed there is no spread to judge it against the baselines by; repeat it with more seeds.');
    else if (majority.verdict === 'better') parts.push(`It beats the majority baseline by ${points(majority.improvement)} (95 % interval ${points(majority.interval.low)} to ${points(majority.interval.high)}, paired across seeds).`);
    else if (majority.verdict === 'worse') parts.push(`It is worse than the majority baseline by ${points(-majority.improvement)} (95 % interval of the difference ${points(majority.interval.low)} to ${points(majority.interval.high)}).`);
    else parts.push(`Not distinguishable from the majority baseline: the improvement's 95 % interval, ${points(majority.interval.low)} to ${points(majority.interval.high)}, includes 0.`);
  }
  return parts.join(' ');
}

/** The report of one group, evaluating any finished member that has no evaluation yet. */
export async function seedGroupSummary(db: Db, groupId: number, now: number): Promise<SeedGroup> {
  const group = seedGroups(db, groupId)[0];
  if (!group) throw new ContractFailure('NOT_FOUND', `Seed group ${groupId} does not exist.`);
  return summarize(db, group, now);
}

export async function allSeedGroupSummaries(db: Db, now: number): Promise<SeedGroup[]> {
  const out: SeedGroup[] = [];
  for (const g of seedGroups(db)) out.push(await summarize(db, g, now));
  return out;
}

async function summarize(db: Db, group: SeedGroupRow, now: number): Promise<SeedGroup> {
  const finished = group.members.filter((m) => m.runId !== null && m.status !== null && isFinishedRunStatus(m.status));
  let facts: RunFacts[] = runFacts(db, finished.map((m) => m.runId!));
  if (facts.some((f) => f.evaluationId === null)) {
    await evaluateMissing(db, facts.map((f) => f.id), now);
    facts = runFacts(db, finished.map((m) => m.runId!));
  }
  const evaluated = facts.filter((f) => f.accuracy !== null);
  const pick = (key: keyof RunFacts) => evaluated.map((f) => f[key] as number | null);
  const accuracy = seedMetric(pick('accuracy'));
  const baselines = { majority: seedMetric(pick('majorityAccuracy')), persistence: seedMetric(pick('persistenceAccuracy')), classPrior: seedMetric(pick('classPriorAccuracy')) };
  const verdicts: SeedVerdict[] = [];
  if (accuracy) {
    for (const [baseline, m] of [
      ['majority', baselines.majority],
      ['persistence', baselines.persistence],
      ['class prior', baselines.classPrior],
    ] as const) {
      if (!m) continue;
      const c = compareWithBaseline(accuracy.values, m.values);
      verdicts.push({ baseline, verdict: c.verdict, method: c.method, improvement: c.improvement, interval: c.interval, degreesOfFreedom: c.degreesOfFreedom });
    }
  }
  const members: SeedGroup['members'] = group.members.map((m) => ({
    seed: m.seed,
    runId: m.runId,
    status: m.runId === null ? (m.started ? 'failed' : 'pending') : (m.status ?? 'failed'),
    failure: m.runId === null && m.started ? 'Its run was deleted.' : m.failure,
  }));
  const waiting = members.filter((m) => ACTIVE.has(m.status)).length;
  return {
    groupId: group.id,
    sourceRunId: group.sourceRunId,
    name: `${group.sourceName} × ${group.members.length} seeds`,
    seeds: group.members.length,
    parallel: group.parallel,
    createdAt: group.createdAt,
    members,
    settled: waiting === 0,
    evaluated: evaluated.length,
    metrics: { accuracy, macroF1: seedMetric(pick('macroF1')), logLoss: seedMetric(pick('logLoss')), brier: seedMetric(pick('brier')), sharpe: seedMetric(pick('sharpe')) },
    baselines,
    verdicts,
    sentence: sentenceOf(group, evaluated.length, accuracy, verdicts.find((v) => v.baseline === 'majority'), waiting),
  };
}
