import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { minuteCsv } from '../support/csv.js';
import { dropFiles } from '../support/drop.js';
import { startCandelaServe, type ServerHandle } from '../support/server.js';

test.describe('importing by drag and drop', () => {
  let server: ServerHandle;
  test.beforeAll(async () => {
    server = await startCandelaServe();
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test('a dropped folder of CSVs imports with progress, lists the datasets and charts one', async ({ page }) => {
    await page.goto(server.url);
    await expect(page.getByTestId('status-connection')).toHaveText('server connected');
    await expect(page.getByRole('heading', { name: 'No datasets yet' })).toBeVisible();

    await dropFiles(page, [
      { name: 'BTC_USDT_1m.csv', content: minuteCsv(120_000, Date.UTC(2024, 0, 1), 1) },
      { name: 'ETH_USDT_1m.csv', content: minuteCsv(120_000, Date.UTC(2024, 0, 1), 2) },
    ]);
    await expect(page.getByTestId('import-progress')).toBeVisible();
    await expect(page.getByRole('progressbar', { name: 'Import progress bar' })).toBeVisible();
    const summary = page.getByTestId('import-summary');
    await expect(summary).toContainText('2 of 2 files imported', { timeout: 60_000 });
    await expect(summary).toContainText('240,000 new candles');

    const rows = page.getByTestId('dataset-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText('BTC/USDT');
    await expect(rows.first()).toContainText('120,000');

    await rows.first().click();
    // The chart opens above the table, under the pointer that clicked the row: move it off the chart.
    await page.mouse.move(0, 0);
    const chart = page.getByTestId('candle-chart');
    await expect(chart.locator('canvas').first()).toBeVisible();
    await expect(page.getByTestId('chart-legend')).toContainText('2,000 bars loaded');
    // A rollup timeframe switches the chart to the coarser bars.
    await page.getByRole('group', { name: 'Timeframe' }).getByRole('button', { name: '1h' }).click();
    await expect(page.getByTestId('chart-legend')).toContainText('2,000 bars loaded');
    await page.getByRole('group', { name: 'Timeframe' }).getByRole('button', { name: '1d' }).click();
    await expect(page.getByTestId('chart-legend')).toContainText('84 bars loaded');
    // The crosshair legend shows the hovered bar's OHLCV.
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.3);
    await expect(page.getByTestId('chart-legend')).toContainText(/O \d/);
  });

  test('a single dropped file opens the preview, then imports', async ({ page }) => {
    await page.goto(server.url);
    await expect(page.getByTestId('status-connection')).toHaveText('server connected');
    const text = minuteCsv(500, Date.UTC(2024, 5, 1), 3).replace(/,/g, ';').replace(/(\d)\.(\d)/g, '$1,$2');
    await dropFiles(page, [{ name: 'SOLUSDT-1m-2024-06.csv', content: text }]);
    const dialog = page.getByRole('dialog', { name: /Import SOLUSDT-1m-2024-06.csv/ });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('preview-detected')).toContainText(/decimal comma/i);
    await expect(dialog.getByLabel('Symbol')).toHaveValue('SOL/USDT');
    const table = dialog.getByRole('table', { name: 'First rows' });
    // Each column under a heading: what it is read as and the file's name for it; the raw time beside the UTC time it becomes.
    await expect(table.getByRole('columnheader', { name: /Time \(UTC\), as imported/ })).toBeVisible();
    await expect(table.getByRole('columnheader', { name: /Open\s*open/ })).toBeVisible();
    await expect(table).toContainText('1717200000000');
    await expect(dialog.getByTestId('preview-utc').first()).toHaveText('2024-06-01 00:00');
    // The dialog fits its window: nothing cut off on the right.
    const fits = await dialog.evaluate((el) => el.getBoundingClientRect().right <= window.innerWidth && el.scrollWidth <= el.clientWidth);
    expect(fits).toBe(true);
    // Tab cycles inside the dialog, never to the page behind it.
    await expect(dialog.getByLabel('Symbol')).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(dialog.getByRole('button', { name: 'Import', exact: true })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(dialog.getByLabel('Symbol')).toBeFocused();
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByTestId('import-summary')).toContainText('1 of 1 file imported');
    await expect(page.getByTestId('dataset-row').filter({ hasText: 'SOL/USDT' })).toContainText('500');
  });

  test('a column remapped in the preview reads the rows again and imports that way', async ({ page }) => {
    await page.goto(server.url);
    await expect(page.getByTestId('status-connection')).toHaveText('server connected');
    // A mid price beside the close: the person wants the mid as the close (--col-close mid on the CLI).
    const lines = minuteCsv(300, Date.UTC(2024, 2, 1), 6).trim().split('\n');
    const text = [`${lines[0]},mid`, ...lines.slice(1).map((l) => {
      const [, o, , , c] = l.split(',').map(Number);
      return `${l},${((o! + c!) / 2).toFixed(4)}`;
    })].join('\n');
    const firstMid = text.split('\n')[1]!.split(',')[6]!;
    await dropFiles(page, [{ name: 'MID_USDT_1m.csv', content: text }]);
    const dialog = page.getByRole('dialog', { name: /Import MID_USDT_1m.csv/ });
    const table = dialog.getByRole('table', { name: 'First rows' });
    await expect(table.getByRole('columnheader', { name: /^Close\s*close$/ })).toBeVisible();
    await dialog.getByRole('combobox', { name: /^Close/ }).selectOption({ label: '7 · mid' });
    await expect(table.getByRole('columnheader', { name: /^Close\s*mid$/ })).toBeVisible();
    await expect(table.locator('tbody tr').first().locator('td').nth(6)).toHaveText(firstMid);
    await expect(dialog.getByTestId('preview-utc').first()).toHaveText('2024-03-01 00:00');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByTestId('import-summary')).toContainText('1 of 1 file imported');

    // The ID shown is the one the CLI takes, and the stored close is the mid.
    const row = page.getByTestId('dataset-row').filter({ hasText: 'MID/USDT' });
    const id = (await row.getByTestId('dataset-id').textContent())!.trim();
    expect(id).toMatch(/^\d+$/);
    const out = execFileSync(process.execPath, ['bin/candela.mjs', '--workspace', server.workspace, 'candles', id, '--first', '--limit', '1', '--json'], { encoding: 'utf8' });
    expect((JSON.parse(out) as { candles: { close: number }[] }).candles[0]!.close).toBe(Number(firstMid));
  });

  test('the datasets table sorts from the keyboard and shows where focus is', async ({ page }) => {
    await page.goto(server.url);
    await expect(page.getByTestId('status-connection')).toHaveText('server connected');
    await dropFiles(page, [
      { name: 'KEYA_USDT_1m.csv', content: minuteCsv(300, Date.UTC(2024, 0, 1), 7) },
      { name: 'KEYB_USDT_1m.csv', content: minuteCsv(150, Date.UTC(2024, 0, 1), 8) },
    ]);
    await expect(page.getByTestId('import-summary')).toContainText('2 of 2 files imported');
    await page.getByLabel('Filter datasets').focus();
    await page.keyboard.press('Tab'); // the table's scroll region
    await page.keyboard.press('Tab');
    const idHeader = page.getByRole('button', { name: 'ID', exact: true });
    await expect(idHeader).toBeFocused();
    expect(await idHeader.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
    const rowsHeader = page.getByRole('columnheader', { name: 'Rows' });
    await expect(rowsHeader).toHaveAttribute('aria-sort', 'none');
    await page.getByRole('button', { name: 'Rows', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(rowsHeader).toHaveAttribute('aria-sort', 'ascending');
    const counts = async () => (await page.getByTestId('dataset-row').locator('td:nth-child(6)').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
    const up = await counts();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    await page.keyboard.press('Space');
    await expect(rowsHeader).toHaveAttribute('aria-sort', 'descending');
    const down = await counts();
    expect(down).toEqual([...up].sort((a, b) => b - a));

    // With a chart open, every stop of the Tab order on the page shows a focus ring.
    await page.getByTestId('dataset-row').first().press('Enter');
    await expect(page.getByTestId('candle-chart').locator('canvas').first()).toBeVisible();
    await page.getByRole('button', { name: 'Import files…' }).focus();
    const unringed = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const stop = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const st = getComputedStyle(el);
        const ringed = (st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0) || st.boxShadow !== 'none';
        return { ringed, name: `${el.tagName.toLowerCase()} ${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? ''}` };
      });
      if (stop && !stop.ringed) unringed.add(stop.name);
    }
    expect([...unringed]).toEqual([]);
  });

  test('a dataset is renamed from the keyboard; a clash with another instrument is refused and changes nothing', async ({ page }) => {
    await page.goto(server.url);
    await expect(page.getByTestId('status-connection')).toHaveText('server connected');
    await dropFiles(page, [
      { name: 'ADAUSDT-1m.csv', content: minuteCsv(300, Date.UTC(2024, 0, 1), 4) },
      { name: 'ADA-PERP-1m.csv', content: minuteCsv(200, Date.UTC(2024, 0, 1), 5) },
    ]);
    await expect(page.getByTestId('import-summary')).toContainText('2 of 2 files imported');
    const perpRow = page.getByTestId('dataset-row').filter({ hasText: 'perpetual' }).filter({ hasText: 'ADA' });
    await expect(perpRow).toContainText('200');

    await perpRow.focus();
    await page.keyboard.press('F2');
    const dialog = page.getByRole('dialog', { name: /Rename ADA 1m/ });
    await expect(dialog.getByLabel('Symbol')).toBeFocused();
    await page.keyboard.type('ADA USDT');
    await expect(dialog.getByRole('alert')).toContainText('no spaces');
    await expect(dialog.getByRole('button', { name: 'Rename' })).toBeDisabled();

    await dialog.getByLabel('Symbol').fill('adausdt');
    await dialog.getByLabel('Contract').selectOption('spot');
    await dialog.getByLabel('Symbol').press('Enter');
    await expect(dialog.getByRole('alert')).toContainText(/is already ADA\/USDT at 1m/);
    await expect(perpRow).toContainText('perpetual');

    await dialog.getByLabel('Contract').selectOption('perpetual');
    await dialog.getByLabel('Venue').fill('Bybit');
    await expect(dialog.getByRole('status')).toContainText('Will be stored as ADA/USDT perpetual on bybit.');
    await dialog.getByLabel('Venue').press('Enter');
    await expect(dialog).toBeHidden();
    const renamed = page.getByTestId('dataset-row').filter({ hasText: 'bybit' });
    await expect(renamed).toContainText('ADA/USDT');
    await expect(renamed).toContainText('perpetual');
    await expect(renamed).toBeFocused();
  });

  test('a file that is not candles gets one clear sentence and adds nothing', async ({ page }) => {
    await page.goto(server.url);
    await expect(page.getByTestId('status-connection')).toHaveText('server connected');
    // Count only once the list has loaded (earlier tests in this file imported datasets).
    await expect(page.getByTestId('dataset-row').or(page.getByRole('heading', { name: 'No datasets yet' })).first()).toBeVisible();
    const before = await page.getByTestId('dataset-row').count();
    await dropFiles(page, [
      { name: 'notes.csv', content: 'id,name,price\n1,apple,3\n2,pear,4\n' },
      { name: 'empty.csv', content: '' },
    ]);
    const summary = page.getByTestId('import-summary');
    await expect(summary).toContainText('0 of 2 files imported');
    await expect(summary).toContainText(/No open\/high\/low\/close columns/);
    await expect(summary).toContainText(/empty/);
    await expect(page.getByTestId('dataset-row')).toHaveCount(before);
  });
});

test.describe('demo workspace', () => {
  let server: ServerHandle;
  test.beforeAll(async () => {
    server = await startCandelaServe();
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test('an empty workspace offers demo data in one click, then shows it', async ({ page }) => {
    await page.goto(server.url);
    await expect(page.getByTestId('status-connection')).toHaveText('server connected');
    await page.getByRole('button', { name: 'Generate a demo workspace' }).click();
    await expect(page.getByTestId('import-summary')).toContainText('4 of 4 files imported', { timeout: 60_000 });
    const rows = page.getByTestId('dataset-row');
    await expect(rows).toHaveCount(4);
    await expect(rows.filter({ hasText: 'BTC/USDT' })).toContainText('5m');
    await rows.filter({ hasText: 'ETH/USDT' }).click();
    await page.mouse.move(0, 0);
    await expect(page.getByTestId('candle-chart').locator('canvas').first()).toBeVisible();
    await expect(page.getByTestId('chart-legend')).toContainText('2,000 bars loaded');
    await expect(page.getByTestId('health-panel')).toContainText(/Data health: \d+ \/ 100/);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV of ETH/USDT 5m' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('ETH_USDT_5m.csv');
    const text = await (await import('node:fs/promises')).readFile((await file.path())!, 'utf8');
    expect(text.split('\n')[0]).toBe('timestamp,time_utc,open,high,low,close,volume');
    expect(text.trim().split('\n')).toHaveLength(20_001);
  });
});
