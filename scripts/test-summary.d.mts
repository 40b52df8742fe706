// Types for scripts/test-summary.mjs (a plain Node script, imported by test-all.mjs, the Vitest
// reporter in test-support/ and its test). Only the fields of the runners' JSON reports it reads.
export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; assertionResults: { ancestorTitles: string[]; title: string; status: string }[] }[];
}

export interface PlaywrightSuite {
  title: string;
  file: string;
  specs?: { title: string; file: string; tests: { status: string; annotations: { type: string; description?: string }[] }[] }[];
  suites?: PlaywrightSuite[];
}

export interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  suites: PlaywrightSuite[];
}

export interface SkippedTest {
  runner: 'vitest' | 'e2e';
  /** Relative to the repository root, with forward slashes. */
  file: string;
  /** Describe blocks and test title, joined by ' › '. */
  title: string;
  /** Why it did not run; null where the title says it (test-support's "needs …: why"). */
  reason: string | null;
}

export interface TestSummary {
  passed: number;
  failed: number;
  skipped: number;
  skips: SkippedTest[];
}

export const NO_REASON: string;
export function vitestSkips(report: VitestReport, root: string): SkippedTest[];
export function playwrightSkips(report: PlaywrightReport): SkippedTest[];
export function summarizeReports(reports: { vitest?: VitestReport; playwright?: PlaywrightReport }, root: string): TestSummary;
export function formatSkips(skips: SkippedTest[]): string;
export function formatSummary(summary: TestSummary, failedSteps: string[]): string;
