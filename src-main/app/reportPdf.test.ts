import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Electron's binary is absent here; what is under test is the window the report is printed in,
// what it loads and asks for, and that nothing is left behind. The real printing runs in the
// Electron journey (e2e/electron/smoke.spec.ts) wherever the binary exists.
interface FakeWindow {
  options: unknown;
  loaded: string | null;
  destroyed: boolean;
  printOptions: unknown;
}
const windows: FakeWindow[] = [];
let printFails = false;
class BrowserWindow {
  readonly state: FakeWindow;
  readonly webContents: { printToPDF(o: unknown): Promise<Buffer> };
  constructor(options: unknown) {
    this.state = { options, loaded: null, destroyed: false, printOptions: null };
    windows.push(this.state);
    this.webContents = {
      printToPDF: async (o: unknown) => {
        this.state.printOptions = o;
        if (printFails) throw new Error('printing failed');
        // What a printer makes of the page: proof that the page it saw was the report.
        return Buffer.from(`%PDF-1.4 ${readFileSync(this.state.loaded!, 'utf8')}`);
      },
    };
  }
  async loadFile(file: string) {
    this.state.loaded = file;
  }
  isDestroyed() {
    return this.state.destroyed;
  }
  destroy() {
    this.state.destroyed = true;
  }
}
vi.mock('electron', () => ({ BrowserWindow }));
const { printReportWithElectron, REPORT_PDF_OPTIONS } = await import('./reportPdf.js');

afterEach(() => {
  windows.length = 0;
  printFails = false;
});

describe("the desktop app's report printer", () => {
  it('prints the report from a temporary file in a hidden window without script, then removes both', async () => {
    const pdf = await printReportWithElectron('<h2>Caveats</h2>');
    expect(Buffer.from(pdf).toString()).toBe('%PDF-1.4 <h2>Caveats</h2>');
    expect(windows).toHaveLength(1);
    const w = windows[0]!;
    expect(w.options).toMatchObject({ show: false, webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false } });
    expect(w.options).not.toHaveProperty('webPreferences.preload');
    expect(w.printOptions).toEqual(REPORT_PDF_OPTIONS);
    expect(REPORT_PDF_OPTIONS).toMatchObject({ printBackground: true, generateDocumentOutline: true });
    expect(w.destroyed).toBe(true);
    expect(existsSync(dirname(w.loaded!))).toBe(false);
  });

  it('leaves no window or file behind when printing fails, and says so', async () => {
    printFails = true;
    await expect(printReportWithElectron('<p>x</p>')).rejects.toThrow('printing failed');
    expect(windows[0]!.destroyed).toBe(true);
    expect(existsSync(dirname(windows[0]!.loaded!))).toBe(false);
  });
});
