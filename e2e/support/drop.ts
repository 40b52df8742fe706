import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Drops files onto the window the way a browser delivers a drag from the desktop. */
export async function dropFiles(page: Page, files: { name: string; content: string }[]): Promise<void> {
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.content], f.name, { type: 'text/csv' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, files);
}

/** Drops files of the real-file corpus (paths relative to `corpusDir`) under their own names. */
export function dropCorpusFiles(page: Page, corpusDir: string, relPaths: readonly string[]): Promise<void> {
  return dropFiles(
    page,
    relPaths.map((f) => ({ name: basename(f), content: readFileSync(join(corpusDir, f), 'utf8') })),
  );
}
