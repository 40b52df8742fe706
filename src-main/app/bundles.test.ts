import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { channelNames, eventNames } from '../../src-shared/contract/index.js';

// Reads what `npm run build` produced (npm test builds before the unit tests run).
const distMain = fileURLToPath(new URL('../../dist/main/', import.meta.url));
const built = existsSync(join(distMain, 'electron-main.cjs')) && existsSync(join(distMain, 'preload.cjs'));
if (!built && process.env.CI === 'true') throw new Error('CI=true but dist/main is not built; `npm test` builds it before the unit tests.');
const bundle = (name: string) => {
  const file = join(distMain, name);
  return { text: readFileSync(file, 'utf8'), bytes: statSync(file).size };
};

describe.skipIf(!built)('the desktop bundles (skipped until `npm run build`)', () => {
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
