import { existsSync } from 'node:fs';

/**
 * The browser for the web specs: $CHROMIUM_PATH, then Debian's chromium, then Playwright's own
 * download (undefined lets Playwright find it). When none exists the run stops with one sentence.
 */
export function chromiumExecutable(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  if (process.env.PLAYWRIGHT_BROWSERS_PATH || existsSync(`${process.env.HOME}/.cache/ms-playwright`)) return undefined;
  throw new Error('No Chromium found for the e2e tests: install one (`apt-get install -y chromium`), set CHROMIUM_PATH, or run `npx playwright install chromium`.');
}
