import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { requirePrerequisite } from '../../../test-support/vitest.js';
import { findChromium, printHtmlToPdf } from './pdf.js';

const profiles = (): string[] => readdirSync(tmpdir()).filter((d) => d.startsWith('candela-print-profile-'));

describe('printing a report to PDF with headless Chromium', () => {
  if (!requirePrerequisite({ what: 'a Chromium-family browser', met: findChromium() !== null, why: 'none found (set CHROMIUM_PATH or install chromium; .ci/run installs Debian’s)' })) return;

  it('prints two reports at once, each into its own PDF, and leaves no browser profile behind', async () => {
    const before = profiles();
    const page = (title: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${'candles '.repeat(400)}</p></body></html>`;
    // Two browsers at once, each on its own temporary profile.
    const [a, b] = await Promise.all([printHtmlToPdf(page('first report')), printHtmlToPdf(page('second report'))]);
    for (const pdf of [a, b]) expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(profiles().filter((d) => !before.includes(d))).toEqual([]);
  }, 120_000);
});
