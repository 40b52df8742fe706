import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { electronBindingFile } from '../../src-main/db/nativeBinding.js';
import { marketCorpus, REPO_ROOT as root } from '../../test-support/fixtures.js';
import { requirePrerequisite } from '../../test-support/playwright.js';
import { pdfOutlineTitles } from '../support/pdf.js';

/**
 * The desktop app as a person uses it: real exports dropped from disk, one epoch of training in the
 * training utilityProcess, evaluation, a backtest, and a quit that closes the workspace cleanly.
 * It runs wherever Electron's binary is installed (the GitHub workflow, on three OSes); on Linux it
 * needs a display (xvfb-run) and, as root or where user namespaces are restricted, --no-sandbox.
 */
const require = createRequire(import.meta.url);
const corpus = marketCorpus().dir;
const FILES = ['binance-spot/BTCUSDT-1h-2024-12.csv', 'metatrader4/EURUSD60.csv'];

/**
 * The Electron binary when its download succeeded at install; null (and why) otherwise. Read the
 * way electron's own index.js does (dist/ + path.txt): its require() throws when the binary is absent.
 */
function electronBinary(): { path: string | null; version: string | null; why: string } {
  let pkg: string;
  try {
    pkg = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, version: null, why: 'the electron package is not installed (run `npm install`)' };
  }
  const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const txt = join(pkg, 'path.txt');
  if (!existsSync(txt)) return { path: null, version, why: 'the Electron binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, or offline; no path.txt)' };
  const path = join(pkg, 'dist', readFileSync(txt, 'utf8').trim());
  return existsSync(path) ? { path, version, why: '' } : { path: null, version, why: `the Electron binary is missing at ${path}` };
}

const bin = electronBinary();
// No binary is the one gap allowed under CI=true: offline machines cannot download it (.ci/run).
const electronInstalled = { what: 'the Electron binary', met: bin.path !== null, why: `${bin.why}; \`npm run serve\` runs the browser build`, optional: true };
const display = {
  what: 'a display',
  met: process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY),
  why: 'none on this Linux machine; run the tests under `xvfb-run -a`',
};

async function launch(workspace: string, userData: string): Promise<{ app: ElectronApplication; window: Page; output: () => string }> {
  // The app refuses to start without it (a modal error box a test cannot answer), so say it here.
  const sqliteVersion = (JSON.parse(readFileSync(require.resolve('better-sqlite3/package.json'), 'utf8')) as { version: string }).version;
  const binding = electronBindingFile(root, bin.version!, sqliteVersion);
  expect(existsSync(binding), `${binding} is missing: run \`npm run native:electron\``).toBe(true);
  const app = await electron.launch({
    executablePath: bin.path!,
    args: [
      // Linux CI runs as root or with unprivileged user namespaces restricted; Chromium's sandbox cannot start there.
      ...(process.platform === 'linux' ? ['--no-sandbox'] : []),
      join(root, 'dist/main/electron-main.cjs'),
      '--workspace',
      workspace,
      `--user-data-dir=${userData}`,
    ],
    cwd: root,
    timeout: 60_000,
  });
  let out = '';
  app.process().stdout?.on('data', (d: Buffer) => (out += d.toString()));
  app.process().stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const window = await app.firstWindow();
  return { app, window, output: () => out };
}

/**
 * Drops files from disk the way the OS delivers them: Files that carry their path (from a file
 * input Playwright fills with real files), so the preload's webUtils.getPathForFile sees paths and
 * the import reads the files in place, as it does for a person dragging from a file manager.
 */
async function dropFromDisk(window: Page, paths: string[]): Promise<void> {
  await window.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.id = 'e2e-drop-source';
    input.style.display = 'none';
    document.body.append(input);
  });
  await window.setInputFiles('#e2e-drop-source', paths);
  await window.evaluate(() => {
    const input = document.getElementById('e2e-drop-source') as HTMLInputElement;
    const dt = new DataTransfer();
    for (const f of Array.from(input.files ?? [])) dt.items.add(f);
    input.remove();
    for (const type of ['dragenter', 'dragover', 'drop']) document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
}

test.describe('desktop app', () => {
  requirePrerequisite(electronInstalled, display);
  let workspace: string;
  let userData: string;
  test.beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'candela-electron-'));
    userData = mkdtempSync(join(tmpdir(), 'candela-electron-profile-'));
  });
  test.afterEach(() => {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(userData, { recursive: true, force: true });
  });

  test('opens the window on a workspace with the secure preload and the same shell', async () => {
    const { app, window } = await launch(workspace, userData);
    try {
      await expect(window.getByRole('navigation', { name: 'Pages' })).toBeVisible();
      await expect(window.getByTestId('status-connection')).toHaveText('desktop');
      await expect(window.getByTestId('status-workspace')).toContainText(workspace);
      // Only the contract is exposed to the page, and no Node.
      expect(await window.evaluate(() => Object.keys((window as unknown as { candela: object }).candela).sort())).toEqual(['invoke', 'on', 'pathForFile', 'shell']);
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      // An unknown channel is refused in the preload, before main.
      const refused = await window.evaluate(() => (window as unknown as { candela: { invoke(c: string, p: unknown): Promise<unknown> } }).candela.invoke('system.shutdownEverything', {}));
      expect(refused).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    } finally {
      await app.close();
    }
  });

  test('drop real exports, train one epoch, evaluate, backtest, quit cleanly', async () => {
    requirePrerequisite(marketCorpus());
    test.setTimeout(300_000);
    const { app, window, output } = await launch(workspace, userData);
    const problems: string[] = [];
    window.on('pageerror', (e) => problems.push(e.message));
    let exitCode: number | null = null;
    try {
      await expect(window.getByTestId('status-connection')).toHaveText('desktop');
      await dropFromDisk(
        window,
        FILES.map((f) => join(corpus, f)),
      );
      await expect(window.getByTestId('import-summary')).toContainText('2 of 2 files imported', { timeout: 60_000 });
      await expect(window.getByTestId('dataset-row')).toHaveCount(2);

      // Training runs in the utilityProcess, which opens the workspace with the Electron build.
      await window.keyboard.press('Alt+2');
      await window.getByRole('button', { name: /Choose all/ }).click();
      await window.getByLabel('Model').selectOption('mlp');
      await window.getByLabel('Window (bars)').fill('16');
      await window.getByLabel('Epochs').fill('1');
      await window.getByRole('button', { name: 'Start training' }).click();
      await expect(window.getByTestId('run-status')).toHaveText(/completed|early-stopped/, { timeout: 180_000 });
      await expect(window.getByTestId('run-test')).toContainText(/Test accuracy .* vs majority-class baseline/);

      await window.keyboard.press('Alt+3');
      await expect(window.getByTestId('verdict')).toContainText(/baseline/, { timeout: 60_000 });

      await window.keyboard.press('Alt+4');
      await window.getByLabel('Fee bps').fill('10');
      await window.getByRole('button', { name: 'Run backtest' }).click();
      await expect(window.getByTestId('backtest-results')).toContainText('Portfolio (equal weight)', { timeout: 60_000 });
      await expect(window.getByTestId('backtest-symbol-row')).toHaveCount(2);

      // The report as PDF through the typed IPC call, printed by the app's own Chromium
      // (webContents.printToPDF in a hidden, script-less window that is gone afterwards).
      await window.keyboard.press('Alt+3');
      await expect(window.getByRole('button', { name: 'Save the report as PDF' })).toBeEnabled();
      const answer = await window.evaluate(() =>
        (window as unknown as { candela: { invoke(c: string, p: unknown): Promise<{ ok: boolean; value?: { pdfBase64: string; fileName: string; bytes: number } }> } }).candela.invoke('evaluation.reportPdf', { runId: 1, backtestId: null }),
      );
      expect(answer.ok, JSON.stringify(answer).slice(0, 300)).toBe(true);
      const pdf = Buffer.from(answer.value!.pdfBase64, 'base64');
      expect(answer.value!.fileName).toMatch(/^candela-run-1-.*report\.pdf$/);
      expect(pdf.length).toBe(answer.value!.bytes);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const titles = pdfOutlineTitles(pdf);
      for (const heading of ['Run configuration', 'Evaluation beside baselines', 'Regimes', 'Caveats']) expect(titles, titles.join(' | ')).toContain(heading);
      expect(app.windows()).toHaveLength(1);
    } finally {
      const proc = app.process();
      const exited = proc.exitCode !== null ? Promise.resolve(proc.exitCode) : new Promise<number | null>((done) => proc.once('exit', (code) => done(code)));
      await app.close();
      exitCode = await exited;
    }
    // Exit 0 only when the services closed within the quit limit (electron-main.ts, will-quit).
    expect(exitCode, output()).toBe(0);
    expect(problems).toEqual([]);
    // What the app wrote is on disk for the next session: the run, finished, and its backtest.
    const db = new Database(join(workspace, 'candela.db'), { readonly: true });
    try {
      expect(db.prepare('select status from runs').all()).toEqual([{ status: expect.stringMatching(/completed|early-stopped/) }]);
      expect((db.prepare('select count(*) n from backtests').get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    // The window's size and position were kept for the next start.
    expect(existsSync(join(userData, 'window-state.json'))).toBe(true);
  });
});
