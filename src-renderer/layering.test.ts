import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test-support/fixtures.js';

// Components and pages never reach the transport: the lint rule is the guard, this proves it bites.
const eslint = new ESLint({ cwd: REPO_ROOT });
const lint = async (code: string, filePath: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId);
};

describe('renderer layering', () => {
  it('refuses the client in components and pages', async () => {
    expect(await lint("import { createClient } from '../api/client.js';\nexport const x = createClient;\n", 'src-renderer/pages/X.tsx')).toContain('no-restricted-imports');
    expect(await lint("import { uploadFiles } from '../../api/uploadFiles.js';\nexport const x = uploadFiles;\n", 'src-renderer/components/import/X.tsx')).toContain('no-restricted-imports');
    // The renderer-wide boundaries still hold there.
    expect(await lint("import fs from 'node:fs';\nexport const x = fs;\n", 'src-renderer/components/X.tsx')).toContain('no-restricted-imports');
  });

  it('lets stores use the client and components use the stores', async () => {
    expect(await lint("import type { CandelaClient } from '../api/client.js';\nexport type X = CandelaClient;\n", 'src-renderer/stores/x.ts')).toEqual([]);
    expect(await lint("import { useStores } from '../stores/stores.js';\nexport const x = useStores;\n", 'src-renderer/pages/X.tsx')).toEqual([]);
  });
});
