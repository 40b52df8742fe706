import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtFiles, repoPath } from '../../test-support/fixtures.js';
import { requirePrerequisite } from '../../test-support/vitest.js';
import { channelNames, eventNames } from '../../src-shared/contract/index.js';

// Reads what `npm run build` produced (npm test builds before the unit tests run).
const distMain = repoPath('dist/main');
const bundle = (name: string) => {
  const file = join(distMain, name);
  return { text: readFileSync(file, 'utf8'), bytes: statSync(file).size };
};

describe('the desktop bundles', () => {
  if (!requirePrerequisite(builtFiles('dist/main/electron-main.cjs', 'dist/main/preload.cjs'))) return;
  it("main neither bundles nor loads tfjs: training and the backend probe run in child processes", () => {
    const { text } = bundle('electron-main.cjs');
    expect(text).not.toMatch(/require\(["']@tensorflow\//);
    expect(text).not.toMatch(/\/\/ node_modules\/@tensorflow\//);
    expect(text).not.toMatch(/\/\/ src-main\/training\/(backends|loop\/runTraining)/);
    expect(text).not.toMatch(/\/\/ src-main\/system\/backendProbe\.ts/);
  });

  it('the preload carries the channel and event names, not the contract with zod', () => {
    const { text, bytes } = bundle('preload.cjs');
    expect(bytes).toBeLessThan(16 * 1024);
    expect(text).not.toMatch(/node_modules|zod|safeParse/);
    for (const name of [...channelNames, ...eventNames]) expect(text, name).toContain(JSON.stringify(name));
    expect(text.match(/require\(["'][^"']+["']\)/g)).toEqual(['require("electron")']);
  });
});
