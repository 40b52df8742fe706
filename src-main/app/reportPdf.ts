import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The hidden window a report is printed in: no preload, no script at all (the report has none; a
 * stray one must not run with the app's privileges), sandboxed like the main window.
 */
export function reportPrintWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 1024,
    height: 768,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      javascript: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** What webContents.printToPDF is asked for: A4 with the report's own colours and a section outline. */
export const REPORT_PDF_OPTIONS = { printBackground: true, pageSize: 'A4', generateDocumentOutline: true } as const;

/**
 * The desktop app's report printer (ServiceOptions.printReportPdf): the HTML is loaded from a
 * temporary file (a data: URL would hit Chromium's 2 MB URL limit on reports with many plots) into
 * a hidden window and printed by the app's own Chromium, as the browser build's server does with a
 * headless one. The window and the file are gone when it returns.
 */
export async function printReportWithElectron(html: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'candela-report-'));
  const win = new BrowserWindow(reportPrintWindowOptions());
  try {
    const file = join(dir, 'report.html');
    await writeFile(file, html);
    await win.loadFile(file);
    return new Uint8Array(await win.webContents.printToPDF(REPORT_PDF_OPTIONS));
  } finally {
    if (!win.isDestroyed()) win.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
