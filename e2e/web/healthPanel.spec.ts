import { expect, test } from '@playwright/test';
import { marketCorpus } from '../../test-support/fixtures.js';
import { requirePrerequisite } from '../../test-support/playwright.js';
import { dropCorpusFiles } from '../support/drop.js';
import { startCandelaServe, type ServerHandle } from '../support/server.js';

/**
 * The health panel on real exports (read from the corpus beside the repository, never copied into
 * it): a stock whose US holidays are closures, a forex file whose every suspect candle is
 * explained, a crypto file whose spikes keep it from "clean". Screenshots land in test-results/.
 */
const corpus = marketCorpus().dir;

const FILES = ['yahoo/nvda-1999-2014.txt', 'metatrader4/EURUSD60.csv', 'tradingview/BINANCE_SOLUSDT, 15.csv'];

test.describe('the health panel on real files', () => {
  requirePrerequisite(marketCorpus());
  let server: ServerHandle;
  test.beforeAll(async () => {
    server = await startCandelaServe();
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test('explains every count, counts closures apart from gaps, and a verdict that follows the counts', async ({ page }, info) => {
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto(server.url);
    await expect(page.getByTestId('status-connection')).toHaveText('server connected');
    await dropCorpusFiles(page, corpus, FILES);
    await expect(page.getByTestId('import-summary')).toContainText('3 of 3 files imported', { timeout: 60_000 });
    const rows = page.getByTestId('dataset-row');
    const panel = page.getByTestId('health-panel');

    await rows.filter({ hasText: 'NVDA' }).click();
    await expect(panel).toContainText('Data health: 99 / 100 · suspect');
    await expect(panel.getByTestId('health-missingBars')).toHaveText(/^Missing bars\s*0\s*expected/);
    await expect(panel.getByTestId('health-closures')).toContainText('147 holidays');
    await expect(panel.getByTestId('health-calendar')).toContainText('NYSE');
    await expect(panel).toContainText('No gaps.');
    await panel.screenshot({ path: info.outputPath('health-nvda.png') });

    await rows.filter({ hasText: 'EUR/USD' }).click();
    await expect(panel).toContainText('Data health: 88 / 100 · suspect');
    await expect(panel.getByTestId('health-suspectBars')).toContainText('465');
    await expect(panel.getByTestId('health-offGrid')).toContainText('450');
    await expect(panel.getByTestId('health-offGrid')).toContainText('22:05 UTC');
    await expect(panel.getByTestId('health-spike')).toContainText('15');
    await expect(panel.getByTestId('health-closures')).toContainText('31 weekends');
    await panel.screenshot({ path: info.outputPath('health-eurusd.png') });

    await rows.filter({ hasText: 'SOL/USDT' }).click();
    await expect(panel).toContainText('Data health: 99 / 100 · suspect');
    await expect(panel.getByTestId('health-spike')).toContainText('21');
    await expect(panel).toContainText('is 100 only when nothing was found');
    await panel.screenshot({ path: info.outputPath('health-solusdt.png') });

    for (const text of await panel.allInnerTexts()) expect(text).not.toMatch(/\b1 [a-z]+s\b/);
  });
});
