/**
 * What a finished trial leaves for its sweep: its validation predictions (never test ones), read
 * from the run's final/ folder, and the objective measured on them.
 */
import { join } from 'node:path';
import { OBJECTIVE_TEXT, type SweepObjective } from '../../src-shared/contract/sweeps.js';
import { returnMoments } from '../../src-shared/compute/experiments/deflatedSharpe.js';
import { trialPeriodReturns, type TradingCosts, type TrialPredictions } from '../../src-shared/compute/experiments/trialReturns.js';
import { argmaxClasses, confusionMatrix, precisionRecallF1 } from '../../src-shared/compute/metrics/index.js';
import { readValidationPredictions } from '../training/loop/artifactFiles.js';

export type ValidationPredictions = TrialPredictions & { yTrue: Int8Array; probs: Float32Array };

/** A sealed run's validation predictions, or null when it left none (it failed before its end). */
export async function readTrialPredictions(checkpointDir: string): Promise<ValidationPredictions | null> {
  try {
    const p = await readValidationPredictions(join(checkpointDir, 'final'));
    return { probs: p.probs, ts: p.ts, symbolIndex: p.symbolIndex, nextReturn: p.nextReturn, classNames: p.classNames, yTrue: p.yTrue };
  } catch {
    return null;
  }
}

/**
 * The trial's objective. `valLosses` is its per-epoch validation loss: val-logloss is the best
 * epoch's (the weights the run keeps are that epoch's). The other objectives are measured on the
 * kept model's validation predictions. Null when there is nothing to measure.
 */
export function trialObjective(objective: SweepObjective, valLosses: readonly (number | null)[], preds: ValidationPredictions | null, costs: TradingCosts): number | null {
  if (objective === 'val-logloss') {
    const finite = valLosses.filter((v): v is number => v !== null && Number.isFinite(v));
    return finite.length ? Math.min(...finite) : null;
  }
  if (!preds || preds.yTrue.length === 0) return null;
  const k = preds.classNames.length;
  if (objective === 'val-sharpe') {
    const series = [...trialPeriodReturns(preds, costs).entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
    const s = returnMoments(series).sharpe;
    // A trial that never trades has no Sharpe ratio; for ranking it is as good as doing nothing.
    return Number.isFinite(s) ? s : 0;
  }
  const yPred = argmaxClasses(preds.probs, k);
  const matrix = confusionMatrix(preds.yTrue, yPred, k);
  if (objective === 'val-accuracy') {
    let hits = 0;
    for (let i = 0; i < preds.yTrue.length; i++) if (preds.yTrue[i] === yPred[i]) hits++;
    return hits / preds.yTrue.length;
  }
  return precisionRecallF1(matrix).macro.f1;
}

/** "validation log loss 0.6812" etc., for progress lines and the winner's note. */
export const objectiveLabel = (objective: SweepObjective): string => OBJECTIVE_TEXT[objective].split(' (')[0];
