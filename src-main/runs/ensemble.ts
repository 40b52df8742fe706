/**
 * Ensembles of finished runs: the (weighted) mean of the members' test probabilities, stored as a
 * run of its own so evaluation, the Evaluation page and backtests read it like any other run.
 *
 * - Members must predict the same thing on the same bars: the same datasets in the same order, the
 *   same timeframe, classes and label rule, and the same test samples (symbol and time, one for
 *   one). Anything else is refused with one sentence naming what differs.
 * - Weights: 'equal', or 'validation': w_i ∝ 1 / L_i with L_i the member's best validation loss
 *   (its checkpointed epoch's), normalised to sum to 1. A mild weighting by design: members a few
 *   percent apart in loss get weights a few percent apart, and no member is ever dropped, since
 *   validation differences between seeds or nearby settings are mostly noise. The test split plays
 *   no part in the weights.
 * - The ensemble's folder holds `final/` with the averaged predictions (same binary columns and
 *   manifest as a trained run, see training/loop/artifactFiles.ts) and the first member's
 *   preprocessing.json (all members share datasets, classes and labels, which is what evaluation and
 *   backtests read from it). It has no model files: there is no single model to export.
 * - Its config is the first member's with an `ensemble` key ({runIds, weights, weighting}) which
 *   marks it; the runs query reports its model as 'ensemble'.
 */
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ContractFailure } from '../../src-shared/contract/result.js';
import type { EnsembleResult } from '../../src-shared/contract/runs.js';
import { isFinishedRunStatus } from '../../src-shared/contract/training.js';
import type { Db } from '../db/connection.js';
import { createEnsembleRun } from '../db/queries/runGroups.js';
import { deleteRun, getRun } from '../db/queries/runs.js';
import { evaluateRun } from '../evaluation/evaluateRun.js';
import { PREPROCESSING_FILE, readPreprocessing, readTestPredictions, writeTestPredictions } from '../training/loop/artifactFiles.js';
import type { EnsembleMarker } from './runRows.js';

type Member = {
  run: NonNullable<ReturnType<typeof getRun>>;
  dir: string;
  preds: Awaited<ReturnType<typeof readTestPredictions>>;
  prep: Awaited<ReturnType<typeof readPreprocessing>>;
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The sentence naming what `m` does not share with the first member, or null when it shares all. */
function difference(first: Member, m: Member): string | null {
  const a = first.run.id;
  const b = m.run.id;
  if (!same(first.prep.datasetIds, m.prep.datasetIds)) return `Runs ${a} and ${b} use different datasets (${first.prep.datasetIds.join(', ')} vs ${m.prep.datasetIds.join(', ')}); an ensemble needs the same datasets in the same order.`;
  if (first.run.timeframe !== m.run.timeframe) return `Runs ${a} and ${b} train on different timeframes (${first.run.timeframe} vs ${m.run.timeframe}).`;
  if (!same(first.preds.classNames, m.preds.classNames)) return `Runs ${a} and ${b} predict different classes (${first.preds.classNames.join('/')} vs ${m.preds.classNames.join('/')}).`;
  const la = first.prep.spec.labels as unknown;
  const lb = m.prep.spec.labels as unknown;
  const ha = (first.prep.spec as { horizon?: number }).horizon;
  const hb = (m.prep.spec as { horizon?: number }).horizon;
  if (!same(la, lb) || ha !== hb) return `Runs ${a} and ${b} label their bars differently (horizon ${ha} vs ${hb} bars, labels ${JSON.stringify(la)} vs ${JSON.stringify(lb)}).`;
  const n = first.preds.ts.length;
  const mismatch = m.preds.ts.length !== n || m.preds.ts.some((t, i) => t !== first.preds.ts[i] || m.preds.symbolIndex[i] !== first.preds.symbolIndex[i]);
  if (mismatch) {
    const span = (p: Member['preds']) => `${p.ts.length} samples from ${new Date(Math.min(...p.ts)).toISOString()} to ${new Date(Math.max(...p.ts)).toISOString()}`;
    return `Runs ${a} and ${b} have different test periods (${span(first.preds)} vs ${span(m.preds)}); an ensemble needs the same test samples (same split, window and horizon).`;
  }
  // Same bars and label rule give the same truth; a difference means the data changed underneath.
  if (m.preds.yTrue.some((y, i) => y !== first.preds.yTrue[i])) return `Runs ${a} and ${b} disagree on the true labels of their test samples; re-train one of them on the current data.`;
  return null;
}

async function readMember(db: Db, runId: number): Promise<Member> {
  const run = getRun(db, runId);
  if (!run) throw new ContractFailure('NOT_FOUND', `Run ${runId} does not exist.`);
  if (!isFinishedRunStatus(run.status)) throw new ContractFailure('CONFLICT', `Run ${runId} is ${run.status}; only finished runs can join an ensemble.`);
  const dir = join(run.checkpointDir, 'final');
  try {
    const [preds, prep] = await Promise.all([readTestPredictions(dir), readPreprocessing(dir)]);
    return { run, dir, preds, prep };
  } catch {
    throw new ContractFailure('NOT_FOUND', `Run ${runId} has no saved test predictions to combine.`);
  }
}

/** The member's validation loss at its best (checkpointed) epoch, else its lowest. */
function bestValLoss(run: Member['run']): number | null {
  const at = run.epochs.find((e) => e.epoch === run.bestEpoch)?.valLoss;
  if (at !== undefined && at !== null && Number.isFinite(at)) return at;
  const all = run.epochs.map((e) => e.valLoss).filter((v): v is number => v !== null && Number.isFinite(v));
  return all.length ? Math.min(...all) : null;
}

/** Mean of the members' probabilities with the given weights (summing to 1), row-major n × k. */
export function averageProbabilities(probs: readonly Float32Array[], weights: readonly number[]): Float32Array {
  const out = new Float32Array(probs[0]!.length);
  const acc = new Float64Array(out.length);
  probs.forEach((p, m) => {
    const w = weights[m]!;
    for (let i = 0; i < p.length; i++) acc[i] += w * p[i]!;
  });
  out.set(acc);
  return out;
}

export async function createEnsemble(db: Db, req: { runIds: number[]; weights: 'equal' | 'validation'; name?: string }, workspaceRunsDir: string, now: number): Promise<EnsembleResult> {
  const ids = [...new Set(req.runIds)];
  if (ids.length < 2) throw new ContractFailure('BAD_REQUEST', 'An ensemble needs at least two different runs.');
  const members: Member[] = [];
  for (const id of ids) members.push(await readMember(db, id));
  for (const m of members.slice(1)) {
    const d = difference(members[0]!, m);
    if (d) throw new ContractFailure('BAD_REQUEST', d);
  }
  const losses = members.map((m) => bestValLoss(m.run));
  let weights: number[];
  if (req.weights === 'equal') weights = members.map(() => 1 / members.length);
  else {
    const missing = members.filter((_, i) => !(losses[i]! > 0)).map((m) => m.run.id);
    if (missing.length) throw new ContractFailure('BAD_REQUEST', `Run${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'have' : 'has'} no validation loss to weight by; use equal weights.`);
    const inv = losses.map((l) => 1 / l!);
    const total = inv.reduce((a, b) => a + b, 0);
    weights = inv.map((v) => v / total);
  }
  const first = members[0]!;
  const probs = averageProbabilities(
    members.map((m) => m.preds.probs),
    weights,
  );
  const k = first.preds.classNames.length;
  const n = first.preds.yTrue.length;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
    if (best === first.preds.yTrue[i]) correct++;
  }
  // The folds of walk-forward members coincide when their test samples do; kept so the report's folds match theirs.
  const fold = first.preds.fold;

  // Files first, in a folder of their own, then the run row, then the folder under the run's name:
  // a failure at any step leaves neither a run without predictions nor files without a run.
  const staging = join(workspaceRunsDir, `ensemble-staging-${now}-${process.pid}`);
  const final = join(staging, 'final');
  await mkdir(final, { recursive: true });
  await writeTestPredictions(final, { classes: k, classNames: first.preds.classNames, symbols: first.preds.symbols }, { probs, yTrue: first.preds.yTrue, ts: first.preds.ts, symbolIndex: first.preds.symbolIndex, ...(fold ? { fold } : {}) });
  await copyFile(join(first.dir, PREPROCESSING_FILE), join(final, PREPROCESSING_FILE));

  const marker: EnsembleMarker = { runIds: ids, weights, weighting: req.weights };
  const name = req.name ?? `Ensemble of ${ids.map((i) => `#${i}`).join(', ')} (${req.weights === 'equal' ? 'equal weights' : 'validation weights'})`;
  // The majority baseline the summary shows is the evaluation's; the row needs one before it exists.
  const counts = new Array<number>(k).fill(0);
  for (const y of first.preds.yTrue) if (y >= 0) counts[y]!++;
  const test = { accuracy: n ? correct / n : 0, baselineAccuracy: n ? Math.max(...counts) / n : 0, samples: n };
  let created: { runId: number; checkpointDir: string };
  try {
    created = createEnsembleRun(db, { name, configJson: JSON.stringify({ ...JSON.parse(JSON.stringify(first.run.config)), ensemble: marker }), seed: first.run.config.seed, datasetsFrom: first.run.id, testJson: JSON.stringify(test), checkpointRoot: workspaceRunsDir, now });
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
  try {
    await rename(staging, created.checkpointDir);
  } catch (e) {
    deleteRun(db, created.runId);
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
  const evaluation = await evaluateRun(db, created.runId, now);
  const r = evaluation.report;
  return {
    runId: created.runId,
    name,
    weighting: req.weights,
    members: members.map((m, i) => ({ runId: m.run.id, weight: weights[i]!, bestValLoss: losses[i]! })),
    samples: n,
    accuracy: r.classification.accuracy,
    majorityAccuracy: r.baselines.majority?.accuracy ?? null,
    verdict: r.bootstrap.verdicts.accuracyVsMajority,
  };
}
