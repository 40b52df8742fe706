import { defineConfig } from '@playwright/test';
import { chromiumExecutable } from './e2e/support/chromium.js';

// Chromium comes from CHROMIUM_PATH, Debian's /usr/bin/chromium, or Playwright's own install;
// the web specs drive it against a real `candela serve` on a temporary workspace.
export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  // test-all.mjs sets PLAYWRIGHT_JSON_OUTPUT_NAME to count the results and lists the skipped tests
  // from that report; alone, the list plus the skipped tests with their reasons.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list'], ['./test-support/playwrightSkipsReporter.ts']],
  outputDir: 'test-results/playwright',
  projects: [
    {
      name: 'web',
      testMatch: /web\/.*\.spec\.ts/,
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromiumExecutable(),
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
        },
        screenshot: 'only-on-failure',
        trace: 'off',
      },
    },
    { name: 'electron', testMatch: /electron\/.*\.spec\.ts/ },
  ],
});
