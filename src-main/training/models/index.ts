/**
 * The model zoo: configuration, building, the training objective, inspection, persistence.
 * Importing this module registers the custom layers, which loading a saved model requires.
 */
export { MODEL_KINDS, validateModelConfig, type ModelConfig, type ModelKind } from './config.js';
export { buildModel } from './buildModel.js';
export { DIRECTION_OUTPUT, MAGNITUDE_OUTPUT } from './blocks.js';
export { VARIABLE_SELECTION_LAYER } from './architectures.js';
export { directionMagnitudeLoss, trainStep, MAGNITUDE_LOSS_WEIGHT, type Targets } from './objective.js';
export { featureImportance, hasFeatureImportance, modelSummary, type LayerSummary, type ModelSummary } from './inspect.js';
export { loadModelArtifacts, saveModelArtifacts } from './persistence.js';
