import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { formatSkips, NO_REASON } from '../scripts/test-summary.mjs';

/**
 * Lists every skipped test with its reason at the end of a plain `vitest run` (the default reporter
 * only counts them). `npm test` prints the same list from the JSON report, for both runners.
 */
export default class SkippedTestsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skips = testModules.flatMap((m) => [...m.children.allTests('skipped')].map((t) => ({ t, m })));
    const text = formatSkips(
      skips.map(({ t, m }) => ({
        runner: 'vitest' as const,
        file: m.relativeModuleId,
        title: titles(t).join(' › '),
        reason: t.name.startsWith('needs ') ? null : skipNote(t),
      })),
    );
    if (text) process.stdout.write(`\n${text}`);
  }
}

function titles(test: TestCase): string[] {
  const out = [test.name];
  for (let p = test.parent; p.type === 'suite'; p = p.parent) out.unshift(p.name);
  return out;
}

function skipNote(test: TestCase): string {
  const result = test.result();
  return (result.state === 'skipped' ? result.note : undefined) ?? NO_REASON;
}
