import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marketCorpus, REPO_ROOT as root } from '../../test-support/fixtures.js';
import { requirePrerequisite } from '../../test-support/playwright.js';
import { layoutSettled } from '../support/layout.js';
import { startCandelaServe, type ServerHandle } from '../support/server.js';

/**
 * Every page with real data present, at a laptop's and a desktop's size: nothing wider than the
 * window, no console errors, no serious or critical accessibility violation (axe-core), and a
 * screenshot of each for a person to look at (test-results/pages/).
 */
const corpus = marketCorpus().dir;

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

test.describe('every page fits, is accessible and error-free with real data', () => {
  requirePrerequisite(marketCorpus());
  let server: ServerHandle;
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    const ws = mkdtempSync(join(tmpdir(), 'candela-e2e-pages-'));
    const cli = (...args: string[]) => execFileSync(process.execPath, [join(root, 'bin/candela.mjs'), '--workspace', ws, ...args], { stdio: 'pipe', timeout: 150_000 });
    cli('import', ...['binance-spot/BTCUSDT-1h-2024-12.csv', 'metatrader4/EURUSD60.csv', 'tradingview/BINANCE_SOLUSDT, 15.csv'].map((f) => join(corpus, f)));
    cli('train', '--datasets', 'all', '--model', 'mlp', '--window', '16', '--epochs', '2');
    cli('backtest', '1', '--fee-bps', '10', '--slippage-bps', '2');
    server = await startCandelaServe([], {}, ws);
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  /** Opens each page the way a person does, with something selected where a page shows a selection. */
  const visits: { name: string; key: string; open?: (page: Page) => Promise<void> }[] = [
    {
      name: 'datasets',
      key: 'Alt+1',
      open: async (page) => {
        await page.getByTestId('dataset-row').filter({ hasText: 'EUR/USD' }).click();
        await expect(page.getByTestId('candle-chart').locator('canvas').first()).toBeVisible();
      },
    },
    { name: 'training', key: 'Alt+2', open: async (page) => page.getByTestId('run-row').first().click() },
    {
      name: 'evaluation',
      key: 'Alt+3',
      open: async (page) => {
        await expect(page.getByTestId('verdict')).toContainText(/baseline/, { timeout: 60_000 });
        // The CLI's backtest (fee 10 bps) is the run's newest: its breakeven fee stands beside the verdict.
        await expect(page.getByTestId('cost-check')).toContainText(/backtest #1, .*Breakeven taker fee/);
        await expect(page.getByTestId('cost-check')).toContainText(/10 bps this backtest pays|loses money even with no taker fee|stays profitable/);
        await page.getByTestId('folds').screenshot({ path: join(root, 'test-results', 'pages', `${page.viewportSize()!.width}x${page.viewportSize()!.height}-evaluation-folds.png`) });
      },
    },
    {
      name: 'backtests',
      key: 'Alt+4',
      open: async (page) => {
        await page.getByTestId('backtest-symbol-row').first().click();
        await expect(page.getByTestId('backtest-chart').locator('canvas').first()).toBeVisible();
        await expect(page.getByTestId('backtest-legend')).toContainText('long entry');
        await expect(page.getByTestId('marker-mode')).toHaveAttribute('data-mode', /^(trades|counts)$/);
        await expect(page.getByTestId('breakeven')).toContainText('Breakeven taker fee');
        await expect(page.getByTestId('money-unit')).toContainText('% of each symbol’s starting equity (1 in account currency)');
        // A test of weeks: the caveat names its length, the heatmap is a daily grid with date rows, never fractional years.
        await expect(page.getByTestId('symbol-caveat')).toContainText(/^BTC\/USDT: Test covers \d+ days; annualised Sharpe, Sortino and CAGR are unreliable \(Sharpe 95 % interval -?[\d.]+ to -?[\d.]+\)\.$/);
        // SVG text has no innerText; its textContent is the label drawn.
        const rows = await page.getByTestId('monthly-heatmap').locator('.ytick text').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
        expect(rows.length).toBeGreaterThan(0);
        for (const r of rows) expect(r).toMatch(/^\d{4}(-\d{2}-\d{2})?$/);
        // The symbol's card sits below the fold of the page screenshot: it gets one of its own.
        await layoutSettled(page);
        await page.getByRole('region', { name: 'BTC/USDT backtest' }).screenshot({ path: join(root, 'test-results', 'pages', `${page.viewportSize()!.width}x${page.viewportSize()!.height}-backtests-symbol.png`) });
        await page.getByRole('button', { name: 'Sweep minimum confidence' }).click();
        await expect(page.getByTestId('sweep')).toBeVisible({ timeout: 60_000 });
      },
    },
    // Its sparklines draw from the second resource sample on.
    { name: 'system', key: 'Alt+5', open: async (page) => expect(page.locator('svg.sparkline text')).not.toHaveCount(0, { timeout: 20_000 }) },
  ];

  for (const size of SIZES) {
    test(`at ${size.width}×${size.height}`, async ({ page }) => {
      test.setTimeout(180_000);
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      await page.setViewportSize(size);
      await page.goto(server.url);
      await expect(page.getByTestId('status-connection')).toHaveText('server connected');
      const shots = join(root, 'test-results', 'pages');
      mkdirSync(shots, { recursive: true });
      const failures: string[] = [];
      for (const v of visits) {
        await page.keyboard.press(v.key);
        await v.open?.(page);
        // Plots and charts lay out after their data arrives.
        await layoutSettled(page);
        // The page itself, and the content pane beside the navigation (which scrolls on its own).
        const fit = await page.evaluate(() => {
          const main = document.getElementById('main');
          return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, mainScroll: main?.scrollWidth ?? 0, mainWidth: main?.clientWidth ?? 0 };
        });
        if (fit.scrollWidth > fit.innerWidth) failures.push(`${v.name}: the page is ${fit.scrollWidth} px wide in a ${fit.innerWidth} px window`);
        if (fit.mainScroll > fit.mainWidth) failures.push(`${v.name}: the content is ${fit.mainScroll} px wide in a ${fit.mainWidth} px pane`);
        // A drawn chart fills its box: a box taller than its figure shows as an empty band under it.
        const bands = await page.evaluate(() =>
          Array.from(document.querySelectorAll<HTMLElement>('.plotly-chart')).flatMap((box) => {
            const figure = box.querySelector('.main-svg');
            const gap = figure ? box.getBoundingClientRect().height - figure.getBoundingClientRect().height : 0;
            return gap > 1 ? [`${box.dataset.testid ?? 'a chart'} has ${Math.round(gap)} px of empty box under its figure`] : [];
          }),
        );
        failures.push(...bands.map((b) => `${v.name}: ${b}`));
        // A sparkline's range labels sit right of its line, inside its own box: "549.2 MB" once lost its unit there.
        const clipped = await page.evaluate(() =>
          Array.from(document.querySelectorAll('svg.sparkline')).flatMap((svg) => {
            const right = svg.getBoundingClientRect().right;
            return Array.from(svg.querySelectorAll('text')).flatMap((t) => (t.getBoundingClientRect().right > right + 0.5 ? [`the sparkline label "${t.textContent}" is cut off at its box's edge`] : []));
          }),
        );
        failures.push(...clipped.map((c) => `${v.name}: ${c}`));
        const axe = await new AxeBuilder({ page }).analyze();
        for (const violation of axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
          failures.push(`${v.name}: ${violation.impact} ${violation.id} (${violation.help}) at ${violation.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
        }
        await page.screenshot({ path: join(shots, `${size.width}x${size.height}-${v.name}.png`), fullPage: true });
      }
      expect(failures).toEqual([]);
      expect(problems).toEqual([]);
    });
  }
});
