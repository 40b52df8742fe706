import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { VitestReport } from '../scripts/test-summary.mjs';
import { builtFiles, findSharedDir, marketCorpus, REPO_ROOT, repoPath, SHARED_DIR } from './fixtures.js';
import { checkPrerequisite, MissingPrerequisiteError, type Prerequisite } from './prerequisites.js';

const moon: Prerequisite = { what: 'the moon', met: false, why: 'it is not up' };

describe('a missing prerequisite', () => {
  it('lets the test run when met', () => {
    expect(checkPrerequisite({ ...moon, met: true }, {})).toEqual({ run: true });
    expect(checkPrerequisite({ ...moon, met: true }, { CI: 'true' })).toEqual({ run: true });
  });

  it('skips outside CI under a title that says what is missing and why', () => {
    expect(checkPrerequisite(moon, {})).toEqual({ run: false, title: 'needs the moon: it is not up' });
    expect(checkPrerequisite(moon, { CI: 'false' })).toEqual({ run: false, title: 'needs the moon: it is not up' });
  });

  it('fails under CI=true unless it is optional', () => {
    expect(() => checkPrerequisite(moon, { CI: 'true' })).toThrow(MissingPrerequisiteError);
    expect(() => checkPrerequisite(moon, { CI: 'true' })).toThrow('CI=true but the test needs the moon: it is not up');
    expect(checkPrerequisite({ ...moon, optional: true }, { CI: 'true' })).toEqual({ run: false, title: 'needs the moon: it is not up' });
  });
});

describe('the fixtures beside the repository', () => {
  it('are found from the repository root, whatever the working directory', () => {
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).name).toBe('candela');
    if (existsSync(resolve(REPO_ROOT, '..', 'shared'))) expect(SHARED_DIR).toBe(resolve(REPO_ROOT, '..', 'shared'));
    expect(marketCorpus().dir).toBe(join(SHARED_DIR, 'fixtures', 'market'));
    expect(marketCorpus().met).toBe(existsSync(marketCorpus().dir));
    expect(repoPath('dist', 'main')).toBe(join(REPO_ROOT, 'dist', 'main'));
  });

  it('are read beside the repository a fresh clone came from when the clone has none beside it', () => {
    const base = mkdtempSync(join(tmpdir(), 'candela-shared-'));
    try {
      mkdirSync(join(base, 'work', 'shared'), { recursive: true });
      mkdirSync(join(base, 'work', 'main'));
      mkdirSync(join(base, 'ci', 'clone'), { recursive: true });
      const clone = join(base, 'ci', 'clone');
      expect(findSharedDir(clone, join(base, 'work', 'main'))).toBe(join(base, 'work', 'shared'));
      expect(findSharedDir(clone, '../../work/main')).toBe(join(base, 'work', 'shared'));
      expect(findSharedDir(clone, 'https://github.com/x/candela.git')).toBe(join(base, 'ci', 'shared'));
      expect(findSharedDir(clone, 'git@github.com:x/candela.git')).toBe(join(base, 'ci', 'shared'));
      expect(findSharedDir(clone, null)).toBe(join(base, 'ci', 'shared'));
      // A folder of its own beside the clone wins.
      mkdirSync(join(base, 'ci', 'shared'));
      expect(findSharedDir(clone, join(base, 'work', 'main'))).toBe(join(base, 'ci', 'shared'));
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('name the build output that is missing', () => {
    const p = builtFiles('package.json', 'dist/never-built.mjs');
    expect(p.met).toBe(false);
    expect(p.why).toMatch(/^dist\/never-built\.mjs not built yet; run `npm run build`/);
    expect(builtFiles('package.json').met).toBe(true);
  });
});

/**
 * The Vitest side, as a real run sees it: a planted test file run by Vitest in a child process,
 * read back from its JSON report (the report `npm test` summarizes).
 */
describe('requirePrerequisite in a Vitest run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'candela-prerequisite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const helper = pathToFileURL(join(REPO_ROOT, 'test-support', 'vitest.ts')).href;
  writeFileSync(
    join(dir, 'planted.test.ts'),
    `import { describe, expect, it } from 'vitest';
import { requirePrerequisite } from ${JSON.stringify(helper)};
describe('needs the moon', () => {
  if (!requirePrerequisite({ what: 'the moon', met: false, why: 'it is not up' })) return;
  it('is never registered', () => expect(1).toBe(1));
});
describe('needs a GPU', () => {
  if (!requirePrerequisite({ what: 'a GPU', met: false, why: 'none on this kind of machine', optional: true })) return;
  it('is never registered', () => expect(1).toBe(1));
});
describe('needs the sun', () => {
  if (!requirePrerequisite({ what: 'the sun', met: true, why: '' })) return;
  it('runs', () => expect(1).toBe(1));
});
`,
  );
  const vitest = join(createRequire(import.meta.url).resolve('vitest/package.json'), '..', 'vitest.mjs');
  const run = (ci: string) => {
    const out = join(dir, `report-${ci}.json`);
    try {
      execFileSync(process.execPath, [vitest, 'run', '--root', dir, '--reporter=json', `--outputFile.json=${out}`], { env: { ...process.env, CI: ci }, stdio: 'pipe' });
    } catch (error) {
      // A failing run exits 1 and its report says why; anything else is a broken harness.
      if (!existsSync(out)) throw error;
    }
    const report = JSON.parse(readFileSync(out, 'utf8')) as VitestReport & { success: boolean };
    return { success: report.success, tests: report.testResults[0]!.assertionResults.map((a) => [a.status, [...a.ancestorTitles, a.title].join(' › ')]) };
  };

  it('outside CI, skips with the reason in the title and runs what it has', () => {
    expect(run('false')).toEqual({
      success: true,
      tests: [
        ['skipped', 'needs the moon › needs the moon: it is not up'],
        ['skipped', 'needs a GPU › needs a GPU: none on this kind of machine'],
        ['passed', 'needs the sun › runs'],
      ],
    });
  });

  it('under CI=true, fails the run for a required prerequisite and still skips an optional one', () => {
    expect(run('true')).toEqual({
      success: false,
      tests: [
        ['failed', 'needs the moon › needs the moon'],
        ['skipped', 'needs a GPU › needs a GPU: none on this kind of machine'],
        ['passed', 'needs the sun › runs'],
      ],
    });
  });
});
