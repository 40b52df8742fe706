export { HEALTH_FLAG, HEALTH_REASON, healthReasonNames, healthReport } from './healthReport.js';
export type { HealthGap, HealthOptions, HealthReasonName, HealthReport, HealthSummary, HealthVerdict } from './healthReport.js';
export { HealthMerger, mergeHealthParts, type HealthPart } from './mergeHealth.js';
export { scoreHealth } from './healthReport.js';
