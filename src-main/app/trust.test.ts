import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isExternalHttpUrl, isRendererUrl, isTrustedSender, rendererUrlOf } from './trust.js';

const index = join('/opt', 'Candela', 'resources', 'app', 'dist', 'renderer', 'index.html');
const renderer = rendererUrlOf(index);

describe('the renderer URL the app trusts', () => {
  it('is its own index.html, with any in-page route', () => {
    expect(isRendererUrl(renderer, renderer)).toBe(true);
    expect(isRendererUrl(`${renderer}#/training`, renderer)).toBe(true);
  });

  it('is the same file however Chromium spells its URL', () => {
    const spaced = rendererUrlOf(join('/home', 'Zoë Ng', 'Candela app', 'dist', 'renderer', 'index.html'));
    expect(isRendererUrl('file:///home/Zo%C3%AB%20Ng/Candela%20app/dist/renderer/index.html#/backtests', spaced, 'linux')).toBe(true);
    expect(isRendererUrl('file:///c:/Program%20Files/Candela/dist/renderer/index.html', 'file:///C:/Program%20Files/Candela/dist/renderer/index.html', 'win32')).toBe(true);
    expect(isRendererUrl('file:///c:/Program%20Files/Candela/dist/renderer/index.html', 'file:///C:/Program%20Files/Candela/dist/renderer/index.html', 'linux')).toBe(false);
  });

  it('is not any other file:// page, however close', () => {
    for (const url of [
      rendererUrlOf(join('/tmp', 'downloaded', 'index.html')),
      rendererUrlOf(join('/opt', 'Candela', 'resources', 'app', 'dist', 'renderer', 'other.html')),
      rendererUrlOf(join('/opt', 'Candela', 'resources', 'app', 'dist', 'renderer', 'index.html.evil')),
      `${renderer}?token=x`,
      renderer.replace('file://', 'http://'),
      'file:///',
      'about:blank',
      'not a url',
      '',
    ]) {
      expect(isRendererUrl(url, renderer), url).toBe(false);
    }
  });

  it('answers IPC only from the top-level frame of that page', () => {
    expect(isTrustedSender(renderer, true, renderer)).toBe(true);
    expect(isTrustedSender(renderer, false, renderer)).toBe(false);
    expect(isTrustedSender(undefined, true, renderer)).toBe(false);
    expect(isTrustedSender(rendererUrlOf(join('/tmp', 'x.html')), true, renderer)).toBe(false);
  });

  it('sends only http(s) links to the system browser', () => {
    expect(isExternalHttpUrl('https://example.org/a')).toBe(true);
    expect(isExternalHttpUrl('HTTP://example.org')).toBe(true);
    expect(isExternalHttpUrl('file:///etc/passwd')).toBe(false);
    expect(isExternalHttpUrl('javascript:alert(1)')).toBe(false);
  });
});
