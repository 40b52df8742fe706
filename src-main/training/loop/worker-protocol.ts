/**
 * Messages between the training host (main process) and a training child process. Every message
 * is plain JSON, so it crosses process.send / utilityProcess.postMessage unchanged.
 */
import type { ModelSummary } from '../models/index.js';
import type { EpochMetrics } from './loopTypes.js';
import type { TrainingRunConfig } from './runConfig.js';

/** Where a run lives; shared by 'start' and 'resume'. */
export interface RunLocation {
  runId: number;
  config: TrainingRunConfig;
  /** The workspace folder (its candela.db holds the candles). */
  workspaceDir: string;
  /** The run's own folder for checkpoints and final artifacts. */
  checkpointDir: string;
}

/** Host → worker. */
export type HostToWorker =
  /** Train from scratch. */
  | ({ type: 'start' } & RunLocation)
  /** Continue from the newest checkpoint in checkpointDir (a new process), or continue a paused run (the same process). */
  | ({ type: 'resume' } & RunLocation)
  /** Pause after the current batch and checkpoint; the worker answers 'paused' and waits for 'resume' or 'stop'. */
  | { type: 'pause' }
  /** End after the current batch, keeping the best weights; the worker still evaluates the test set and answers 'finished'. */
  | { type: 'stop' };

/** The messages a running run reacts to. */
export type ControlMessage = Exclude<HostToWorker, { type: 'start' }>;

/** Test-set figures of a finished run. */
export interface TestSummary {
  accuracy: number;
  /** Share of the test set's most frequent class: what always guessing it would score. */
  baselineAccuracy: number;
  samples: number;
}

/** How a run ended. */
export type FinishStatus = 'completed' | 'stopped' | 'early-stopped';

/** Worker → host. */
export type WorkerToHost =
  /** The compute backend is up; `description` is the one-line text for the UI. */
  | { type: 'ready'; backend: string; gpu: boolean; description: string }
  /** Data prepared and model built: what the run trains on. */
  | {
      type: 'prepared';
      samples: { train: number; val: number; test: number };
      featureNames: string[];
      classNames: string[];
      symbols: string[];
      summary: ModelSummary;
    }
  /**
   * Batch progress, at most ~10 per second. `epoch` counts from 1, `batch` is the batches done.
   * Walk-forward runs number epochs on across folds (fold k, from 0, has epochs k·epochs+1 …
   * (k+1)·epochs, early-stopped or not) and name the fold in `fold`; holdout runs leave it out.
   */
  | { type: 'progress'; epoch: number; batch: number; batches: number; loss: number; samplesPerSec: number; fold?: number }
  /** An epoch's metrics; `metrics.epoch` and `fold` as in 'progress'. */
  | { type: 'epoch'; metrics: EpochMetrics; fold?: number }
  /** A checkpoint was written; `epoch` = epochs completed when it was taken. */
  | { type: 'checkpoint'; path: string; epoch: number }
  | { type: 'paused'; epoch: number }
  /**
   * The run is over and the model holds its best weights. Walk-forward: `test` covers every fold's
   * test segment, `bestEpoch` and the model are those of the last fold trained. `artifactsDir` holds model.json +
   * weights.bin, preprocessing.json (standardizer, features, classes) and the test predictions.
   */
  | { type: 'finished'; status: FinishStatus; bestEpoch: number | null; test: TestSummary; artifactsDir: string }
  | { type: 'failed'; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Narrows an incoming IPC message to a host message (the worker entry drops anything else). */
export function isHostToWorker(message: unknown): message is HostToWorker {
  if (!isObject(message)) return false;
  switch (message.type) {
    case 'pause':
    case 'stop':
      return true;
    case 'start':
    case 'resume':
      return (
        typeof message.runId === 'number' &&
        isObject(message.config) &&
        typeof message.workspaceDir === 'string' &&
        typeof message.checkpointDir === 'string'
      );
    default:
      return false;
  }
}
