import { describe, expect, it } from 'vitest';
import { formatSummary, NO_REASON, summarizeReports, type PlaywrightReport, type VitestReport } from './test-summary.mjs';

const root = '/repo';

// Trimmed from real reports: Vitest's --reporter=json and Playwright's json reporter.
const vitest: VitestReport = {
  numPassedTests: 5,
  numFailedTests: 0,
  numPendingTests: 2,
  numTodoTests: 1,
  testResults: [
    {
      name: '/repo/src-shared/compute/import/corpus.test.ts',
      assertionResults: [
        { ancestorTitles: ['real market files'], title: 'needs the real-file corpus: /shared/fixtures/market is missing', status: 'skipped' },
        { ancestorTitles: ['real market files'], title: 'imports a.csv', status: 'passed' },
      ],
    },
    {
      name: '/repo/src-main/x.test.ts',
      assertionResults: [
        { ancestorTitles: [], title: 'was skipped by hand', status: 'skipped' },
        { ancestorTitles: ['later'], title: 'does more', status: 'todo' },
      ],
    },
  ],
};

const playwright: PlaywrightReport = {
  stats: { expected: 3, unexpected: 1, flaky: 1, skipped: 1 },
  suites: [
    {
      title: 'electron/smoke.spec.ts',
      file: 'electron/smoke.spec.ts',
      specs: [],
      suites: [
        {
          title: 'desktop app',
          file: 'electron/smoke.spec.ts',
          specs: [
            { title: 'opens the window', file: 'electron/smoke.spec.ts', tests: [{ status: 'skipped', annotations: [{ type: 'skip', description: 'needs an Electron binary: never downloaded' }] }] },
            { title: 'quits cleanly', file: 'electron/smoke.spec.ts', tests: [{ status: 'expected', annotations: [] }] },
          ],
        },
      ],
    },
  ],
};

describe("npm test's closing summary", () => {
  it('counts both runners and lists every skipped test with where and why', () => {
    const summary = summarizeReports({ vitest, playwright }, root);
    expect({ passed: summary.passed, failed: summary.failed, skipped: summary.skipped }).toEqual({ passed: 9, failed: 1, skipped: 4 });
    expect(summary.skips).toEqual([
      { runner: 'vitest', file: 'src-shared/compute/import/corpus.test.ts', title: 'real market files › needs the real-file corpus: /shared/fixtures/market is missing', reason: null },
      { runner: 'vitest', file: 'src-main/x.test.ts', title: 'was skipped by hand', reason: NO_REASON },
      { runner: 'vitest', file: 'src-main/x.test.ts', title: 'later › does more', reason: 'todo' },
      { runner: 'e2e', file: 'e2e/electron/smoke.spec.ts', title: 'desktop app › opens the window', reason: 'needs an Electron binary: never downloaded' },
    ]);
  });

  it('ends with the skipped list, then the one line CI reads', () => {
    const text = formatSummary(summarizeReports({ vitest, playwright }, root), []);
    expect(text.trimEnd().split('\n').at(-1)).toBe('tests: 9 passed, 1 failed, 4 skipped');
    expect(text).toContain('Skipped (4):\n');
    expect(text).toContain('  vitest src-shared/compute/import/corpus.test.ts › real market files › needs the real-file corpus: /shared/fixtures/market is missing\n');
    expect(text).toContain(`  vitest src-main/x.test.ts › was skipped by hand — ${NO_REASON}\n`);
    expect(text).toContain('  e2e    e2e/electron/smoke.spec.ts › desktop app › opens the window — needs an Electron binary: never downloaded\n');
  });

  it('counts a failed step without failing tests (typecheck, lint, build) as a failure, and survives a missing report', () => {
    const text = formatSummary(summarizeReports({ vitest: { ...vitest, numPendingTests: 0, numTodoTests: 0, testResults: [] } }, root), ['typecheck', 'lint']);
    expect(text).not.toContain('Skipped');
    expect(text).toContain('\nFailed steps: typecheck, lint\n');
    expect(text.trimEnd().split('\n').at(-1)).toBe('tests: 5 passed, 2 failed, 0 skipped');
    expect(formatSummary(summarizeReports({}, root), ['unit']).trimEnd().split('\n').at(-1)).toBe('tests: 0 passed, 1 failed, 0 skipped');
  });
});
