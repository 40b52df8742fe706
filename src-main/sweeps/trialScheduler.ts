/**
 * Where a sweep's trials run. The sweep service decides WHAT to train (proposals, pruning, the
 * winner); a TrialScheduler decides WHERE and HOW: today a local pool of training processes, one
 * per trial, through the TrainingService, so every trial is a normal run. A scheduler for several
 * GPU hosts would implement the same interface over a job queue (see ARCHITECTURE.md, "Sweeps").
 */
import type { EpochMetrics, RunStatus, TrainingConfig } from '../../src-shared/contract/training.js';
import type { EventBus } from '../services/eventBus.js';
import type { TrainingService } from '../training/host/trainingService.js';

export interface TestFigures {
  accuracy: number;
  baselineAccuracy: number;
  samples: number;
}

/** How many trials of the sweep run at once: each gets its share of the machine. */
export interface TrialShare {
  parallel: number;
}

export interface TrialScheduler {
  /** How many trials it can usefully run at once (the default of a sweep's `parallel`). */
  readonly capacity: number;
  /**
   * Creates the trial's run and starts it with its test split sealed; `link` runs once the run
   * exists and before it trains (the sweep records the trial there). Resolves with the run id.
   */
  launch(config: TrainingConfig, name: string, link: (runId: number) => Promise<void>, share: TrialShare): Promise<number>;
  /** Continues a paused trial, or one interrupted by a restart from its checkpoint. */
  resume(runId: number, share: TrialShare): Promise<void>;
  pause(runId: number): void;
  /** Ends a trial after its current batch; it still writes its validation predictions. */
  stop(runId: number): Promise<void>;
  /** Resolves with the run's final status once its process has exited. */
  whenSettled(runId: number): Promise<RunStatus>;
  /** Epoch reports of every trial (the pruners' input); returns the unsubscribe function. */
  onEpoch(listener: (runId: number, metrics: EpochMetrics) => void): () => void;
  /** Predicts a finished sealed run's test split once and evaluates it like any run. */
  predictTest(runId: number): Promise<TestFigures>;
  /** Ends a paused trial's process, leaving it resumable (the app or CLI is closing). */
  release(runId: number): Promise<void>;
}

/**
 * The local process pool: each trial in its own training process, started by the TrainingService
 * (forked Node children headless, utilityProcess in Electron), so a crashed trial ends only itself.
 */
export class LocalTrialScheduler implements TrialScheduler {
  constructor(
    private readonly training: TrainingService,
    private readonly events: EventBus,
    readonly capacity: number,
  ) {}

  launch(config: TrainingConfig, name: string, link: (runId: number) => Promise<void>, share: TrialShare): Promise<number> {
    return this.training.start(config, name, link, this.threadsFor(share));
  }

  /** A trial's training threads: the cores divided among the trials running at once, at least 1. */
  threadsFor(share: TrialShare): number {
    return Math.max(1, Math.floor(this.capacity / share.parallel));
  }

  async resume(runId: number, share: TrialShare): Promise<void> {
    // A pause takes effect after the trial's current batch (or once its data is prepared): a resume
    // that arrives before the process has paused waits for it, or the process would pause later
    // and wait for a resume that had already come and gone.
    let off = () => {};
    const changed = new Promise<RunStatus>((resolve) => {
      off = this.events.subscribe((name, payload) => {
        const p = payload as { runId?: number; status?: RunStatus };
        if (name === 'training.status' && p.runId === runId && p.status !== undefined && p.status !== 'running') resolve(p.status);
      });
    });
    try {
      await this.training.resume(runId, this.threadsFor(share));
    } catch (e) {
      if (!this.training.isActive(runId)) throw e;
      if ((await changed) === 'paused') await this.training.resume(runId);
    } finally {
      off();
    }
  }

  pause(runId: number): void {
    this.training.pause(runId);
  }

  stop(runId: number): Promise<void> {
    return this.training.stop(runId);
  }

  whenSettled(runId: number): Promise<RunStatus> {
    return this.training.whenSettled(runId);
  }

  onEpoch(listener: (runId: number, metrics: EpochMetrics) => void): () => void {
    return this.events.subscribe((name, payload) => {
      if (name !== 'training.epoch') return;
      const p = payload as { runId: number; metrics: EpochMetrics };
      listener(p.runId, p.metrics);
    });
  }

  predictTest(runId: number): Promise<TestFigures> {
    return this.training.predictTest(runId);
  }

  release(runId: number): Promise<void> {
    return this.training.shutdownRun(runId);
  }
}
