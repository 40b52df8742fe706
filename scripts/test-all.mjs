// `npm test`: typecheck, lint, build, unit/integration tests (Vitest) and end-to-end tests
// (Playwright). Every step runs even when an earlier one failed, so one run shows all problems;
// the end lists every skipped test with its reason, and the last line counts the tests of both
// runners (scripts/test-summary.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSummary, summarizeReports } from './test-summary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
// Each tool's own script run by this Node: node_modules/.bin holds shell scripts and, on Windows,
// .cmd files that cannot be spawned without a shell.
const tool = (pkg, name) => {
  const pkgJson = require.resolve(`${pkg}/package.json`);
  const { bin } = JSON.parse(readFileSync(pkgJson, 'utf8'));
  return join(dirname(pkgJson), typeof bin === 'string' ? bin : bin[name]);
};
const vitestJson = join(root, 'test-results/vitest.json');
const playwrightJson = join(root, 'test-results/playwright.json');
rmSync(join(root, 'test-results'), { recursive: true, force: true });

const steps = [
  { name: 'typecheck', cmd: process.execPath, args: [tool('typescript', 'tsc'), '-b', 'tsconfig.json'] },
  { name: 'lint', cmd: process.execPath, args: [tool('eslint', 'eslint'), '.', '--max-warnings=0'] },
  { name: 'build', cmd: process.execPath, args: ['scripts/build.mjs'] },
  { name: 'unit', cmd: process.execPath, args: [tool('vitest', 'vitest'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`] },
  { name: 'e2e', cmd: process.execPath, args: [tool('@playwright/test', 'playwright'), 'test'], env: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson } },
];

const failed = [];
for (const step of steps) {
  const started = Date.now();
  process.stdout.write(`\n── ${step.name} ──\n`);
  const r = spawnSync(step.cmd, step.args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...step.env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) failed.push(step.name);
  process.stdout.write(`── ${step.name}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${seconds} s ──\n`);
}

const readReport = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined);
const summary = summarizeReports({ vitest: readReport(vitestJson), playwright: readReport(playwrightJson) }, root);
process.stdout.write(formatSummary(summary, failed));
process.exit(failed.length ? 1 : 0);
