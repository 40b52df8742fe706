import { expect, test } from '@playwright/test';
import { startCandelaServe, type ServerHandle } from '../support/server.js';

let server: ServerHandle;
test.beforeAll(async () => {
  server = await startCandelaServe();
});
test.afterAll(async () => {
  await server?.stop();
});

test('the served shell shows navigation, status bar and empty states with no console errors', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));

  await page.goto(server.url);
  const nav = page.getByRole('navigation', { name: 'Pages' });
  for (const label of ['Datasets', 'Training', 'Evaluation', 'Backtests', 'System']) {
    await expect(nav.getByRole('button', { name: new RegExp(label) })).toBeVisible();
  }
  await expect(page.getByTestId('status-connection')).toHaveText('server connected');
  await expect(page.getByTestId('status-workspace')).toContainText(server.workspace);
  await expect(page.getByRole('heading', { name: 'No datasets yet' })).toBeVisible();
  // The backend probe runs in a child process; its answer reaches the status bar as an event.
  await expect(page.getByTestId('status-backend')).toContainText(/wasm|cpu|tensorflow/, { timeout: 60_000 });
  expect(problems).toEqual([]);
});

test('keyboard navigation reaches the System page and its live resource figures', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.getByTestId('status-connection')).toHaveText('server connected');
  await page.keyboard.press('Alt+5');
  await expect(page.getByRole('heading', { name: 'System', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/#\/system$/);
  await expect(page.getByTestId('cpu-pct')).toHaveText(/\d+ %/);
  await expect(page.getByTestId('workspace-path')).toHaveText(server.workspace);
  await expect(page.getByTestId('gpu-note')).toContainText(/GPU|nvidia-smi/);
  // Where Dawn finds a WebGPU adapter (llvmpipe in CI), the backend card names it, says whether it is
  // a hardware GPU or software, and suggests a batch size from its limits.
  await expect(page.getByTestId('backend-label')).toBeVisible({ timeout: 60_000 });
  const adapter = page.getByTestId('gpu-adapter-description');
  if ((await adapter.count()) > 0) {
    await expect(adapter).toContainText(/\((hardware GPU|software: computes on the CPU)\), (training uses it|not used for training)/);
    await expect(page.getByTestId('gpu-batch-suggestion')).toContainText(/^up to \d+ for the default model/);
  }

  // Arrow keys move along the navigation; Enter opens the focused page.
  await page.getByRole('button', { name: /System/ }).focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Backtests', level: 1 })).toBeVisible();
});

test('a page loaded without the token cannot reach the workspace', async ({ page }) => {
  await page.goto(server.origin + '/');
  await page.evaluate(() => sessionStorage.clear());
  await page.goto(server.origin + '/');
  await expect(page.getByTestId('status-connection')).toContainText(/disconnected|connecting/);
  await expect(page.getByTestId('status-connection')).not.toHaveText('server connected', { timeout: 3000 });
});
