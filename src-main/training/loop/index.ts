/**
 * The training loop and its data: preparation, the custom loop with checkpoints, test
 * predictions and the run configuration. The messages of a training process are in ../protocol.ts.
 */
export { validateDataSpec, DEFAULT_CLIP_STD, DEFAULT_FOLDS, MIN_FOLDS, MAX_FOLDS, type ValidationMode, type DataSpec, type LabelSpec, type BarrierSpec, type ExtraColumnsMode } from './dataSpec.js';
export { prepareTrainingData, prepareWalkForwardData, WALK_FORWARD_VAL_FRACTION, type WalkForwardData, type PreparedData, type TrainingInput, type TestSamples } from './prepareTrainingData.js';
export { BatchBuffers, disposeBatch, type BatchTensors } from './batches.js';
export { AdamW, clipByGlobalNorm, type OptimizerSpec, type OptimizerState } from './adamw.js';
export { LrSchedule, type ScheduleSpec, type ScheduleState } from './lrSchedule.js';
export { weightedLoss, correctCount } from './weightedLoss.js';
export type { LoopSettings, EpochMetrics, BatchProgress, LoopStatus, LoopOutcome, LoopOptions } from './loopTypes.js';
export { TrainingLoop, validateLoopSettings } from './trainingLoop.js';
export { findCheckpoint, readCheckpoint, writeCheckpoint, readModelFiles, writeModelFiles, type CheckpointState, type LoadedCheckpoint } from './checkpoint.js';
export { predictTest, mergeFoldPredictions, evaluateSplit, testAccuracy, EVAL_BATCH_SIZE, type TestPredictions } from './predictTest.js';
export { writeFinalArtifacts, writeTestPredictions, writeImportance, readTestPredictions, readPreprocessing, readImportance, type Preprocessing, type ImportanceFile } from './finalArtifacts.js';
export { permutationImportance, meanVariableSelection, type PermutationImportance, type PermutationImportanceOptions } from './featureImportance.js';
export { trainingRunConfig, trainingRunConfigOf, dataSpecOf, modelConfigOf, loopSettingsOf, type TrainingRunConfig, type ModelSpec } from './runConfig.js';
export { runTraining, type TrainingIo, type RunPlace, type RunEnd } from './runTraining.js';
