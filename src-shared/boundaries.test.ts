import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test-support/fixtures.js';

// The lint rules are the build's guard on process boundaries; prove they bite.
const eslint = new ESLint({ cwd: REPO_ROOT });
const lint = async (code: string, filePath: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId);
};

describe('process boundaries', () => {
  it('refuses node, electron and DOM access in src-shared', async () => {
    expect(await lint("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'src-shared/compute/x.ts')).toContain('no-restricted-imports');
    expect(await lint("import { app } from 'electron';\nexport const x = app;\n", 'src-shared/compute/x.ts')).toContain('no-restricted-imports');
    expect(await lint("import path from 'path';\nexport const x = path;\n", 'src-shared/domain/x.ts')).toContain('no-restricted-imports');
    expect(await lint('export const w = window.innerWidth;\n', 'src-shared/compute/x.ts')).toContain('no-restricted-globals');
  });

  it('refuses electron, node and main-process imports in the renderer', async () => {
    expect(await lint("import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", 'src-renderer/x.ts')).toContain('no-restricted-imports');
    expect(await lint("import fs from 'node:fs';\nexport const x = fs;\n", 'src-renderer/x.ts')).toContain('no-restricted-imports');
    expect(await lint("import { dbOps } from '../src-main/db/ops.js';\nexport const x = dbOps;\n", 'src-renderer/x.ts')).toContain('no-restricted-imports');
  });

  it('allows the renderer to import the shared contract', async () => {
    expect(await lint("import { channels } from '../src-shared/contract/index.js';\nexport const x = channels;\n", 'src-renderer/x.ts')).toEqual([]);
  });
});
