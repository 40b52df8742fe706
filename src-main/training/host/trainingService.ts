import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelSummaryPayload, RunStatus, TrainingConfig, TrainingPlan } from '../../../src-shared/contract/training.js';
import type { TrainingMemory } from '../../../src-shared/contract/system.js';
import { ContractFailure } from '../../../src-shared/contract/result.js';
import { finiteOrNull } from '../../../src-shared/domain/finite.js';
import type { DbClient } from '../../services/dbWorkerOps.js';
import type { EventBus } from '../../services/eventBus.js';
import type { SpawnTrainingProcess, TrainingProcess } from './trainingProcess.js';
import { missingDatasetsSentence, planExtraColumns, planTrainingRun, resolvedConfig } from './trainingPlan.js';
import { checkWorkerMessage, type HostToWorker, type RawModelSummary, type WorkerToHost } from '../protocol.js';

/** Output shapes as text for the summary table: `[batch, 32, 64]`. */
export function summaryPayload(s: RawModelSummary): ModelSummaryPayload {
  return {
    layers: s.layers.map((l) => ({ name: l.name, type: l.type, outputShape: l.outputShapes.map((shape) => `[${shape.map((d) => d ?? 'batch').join(', ')}]`).join(' '), params: l.params })),
    totalParams: s.totalParams,
    trainableParams: s.trainableParams,
  };
}

interface LiveRun {
  proc: TrainingProcess;
  status: RunStatus;
  /** Set once the process has said how the run ended, so its exit is not read as a crash. */
  ended: boolean;
  done: Promise<RunStatus>;
  /** A sweep's trial: its process must end with 'validated', never with test figures. */
  sealed: boolean;
  /** The backend's tensor memory at the last progress report. */
  memory?: Omit<TrainingMemory, 'runId'>;
}

/**
 * Starts one training process per run and keeps the workspace's record of it: status, epochs,
 * result. A process that dies without saying why (crash, out of memory, kill -9) leaves its run
 * marked failed with the reason, resumable from its last checkpoint; the app carries on.
 */
export class TrainingService {
  private readonly live = new Map<number, LiveRun>();
  /** Evaluations started when runs finished; shutdown waits for them so none is cut off. */
  private readonly evaluations = new Set<Promise<void>>();

  constructor(
    private readonly db: DbClient,
    private readonly events: EventBus,
    private readonly workspaceDir: string,
    private readonly spawn: SpawnTrainingProcess,
    private readonly workerScript: string | null,
  ) {}

  /** Call once at start: runs a previous session left running are marked interrupted. */
  async init(): Promise<void> {
    await this.db.markInterruptedRuns(Date.now());
  }

  /** What a run of this config would train on, and what would stop it (shown before Start). */
  plan(config: TrainingConfig): Promise<TrainingPlan> {
    return planTrainingRun(this.db, config);
  }

  /**
   * `beforeLaunch` runs once the run exists and before its process starts: a sweep links its trial
   * there, which seals the run's test split (see {@link launch}). `threads` caps the run's training
   * threads (a sweep running P trials at once gives each its share of the cores).
   */
  async start(config: TrainingConfig, name?: string, beforeLaunch?: (runId: number) => Promise<void>, threads?: number): Promise<number> {
    // Everything that would fail at epoch 0 is refused here, before a run exists.
    const plan = await this.plan(config);
    const found = new Set(plan.datasets.map((d) => d.id));
    const missing = config.datasetIds.filter((id) => !found.has(id));
    if (missing.length) throw new ContractFailure('NOT_FOUND', missingDatasetsSentence(missing));
    if (plan.problems.length || plan.timeframe === null || plan.timeframeMs === null) throw new ContractFailure('BAD_REQUEST', plan.problems.join(' ') || 'The chosen datasets share no timeframe.');
    const tfMs = plan.timeframeMs;
    const resolved = resolvedConfig(config, plan);
    // The plan already names a repeated instrument by its dataset id, as the run's results will.
    const symbols = plan.datasets.map((d) => d.symbol);
    const runId = await this.db.createRun({
      name: name ?? `${config.model.toUpperCase()} · ${symbols.length > 3 ? `${symbols.length} symbols` : symbols.join(', ')} · ${plan.timeframe}${config.validation === 'walk-forward' ? ` · walk-forward ×${config.folds}` : ''}`,
      config: resolved,
      datasets: plan.datasets.map((d) => ({ id: d.id, symbol: d.symbol, timeframeMs: tfMs, rows: d.bars })),
      checkpointRoot: join(this.workspaceDir, 'runs'),
      now: Date.now(),
    });
    await beforeLaunch?.(runId);
    await this.launch(runId, resolved, false, threads);
    return runId;
  }

  /**
   * Predicts the test split of a sealed run (a sweep's winner) with its final model, in a
   * short-lived training process, stores the test figures and evaluates the run like any finished
   * run. The only way a sweep trial's test split is ever read.
   */
  async predictTest(runId: number): Promise<{ accuracy: number; baselineAccuracy: number; samples: number }> {
    const run = await this.db.getRun(runId);
    if (!run) throw new ContractFailure('NOT_FOUND', `Run ${runId} does not exist.`);
    if (this.live.has(runId)) throw new ContractFailure('CONFLICT', `Run ${runId} is still active.`);
    const proc = this.spawn(this.script());
    const test = await new Promise<{ accuracy: number; baselineAccuracy: number; samples: number }>((resolve, reject) => {
      proc.onMessage((m) => {
        const checked = checkWorkerMessage(m);
        if (!checked.ok) return void console.error(`run ${runId}: ${checked.error}`);
        const msg = checked.message;
        if (msg.type === 'tested') resolve(msg.test);
        else if (msg.type === 'failed') reject(new ContractFailure('INTERNAL', msg.reason));
        if (msg.type === 'tested' || msg.type === 'failed') proc.kill();
      });
      proc.onExit((code, signal) => reject(new ContractFailure('INTERNAL', `The test split of run ${runId} could not be predicted: the process exited (${signal ?? code}).`)));
      proc.send({ type: 'predictTest', runId, config: run.config, workspaceDir: this.workspaceDir, checkpointDir: run.checkpointDir } satisfies HostToWorker);
    });
    await this.db.setRunResult(runId, run.bestEpoch, JSON.stringify(test));
    await this.db.evaluateRun(runId, Date.now());
    this.events.emit('training.evaluated', { runId });
    return test;
  }

  /**
   * The run's final model's test predictions on `spec.paths` resampled markets, from a short-lived
   * training process (`loop/marketPaths.ts`); `onPath` hears each path as it arrives (progress).
   * Aborting `signal` ends the process and rejects with CANCELLED.
   */
  async predictMarketPaths(
    runId: number,
    spec: { paths: number; seed: number; blockLength: number; noiseFraction: number },
    onPath: (path: { path: number; probs: Float32Array; lastClose: number[] }) => void,
    signal?: AbortSignal,
  ): Promise<{ classes: number; ts: Float64Array; symbolIndex: Int32Array; testStarts: number[] }> {
    const run = await this.db.getRun(runId);
    if (!run) throw new ContractFailure('NOT_FOUND', `Run ${runId} does not exist.`);
    if (this.live.has(runId)) throw new ContractFailure('CONFLICT', `Run ${runId} is still active.`);
    if (signal?.aborted) throw new ContractFailure('CANCELLED', 'The market resampling was cancelled.');
    const proc = this.spawn(this.script());
    return new Promise((resolve, reject) => {
      const cancel = () => {
        reject(new ContractFailure('CANCELLED', 'The market resampling was cancelled.'));
        proc.kill();
      };
      signal?.addEventListener('abort', cancel, { once: true });
      proc.onMessage((m) => {
        const checked = checkWorkerMessage(m);
        if (!checked.ok) {
          reject(new ContractFailure('INTERNAL', checked.error));
          return void proc.kill();
        }
        const msg = checked.message;
        if (msg.type === 'marketPath') onPath(msg);
        else if (msg.type === 'marketPathsDone') resolve({ classes: msg.classes, ts: msg.ts, symbolIndex: msg.symbolIndex, testStarts: msg.testStarts });
        else if (msg.type === 'failed') reject(new ContractFailure('BAD_REQUEST', msg.reason));
        if (msg.type === 'marketPathsDone' || msg.type === 'failed') {
          signal?.removeEventListener('abort', cancel);
          proc.kill();
        }
      });
      proc.onExit((code, signalName) => reject(new ContractFailure('INTERNAL', `The market of run ${runId} could not be resampled: the process exited (${signalName ?? code}).`)));
      proc.send({ type: 'marketPaths', runId, config: run.config, workspaceDir: this.workspaceDir, checkpointDir: run.checkpointDir, ...spec } satisfies HostToWorker);
    });
  }

  /** `threads` caps the training threads of a run resumed in a new process (a sweep's trials share the cores). */
  async resume(runId: number, threads?: number): Promise<void> {
    const live = this.live.get(runId);
    if (live && live.status === 'paused') {
      live.proc.send({ type: 'resume' } satisfies HostToWorker);
      live.status = 'running';
      await this.setStatus(runId, 'running', null);
      return;
    }
    if (live) throw new ContractFailure('CONFLICT', `Run ${runId} is ${live.status}, not paused.`);
    const run = await this.db.getRun(runId);
    if (!run) throw new ContractFailure('NOT_FOUND', `Run ${runId} does not exist.`);
    if (!run.resumable) throw new ContractFailure('CONFLICT', `Run ${runId} is ${run.status} and has nothing to resume from.`);
    // The runs query read the stored config through the contract's schema (an older run's missing
    // fields take their defaults), so it passes the process's guard like a new run's.
    await this.launch(runId, run.config, true, threads);
  }

  pause(runId: number): void {
    this.control(runId, 'running').proc.send({ type: 'pause' } satisfies HostToWorker);
  }

  async stop(runId: number): Promise<void> {
    const live = this.live.get(runId);
    if (live) {
      live.proc.send({ type: 'stop' } satisfies HostToWorker);
      return;
    }
    const run = await this.db.getRun(runId);
    if (!run) throw new ContractFailure('NOT_FOUND', `Run ${runId} does not exist.`);
    if (run.status === 'paused' || run.status === 'interrupted') await this.setStatus(runId, 'stopped', null);
    else throw new ContractFailure('CONFLICT', `Run ${runId} is ${run.status}; there is nothing to stop.`);
  }

  async remove(runId: number): Promise<void> {
    if (this.live.has(runId)) throw new ContractFailure('CONFLICT', `Run ${runId} is still active; stop it first.`);
    const run = await this.db.getRun(runId);
    if (!run) throw new ContractFailure('NOT_FOUND', `Run ${runId} does not exist.`);
    await this.db.deleteRun(runId);
    rmSync(run.checkpointDir, { recursive: true, force: true });
  }

  /** The model a config would build, from a short-lived training process (tfjs never loads in main). */
  async summary(config: TrainingConfig): Promise<ModelSummaryPayload> {
    // The model's input width is the feature set's columns plus the extra columns the run would use.
    return this.summaryOf({ ...config, extraColumns: await planExtraColumns(this.db, config) });
  }

  private summaryOf(config: TrainingConfig): Promise<ModelSummaryPayload> {
    const proc = this.spawn(this.script());
    return new Promise((resolve, reject) => {
      proc.onMessage((m) => {
        const checked = checkWorkerMessage(m);
        if (!checked.ok) {
          reject(new ContractFailure('INTERNAL', `The model could not be built: ${checked.error}`));
          proc.kill();
          return;
        }
        const msg = checked.message;
        if (msg.type === 'summary') resolve(summaryPayload(msg.summary));
        else if (msg.type === 'failed') reject(new ContractFailure('BAD_REQUEST', msg.reason));
        if (msg.type === 'summary' || msg.type === 'failed') proc.kill();
      });
      proc.onExit((code, signal) => reject(new Error(`The model could not be built: the process exited (${signal ?? code}).`)));
      proc.send({ type: 'summary', config, workspaceDir: this.workspaceDir } satisfies HostToWorker);
    });
  }

  /** Resolves with the run's final status once its process has exited (CLI and tests wait on it). */
  whenSettled(runId: number): Promise<RunStatus> {
    return this.live.get(runId)?.done ?? Promise.resolve('queued');
  }

  isActive(runId: number): boolean {
    return this.live.has(runId);
  }

  /** Ends one paused run's process (its checkpoint is on disk); it stays resumable. */
  async shutdownRun(runId: number): Promise<void> {
    const l = this.live.get(runId);
    if (!l) return;
    l.ended = true;
    l.proc.kill();
  }

  /** Resolves when the evaluations of finished runs have been stored. */
  async evaluationsSettled(): Promise<void> {
    await Promise.allSettled([...this.evaluations]);
  }

  async shutdown(): Promise<void> {
    await this.evaluationsSettled();
    for (const [runId, l] of this.live) {
      l.ended = true;
      l.proc.kill();
      await this.setStatus(runId, 'interrupted', 'The app was closed while this run was training; resume it from its last checkpoint.').catch(() => undefined);
    }
    this.live.clear();
  }

  private script(): string {
    if (!this.workerScript) throw new ContractFailure('UNSUPPORTED', 'Training needs the built training worker; run `npm run build`.');
    return this.workerScript;
  }

  private control(runId: number, expected: RunStatus): LiveRun {
    const live = this.live.get(runId);
    if (!live) throw new ContractFailure('CONFLICT', `Run ${runId} is not active.`);
    if (live.status !== expected) throw new ContractFailure('CONFLICT', `Run ${runId} is ${live.status}, not ${expected}.`);
    return live;
  }

  private async setStatus(runId: number, status: RunStatus, failure: string | null): Promise<void> {
    await this.db.setRunStatus(runId, status, Date.now(), failure, process.pid);
    this.events.emit('training.status', { runId, status, failure });
  }

  private async launch(runId: number, config: TrainingConfig, resume: boolean, threads?: number): Promise<void> {
    const run = await this.db.getRun(runId);
    // A sweep's trial never predicts its test split; only the sweep's winner is tested, once, afterwards.
    const sealed = (await this.db.sweepOfRun(runId)) !== null;
    const proc = this.spawn(this.script());
    let settle!: (s: RunStatus) => void;
    const live: LiveRun = { proc, status: 'running', ended: false, done: new Promise((r) => (settle = r)), sealed };
    this.live.set(runId, live);
    await this.setStatus(runId, 'running', null);
    // Messages are handled one at a time so DB writes keep their order.
    let queue = Promise.resolve();
    proc.onMessage((m) => {
      const checked = checkWorkerMessage(m);
      // A message the host cannot read is dropped with its reason; the run's own end (or its
      // process's exit) still decides its status, so one bad message never ends a run.
      if (!checked.ok) {
        console.error(`run ${runId}: ${checked.error}`);
        return;
      }
      // The seal is kept on this end too: test figures from a sweep's trial are never stored.
      const end = checked.message.type;
      if ((end === 'finished' && live.sealed) || (end === 'validated' && !live.sealed)) {
        console.error(`run ${runId}: A "${end}" message from the training process was refused (${live.sealed ? "the run is a sweep's trial, its test split is sealed" : 'the run is not a sweep trial; it must report its test figures'}).`);
        return;
      }
      queue = queue.then(() => this.onWorkerMessage(runId, live, checked.message)).catch((e: Error) => console.error(`run ${runId}:`, e));
    });
    proc.onExit((code, signal) => {
      queue = queue.then(async () => {
        this.live.delete(runId);
        if (!live.ended) {
          const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
          live.status = 'failed';
          await this.setStatus(runId, 'failed', `The training process ${how} before the run finished${code === 134 || signal === 'SIGKILL' ? ' (out of memory or killed)' : ''}. Resume it from its last checkpoint.`);
        }
        settle(live.status);
      });
    });
    proc.send({ type: 'start', runId, config, workspaceDir: this.workspaceDir, checkpointDir: run!.checkpointDir, resume, ...(sealed ? { test: 'sealed' as const } : {}), ...(threads ? { threads } : {}) } satisfies HostToWorker);
  }

  /** Tensor memory of each running training process, as its last progress report gave it (for the resource panel). */
  trainingMemory(): TrainingMemory[] {
    return [...this.live].flatMap(([runId, run]) => (run.memory && !run.ended ? [{ runId, ...run.memory }] : []));
  }

  private async onWorkerMessage(runId: number, live: LiveRun, msg: WorkerToHost): Promise<void> {
    switch (msg.type) {
      case 'ready':
        await this.db.setRunBackend(runId, msg.description || msg.backend, null);
        break;
      case 'prepared':
        await this.db.setRunBackend(runId, null, JSON.stringify(summaryPayload(msg.summary)));
        break;
      case 'progress': {
        // The event is JSON for every face: a loss that is not a number yet is null there.
        const point = { epoch: msg.epoch, batch: msg.batch, batches: msg.batches, samplesPerSec: finiteOrNull(msg.samplesPerSec) };
        if (msg.memory) live.memory = msg.memory;
        const recentLoss = finiteOrNull(msg.recentLoss);
        this.events.emit('training.progress', { runId, ...point, loss: finiteOrNull(msg.loss), recentLoss, ...(msg.fold !== undefined ? { fold: msg.fold } : {}) });
        // Stored too (thinned evenly, bounded), so the per-batch curve outlives a reload and the run.
        await this.db.recordBatchPoint(runId, { ...point, loss: recentLoss, at: Date.now() });
        break;
      }
      case 'epoch':
        await this.db.recordEpoch(runId, msg.metrics);
        this.events.emit('training.epoch', { runId, metrics: msg.metrics });
        break;
      case 'paused':
        live.status = 'paused';
        await this.setStatus(runId, 'paused', null);
        break;
      case 'finished':
        live.ended = true;
        live.status = msg.status;
        await this.db.setRunResult(runId, msg.bestEpoch, JSON.stringify(msg.test));
        await this.setStatus(runId, msg.status, null);
        live.proc.kill();
        // Judge it at once against the baselines, so its numbers never appear without a verdict.
        {
          const evaluation: Promise<void> = this.db
            .evaluateRun(runId, Date.now())
            .then(() => this.events.emit('training.evaluated', { runId }))
            .catch((e: Error) => console.error(`evaluating run ${runId}:`, e.message))
            .finally(() => this.evaluations.delete(evaluation));
          this.evaluations.add(evaluation);
        }
        break;
      case 'validated':
        // A sealed run: no test figures to store, nothing to evaluate until (unless) it is chosen.
        live.ended = true;
        live.status = msg.status;
        await this.db.setRunResult(runId, msg.bestEpoch, null);
        await this.setStatus(runId, msg.status, null);
        live.proc.kill();
        break;
      case 'failed':
        live.ended = true;
        live.status = 'failed';
        await this.setStatus(runId, 'failed', msg.reason);
        live.proc.kill();
        break;
      default:
        break;
    }
  }
}
