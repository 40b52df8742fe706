/**
 * Settings, metrics and results of the training loop, shared by the loop, its checkpoints and
 * the worker protocol. All of it is plain JSON.
 */
import type { BackendMemory } from '../backends/backendMemory.js';
import type { FinishedRunStatus } from '../../../src-shared/contract/training.js';
import type { ModelConfig } from '../models/index.js';
import type { OptimizerSpec } from './adamw.js';
import type { ScheduleSpec } from './lrSchedule.js';

/** How the loop trains; stored in every checkpoint so that a resumed run trains the same way. */
export interface LoopSettings {
  model: ModelConfig;
  optimizer: OptimizerSpec;
  schedule: ScheduleSpec;
  epochs: number;
  batchSize: number;
  /** Epochs without a validation-loss improvement before stopping early; 0 never stops early. */
  patience: number;
  /** Weight of the magnitude head's MSE in the loss (ignored without a magnitude head). */
  magnitudeWeight: number;
  /** Seed of the sample order (the model's own seed is in `model`). */
  seed: number;
}

/** One finished epoch. `epoch` counts from 1; losses are the weighted training objective. */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  trainAcc: number;
  valAcc: number;
  /** Learning rate of the epoch's last update. */
  lr: number;
  /** Training samples per second (validation time excluded). */
  samplesPerSec: number;
  /** Wall time of the epoch, validation included. */
  seconds: number;
}

/** Progress inside an epoch, reported at most every `progressIntervalMs`. */
export interface BatchProgress {
  /** The backend's tensor memory at this report. */
  memory?: BackendMemory;
  /** From 1. */
  epoch: number;
  /** Batches done in this epoch. */
  batch: number;
  batches: number;
  /** Mean training loss of the epoch so far. */
  loss: number;
  /**
   * Mean training loss of the batches since the previous report: the per-batch curve (the epoch's
   * running mean above flattens as the epoch goes on and restarts with each epoch).
   */
  recentLoss: number;
  samplesPerSec: number;
}

/** How a call to run() ended. 'paused' can be continued with run() or from the checkpoint. */
export type LoopStatus = FinishedRunStatus | 'paused';

export interface LoopOutcome {
  status: LoopStatus;
  /** Epoch (from 1) whose weights the model holds now, or null before any epoch finished. */
  bestEpoch: number | null;
  bestValLoss: number | null;
  history: EpochMetrics[];
  /** Folder of the last checkpoint written, if any. */
  checkpoint: string | null;
}

/** Hooks and options of a loop; none of them is stored in a checkpoint. */
export interface LoopOptions {
  /** Where checkpoints go (every epoch and on pause); none are written without it. */
  checkpointDir?: string;
  onProgress?: (progress: BatchProgress) => void;
  onEpoch?: (metrics: EpochMetrics) => void;
  onCheckpoint?: (path: string, epoch: number) => void;
  /** Least time between two progress reports. Default 100 ms (≤ 10 per second). */
  progressIntervalMs?: number;
  /** The clock that spaces progress reports (ms); default performance.now. Tests pass their own. */
  progressClock?: () => number;
  /**
   * Training threads (data-parallel, wasm and cpu backends only; see dataParallel.ts). Default 1.
   * Results depend on the count (shards sum in another order), so a resumed run should keep it.
   */
  threads?: number;
  /** The worker thread bundle; default: the built one (dist/main/training-thread.mjs). */
  threadScript?: string | URL;
}
