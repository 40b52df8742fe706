import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { relative } from 'node:path';
import { formatSkips, NO_REASON, type SkippedTest } from '../scripts/test-summary.mjs';
import { REPO_ROOT } from './fixtures.js';

/**
 * Lists every skipped test with its reason at the end of a plain `playwright test` (the list
 * reporter only marks them); `npm test` prints the same list from the JSON report.
 */
export default class PlaywrightSkipsReporter implements Reporter {
  private readonly skips: SkippedTest[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return;
    const why = [...result.annotations, ...test.annotations].find((a) => a.type === 'skip' || a.type === 'fixme')?.description;
    // titlePath(): root, project, file, describes…, title.
    const [, , , ...titles] = test.titlePath();
    this.skips.push({ runner: 'e2e', file: relative(REPO_ROOT, test.location.file).replaceAll('\\', '/'), title: titles.join(' › '), reason: why ?? NO_REASON });
  }

  onEnd(_result: FullResult): void {
    const text = formatSkips(this.skips);
    if (text) process.stdout.write(`\n${text}`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
