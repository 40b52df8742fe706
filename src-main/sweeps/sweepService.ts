/**
 * Hyperparameter sweeps (issue 13): proposes trials (grid, random or TPE, reproducible from the
 * sweep's seed, the trial's index and the trials finished before it), runs them through a
 * {@link TrialScheduler} up to `parallel` at once, prunes them on their per-epoch validation loss,
 * and when the budget is spent tests ONLY the winner, once. The selection statistics (PBO and the
 * deflated Sharpe ratio) are measured on the trials' validation-period returns.
 *
 * State lives in the workspace (sweeps, sweep_trials): a sweep survives a restart as 'interrupted'
 * and resumes without training a finished trial again, because the next proposal is a function of
 * (seed, next index, finished trials), all stored.
 */
import { ContractFailure } from '../../src-shared/contract/result.js';
import {
  defaultParallel,
  objectiveIsMinimized,
  searchSpaceJson,
  sweepSpecSchema,
  SWEEPABLE_FIELDS,
  type SweepDetail,
  type SweepSelection,
  type SweepSpec,
  type SweepStatus,
  type SweepSummary,
  type SweepTrial,
  type TrialStatus,
} from '../../src-shared/contract/sweeps.js';
import { isFinishedRunStatus, trainingConfigProblems, trainingConfigSchema, type EpochMetrics, type RunStatus, type TrainingConfig } from '../../src-shared/contract/training.js';
import { ashaPrune, medianPrune, type PruneDecision } from '../../src-shared/compute/experiments/pruners.js';
import type { SearchSpace, TrialParams } from '../../src-shared/compute/experiments/searchSpace.js';
import { selectionStatistics } from '../../src-shared/compute/experiments/selection.js';
import { proposeTrial, type SamplerConfig } from '../../src-shared/compute/experiments/sweepSampler.js';
import type { TrialObservation } from '../../src-shared/compute/experiments/tpe.js';
import { alignedTrialReturns } from '../../src-shared/compute/experiments/trialReturns.js';
import { finiteOrNull } from '../../src-shared/domain/finite.js';
import type { DbClient } from '../services/dbWorkerOps.js';
import type { EventBus } from '../services/eventBus.js';
import type { TrialScheduler } from './trialScheduler.js';
import { objectiveLabel, readTrialPredictions, trialObjective, type ValidationPredictions } from './trialResults.js';

type TrialRecord = Awaited<ReturnType<DbClient['listTrials']>>[number];

interface LiveSweep {
  id: number;
  name: string;
  spec: SweepSpec;
  space: SearchSpace;
  parallel: number;
  status: Extract<SweepStatus, 'running' | 'paused' | 'stopping'>;
  /** Trials with a process: run id → trial; `paused` once the sweep's pause reached it. */
  running: Map<number, { trialId: number; index: number; paused?: boolean }>;
  /** Runs asked to stop because a pruner said so, with its reason. */
  pruning: Map<number, string>;
  /** Active time not yet added to the workspace's `used_ms`. */
  usedMs: number;
  activeSince: number | null;
  exhausted: boolean;
  /** Why the last proposal could not start (the plan refused its config); no trial is proposed after it. */
  launchError: string | null;
  pumping: boolean;
  repump: boolean;
  finishing: boolean;
  /** Epoch reports and settlements of this sweep, handled one at a time so its rows stay consistent. */
  queue: Promise<void>;
  done: Promise<void>;
  settle: () => void;
}

const ENDED: readonly SweepStatus[] = ['completed', 'stopped', 'failed'];

/**
 * Optuna's defaults (5 startup trials for the median rule, 10 for TPE) assume sweeps of a hundred
 * trials; in a sweep of 8 they would leave the pruner and TPE idle for most of it. A quarter of
 * the trials, at least 2 (a median of one curve is that curve), at most Optuna's values.
 */
export const startupTrials = (trials: number, cap: number): number => Math.min(cap, Math.max(2, Math.ceil(trials / 4)));

export class SweepService {
  private readonly live = new Map<number, LiveSweep>();
  private closing = false;
  private readonly offEpoch: () => void;

  constructor(
    private readonly db: DbClient,
    private readonly events: EventBus,
    private readonly scheduler: TrialScheduler,
  ) {
    this.offEpoch = scheduler.onEpoch((runId, metrics) => {
      for (const live of this.live.values()) {
        if (live.running.has(runId)) this.enqueue(live, () => this.onEpoch(live, runId, metrics));
      }
    });
  }

  /** Call once at start: sweeps a previous session left active become 'interrupted' (resume them by hand). */
  async init(): Promise<void> {
    await this.db.markInterruptedSweeps();
  }

  async start(spec: SweepSpec): Promise<number> {
    const space = spec.params;
    checkSpaceAgainstConfig(spec);
    const parallel = spec.parallel ?? defaultParallel(this.scheduler.capacity, spec.trials);
    const name = spec.name ?? `${spec.sampler.toUpperCase()} sweep · ${spec.trials} trials · ${spec.objective}`;
    // Stored in space.json's own form, so the stored spec reads back through the same schema.
    const sweepId = await this.db.createSweep({ name, specJson: JSON.stringify({ ...spec, params: searchSpaceJson(space) }), parallel, now: Date.now(), hostPid: process.pid });
    const live = this.track(sweepId, name, spec, space, parallel);
    await this.pump(live);
    // Nothing trains (a dataset is gone, the plan refuses the config): the request fails with the sentence.
    if (live.launchError !== null && (await this.db.listTrials(sweepId)).length === 0) {
      this.live.delete(sweepId);
      await this.db.setSweepStatus(sweepId, 'failed', Date.now(), live.launchError);
      live.settle();
      throw new ContractFailure('BAD_REQUEST', live.launchError);
    }
    return sweepId;
  }

  pause(sweepId: number): Promise<void> {
    const live = this.liveOrThrow(sweepId, 'running');
    return this.serial(live, async () => {
      // The last trial may have ended (and the winner been chosen) while this waited its turn.
      if (live.finishing || live.status !== 'running') return;
      live.status = 'paused';
      this.clockStop(live);
      await this.db.addSweepTime(sweepId, this.takeTime(live));
      await this.db.setSweepStatus(sweepId, 'paused', Date.now());
      for (const [runId, t] of live.running) {
        try {
          this.scheduler.pause(runId);
          t.paused = true;
          await this.db.setTrialStatus(t.trialId, 'paused');
        } catch {
          // The trial is already ending (its last epoch): it finishes and is recorded as usual.
        }
      }
      await this.emit(live.id);
    });
  }

  async resume(sweepId: number): Promise<void> {
    const existing = this.live.get(sweepId);
    if (existing) {
      if (existing.status !== 'paused') throw new ContractFailure('CONFLICT', `Sweep ${sweepId} is ${existing.status}, not paused.`);
      await this.serial(existing, async () => {
        existing.status = 'running';
        existing.activeSince = Date.now();
        await this.db.setSweepStatus(sweepId, 'running', Date.now(), null, process.pid);
        for (const [runId, t] of existing.running) {
          if (!t.paused) continue;
          t.paused = false;
          await this.scheduler.resume(runId, existing).catch((e: Error) => console.error(`sweep ${sweepId}, run ${runId}:`, e.message));
          await this.db.setTrialStatus(t.trialId, 'running');
        }
      });
      await this.pump(existing);
      return;
    }
    const row = await this.db.getSweep(sweepId);
    if (!row) throw new ContractFailure('NOT_FOUND', `Sweep ${sweepId} does not exist.`);
    if (ENDED.includes(row.status)) throw new ContractFailure('CONFLICT', `Sweep ${sweepId} has ended (${row.status}); there is nothing to resume.`);
    const spec = parseStoredSpec(sweepId, row.specJson);
    const live = this.track(sweepId, row.name, spec, spec.params, row.parallel);
    await this.db.setSweepStatus(sweepId, 'running', Date.now(), null, process.pid);
    // Trials cut off by the restart continue from their checkpoints; finished ones are never run again.
    for (const t of await this.db.listTrials(sweepId)) {
      if (t.status !== 'interrupted' && t.status !== 'paused' && t.status !== 'running') continue;
      const run = await this.db.getRun(t.runId);
      if (run && isFinishedRunStatus(run.status)) {
        await this.recordEnd(live, t, run.status, run.checkpointDir, run.failure);
      } else if (run?.resumable) {
        live.running.set(t.runId, { trialId: t.id, index: t.index });
        await this.db.setTrialStatus(t.id, 'running');
        try {
          await this.scheduler.resume(t.runId, live);
          this.watch(live, t.runId);
        } catch (e) {
          live.running.delete(t.runId);
          await this.db.finishTrial(t.id, 'failed', null, `It could not be resumed: ${e instanceof Error ? e.message : String(e)}`, Date.now());
        }
      } else {
        await this.db.finishTrial(t.id, 'failed', null, 'It was interrupted and has nothing to resume from.', Date.now());
      }
    }
    await this.emit(sweepId);
    await this.pump(live);
  }

  async stop(sweepId: number): Promise<void> {
    const live = this.live.get(sweepId);
    if (!live) {
      const row = await this.db.getSweep(sweepId);
      if (!row) throw new ContractFailure('NOT_FOUND', `Sweep ${sweepId} does not exist.`);
      if (ENDED.includes(row.status)) throw new ContractFailure('CONFLICT', `Sweep ${sweepId} has ended (${row.status}); there is nothing to stop.`);
      // An interrupted sweep: its finished trials still choose a winner.
      const spec = parseStoredSpec(sweepId, row.specJson);
      const stopped = this.track(sweepId, row.name, spec, spec.params, row.parallel);
      stopped.status = 'stopping';
      for (const t of await this.db.listTrials(sweepId)) {
        if (t.status === 'interrupted' || t.status === 'paused' || t.status === 'running') await this.db.finishTrial(t.id, 'stopped', null, 'The sweep was stopped while this trial was interrupted.', Date.now());
      }
      await this.finish(stopped);
      return;
    }
    if (live.status === 'stopping' || live.finishing) return;
    await this.serial(live, async () => {
      if (live.finishing) return;
      live.status = 'stopping';
      await this.db.setSweepStatus(sweepId, 'stopping', Date.now());
      for (const runId of live.running.keys()) await this.scheduler.stop(runId).catch(() => undefined);
      await this.emit(sweepId);
    });
    await this.pump(live);
  }

  async list(): Promise<SweepSummary[]> {
    const rows = await this.db.listSweeps();
    return Promise.all(rows.map(async (r) => this.summaryOf(r, await this.db.listTrials(r.id))));
  }

  async get(sweepId: number): Promise<SweepDetail> {
    const row = await this.db.getSweep(sweepId);
    if (!row) throw new ContractFailure('NOT_FOUND', `Sweep ${sweepId} does not exist.`);
    const trials = await this.db.listTrials(sweepId);
    const spec = parseStoredSpec(sweepId, row.specJson);
    const summary = this.summaryOf(row, trials);
    const stored = row.selectionJson ? (JSON.parse(row.selectionJson) as { selection: SweepSelection | null; note: string }) : null;
    const winner = trials.find((t) => t.id === row.bestTrialId) ?? null;
    const winnerRun = winner ? await this.db.getRun(winner.runId) : null;
    return {
      ...summary,
      spec: JSON.parse(row.specJson) as SweepDetail['spec'],
      trials: tableOf(trials, spec),
      best:
        winner && winner.objective !== null
          ? { trialId: winner.id, runId: winner.runId, params: JSON.parse(winner.paramsJson) as TrialParams, objective: winner.objective, test: winnerRun?.test ?? null, note: stored?.note ?? '' }
          : null,
      selection: stored?.selection ?? null,
    };
  }

  /** Resolves once the sweep has ended (or this process stopped driving it); the CLI and tests wait on it. */
  whenSettled(sweepId: number): Promise<void> {
    return this.live.get(sweepId)?.done ?? Promise.resolve();
  }

  /**
   * The app or CLI is closing: active sweeps become 'interrupted' (resume continues them); the
   * training service then ends their trials' processes and marks those runs interrupted.
   */
  async shutdown(): Promise<void> {
    this.closing = true;
    this.offEpoch();
    for (const live of this.live.values()) {
      await live.queue.catch(() => undefined);
      this.clockStop(live);
      await this.db.addSweepTime(live.id, this.takeTime(live)).catch(() => undefined);
      if (!live.finishing) {
        await this.db.setSweepStatus(live.id, 'interrupted', Date.now(), 'Candela was closed while this sweep was active; resume it to continue.').catch(() => undefined);
        for (const t of live.running.values()) await this.db.setTrialStatus(t.trialId, 'interrupted').catch(() => undefined);
      }
      live.settle();
    }
    this.live.clear();
  }

  // ---- driving a sweep ---------------------------------------------------------------------

  private track(id: number, name: string, spec: SweepSpec, space: SearchSpace, parallel: number): LiveSweep {
    let settle!: () => void;
    const done = new Promise<void>((r) => (settle = r));
    const live: LiveSweep = {
      id,
      name,
      spec,
      space,
      parallel,
      status: 'running',
      running: new Map(),
      pruning: new Map(),
      usedMs: 0,
      activeSince: Date.now(),
      exhausted: false,
      launchError: null,
      pumping: false,
      repump: false,
      finishing: false,
      queue: Promise.resolve(),
      done,
      settle,
    };
    this.live.set(id, live);
    return live;
  }

  private enqueue(live: LiveSweep, work: () => Promise<void>): void {
    live.queue = live.queue.then(work).catch((e: Error) => console.error(`sweep ${live.id}:`, e));
  }

  /** Runs `work` in the sweep's queue and resolves (or rejects) with it. */
  private serial(live: LiveSweep, work: () => Promise<void>): Promise<void> {
    const result = live.queue.then(work);
    live.queue = result.catch(() => undefined);
    return result;
  }

  private liveOrThrow(sweepId: number, expected: LiveSweep['status']): LiveSweep {
    const live = this.live.get(sweepId);
    if (!live) throw new ContractFailure('CONFLICT', `Sweep ${sweepId} is not active.`);
    if (live.finishing) throw new ContractFailure('CONFLICT', `Sweep ${sweepId} has ended its trials and is testing its winner.`);
    if (live.status !== expected) throw new ContractFailure('CONFLICT', `Sweep ${sweepId} is ${live.status}, not ${expected}.`);
    return live;
  }

  private clockStop(live: LiveSweep): void {
    if (live.activeSince !== null) live.usedMs += Date.now() - live.activeSince;
    live.activeSince = null;
  }

  /** Active time not yet written to the workspace (written by addSweepTime, which adds). */
  private takeTime(live: LiveSweep): number {
    const stored = live.usedMs;
    live.usedMs = 0;
    return stored;
  }

  private async budgetLeft(live: LiveSweep, trials: readonly TrialRecord[]): Promise<boolean> {
    if (live.exhausted || trials.length >= live.spec.trials) return false;
    if (live.spec.timeBudgetSec === undefined) return true;
    const row = await this.db.getSweep(live.id);
    const used = (row?.usedMs ?? 0) + live.usedMs + (live.activeSince === null ? 0 : Date.now() - live.activeSince);
    return used < live.spec.timeBudgetSec * 1000;
  }

  /** Starts trials while there is room and budget; ends the sweep once nothing runs and nothing is left. */
  private async pump(live: LiveSweep): Promise<void> {
    if (live.pumping) {
      live.repump = true;
      return;
    }
    live.pumping = true;
    try {
      do {
        live.repump = false;
        while (!this.closing && live.status === 'running' && live.running.size < live.parallel) {
          const trials = await this.db.listTrials(live.id);
          if (!(await this.budgetLeft(live, trials))) break;
          const index = trials.reduce((m, t) => Math.max(m, t.index + 1), 0);
          const params = proposeTrial(live.space, samplerOf(live.spec), live.spec.seed, index, historyOf(trials, live.spec));
          if (params === null) {
            live.exhausted = true;
            break;
          }
          try {
            await this.launchTrial(live, index, params);
          } catch (e) {
            // The plan refused this trial's config (e.g. a window the data is too short for): no run
            // exists for it; the sweep proposes nothing more and ends with the trials it has.
            live.exhausted = true;
            live.launchError = `Trial ${index + 1} (${Object.entries(params).map(([k, v]) => `${k} ${String(v)}`).join(', ')}) could not start: ${e instanceof Error ? e.message : String(e)}`;
            break;
          }
        }
      } while (live.repump);
    } finally {
      live.pumping = false;
    }
    if (this.closing || live.running.size > 0 || live.finishing) return;
    const trials = await this.db.listTrials(live.id);
    if (live.status === 'stopping' || (live.status === 'running' && !(await this.budgetLeft(live, trials)))) await this.finish(live);
  }

  private async launchTrial(live: LiveSweep, index: number, params: TrialParams): Promise<void> {
    const config = trialConfig(live.spec, params);
    const runId = await this.scheduler.launch(
      config,
      `${live.name} · trial ${index + 1}`,
      async (runId) => {
        const trialId = await this.db.createTrial({ sweepId: live.id, index, runId, paramsJson: JSON.stringify(params), now: Date.now() });
        live.running.set(runId, { trialId, index });
      },
      live,
    );
    this.watch(live, runId);
    await this.emit(live.id);
  }

  private watch(live: LiveSweep, runId: number): void {
    void this.scheduler.whenSettled(runId).then((status) => {
      this.enqueue(live, async () => {
        const t = live.running.get(runId);
        live.running.delete(runId);
        // Closing, or a paused trial's process ended: it stays resumable and is not recorded as over.
        if (this.closing || !t || status === 'paused' || status === 'interrupted' || status === 'running') return;
        const trial = (await this.db.listTrials(live.id)).find((r) => r.id === t.trialId);
        const run = await this.db.getRun(runId);
        if (trial) await this.recordEnd(live, trial, status, run?.checkpointDir ?? null, run?.failure ?? null);
        await this.emit(live.id);
      });
      this.enqueue(live, () => this.pump(live));
    });
  }

  /** Records how a trial ended and its objective, from its validation predictions. */
  private async recordEnd(live: LiveSweep, trial: TrialRecord, status: RunStatus, checkpointDir: string | null, failure: string | null): Promise<void> {
    const preds = isFinishedRunStatus(status) && checkpointDir ? await readTrialPredictions(checkpointDir) : null;
    const objective = status === 'failed' ? null : trialObjective(live.spec.objective, trial.valLosses, preds, live.spec.costs);
    const pruned = live.pruning.get(trial.runId);
    let end: TrialStatus;
    let reason: string | null = null;
    if (status === 'failed' || (isFinishedRunStatus(status) && !preds)) {
      end = 'failed';
      reason = failure ?? 'The trial left no validation predictions.';
    } else if (status === 'stopped' && pruned !== undefined) {
      end = 'pruned';
      reason = pruned;
    } else if (status === 'stopped') {
      end = 'stopped';
    } else {
      end = 'completed';
    }
    await this.db.finishTrial(trial.id, end, finiteOrNull(objective), reason, Date.now());
  }

  private async onEpoch(live: LiveSweep, runId: number, metrics: EpochMetrics): Promise<void> {
    const t = live.running.get(runId);
    if (!t) return;
    await this.db.recordTrialValLoss(t.trialId, metrics.epoch, finiteOrNull(metrics.valLoss));
    if (live.spec.prune !== 'none' && live.status === 'running' && !live.pruning.has(runId)) {
      const trials = await this.db.listTrials(live.id);
      const decision = pruneDecision(live.spec, trials, t.trialId);
      if (decision?.prune) {
        live.pruning.set(runId, decision.reason);
        await this.scheduler.stop(runId).catch(() => undefined);
      }
    }
    await this.emit(live.id);
  }

  /** Chooses the winner among completed trials, measures the selection statistics, and tests the winner once. */
  private async finish(live: LiveSweep): Promise<void> {
    if (live.finishing) return;
    live.finishing = true;
    const stoppedByUser = live.status === 'stopping';
    this.clockStop(live);
    await this.db.addSweepTime(live.id, this.takeTime(live));
    try {
      const trials = await this.db.listTrials(live.id);
      const minimize = objectiveIsMinimized(live.spec.objective);
      const eligible = trials.filter((t) => t.status === 'completed' && t.objective !== null);
      if (eligible.length === 0) {
        await this.db.setSweepStatus(live.id, 'failed', Date.now(), `No trial completed (${trials.length} started: ${countsOf(trials)}), so there is no winner to test.${live.launchError ? ` ${live.launchError}` : ''}`);
        return;
      }
      const best = eligible.reduce((a, b) => ((minimize ? b.objective! < a.objective! : b.objective! > a.objective!) ? b : a));
      const selection = await this.selection(live, trials, best.id);
      const note = `Best of ${trials.length} trial${trials.length === 1 ? '' : 's'} (${countsOf(trials)}) by ${objectiveLabel(live.spec.objective)} on the validation split; its test split was predicted once, after the sweep ended, and no other trial's was.`;
      await this.db.setSweepResult(live.id, best.id, JSON.stringify({ selection, note }));
      const run = await this.db.getRun(best.runId);
      if (run) await this.db.renameSweepRun(best.runId, `${live.name} · best of ${trials.length} trials`);
      try {
        await this.scheduler.predictTest(best.runId);
      } catch (e) {
        await this.db.setSweepStatus(live.id, 'failed', Date.now(), `The winner (run ${best.runId}) could not be tested: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      await this.db.setSweepStatus(live.id, stoppedByUser ? 'stopped' : 'completed', Date.now(), live.launchError);
    } finally {
      this.live.delete(live.id);
      await this.emit(live.id);
      live.settle();
    }
  }

  /** PBO and deflated Sharpe over the trials' validation-period returns after the sweep's costs. */
  private async selection(live: LiveSweep, trials: readonly TrialRecord[], bestTrialId: number): Promise<SweepSelection | null> {
    const preds: ValidationPredictions[] = [];
    let winner = -1;
    for (const t of trials) {
      if (t.status !== 'completed' && t.status !== 'pruned' && t.status !== 'stopped') continue;
      const run = await this.db.getRun(t.runId);
      const p = run ? await readTrialPredictions(run.checkpointDir) : null;
      if (!p) continue;
      if (t.id === bestTrialId) winner = preds.length;
      preds.push(p);
    }
    if (preds.length === 0 || winner < 0) return null;
    const { returns } = alignedTrialReturns(preds, live.spec.costs);
    const periods = returns.length / preds.length;
    try {
      const s = selectionStatistics(returns, preds.length, { winner });
      return {
        trials: s.trials,
        pbo: s.pbo,
        deflatedSharpe: Number.isFinite(s.deflatedSharpe) ? s.deflatedSharpe : null,
        significant: s.significant,
        periods,
        sentence: s.sentence,
        pboSentence: s.pboSentence,
        deflatedSharpeSentence: `${s.deflatedSentence} (The winner's validation returns, holding its predicted direction for the next bar, after costs of ${live.spec.costs.feeBps + live.spec.costs.slippageBps} bps per side.)`,
      };
    } catch (e) {
      const why = `No selection statistics: ${e instanceof Error ? e.message : String(e)}.`;
      return { trials: preds.length, pbo: null, deflatedSharpe: null, significant: false, periods, sentence: why, pboSentence: why, deflatedSharpeSentence: why };
    }
  }

  private summaryOf(row: NonNullable<Awaited<ReturnType<DbClient['getSweep']>>>, trials: readonly TrialRecord[]): SweepSummary {
    const spec = parseStoredSpec(row.id, row.specJson);
    const live = this.live.get(row.id);
    return {
      sweepId: row.id,
      name: row.name,
      status: live?.status ?? row.status,
      sampler: spec.sampler,
      objective: spec.objective,
      prune: spec.prune,
      trialsPlanned: spec.trials,
      trialsDone: trials.filter((t) => t.finishedSeq !== null).length,
      parallel: row.parallel,
      createdAt: row.createdAt,
      endedAt: row.endedAt,
      bestObjective: bestObjective(trials, spec),
      failure: row.failure,
    };
  }

  private async emit(sweepId: number): Promise<void> {
    const row = await this.db.getSweep(sweepId);
    if (!row) return;
    const s = this.summaryOf(row, await this.db.listTrials(sweepId));
    this.events.emit('sweeps.updated', { sweepId, status: s.status, trialsDone: s.trialsDone, bestObjective: s.bestObjective });
  }
}

// ---- pure helpers ------------------------------------------------------------------------------

function parseStoredSpec(sweepId: number, json: string): SweepSpec {
  const parsed = sweepSpecSchema.safeParse(JSON.parse(json));
  if (parsed.success) return parsed.data;
  throw new ContractFailure('WORKSPACE', `Sweep ${sweepId}'s spec was stored in a shape this version does not read (${parsed.error.issues[0]?.message ?? 'wrong shape'}).`);
}

function samplerOf(spec: SweepSpec): SamplerConfig {
  if (spec.sampler === 'tpe') return { kind: 'tpe', tpe: { direction: 'minimize', nStartupTrials: startupTrials(spec.trials, 10) } };
  return spec.sampler === 'grid' ? { kind: 'grid' } : { kind: 'random' };
}

/** TPE minimises: the objective, negated where larger is better. */
function lossOf(spec: SweepSpec, objective: number | null): number {
  if (objective === null) return Number.POSITIVE_INFINITY;
  return objectiveIsMinimized(spec.objective) ? objective : -objective;
}

/** Finished trials in the order they finished: what TPE learns from. */
function historyOf(trials: readonly TrialRecord[], spec: SweepSpec): TrialObservation[] {
  return trials
    .filter((t) => t.finishedSeq !== null && (t.status === 'completed' || t.status === 'pruned'))
    .sort((a, b) => a.finishedSeq! - b.finishedSeq!)
    .map((t) => ({ params: JSON.parse(t.paramsJson) as TrialParams, value: lossOf(spec, t.objective), state: t.status === 'pruned' ? 'pruned' : 'complete' }));
}

const curveOf = (t: TrialRecord): number[] => t.valLosses.map((v) => (v === null ? Number.NaN : v));

/**
 * The pruner's verdict on one trial after an epoch. Median: against the curves of COMPLETED trials
 * (as Optuna does, so the bar does not move with the scheduler's timing). ASHA: against every other
 * trial that reached the rung, pruned ones included (Li et al. 2020).
 */
function pruneDecision(spec: SweepSpec, trials: readonly TrialRecord[], trialId: number): PruneDecision | null {
  const own = trials.find((t) => t.id === trialId);
  if (!own) return null;
  const curve = curveOf(own);
  if (spec.prune === 'median') {
    const others = trials.filter((t) => t.id !== trialId && t.status === 'completed').map(curveOf);
    return medianPrune(curve, others, { nStartupTrials: startupTrials(spec.trials, 5) });
  }
  if (spec.prune === 'asha') {
    const epochs = (JSON.parse(own.paramsJson) as TrialParams).epochs ?? spec.base.epochs ?? trainingConfigSchema.shape.epochs.parse(undefined);
    const others = trials.filter((t) => t.id !== trialId).map(curveOf);
    return ashaPrune(curve, others, { maxResource: Number(epochs) });
  }
  return null;
}

/** The trial's full config: base, then its sampled values, then the contract's defaults. */
export function trialConfig(spec: SweepSpec, params: TrialParams): TrainingConfig {
  const parsed = trainingConfigSchema.safeParse({ ...spec.base, ...params });
  if (parsed.success) return parsed.data;
  const problems = trainingConfigProblems(parsed.error, (path) => (path.length ? String(path[0]) : 'The config'));
  throw new ContractFailure('BAD_REQUEST', `A trial's config is not valid: ${problems.join(' ')}`);
}

/**
 * Refuses a space whose values the training config cannot take, before any trial runs: every
 * choice and both ends of every range are tried against the config schema with the base.
 */
function checkSpaceAgainstConfig(spec: SweepSpec): void {
  const first: TrialParams = {};
  for (const [name, p] of Object.entries(spec.params)) first[name] = p.kind === 'choice' ? p.values[0]! : p.low;
  for (const [name, p] of Object.entries(spec.params)) {
    if (!(SWEEPABLE_FIELDS as readonly string[]).includes(name)) throw new ContractFailure('BAD_REQUEST', `"${name}" cannot be searched.`);
    const values = p.kind === 'choice' ? p.values : [p.low, p.high];
    for (const v of values) {
      const parsed = trainingConfigSchema.safeParse({ ...spec.base, ...first, [name]: v });
      // Only this field's problems: another field's first value is judged in its own turn.
      const own = parsed.success ? [] : parsed.error.issues.filter((i) => i.path[0] === name);
      if (!parsed.success && own.length) {
        const problems = trainingConfigProblems({ ...parsed.error, issues: own } as typeof parsed.error, (path) => (path.length ? String(path[0]) : 'The config'));
        throw new ContractFailure('BAD_REQUEST', `The search space gives ${name} the value ${JSON.stringify(v)}, which a run cannot take: ${problems.join(' ')}`);
      }
    }
  }
  trialConfig(spec, first);
}

function bestObjective(trials: readonly TrialRecord[], spec: SweepSpec): number | null {
  const minimize = objectiveIsMinimized(spec.objective);
  let best: number | null = null;
  for (const t of trials) {
    if (t.status !== 'completed' || t.objective === null) continue;
    if (best === null || (minimize ? t.objective < best : t.objective > best)) best = t.objective;
  }
  return best;
}

function countsOf(trials: readonly TrialRecord[]): string {
  const counts = new Map<string, number>();
  for (const t of trials) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'none';
}

/** The trial table: proposal order, with the best completed objective so far in finishing order. */
function tableOf(trials: readonly TrialRecord[], spec: SweepSpec): SweepTrial[] {
  const minimize = objectiveIsMinimized(spec.objective);
  const bySeq = trials.filter((t) => t.finishedSeq !== null).sort((a, b) => a.finishedSeq! - b.finishedSeq!);
  const bestAt = new Map<number, number | null>();
  let best: number | null = null;
  for (const t of bySeq) {
    if (t.status === 'completed' && t.objective !== null && (best === null || (minimize ? t.objective < best : t.objective > best))) best = t.objective;
    bestAt.set(t.id, best);
  }
  return trials.map((t) => ({
    trialId: t.id,
    index: t.index,
    runId: t.runId,
    params: JSON.parse(t.paramsJson) as TrialParams,
    status: t.status,
    objective: t.objective,
    epochs: t.valLosses.length,
    valLoss: t.valLosses,
    reason: t.reason,
    finished: t.finishedSeq,
    bestSoFar: bestAt.get(t.id) ?? null,
  }));
}
