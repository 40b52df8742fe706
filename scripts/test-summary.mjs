// The closing lines of `npm test`, read from the runners' JSON reports: how many tests passed,
// failed and were skipped, and for every skipped test its name and why it did not run, so a skip
// is seen in the output instead of hiding in a count. Tests skip through test-support/vitest.ts
// and test-support/playwright.ts, which put the reason in the title (Vitest's JSON report keeps
// no skip note) or in the skip annotation (Playwright's); a skip without a reason is called out.
import { relative } from 'node:path';

export const NO_REASON = 'skipped without a reason (skip through test-support/ so the output says why)';

/**
 * @param {import('./test-summary.d.mts').VitestReport} report
 * @param {string} root repository root, to shorten the absolute file names Vitest reports
 */
export function vitestSkips(report, root) {
  const skips = [];
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      if (test.status !== 'skipped' && test.status !== 'pending' && test.status !== 'todo') continue;
      skips.push({
        runner: 'vitest',
        file: relative(root, file.name).replaceAll('\\', '/'),
        title: [...test.ancestorTitles, test.title].join(' › '),
        reason: test.status === 'todo' ? 'todo' : test.title.startsWith('needs ') ? null : NO_REASON,
      });
    }
  }
  return skips;
}

/** @param {import('./test-summary.d.mts').PlaywrightReport} report */
export function playwrightSkips(report) {
  const skips = [];
  const walk = (suite, titles) => {
    // A file's top suite is titled with its path, which `file` already says.
    const here = suite.title && suite.title !== suite.file ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status !== 'skipped') continue;
        const why = test.annotations.find((a) => a.type === 'skip' || a.type === 'fixme')?.description;
        skips.push({ runner: 'e2e', file: `e2e/${spec.file}`, title: [...here, spec.title].join(' › '), reason: why ?? NO_REASON });
      }
    }
    for (const child of suite.suites ?? []) walk(child, here);
  };
  for (const suite of report.suites) walk(suite, []);
  return skips;
}

/**
 * Counts and skips of both runners; either report may be missing (its step failed before writing).
 * @param {{ vitest?: import('./test-summary.d.mts').VitestReport, playwright?: import('./test-summary.d.mts').PlaywrightReport }} reports
 * @param {string} root
 */
export function summarizeReports(reports, root) {
  const summary = { passed: 0, failed: 0, skipped: 0, skips: [] };
  if (reports.vitest) {
    const v = reports.vitest;
    summary.passed += v.numPassedTests;
    summary.failed += v.numFailedTests;
    summary.skipped += v.numPendingTests + v.numTodoTests;
    summary.skips.push(...vitestSkips(v, root));
  }
  if (reports.playwright) {
    const p = reports.playwright;
    summary.passed += p.stats.expected + p.stats.flaky;
    summary.failed += p.stats.unexpected;
    summary.skipped += p.stats.skipped;
    summary.skips.push(...playwrightSkips(p));
  }
  return summary;
}

/** One line per skipped test: where, which, and why. Empty when nothing was skipped. */
export function formatSkips(skips) {
  if (skips.length === 0) return '';
  const lines = skips.map((s) => `  ${s.runner.padEnd(6)} ${s.file} › ${s.title}${s.reason ? ` — ${s.reason}` : ''}`);
  return `Skipped (${skips.length}):\n${lines.join('\n')}\n`;
}

/**
 * The closing text: the skipped tests, the failed steps, then the one line CI reads. A step that
 * failed without a failing test (typecheck, lint, build) still counts as a failure there.
 * @param {ReturnType<typeof summarizeReports>} summary
 * @param {string[]} failedSteps
 */
export function formatSummary(summary, failedSteps) {
  let text = '';
  const skips = formatSkips(summary.skips);
  if (skips) text += `\n${skips}`;
  if (failedSteps.length) text += `\nFailed steps: ${failedSteps.join(', ')}\n`;
  const failed = summary.failed + (failedSteps.length && !summary.failed ? failedSteps.length : 0);
  text += `\ntests: ${summary.passed} passed, ${failed} failed, ${summary.skipped} skipped\n`;
  return text;
}
