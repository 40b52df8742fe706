/**
 * The report as PDF through a Chromium-family browser's headless print-to-PDF (the same engine the
 * desktop app renders with, so the PDF looks like the HTML). Product code finds the browser itself
 * (test support may not be imported): $CHROMIUM_PATH, then the usual install paths per platform,
 * then a Playwright download. Where none exists the caller gets a sentence saying so.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/** Where a Chromium-family browser is usually installed, per platform. */
function candidates(): string[] {
  const list = [process.env.CHROMIUM_PATH ?? ''];
  if (process.platform === 'darwin') {
    list.push('/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge');
  } else if (process.platform === 'win32') {
    for (const base of [process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)'], process.env.LOCALAPPDATA]) {
      if (!base) continue;
      list.push(join(base, 'Google', 'Chrome', 'Application', 'chrome.exe'), join(base, 'Chromium', 'Application', 'chrome.exe'), join(base, 'Microsoft', 'Edge', 'Application', 'msedge.exe'));
    }
  } else {
    list.push('/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium', '/usr/bin/microsoft-edge');
  }
  // A browser Playwright downloaded (`npx playwright install chromium`).
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), process.platform === 'darwin' ? 'Library/Caches/ms-playwright' : process.platform === 'win32' ? 'AppData/Local/ms-playwright' : '.cache/ms-playwright');
  try {
    for (const dir of readdirSync(cache).filter((d) => d.startsWith('chromium-')).sort().reverse()) {
      list.push(join(cache, dir, 'chrome-linux', 'chrome'), join(cache, dir, 'chrome-mac', 'Chromium.app', 'Contents', 'MacOS', 'Chromium'), join(cache, dir, 'chrome-win', 'chrome.exe'));
    }
  } catch {
    // No Playwright cache: nothing to add.
  }
  return list.filter(Boolean);
}

/** The first Chromium-family browser found, or null. */
export function findChromium(): string | null {
  return candidates().find((p) => existsSync(p)) ?? null;
}

export const NO_BROWSER = 'No Chromium, Chrome or Edge was found to print the PDF (set CHROMIUM_PATH to one, or install Chromium); the HTML report is written and prints to PDF from any browser.';
/** The same fact said to someone at the app's PDF button, where no HTML file was written. */
export const NO_BROWSER_ON_SERVER = 'No Chromium, Chrome or Edge was found on the machine running Candela to print the PDF (set CHROMIUM_PATH for `candela serve`, or install Chromium); save the HTML report with Report and print it to PDF from your browser.';

/** Prints an HTML file to PDF with headless Chromium; throws a sentence when no browser exists or printing fails. */
export async function printToPdf(htmlFile: string, pdfFile: string, browser = findChromium()): Promise<void> {
  if (!browser) throw new Error(NO_BROWSER);
  // A profile of its own, removed after: a print leaves nothing in the user's browser profile, and
  // two prints at once never share one. No background networking or component updates: a print
  // needs neither.
  const profile = await mkdtemp(join(tmpdir(), 'candela-print-profile-'));
  // The outline (bookmarks) lists the report's section headings, so a reader can jump to one.
  const args = [
    '--headless',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    `--user-data-dir=${profile}`,
    '--no-pdf-header-footer',
    '--generate-pdf-document-outline',
    `--print-to-pdf=${pdfFile}`,
    pathToFileURL(htmlFile).href,
  ];
  // Chromium refuses to run its sandbox as root (containers, CI); the report is our own file with no script.
  if (process.getuid?.() === 0) args.unshift('--no-sandbox');
  try {
    await promisify(execFile)(browser, args, { timeout: 120_000 });
  } catch (e) {
    throw new Error(`${browser} could not print the PDF: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
  if (!existsSync(pdfFile)) throw new Error(`${browser} ran but wrote no PDF at ${pdfFile}.`);
}

/**
 * The report's HTML as PDF bytes, printed as {@link printToPdf} prints a file: what the headless
 * server and the CLI answer `evaluation.reportPdf` with (the desktop app prints with its own
 * Chromium instead, `app/reportPdf.ts`). The HTML and PDF live in a temporary folder, removed after.
 */
export async function printHtmlToPdf(html: string, browser = findChromium()): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'candela-report-'));
  try {
    const htmlFile = join(dir, 'report.html');
    const pdfFile = join(dir, 'report.pdf');
    await writeFile(htmlFile, html);
    await printToPdf(htmlFile, pdfFile, browser);
    return new Uint8Array(await readFile(pdfFile));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
