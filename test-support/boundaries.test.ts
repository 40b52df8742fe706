import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fixtures.js';

// Product code may not import test helpers (eslint.config.js); prove the rule bites on planted
// files and lets tests, fixtures and benchmarks through.
const eslint = new ESLint({ cwd: REPO_ROOT });
const lint = async (code: string, filePath: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId);
};
const RULE = '@typescript-eslint/no-restricted-imports';
const fixtureImport = (from: string) => `import { syntheticMarket } from '${from}';\nexport const x = syntheticMarket;\n`;

describe('test helpers stay out of the product', () => {
  it.each([
    ['src-shared/compute/backtest/planted.ts', './__fixtures__/syntheticMarket.js'],
    ['src-shared/compute/metrics/planted.ts', '../backtest/__fixtures__/syntheticMarket.js'],
    ['src-main/backtests/planted.ts', '../../src-shared/compute/backtest/__fixtures__/syntheticMarket.js'],
    ['src-main/training/loop/planted.ts', './__fixtures__/syntheticInputs.js'],
    ['src-main/cli/planted.ts', '../../test-support/fixtures.js'],
    ['src-renderer/stores/planted.ts', '../../test-support/prerequisites.js'],
    ['src-renderer/stores/planted.ts', './testing/fakeClient.js'],
    ['src-renderer/pages/planted.tsx', '../stores/testing/fakeClient.js'],
  ])('refuses %s importing %s', async (file, from) => {
    expect(await lint(fixtureImport(from), file)).toContain(RULE);
  });

  it('keeps the process boundaries that share the file (a separate rule, not a replacement)', async () => {
    const rules = await lint(`import fs from 'node:fs';\n${fixtureImport('./__fixtures__/syntheticMarket.js')}export const y = fs;\n`, 'src-shared/compute/backtest/planted.ts');
    expect(rules).toContain(RULE);
    expect(rules).toContain('no-restricted-imports');
  });

  it('lets tests, fixtures and benchmarks use them', async () => {
    expect(await lint(fixtureImport('./__fixtures__/syntheticMarket.js'), 'src-shared/compute/backtest/planted.test.ts')).toEqual([]);
    expect(await lint(fixtureImport('../../test-support/fixtures.js'), 'src-main/cli/planted.test.ts')).toEqual([]);
    expect(await lint(fixtureImport('../random.js'), 'src-shared/compute/backtest/__fixtures__/planted.ts')).toEqual([]);
    expect(await lint(fixtureImport('./fakeClient.js'), 'src-renderer/stores/testing/planted.ts')).toEqual([]);
    expect(await lint(fixtureImport('./testing/fakeClient.js'), 'src-renderer/stores/planted.test.ts')).toEqual([]);
    expect(await lint(fixtureImport('../src-shared/compute/backtest/__fixtures__/syntheticMarket.js'), 'bench/planted.bench.ts')).toEqual([]);
  });
});
