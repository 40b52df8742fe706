export { HEALTH_FLAG, HEALTH_REASON, HEALTH_REPORT_VERSION, HEALTH_SCORING_RULE, BAD_CATEGORIES, SUSPECT_CATEGORIES, healthReasonNames, healthReport } from './healthReport.js';
export type { BadCategory, HealthClosures, HealthContext, HealthGap, HealthOptions, HealthReasonName, HealthReport, HealthSummary, HealthVerdict, SuspectCategory } from './healthReport.js';
export { HealthMerger, mergeHealthParts, type HealthPart } from './mergeHealth.js';
export { scoreHealth } from './healthReport.js';
export type { CalendarSource, MarketCalendar } from './sessions.js';
export { describeHealth, missingBarsText, pluralize, type HealthDescription, type HealthLine } from './describeHealth.js';
