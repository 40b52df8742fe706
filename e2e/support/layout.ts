import type { Page } from '@playwright/test';

/**
 * Waits until the page's layout stops changing: fonts loaded, then the document's and the content
 * pane's scroll sizes the same over five animation frames in a row (charts and plots lay out
 * after their data arrives), at most `timeoutMs`. A check of what fits then reads the settled
 * layout, however fast or slow the machine is, instead of whatever a fixed pause happened to catch.
 */
export async function layoutSettled(page: Page, timeoutMs = 5_000): Promise<void> {
  await page.evaluate(async (timeout) => {
    const size = (): string => {
      const main = document.getElementById('main');
      const root = document.documentElement;
      return [root.scrollWidth, root.scrollHeight, main?.scrollWidth ?? 0, main?.scrollHeight ?? 0].join(',');
    };
    const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
    await document.fonts.ready;
    const start = performance.now();
    let last = size();
    let stable = 0;
    while (stable < 5 && performance.now() - start < timeout) {
      await frame();
      const now = size();
      stable = now === last ? stable + 1 : 0;
      last = now;
    }
  }, timeoutMs);
}
