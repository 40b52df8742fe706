import { expect, test } from '@playwright/test';
import { _electron as electron } from 'playwright-core';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The Electron binary when its download succeeded at install; null (and why) otherwise. Read the
 * way electron's own index.js does (dist/ + path.txt): its require() throws when the binary is absent.
 */
function electronBinary(): { path: string | null; why: string } {
  let pkg: string;
  try {
    pkg = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { path: null, why: 'the electron package is not installed (its binary download failed or was skipped)' };
  }
  const txt = join(pkg, 'path.txt');
  if (!existsSync(txt)) return { path: null, why: 'the Electron binary was never downloaded (no path.txt)' };
  const path = join(pkg, 'dist', readFileSync(txt, 'utf8').trim());
  return existsSync(path) ? { path, why: '' } : { path: null, why: `the Electron binary is missing at ${path}` };
}

const bin = electronBinary();

test.describe('desktop app', () => {
  test.skip(!bin.path, `Skipped: ${bin.why}. Run \`npm run serve\` for the browser build.`);

  test('opens the window on a workspace with the secure preload and the same shell', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'candela-electron-'));
    const app = await electron.launch({ executablePath: bin.path!, args: ['dist/main/electron-main.cjs', '--workspace', workspace] });
    try {
      const window = await app.firstWindow();
      await expect(window.getByRole('navigation', { name: 'Pages' })).toBeVisible();
      await expect(window.getByTestId('status-connection')).toHaveText('desktop');
      await expect(window.getByTestId('status-workspace')).toContainText(workspace);
      // Only the contract is exposed to the page.
      expect(await window.evaluate(() => Object.keys((window as unknown as { candela: object }).candela).sort())).toEqual(['invoke', 'on', 'pathForFile', 'shell']);
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    } finally {
      await app.close();
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
